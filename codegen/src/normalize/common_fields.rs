//! Fields every member of a read union has: the union gets an accessor for each, so a
//! caller reads `user.username()` instead of matching on every member
//! (`OrgUserResponse`'s pending and active users both carry `username`, `id`, `roles`).
//!
//! A field is common when every member is a struct declaring it under the same Rust name,
//! with the same holder (`T` or `Option<T>`), boxing and type, where a shared enum's
//! names count as its type (`normalize::sharing`, which runs first). A field the document
//! dropped (carried) is not common, nor is one whose name is a method every type has
//! through a derive or a blanket trait (`clone`, `eq`, ...): an inherent method of that
//! name would take the trait's place in method calls.

use crate::ir::{Api, Field, Holder, Struct, TypeKind, TypeRef};

/// Method names an accessor must not take.
const TRAIT_METHODS: &[&str] = &[
    "borrow",
    "borrow_mut",
    "clone",
    "clone_from",
    "clone_into",
    "cmp",
    "deserialize",
    "eq",
    "fmt",
    "from",
    "hash",
    "into",
    "ne",
    "partial_cmp",
    "serialize",
    "to_owned",
    "to_string",
    "try_from",
    "try_into",
    "type_id",
];

/// Fill `common_fields` of every read union.
pub fn find_common_fields(api: &mut Api) {
    let found: Vec<(String, Vec<Field>)> = api
        .types
        .values()
        .filter_map(|def| {
            let members: Vec<&TypeRef> = match &def.kind {
                TypeKind::Tagged(t) => t.variants.iter().map(|v| &v.ty).collect(),
                TypeKind::Untagged(u) => u.variants.iter().map(|v| &v.ty).collect(),
                TypeKind::Struct(_) | TypeKind::Enum(_) => return None,
            };
            Some((def.name.clone(), common(api, &members)))
        })
        .collect();
    for (name, fields) in found {
        match api.types.get_mut(&name).map(|d| &mut d.kind) {
            Some(TypeKind::Tagged(t)) => t.common_fields = fields,
            Some(TypeKind::Untagged(u)) => u.common_fields = fields,
            _ => {}
        }
    }
}

/// The fields of the first member that every other member has as well.
fn common(api: &Api, members: &[&TypeRef]) -> Vec<Field> {
    let structs: Option<Vec<&Struct>> = members
        .iter()
        .map(|ty| match &api.types.get(ty.named()?)?.kind {
            TypeKind::Struct(s) if matches!(ty, TypeRef::Named(_)) => Some(s),
            _ => None,
        })
        .collect();
    let Some((first, others)) = structs.as_deref().and_then(<[&Struct]>::split_first) else {
        return Vec::new();
    };
    if others.is_empty() {
        return Vec::new();
    }
    first
        .fields
        .iter()
        .filter(|f| usable(f) && !TRAIT_METHODS.contains(&f.name.as_str()))
        .filter(|f| {
            others
                .iter()
                .all(|s| s.fields.iter().any(|g| usable(g) && same(api, f, g)))
        })
        .cloned()
        .collect()
}

/// Present in responses and readable as `&T`.
fn usable(field: &Field) -> bool {
    field.removed.is_none() && field.holder() != Holder::Nullable
}

fn same(api: &Api, a: &Field, b: &Field) -> bool {
    a.name == b.name
        && a.holder() == b.holder()
        && a.boxed == b.boxed
        && resolved(api, &a.ty) == resolved(api, &b.ty)
}

/// A type with each shared enum's name replaced by the shared enum.
fn resolved(api: &Api, ty: &TypeRef) -> TypeRef {
    match ty {
        TypeRef::Named(name) => {
            let shared = api.types.get(name).and_then(|d| d.alias_of.clone());
            TypeRef::Named(shared.unwrap_or_else(|| name.clone()))
        }
        TypeRef::Vec(inner) => TypeRef::Vec(Box::new(resolved(api, inner))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(resolved(api, inner))),
        other => other.clone(),
    }
}
