//! `oneOf`/`anyOf`: tagged unions (with a discriminator), merged string enums (a `oneOf`
//! of enums, like `regionName`), and untagged unions decoded by best match.

use indexmap::IndexMap;
use openapiv3::Schema;

use crate::diag::child;
use crate::ir::{TaggedUnion, TaggedVariant, TypeKind, TypeRef, UntaggedUnion, UntaggedVariant};

use super::enums::{merge_values, string_enum};
use super::naming::Namer;
use super::schema::Naming;
use super::view::{component_name, SchemaRef, View};
use super::Normalizer;

const UNKNOWN: &str = "UnknownValue";

impl<'a> Normalizer<'a> {
    /// A discriminator with something to dispatch to: `oneOf` members, a mapping, or
    /// components that `allOf` this one (the discriminator is inherited by children).
    pub(crate) fn is_tagged_union(&self, view: &View<'a>, naming: &Naming) -> bool {
        let Some(d) = &view.data.discriminator else {
            return false;
        };
        if !view.one_of.is_empty() || !d.mapping.is_empty() {
            return true;
        }
        match naming {
            Naming::Fixed(rust) => self
                .component_names
                .iter()
                .any(|(spec, r)| r == rust && self.children.contains_key(spec)),
            Naming::Hint(_) => false,
        }
    }

    pub(crate) fn tagged_union(&mut self, s: &'a Schema, naming: Naming, pointer: &str) -> TypeRef {
        let self_spec_name = match &naming {
            Naming::Fixed(rust) => self
                .component_names
                .iter()
                .find(|(_, r)| *r == rust)
                .map(|(spec, _)| *spec),
            Naming::Hint(_) => None,
        };
        let view = View::of(s);
        let Some(d) = view.data.discriminator.as_ref() else {
            // `is_tagged_union` sends only schemas with a discriminator here.
            return self.untagged_union(s, naming, pointer);
        };
        self.define(s, naming, pointer, |n, union_name| {
            // Targets in order: oneOf members, then mapping-only targets, then children.
            let mut targets: IndexMap<String, Vec<String>> = IndexMap::new();
            for (i, member) in view.one_of.iter().enumerate() {
                match SchemaRef::of(member) {
                    SchemaRef::Ref(r) => {
                        targets.entry(r.to_owned()).or_default();
                    }
                    SchemaRef::Inline(_) => n.warn(
                        child(&child(pointer, "oneOf"), &i.to_string()),
                        "inline oneOf member under a discriminator has no name to map; it decodes as the unknown variant",
                    ),
                }
            }
            for (value, target) in &d.mapping {
                targets.entry(target.clone()).or_default().push(value.clone());
            }
            if let Some(base) = self_spec_name {
                for child_name in n.children.get(base).cloned().unwrap_or_default() {
                    targets.entry(format!("#/components/schemas/{child_name}")).or_default();
                }
            }
            let mut names = Namer::default();
            let mut variants = Vec::new();
            for (target, mut values) in targets {
                let target_name = component_name(&target).unwrap_or(&target).to_owned();
                if Some(target_name.as_str()) == self_spec_name {
                    n.warn(
                        child(&child(pointer, "discriminator"), "mapping"),
                        format!("discriminator values {values:?} map to the union itself; they decode as the unknown variant"),
                    );
                    continue;
                }
                if values.is_empty() {
                    // OAS default: the schema name is the discriminator value.
                    values.push(target_name.clone());
                }
                let ty = n.convert_ref(&target, pointer);
                if ty.named() == Some(union_name) {
                    n.warn(pointer, format!("discriminator target `{target}` is the union itself; it decodes as the unknown variant"));
                    continue;
                }
                let Some(type_name) = ty.named().map(str::to_owned) else {
                    n.warn(pointer, format!("discriminator target `{target}` is not an object; it decodes as the unknown variant"));
                    continue;
                };
                if !n.declares_property(&type_name, &d.property_name) {
                    n.warn(
                        child(&child(pointer, "discriminator"), "propertyName"),
                        format!("member `{target}` does not declare the discriminator `{}`; its values {values:?} are still written and read", d.property_name),
                    );
                }
                variants.push(TaggedVariant {
                    name: names.allocate(&type_name),
                    values,
                    ty,
                    boxed: false,
                    inner_writes_tag: false,
                    removed: None,
                });
            }
            TypeKind::Tagged(TaggedUnion {
                property: d.property_name.clone(),
                variants,
                unknown_variant: names.allocate(UNKNOWN),
                common_fields: Vec::new(),
            })
        })
    }

