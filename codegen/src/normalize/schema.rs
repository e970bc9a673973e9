//! Dispatch a schema to the rule that translates it, memoized by JSON pointer.

use openapiv3::{AdditionalProperties, Schema};

use crate::diag::child;
use crate::ir::{Deprecation, Docs, TypeDef, TypeKind, TypeRef};

use super::naming::{snake_ident, type_name};
use super::primitives;
use super::view::{SchemaRef, View};
use super::Normalizer;

/// How a schema that becomes a named type gets its name.
#[derive(Debug, Clone)]
pub enum Naming {
    /// A component schema: its name was reserved up front.
    Fixed(String),
    /// An inline schema: a name is derived from where it sits (`Owner` + `Field`).
    Hint(String),
}

impl<'a> Normalizer<'a> {
    /// Translate a schema or reference into a Rust type reference.
    pub fn convert(&mut self, schema: SchemaRef<'a>, hint: &str, pointer: &str) -> TypeRef {
        match schema {
            SchemaRef::Ref(reference) => self.convert_ref(reference, pointer),
            SchemaRef::Inline(s) => self.convert_schema(s, Naming::Hint(hint.to_owned()), pointer),
        }
    }

    /// Translate a `$ref` to a component schema.
    pub fn convert_ref(&mut self, reference: &str, from: &str) -> TypeRef {
        let Some((name, schema, pointer)) = self.component(reference) else {
            self.error(from, format!("unresolved $ref `{reference}`"));
            return TypeRef::Json;
        };
        let rust = self.rust_name_of(name);
        self.convert_schema(schema, Naming::Fixed(rust), &pointer)
    }

    /// Translate a schema node; the same node always yields the same type.
    pub fn convert_schema(&mut self, s: &'a Schema, naming: Naming, pointer: &str) -> TypeRef {
        if let Some(done) = self.memo.get(pointer) {
            return done.clone();
        }
        if self.depth >= super::MAX_DEPTH {
            self.error(
                pointer,
                format!("schemas nest deeper than {} levels", super::MAX_DEPTH),
            );
            return TypeRef::Json;
        }
        if !self.in_progress.insert(pointer.to_owned()) {
            self.warn(
                pointer,
                "schema contains itself without an object in between; typed as free-form JSON",
            );
            return TypeRef::Json;
        }
        self.depth += 1;
        let result = self.classify(s, naming, pointer);
        self.depth -= 1;
        self.in_progress.remove(pointer);
        self.memo.insert(pointer.to_owned(), result.clone());
        result
    }

    fn classify(&mut self, s: &'a Schema, naming: Naming, pointer: &str) -> TypeRef {
        let view = View::of(s);
        if view.has_not {
            self.warn(
                pointer,
                "`not` cannot be expressed in Rust types; typed as free-form JSON",
            );
            return TypeRef::Json;
        }
        if let Some(t) = view.unknown_type {
            self.warn(
                pointer,
                format!("unknown `type: {t}`; typed as free-form JSON"),
            );
            return TypeRef::Json;
        }
        if self.is_tagged_union(&view, &naming) {
            return self.tagged_union(s, naming, pointer);
        }
        if !view.all_of.is_empty() {
            return self.all_of(s, naming, pointer);
        }
        if !view.one_of.is_empty() || !view.any_of.is_empty() {
            return self.untagged_union(s, naming, pointer);
        }
        if let Some(values) = view.string_enum() {
            return self.named_enum(s, &values, naming, pointer);
        }
        if !view.enumeration.is_empty() && view.typ == Some("string") {
            self.warn(
                child(pointer, "enum"),
                "a string enum with values that are not strings; typed as a plain string",
            );
        }
        if let Some(values) = integer_values(&view) {
            let kind = TypeKind::Enum(super::enums::integer_enum(&values));
            return self.define(s, naming, pointer, |_, _| kind);
        }
        if !view.enumeration.is_empty() && view.typ != Some("string") {
            // Boolean and number enums stay plain scalars; the values are in the docs.
            return primitives::scalar(&view).unwrap_or(TypeRef::Json);
        }
        match view.typ {
            Some("array") => {
                let item = match view.items {
                    Some(items) => {
                        let hint = format!("{}Item", self.hint_of(&naming));
                        self.convert(SchemaRef::of_boxed(items), &hint, &child(pointer, "items"))
                    }
                    None => TypeRef::Json,
                };
                TypeRef::Vec(Box::new(item))
            }
            Some("object") | None if !view.properties.is_empty() => {
                self.named_struct(s, naming, pointer)
            }
            Some("object") | None => self.free_object(&view, &naming, pointer),
            Some(_) => primitives::scalar(&view).unwrap_or(TypeRef::Json),
        }
    }

