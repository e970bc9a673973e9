//! Write models: what a request body can hold, apart from what a response reads.
//!
//! One struct per schema cannot serve both directions. A response model needs its
//! required fields plain (`roles: Vec<_>`), a request model must send only what the
//! caller set, or a PATCH meant to change a description also sends `"roles": []`. So each
//! struct and union a request body reaches gets a write form (`models::write::XWrite`): every
//! field settable or not (`Option<T>`), nullable ones three-state (`Nullable<T>`: absent,
//! `null`, value), read-only fields left out, chained setters, and required-ness checked
//! before a POST or PUT is sent (naming the field) instead of in the type. A variant of a
//! tagged union drops its discriminator field: the write model (or its union) writes the
//! tag from the variant, so a body cannot contradict itself. Enums are shared.
//!
//! Read models that nothing but request bodies reached are dropped afterwards.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;

use crate::ir::{
    write_name, Api, FixedTag, Method, ModelRef, Presence, ResponseBody, Setters, Struct, TypeDef,
    TypeKind, TypeRef, UntaggedUnion,
};

use super::naming::Namer;
use super::reachability::{read_closure, referenced};

/// Methods every write model has; a setter never takes one of these names.
const MODEL_METHODS: &[&str] = &[
    "default",
    "clone",
    "clone_from",
    "eq",
    "ne",
    "fmt",
    "serialize",
    "deserialize",
    "write_fields",
    "check",
    "into",
    "from",
];

/// Derive the write models, point request bodies at them, and drop read models that only
/// requests reached. Runs after `recursion::box_cycles` (write fields keep its boxes).
pub fn derive_writes(api: &mut Api) {
    let tags = discriminators(api);
    let bodies: Vec<String> = api
        .operations
        .iter()
        .flat_map(|op| &op.versions)
        .filter_map(|v| v.body.as_ref())
        .filter_map(|b| b.ty.named().map(str::to_owned))
        .collect();
    let from_bodies = read_closure(api, bodies.clone());
    let mut writes = IndexMap::new();
    let mut stack = bodies;
    while let Some(name) = stack.pop() {
        if writes.contains_key(&name) {
            continue;
        }
        let Some(read) = api.types.get(&name) else {
            continue;
        };
        let Some(kind) = write_kind(&read.kind, tags.get(name.as_str())) else {
            continue; // an enum: shared
        };
        stack.extend(referenced(&kind).into_iter().map(str::to_owned));
        writes.insert(
            name.clone(),
            TypeDef {
                kind,
                reached_by: BTreeSet::new(),
                untagged_member: false,
                tagged_member: false,
                ..read.clone()
            },
        );
    }
    let written: BTreeSet<String> = writes.keys().cloned().collect();
    let mut writes: IndexMap<String, TypeDef> = writes
        .into_values()
        .map(|mut def| {
            point_at_writes(&mut def.kind, &written);
            def.name = write_name(&def.name);
            def.module = format!("{}_write", def.module);
            (def.name.clone(), def)
        })
        .collect();
    mark_inner_tags(&mut writes);
    writes.sort_keys();
    for op in &mut api.operations {
        let method = op.method;
        for body in op.versions.iter_mut().filter_map(|v| v.body.as_mut()) {
            body.ty = to_write(&body.ty, &written);
            body.checks_required = matches!(method, Method::Post | Method::Put)
                && matches!(body.ty.model(), Some(ModelRef::Write(_)));
        }
    }
    api.writes = writes;
    drop_request_only_reads(api, &from_bodies);
}

/// How each struct is tagged as a tagged-union variant: (property, value) pairs, and
/// whether every membership names exactly one value.
#[derive(Default)]
struct Memberships {
    pairs: BTreeSet<(String, String)>,
    ambiguous: bool,
}

fn discriminators(api: &Api) -> BTreeMap<&str, Memberships> {
    let mut found: BTreeMap<&str, Memberships> = BTreeMap::new();
    for def in api.types.values() {
        let TypeKind::Tagged(t) = &def.kind else {
            continue;
        };
        for v in &t.variants {
            let Some(member) = v.ty.named() else { continue };
            let entry = found.entry(member).or_default();
            entry.ambiguous |= v.values.len() != 1;
            if let Some(value) = v.values.first() {
                entry.pairs.insert((t.property.clone(), value.clone()));
            }
        }
    }
    found
}

