//! Read models that convert into their write forms.
//!
//! A GET answers with `models::X`; a PUT or PATCH sends `models::write::XWrite`. Changing
//! one field of what was read and sending it back should not mean copying every field by
//! hand, so where the shapes allow it the write model gets `From<&models::X>`. A write
//! field takes the read field of the same name: the same type is cloned, a read model
//! becomes its write form (so the pairs depend on each other), and lists and maps convert
//! element by element. Read-only fields have no write field and are left out; a field only
//! requests have is left unset. A union converts variant by variant; a variant this crate
//! does not know is sent back as it was read.
//!
//! Whether a pair converts depends on the pairs its fields hold, cycles included, so the
//! answer is a greatest fixed point: every pair is assumed to convert, and pairs with a
//! field that does not are dropped until none is.

use std::collections::BTreeSet;

use crate::ir::{
    read_name, Api, Conversion, ConvertedPart, Field, FromRead, Presence, Struct, TypeDef,
    TypeKind, TypeRef,
};

/// Set `TypeDef::from_read` on every write model its read model converts into (and clear
/// it on the others). Runs last in normalize and again after `carry::merge`.
pub fn mark_conversions(api: &mut Api) {
    let mut converts: BTreeSet<String> = api
        .writes
        .keys()
        .filter(|w| read_name(w).is_some_and(|r| api.types.contains_key(r)))
        .cloned()
        .collect();
    loop {
        let before = converts.len();
        let kept: BTreeSet<String> = converts
            .iter()
            .filter(|w| {
                api.writes
                    .get(w.as_str())
                    .and_then(|def| from_read(api, def, &converts))
                    .is_some()
            })
            .cloned()
            .collect();
        converts = kept;
        if converts.len() == before {
            break;
        }
    }
    let found: Vec<(String, Option<FromRead>)> = api
        .writes
        .iter()
        .map(|(name, def)| {
            let from = converts
                .contains(name)
                .then(|| from_read(api, def, &converts))
                .flatten();
            (name.clone(), from)
        })
        .collect();
    for (name, from) in found {
        if let Some(def) = api.writes.get_mut(&name) {
            def.from_read = from;
        }
    }
}

/// How `write` is made from its read model, given the pairs assumed to convert; `None`
/// when a part does not convert or the two are not the same kind of type.
fn from_read(api: &Api, write: &TypeDef, converts: &BTreeSet<String>) -> Option<FromRead> {
    let read_model = read_name(&write.name)?;
    let read = api.types.get(read_model)?;
    let (parts, additional) = match (&read.kind, &write.kind) {
        (TypeKind::Struct(r), TypeKind::Struct(w)) => struct_parts(r, w, converts)?,
        (TypeKind::Tagged(_), TypeKind::Tagged(_))
        | (TypeKind::Untagged(_), TypeKind::Untagged(_)) => (
            variant_parts(
                &union_variants(&read.kind),
                &union_variants(&write.kind),
                converts,
            )?,
            None,
        ),
        _ => return None,
    };
    Some(FromRead {
        read: read_model.to_owned(),
        parts,
        additional,
    })
}

type Parts = (Vec<ConvertedPart>, Option<Conversion>);

/// A union variant: its name, type and whether it is boxed.
type Variant<'a> = (&'a String, &'a TypeRef, bool);

/// A struct's fields: each write field the read model has too (neither dropped upstream)
/// must convert; additional properties the read model keeps must have somewhere to go.
fn struct_parts(read: &Struct, write: &Struct, converts: &BTreeSet<String>) -> Option<Parts> {
    let mut parts = Vec::new();
    for field in write.fields.iter().filter(|f| f.removed.is_none()) {
        let Some(source) = read_field(read, &field.name) else {
            continue;
        };
        // Write fields keep the read model's boxes; a read model holds no `Nullable`.
        if source.boxed != field.boxed || source.presence == Presence::Nullable {
            return None;
        }
        parts.push(ConvertedPart {
            name: field.name.clone(),
            conversion: conversion(&source.ty, &field.ty, converts)?,
        });
    }
    let additional = match (&read.additional, &write.additional) {
        (Some(r), Some(w)) => Some(conversion(r, w, converts)?),
        (Some(_), None) => return None,
        (None, _) => None,
    };
    Some((parts, additional))
}

fn read_field<'a>(read: &'a Struct, name: &str) -> Option<&'a Field> {
    read.fields
        .iter()
        .find(|f| f.name == name && f.removed.is_none())
}

/// A union's variants, each with its name, type and box; none for a struct or enum.
fn union_variants(kind: &TypeKind) -> Vec<Variant<'_>> {
    match kind {
        TypeKind::Tagged(t) => t
            .variants
            .iter()
            .map(|v| (&v.name, &v.ty, v.boxed))
            .collect(),
        TypeKind::Untagged(u) => u
            .variants
            .iter()
            .map(|v| (&v.name, &v.ty, v.boxed))
            .collect(),
        _ => Vec::new(),
    }
}

/// A union's variants: every variant a read value can be has a write variant it converts
/// into.
fn variant_parts(
    read: &[Variant<'_>],
    write: &[Variant<'_>],
    converts: &BTreeSet<String>,
) -> Option<Vec<ConvertedPart>> {
    read.iter()
        .map(|(name, ty, boxed)| {
            let (_, to, _) = write
                .iter()
                .find(|(w, _, write_boxed)| w == name && write_boxed == boxed)?;
            Some(ConvertedPart {
                name: (*name).clone(),
                conversion: conversion(ty, to, converts)?,
            })
        })
        .collect()
}

/// How a read value of type `read` becomes a write value of type `write`.
fn conversion(read: &TypeRef, write: &TypeRef, converts: &BTreeSet<String>) -> Option<Conversion> {
    match (read, write) {
        (TypeRef::Named(r), TypeRef::Write(w)) => (read_name(w) == Some(r.as_str())
            && converts.contains(w))
        .then(|| Conversion::Model(w.clone())),
        (TypeRef::Vec(r), TypeRef::Vec(w)) => Some(match conversion(r, w, converts)? {
            Conversion::Clone => Conversion::Clone,
            inner => Conversion::Vec(Box::new(inner)),
        }),
        (TypeRef::Map(r), TypeRef::Map(w)) => Some(match conversion(r, w, converts)? {
            Conversion::Clone => Conversion::Clone,
            inner => Conversion::Map(Box::new(inner)),
        }),
        _ => (read == write).then_some(Conversion::Clone),
    }
}