    /// An object without properties: a map when `additionalProperties` has a schema,
    /// free-form JSON otherwise (the spec promises nothing about its keys).
    fn free_object(&mut self, view: &View<'a>, naming: &Naming, pointer: &str) -> TypeRef {
        match view.additional {
            Some(AdditionalProperties::Schema(value)) => {
                let hint = format!("{}Value", self.hint_of(naming));
                let inner = self.convert(
                    SchemaRef::of(value),
                    &hint,
                    &child(pointer, "additionalProperties"),
                );
                TypeRef::Map(Box::new(inner))
            }
            _ => TypeRef::Json,
        }
    }

    fn named_enum(
        &mut self,
        s: &'a Schema,
        values: &[String],
        naming: Naming,
        pointer: &str,
    ) -> TypeRef {
        let kind = TypeKind::Enum(super::enums::string_enum(values));
        self.define(s, naming, pointer, |_, _| kind)
    }

    fn named_struct(&mut self, s: &'a Schema, naming: Naming, pointer: &str) -> TypeRef {
        self.define(s, naming, pointer, |n, name| {
            let view = View::of(s);
            let props = n.own_properties(&view, name, pointer);
            TypeKind::Struct(n.build_struct(
                name,
                props,
                view.required.iter().cloned().collect(),
                view.additional,
                pointer,
            ))
        })
    }

    /// The name stem used for types nested inside this one.
    pub(crate) fn hint_of(&self, naming: &Naming) -> String {
        match naming {
            Naming::Fixed(name) | Naming::Hint(name) => type_name(name),
        }
    }

    /// Reserve a name, register it (so recursive references resolve), build the kind.
    pub(crate) fn define(
        &mut self,
        s: &'a Schema,
        naming: Naming,
        pointer: &str,
        build: impl FnOnce(&mut Self, &str) -> TypeKind,
    ) -> TypeRef {
        let name = match naming {
            Naming::Fixed(name) => name,
            Naming::Hint(hint) => self.type_names.allocate(&type_name(&hint)),
        };
        self.memo
            .insert(pointer.to_owned(), TypeRef::Named(name.clone()));
        let kind = build(self, &name);
        let view = View::of(s);
        let module = self.module_names.allocate(&snake_ident(&name));
        let def = TypeDef {
            deprecated: deprecation_of(&view),
            ..TypeDef::new(
                name.clone(),
                module,
                pointer.to_owned(),
                docs_of(&view),
                kind,
            )
        };
        self.types.insert(name.clone(), def);
        TypeRef::Named(name)
    }
}

pub(crate) fn docs_of(view: &View<'_>) -> Docs {
    Docs {
        title: view.data.title.clone(),
        description: view.data.description.clone(),
    }
}

pub(crate) fn deprecation_of(view: &View<'_>) -> Option<Deprecation> {
    let sunset = view.extension("x-sunset").and_then(|v| v.as_str());
    match (view.data.deprecated, sunset) {
        (_, Some(date)) => Some(Deprecation {
            note: format!("Atlas sunsets this on {date}"),
        }),
        (true, None) => Some(Deprecation {
            note: "deprecated in the Atlas Admin API".to_owned(),
        }),
        (false, None) => None,
    }
}

/// The values of an integer `enum`, when every value is an integer.
fn integer_values(view: &View<'_>) -> Option<Vec<i64>> {
    if view.typ != Some("integer") || view.enumeration.is_empty() {
        return None;
    }
    view.enumeration
        .iter()
        .map(serde_json::Value::as_i64)
        .collect()
}