/// The write form of a read model's kind (still pointing at read names); `None` for enums.
fn write_kind(kind: &TypeKind, tags: Option<&Memberships>) -> Option<TypeKind> {
    match kind {
        TypeKind::Enum(_) => None,
        TypeKind::Struct(s) => Some(TypeKind::Struct(write_struct(s, tags))),
        TypeKind::Tagged(t) => Some(TypeKind::Tagged(t.clone())),
        TypeKind::Untagged(u) => Some(TypeKind::Untagged(UntaggedUnion {
            // Implicit tags only speed up decoding of responses.
            implicit_tag: None,
            ..u.clone()
        })),
    }
}

fn write_struct(s: &Struct, tags: Option<&Memberships>) -> Struct {
    let properties: BTreeSet<&str> = tags
        .map(|m| m.pairs.iter().map(|(p, _)| p.as_str()).collect())
        .unwrap_or_default();
    let tag = tags
        .filter(|m| !m.ambiguous && m.pairs.len() == 1)
        .and_then(|m| m.pairs.first())
        .map(|(property, value)| FixedTag {
            property: property.clone(),
            value: value.clone(),
        });
    let mut names = Namer::with_reserved(MODEL_METHODS);
    let fields = s
        .fields
        .iter()
        .filter(|f| !f.read_only && !properties.contains(f.wire_name.as_str()))
        .map(|f| {
            let mut f = f.clone();
            f.presence = if f.nullable {
                Presence::Nullable
            } else {
                Presence::Optional
            };
            f.setters = Some(Setters {
                value: names.allocate(&f.name),
                null: f
                    .nullable
                    .then(|| names.allocate(&format!("null_{}", f.name))),
            });
            f
        })
        .collect();
    Struct {
        fields,
        additional: s.additional.clone(),
        derive_default: true,
        tag,
    }
}

/// `ty` with every struct or union that has a write form pointed at it.
fn to_write(ty: &TypeRef, written: &BTreeSet<String>) -> TypeRef {
    match ty {
        TypeRef::Named(n) if written.contains(n) => TypeRef::Write(write_name(n)),
        TypeRef::Vec(inner) => TypeRef::Vec(Box::new(to_write(inner, written))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(to_write(inner, written))),
        other => other.clone(),
    }
}

fn point_at_writes(kind: &mut TypeKind, written: &BTreeSet<String>) {
    match kind {
        TypeKind::Struct(s) => {
            for f in &mut s.fields {
                f.ty = to_write(&f.ty, written);
            }
            s.additional = s.additional.as_ref().map(|t| to_write(t, written));
        }
        TypeKind::Tagged(t) => {
            for v in &mut t.variants {
                v.ty = to_write(&v.ty, written);
            }
        }
        TypeKind::Untagged(u) => {
            for v in &mut u.variants {
                v.ty = to_write(&v.ty, written);
            }
        }
        TypeKind::Enum(_) => {}
    }
}

/// A tagged write union whose variant model writes its own tag leaves it to the model.
fn mark_inner_tags(writes: &mut IndexMap<String, TypeDef>) {
    let fixed: BTreeMap<String, FixedTag> = writes
        .iter()
        .filter_map(|(name, d)| match &d.kind {
            TypeKind::Struct(s) => s.tag.clone().map(|t| (name.clone(), t)),
            _ => None,
        })
        .collect();
    for def in writes.values_mut() {
        let TypeKind::Tagged(t) = &mut def.kind else {
            continue;
        };
        for v in &mut t.variants {
            let Some(ModelRef::Write(member)) = v.ty.model() else {
                continue;
            };
            v.inner_writes_tag = fixed.get(member).is_some_and(|tag| {
                tag.property == t.property && v.values.first() == Some(&tag.value)
            });
        }
    }
}

/// Drop the read models and enums only request bodies reached (write forms replace the
/// models; enums of read-only or discriminator fields are no longer used); keep what
/// responses and parameters reach, and the enums write models use.
fn drop_request_only_reads(api: &mut Api, from_bodies: &BTreeSet<String>) {
    let mut roots: Vec<String> = Vec::new();
    for op in &api.operations {
        roots.extend(
            op.params
                .iter()
                .filter_map(|p| p.ty.named().map(str::to_owned)),
        );
        for v in &op.versions {
            if let ResponseBody::Json(ty) | ResponseBody::JsonOrEmpty(ty) = &v.response {
                roots.extend(ty.named().map(str::to_owned));
            }
            if let Some(body) = &v.body {
                roots.extend(body.ty.named().map(str::to_owned));
            }
        }
    }
    for def in api.writes.values() {
        roots.extend(referenced(&def.kind).into_iter().map(str::to_owned));
    }
    let keep = read_closure(api, roots);
    api.types
        .retain(|name, _| keep.contains(name) || !from_bodies.contains(name));
}
