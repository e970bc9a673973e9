//! A flat, uniform view of an `openapiv3::Schema`.
//!
//! `openapiv3` splits schemas into typed variants plus an `AnySchema` catch-all for mixed
//! shapes (`type: object` beside `oneOf`, say). The rules only need to ask "which keywords
//! are present", so this view answers that the same way for every variant.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

/// A schema or a `$ref` to a component schema, borrowed from the document.
#[derive(Debug, Clone, Copy)]
pub enum SchemaRef<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> SchemaRef<'a> {
    pub fn of(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }

    pub fn of_boxed(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }
}

/// The component name of a `#/components/schemas/<name>` reference.
pub fn component_name(reference: &str) -> Option<&str> {
    reference.strip_prefix("#/components/schemas/")
}

pub type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

static NO_PROPERTIES: std::sync::OnceLock<Properties> = std::sync::OnceLock::new();

/// Which keywords a schema has, regardless of how `openapiv3` classified it.
#[derive(Debug, Clone)]
pub struct View<'a> {
    pub data: &'a SchemaData,
    pub typ: Option<&'static str>,
    pub format: Option<String>,
    pub pattern: Option<&'a str>,
    /// `enum` values, as JSON.
    pub enumeration: Vec<Value>,
    pub properties: &'a Properties,
    pub required: &'a [String],
    pub additional: Option<&'a AdditionalProperties>,
    pub items: Option<&'a ReferenceOr<Box<Schema>>>,
    pub one_of: &'a [ReferenceOr<Schema>],
    pub all_of: &'a [ReferenceOr<Schema>],
    pub any_of: &'a [ReferenceOr<Schema>],
    pub has_not: bool,
    /// A `type` keyword this generator does not know.
    pub unknown_type: Option<&'a str>,
}

impl<'a> View<'a> {
    pub fn of(schema: &'a Schema) -> Self {
        let empty = NO_PROPERTIES.get_or_init(IndexMap::new);
        let mut view = View {
            data: &schema.schema_data,
            typ: None,
            format: None,
            pattern: None,
            enumeration: Vec::new(),
            properties: empty,
            required: &[],
            additional: None,
            items: None,
            one_of: &[],
            all_of: &[],
            any_of: &[],
            has_not: false,
            unknown_type: None,
        };
        match &schema.schema_kind {
            SchemaKind::Type(t) => view.read_type(t),
            SchemaKind::OneOf { one_of } => view.one_of = one_of,
            SchemaKind::AllOf { all_of } => view.all_of = all_of,
            SchemaKind::AnyOf { any_of } => view.any_of = any_of,
            SchemaKind::Not { .. } => view.has_not = true,
            SchemaKind::Any(any) => view.read_any(any),
        }
        view
    }

    /// The keywords of a schema `openapiv3` classified by its `type`.
    fn read_type(&mut self, t: &'a Type) {
        fn values<T: Copy>(list: &[Option<T>]) -> Vec<Value>
        where
            Value: From<T>,
        {
            list.iter().flatten().map(|v| Value::from(*v)).collect()
        }
        match t {
            Type::String(s) => {
                self.typ = Some("string");
                self.format = string_format(&s.format);
                self.pattern = s.pattern.as_deref();
                self.enumeration = s
                    .enumeration
                    .iter()
                    .map(|v| v.clone().map_or(Value::Null, Value::String))
                    .collect();
            }
            Type::Number(n) => {
                self.typ = Some("number");
                self.format = other_format(&n.format);
                self.enumeration = values(&n.enumeration);
            }
            Type::Integer(n) => {
                self.typ = Some("integer");
                self.format = other_format(&n.format);
                self.enumeration = values(&n.enumeration);
            }
            Type::Boolean(b) => {
                self.typ = Some("boolean");
                self.enumeration = values(&b.enumeration);
            }
            Type::Object(o) => {
                self.typ = Some("object");
                self.properties = &o.properties;
                self.required = &o.required;
                self.additional = o.additional_properties.as_ref();
            }
            Type::Array(a) => {
                self.typ = Some("array");
                self.items = a.items.as_ref();
            }
        }
    }

    /// The keywords of a schema `openapiv3` could not classify (several kinds at once, or
    /// a `type` it does not know).
    fn read_any(&mut self, any: &'a openapiv3::AnySchema) {
        self.typ = match any.typ.as_deref() {
            None => None,
            Some("string") => Some("string"),
            Some("number") => Some("number"),
            Some("integer") => Some("integer"),
            Some("boolean") => Some("boolean"),
            Some("object") => Some("object"),
            Some("array") => Some("array"),
            Some(other) => {
                self.unknown_type = Some(other);
                None
            }
        };
        self.format = any.format.clone();
        self.pattern = any.pattern.as_deref();
        self.enumeration = any.enumeration.clone();
        self.properties = &any.properties;
        self.required = &any.required;
        self.additional = any.additional_properties.as_ref();
        self.items = any.items.as_ref();
        self.one_of = &any.one_of;
        self.all_of = &any.all_of;
        self.any_of = &any.any_of;
        self.has_not = any.not.is_some();
    }

    /// String values of a string `enum`, when every value is a string.
    pub fn string_enum(&self) -> Option<Vec<String>> {
        if self.enumeration.is_empty() || matches!(self.typ, Some(t) if t != "string") {
            return None;
        }
        self.enumeration
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect()
    }

    pub fn is_object_like(&self) -> bool {
        !self.properties.is_empty() || self.typ == Some("object")
    }

    /// `x-...` extension value on the schema.
    pub fn extension(&self, key: &str) -> Option<&'a Value> {
        self.data.extensions.get(key)
    }
}

fn string_format(f: &VariantOrUnknownOrEmpty<StringFormat>) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Some("date".into()),
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Some("date-time".into()),
        VariantOrUnknownOrEmpty::Item(StringFormat::Password) => Some("password".into()),
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => Some("byte".into()),
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Some("binary".into()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn other_format<T: serde::Serialize>(f: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(item) => serde_json::to_value(item)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned)),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}
