//! How an untagged union chooses its member when decoding: implicit discriminators, and
//! which members and enums ranking compares.
//!
//! Many `oneOf`s without a `discriminator` still have one in fact: every member declares
//! the same string-enum property, and most values are allowed by one member only (the 18
//! alert configuration views and their `eventTypeName`). Decoding then reads that one
//! value and goes straight to the only member that allows it, instead of ranking every
//! member against the object (`runtime::de::rank`); members that allow it are ranked
//! among themselves when there are several, and ranking orders the rest, tried only if
//! none of those decodes (`runtime::de::Buffered::candidates`). Members that are not structs (a
//! nested tagged union, a map) take no part: including them would leave no property that
//! every member declares in the event views, and rank them all.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, ImplicitTag, ModelRef, Struct, TypeDef, TypeKind, TypeRef, UntaggedUnion};

/// Record the implicit tag of every untagged union that has one.
pub fn find_implicit_tags(api: &mut Api) {
    let found: Vec<(String, ImplicitTag)> = api
        .types
        .iter()
        .filter_map(|(name, def)| match &def.kind {
            TypeKind::Untagged(u) => implicit_tag(api, u).map(|tag| (name.clone(), tag)),
            _ => None,
        })
        .collect();
    for (name, tag) in found {
        if let Some(TypeKind::Untagged(u)) = api.types.get_mut(&name).map(|d| &mut d.kind) {
            u.implicit_tag = Some(tag);
        }
    }
}

/// Mark the types that untagged decoding ranks: every union member, and every enum that
/// types a field of a struct member (its values take part in the score). Read and write
/// models alike: write models decode too (a body loaded from a file).
pub fn mark_ranked(api: &mut Api) {
    let members: BTreeSet<ModelRef<'_>> = api
        .types
        .values()
        .chain(api.writes.values())
        .filter_map(|d| match &d.kind {
            TypeKind::Untagged(u) => Some(u),
            _ => None,
        })
        .flat_map(|u| &u.variants)
        // A member the document dropped is never decoded (`crate::carry`): no ranking.
        .filter(|v| v.removed.is_none())
        .filter_map(|v| match &v.ty {
            TypeRef::Named(_) | TypeRef::Write(_) => v.ty.model(),
            _ => None,
        })
        .collect();
    let ranked_enums: BTreeSet<String> = members
        .iter()
        .filter_map(|m| match api.def(*m).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => Some(s),
            _ => None,
        })
        .flat_map(|s| &s.fields)
        .filter_map(|f| match &f.ty {
            TypeRef::Named(n) => Some(n.clone()),
            _ => None,
        })
        .collect();
    let (mut read_members, mut write_members) = (BTreeSet::new(), BTreeSet::new());
    for member in &members {
        match member {
            ModelRef::Read(n) => read_members.insert((*n).to_owned()),
            ModelRef::Write(n) => write_members.insert((*n).to_owned()),
        };
    }
    for (name, def) in api.types.iter_mut() {
        def.untagged_member = read_members.contains(name);
        if let TypeKind::Enum(e) = &mut def.kind {
            e.ranked = !e.integer && ranked_enums.contains(name);
        }
    }
    // Unions a write tagged union writes through `serialize_tagged`.
    let tagged_members: BTreeSet<String> = api
        .writes
        .values()
        .filter_map(|d| match &d.kind {
            TypeKind::Tagged(t) => Some(t),
            _ => None,
        })
        .flat_map(|t| &t.variants)
        .filter(|v| v.removed.is_none())
        .filter_map(|v| match &v.ty {
            TypeRef::Write(n) => Some(n.clone()),
            _ => None,
        })
        .collect();
    let is_union = |def: &TypeDef| matches!(def.kind, TypeKind::Tagged(_) | TypeKind::Untagged(_));
    for (name, def) in api.writes.iter_mut() {
        def.untagged_member = write_members.contains(name);
        def.tagged_member = is_union(def) && tagged_members.contains(name);
    }
}

/// The string-enum properties of a struct: wire name -> enum type name.
fn enum_properties<'a>(api: &'a Api, s: &'a Struct) -> BTreeMap<&'a str, &'a str> {
    s.fields
        .iter()
        .filter_map(|f| match &f.ty {
            TypeRef::Named(e) => match api.types.get(e).map(|d| &d.kind) {
                Some(TypeKind::Enum(en)) if !en.integer => Some((f.wire_name.as_str(), e.as_str())),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The values a member's enum allows for the property.
fn allowed_values<'a>(api: &'a Api, enum_name: &str) -> BTreeSet<&'a str> {
    match api.types.get(enum_name).map(|d| &d.kind) {
        Some(TypeKind::Enum(e)) => e.variants.iter().map(|v| v.wire.as_str()).collect(),
        _ => BTreeSet::new(),
    }
}

/// How many of the values the `arms` allow exactly one of them allows.
fn unique_values(api: &Api, arms: &[(usize, &str)]) -> usize {
    let mut allowed_by: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, type_name) in arms {
        for value in allowed_values(api, type_name) {
            *allowed_by.entry(value).or_default() += 1;
        }
    }
    allowed_by.values().filter(|n| **n == 1).count()
}

/// Among the enum properties every struct variant declares (at least two variants), the
/// one with the most values a single variant allows; the first in byte order on a tie.
fn implicit_tag(api: &Api, u: &UntaggedUnion) -> Option<ImplicitTag> {
    let members: Vec<(usize, BTreeMap<&str, &str>)> = u
        .variants
        .iter()
        .enumerate()
        .filter_map(|(index, v)| match &v.ty {
            TypeRef::Named(n) => match api.types.get(n).map(|d| &d.kind) {
                Some(TypeKind::Struct(s)) => Some((index, enum_properties(api, s))),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let [(_, first), _, ..] = members.as_slice() else {
        return None;
    };
    let mut best: Option<(usize, ImplicitTag)> = None;
    for property in first.keys() {
        let arms: Option<Vec<(usize, &str)>> = members
            .iter()
            .map(|(index, props)| props.get(property).map(|e| (*index, *e)))
            .collect();
        let Some(arms) = arms else { continue };
        let unique = unique_values(api, &arms);
        if unique > 0 && best.as_ref().is_none_or(|(n, _)| unique > *n) {
            let tag = ImplicitTag {
                property: (*property).to_owned(),
                arms: arms.iter().map(|(i, e)| (*i, (*e).to_owned())).collect(),
            };
            best = Some((unique, tag));
        }
    }
    best.map(|(_, tag)| tag)
}