    /// Whether a finished struct declares a property (unfinished ones are assumed to).
    fn declares_property(&self, type_name: &str, wire: &str) -> bool {
        match self.types.get(type_name).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => s.fields.iter().any(|f| f.wire_name == wire),
            _ => true,
        }
    }

    pub(crate) fn untagged_union(
        &mut self,
        s: &'a Schema,
        naming: Naming,
        pointer: &str,
    ) -> TypeRef {
        let view = View::of(s);
        let (keyword, members) = if view.one_of.is_empty() {
            ("anyOf", view.any_of)
        } else {
            ("oneOf", view.one_of)
        };
        if !view.one_of.is_empty() && !view.any_of.is_empty() {
            self.warn(pointer, "both oneOf and anyOf: only oneOf is translated");
        }
        let members_pointer = child(pointer, keyword);
        // A oneOf of string enums (e.g. `regionName` per cloud provider): one open enum.
        let enums: Option<Vec<Vec<String>>> = members
            .iter()
            .map(|m| {
                self.resolved_view(SchemaRef::of(m))
                    .and_then(|v| v.string_enum())
            })
            .collect();
        if let Some(lists) = enums {
            let values = merge_values(lists.iter().map(Vec::as_slice));
            return self.define(s, naming, pointer, |_, _| {
                TypeKind::Enum(string_enum(&values))
            });
        }
        if let [only] = members {
            let hint = self.hint_of(&naming);
            return self.convert(SchemaRef::of(only), &hint, &child(&members_pointer, "0"));
        }
        if !view.properties.is_empty() {
            self.check_members_inherit(&view, &naming, members, pointer);
        }
        let hint = self.hint_of(&naming);
        self.define(s, naming, pointer, |n, _| {
            let mut names = Namer::default();
            let mut variants: Vec<UntaggedVariant> = Vec::new();
            for (i, member) in members.iter().enumerate() {
                let member_hint = format!("{hint}Variant{}", i + 1);
                let ty = n.convert(
                    SchemaRef::of(member),
                    &member_hint,
                    &child(&members_pointer, &i.to_string()),
                );
                if variants.iter().any(|v| v.ty == ty) {
                    continue;
                }
                variants.push(UntaggedVariant {
                    name: names.allocate(&variant_label(&ty)),
                    ty,
                    boxed: false,
                    removed: None,
                });
            }
            TypeKind::Untagged(UntaggedUnion {
                variants,
                unknown_variant: names.allocate(UNKNOWN),
                implicit_tag: None,
                common_fields: Vec::new(),
            })
        })
    }

    /// Properties beside a `oneOf` hold for every member; members must carry them (by
    /// `allOf` back to this schema), otherwise they would be lost.
    fn check_members_inherit(
        &mut self,
        view: &View<'a>,
        naming: &Naming,
        members: &'a [openapiv3::ReferenceOr<Schema>],
        pointer: &str,
    ) {
        let Naming::Fixed(rust) = naming else {
            self.warn(
                pointer,
                "properties beside an inline oneOf are not merged into its members",
            );
            return;
        };
        let parent = self
            .component_names
            .iter()
            .find(|(_, r)| *r == rust)
            .map(|(s, _)| *s);
        for (i, member) in members.iter().enumerate() {
            let inherits = match (SchemaRef::of(member), parent) {
                (SchemaRef::Ref(r), Some(parent)) => component_name(r)
                    .map(|m| self.children.get(parent).is_some_and(|c| c.contains(&m)))
                    .unwrap_or(false),
                _ => false,
            };
            let member_has_all = self.resolved_view(SchemaRef::of(member)).is_some_and(|mv| {
                view.properties
                    .keys()
                    .all(|k| mv.properties.contains_key(k))
            });
            if !inherits && !member_has_all {
                self.warn(
                    child(&child(pointer, "oneOf"), &i.to_string()),
                    "member does not include the properties declared beside oneOf; they are not part of this variant",
                );
            }
        }
    }
}

/// Variant name for an untagged member: the type name, or the JSON kind for scalars.
fn variant_label(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) | TypeRef::Write(name) => name.clone(),
        TypeRef::String => "String".into(),
        TypeRef::Bool => "Bool".into(),
        TypeRef::I32 | TypeRef::I64 => "Integer".into(),
        TypeRef::F64 => "Number".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::ObjectId => "ObjectId".into(),
        TypeRef::Json => "Json".into(),
        TypeRef::Vec(inner) => format!("{}List", variant_label(inner)),
        TypeRef::Map(inner) => format!("{}Map", variant_label(inner)),
    }
}
