//! Objects with properties: fields, required vs optional, readOnly/writeOnly, nullable.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::AdditionalProperties;

use crate::diag::child;
use crate::ir::{Field, Presence, Struct, TypeRef};

use super::naming::{loses_characters, snake_ident, type_name, Namer};
use super::schema::{deprecation_of, docs_of};
use super::view::{SchemaRef, View};
use super::Normalizer;

/// One property as found in the spec, with the type that declares it.
#[derive(Debug, Clone)]
pub struct PropSource<'a> {
    pub wire: String,
    pub schema: SchemaRef<'a>,
    pub pointer: String,
    /// Rust name of the type that declares the property (for nested type names).
    pub owner: String,
}

/// Decide how a field appears in Rust.
///
/// One struct serves requests and responses, so:
/// - `nullable` and required: `Option<T>` serialized as `null` when unset;
/// - not required, or `readOnly` (server-set: never sent unless set), or `writeOnly`
///   (never in responses): `Option<T>` omitted when `None`;
/// - otherwise required: plain `T`.
pub fn presence(required: bool, nullable: bool, read_only: bool, write_only: bool) -> Presence {
    match (required, nullable) {
        (true, true) => Presence::RequiredNullable,
        (true, false) if !read_only && !write_only => Presence::Required,
        _ => Presence::Optional,
    }
}

impl<'a> Normalizer<'a> {
    /// The properties a schema declares itself, in spec order.
    pub(crate) fn own_properties(
        &self,
        view: &View<'a>,
        owner: &str,
        pointer: &str,
    ) -> IndexMap<String, PropSource<'a>> {
        let props = child(pointer, "properties");
        view.properties
            .iter()
            .map(|(wire, schema)| {
                (
                    wire.clone(),
                    PropSource {
                        wire: wire.clone(),
                        schema: SchemaRef::of_boxed(schema),
                        pointer: child(&props, wire),
                        owner: owner.to_owned(),
                    },
                )
            })
            .collect()
    }

    /// The view of a property's schema, following a `$ref` (OAS 3.0 ignores `$ref` siblings).
    pub(crate) fn resolved_view(&self, schema: SchemaRef<'a>) -> Option<View<'a>> {
        match schema {
            SchemaRef::Inline(s) => Some(View::of(s)),
            SchemaRef::Ref(r) => self.component(r).map(|(_, s, _)| View::of(s)),
        }
    }

    pub(crate) fn build_struct(
        &mut self,
        name: &str,
        props: IndexMap<String, PropSource<'a>>,
        required: BTreeSet<String>,
        additional: Option<&'a AdditionalProperties>,
        pointer: &str,
    ) -> Struct {
        let mut names = Namer::with_reserved(&["additional_properties"]);
        let mut fields = Vec::with_capacity(props.len());
        for prop in props.into_values() {
            let hint = format!("{}{}", prop.owner, type_name(&prop.wire));
            let ty = self.convert(prop.schema, &hint, &prop.pointer);
            let view = self.resolved_view(prop.schema);
            let (nullable, read_only, write_only) = view
                .as_ref()
                .map(|v| (v.data.nullable, v.data.read_only, v.data.write_only))
                .unwrap_or_default();
            let spec_required = required.contains(&prop.wire);
            let wanted = snake_ident(&prop.wire);
            let name = names.allocate(&wanted);
            if name != wanted {
                let message = format!("property `{}` would be field `{wanted}`, which another property has; it is `{name}`", prop.wire);
                self.warn(&prop.pointer, message);
            }
            if loses_characters(&prop.wire) {
                let message = format!("property `{}` has characters a Rust identifier cannot hold; its field is `{name}`", prop.wire);
                self.warn(&prop.pointer, message);
            }
            let docs = view.as_ref().map(docs_of).unwrap_or_default();
            let secret =
                super::secrets::is_secret(&prop.wire, &ty, write_only, docs.description.as_deref());
            fields.push(Field {
                name,
                presence: presence(spec_required, nullable, read_only, write_only),
                wire_name: prop.wire,
                ty,
                boxed: false,
                docs,
                deprecated: view.as_ref().and_then(deprecation_of),
                read_only,
                write_only,
                spec_required,
                nullable,
                setters: None,
                secret,
                removed: None,
                kept: None,
            });
        }
        let additional = match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let hint = format!("{name}Value");
                Some(self.convert(
                    SchemaRef::of(schema),
                    &hint,
                    &child(pointer, "additionalProperties"),
                ))
            }
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            Some(AdditionalProperties::Any(false)) | None => None,
        };
        Struct {
            fields,
            additional,
            derive_default: false,
            tag: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_rule() {
        assert_eq!(presence(true, false, false, false), Presence::Required);
        assert_eq!(
            presence(true, true, false, false),
            Presence::RequiredNullable
        );
        assert_eq!(presence(true, false, true, false), Presence::Optional);
        assert_eq!(presence(true, false, false, true), Presence::Optional);
        assert_eq!(presence(false, false, false, false), Presence::Optional);
    }
}
