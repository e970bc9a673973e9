//! `allOf`: merged structs. Properties, required lists and descriptions are combined.
//!
//! A `oneOf` parent merged into its child (the parent <-> child cycle: `Parent.oneOf`
//! lists `Child`, and `Child.allOf` starts with `Parent`) contributes its properties only,
//! so the cycle never recurses.

use std::collections::{BTreeSet, HashSet};

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, Schema};

use crate::diag::child;
use crate::ir::{TypeKind, TypeRef};

use super::schema::Naming;
use super::structs::PropSource;
use super::view::{SchemaRef, View};
use super::Normalizer;

#[derive(Default)]
struct Merged<'a> {
    props: IndexMap<String, PropSource<'a>>,
    required: BTreeSet<String>,
    additional: Option<&'a AdditionalProperties>,
    /// Components being merged, outermost first: a `$ref` back to one is a cycle.
    chain: Vec<String>,
}

impl<'a> Normalizer<'a> {
    pub(crate) fn all_of(&mut self, s: &'a Schema, naming: Naming, pointer: &str) -> TypeRef {
        let view = View::of(s);
        let single_part_is_union = view.all_of.first().is_some_and(|part| {
            self.resolved_view(SchemaRef::of(part)).is_some_and(|v| {
                v.data.discriminator.is_some() || !v.one_of.is_empty() || !v.any_of.is_empty()
            })
        });
        if let ([only], true, false) = (
            view.all_of,
            view.properties.is_empty(),
            single_part_is_union,
        ) {
            // `allOf: [$ref]` only attaches docs to a reference: it is the referenced type.
            // (A child of a union that adds nothing is still its own struct: aliasing it
            // to the union would make the union contain itself.)
            let hint = self.hint_of(&naming);
            let part = child(&child(pointer, "allOf"), "0");
            return self.convert(SchemaRef::of(only), &hint, &part);
        }
        self.define(s, naming, pointer, |n, name| {
            let mut merged = Merged {
                chain: vec![pointer.to_owned()],
                ..Merged::default()
            };
            let mut visited = HashSet::from([pointer.to_owned()]);
            n.collect_parts(s, pointer, name, &mut visited, &mut merged);
            TypeKind::Struct(n.build_struct(
                name,
                merged.props,
                merged.required,
                merged.additional,
                pointer,
            ))
        })
    }

    fn collect_parts(
        &mut self,
        s: &'a Schema,
        pointer: &str,
        owner: &str,
        visited: &mut HashSet<String>,
        merged: &mut Merged<'a>,
    ) {
        let view = View::of(s);
        for (i, part) in view.all_of.iter().enumerate() {
            let part_pointer = child(&child(pointer, "allOf"), &i.to_string());
            match SchemaRef::of(part) {
                SchemaRef::Ref(reference) => match self.component(reference) {
                    Some((name, schema, component_pointer)) => {
                        if visited.insert(component_pointer.clone()) {
                            let owner = self.rust_name_of(name);
                            merged.chain.push(component_pointer.clone());
                            self.collect_parts(schema, &component_pointer, &owner, visited, merged);
                            merged.chain.pop();
                        } else if merged.chain.contains(&component_pointer) {
                            let cycle = format!(
                                "allOf cycle: {} -> {component_pointer}; its properties are merged once",
                                merged.chain.join(" -> ")
                            );
                            self.warn(part_pointer, cycle);
                        }
                    }
                    None => self.error(part_pointer, format!("unresolved $ref `{reference}`")),
                },
                SchemaRef::Inline(part) => {
                    self.collect_parts(part, &part_pointer, owner, visited, merged)
                }
            }
        }
        let is_union = !view.one_of.is_empty() || !view.any_of.is_empty();
        if is_union && view.properties.is_empty() {
            self.warn(
                pointer,
                "allOf part is a oneOf/anyOf without common properties; nothing of it is merged",
            );
        }
        if view.string_enum().is_some() || matches!(view.typ, Some(t) if t != "object") {
            self.warn(
                pointer,
                "allOf part is not an object; it is not part of the merged struct",
            );
        }
        merged
            .props
            .extend(self.own_properties(&view, owner, pointer));
        merged.required.extend(view.required.iter().cloned());
        if merged.additional.is_none() {
            merged.additional = view.additional;
        }
    }
}
