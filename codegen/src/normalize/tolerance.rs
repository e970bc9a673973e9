//! Required fields in models that responses reach.
//!
//! The live server omits fields its spec marks required (measured on the recordings), so
//! decoding must not fail on an absent field. The rule: a required field keeps its plain
//! `T` when `T` has an empty value (it decodes as that value when absent, see
//! `emit::models`); otherwise it becomes `Option<T>`, documented as required by the spec.
//! Either way the replay's drift report lists the absence. Models only requests reach keep
//! every required field plain, so a request cannot be built without it.

use std::collections::BTreeSet;

use crate::ir::{Api, Presence, ResponseBody, TypeKind, TypeRef};

use super::reachability::read_closure;

/// Types reachable from any success response body.
fn response_types(api: &Api) -> BTreeSet<String> {
    let roots: Vec<String> = api
        .operations
        .iter()
        .flat_map(|op| &op.versions)
        .filter_map(|v| match &v.response {
            ResponseBody::Json(ty) | ResponseBody::JsonOrEmpty(ty) => ty.named().map(str::to_owned),
            ResponseBody::Empty | ResponseBody::Bytes | ResponseBody::Text => None,
        })
        .collect();
    read_closure(api, roots)
}

/// Whether `ty` has, or will have once this rule has run, an empty value.
///
/// Every struct a response reaches ends up deriving `Default`: each of its required fields
/// either has an empty value or is made optional here. So struct types count as having
/// one, and `recursion::decide_defaults`, run after this, confirms it.
fn will_have_default(api: &Api, ty: &TypeRef) -> bool {
    let is_struct = |name: &str| {
        matches!(
            api.types.get(name).map(|d| &d.kind),
            Some(TypeKind::Struct(_))
        )
    };
    api.has_default(ty) || ty.named().is_some_and(is_struct)
}

/// Make required fields without an empty value optional in response models. Runs before
/// `recursion::decide_defaults`.
pub fn relax_required_in_responses(api: &mut Api) {
    for name in response_types(api) {
        let relax: Vec<usize> = match api.types.get(&name).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => s
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| f.presence == Presence::Required && !will_have_default(api, &f.ty))
                .map(|(i, _)| i)
                .collect(),
            _ => continue,
        };
        if let Some(TypeKind::Struct(s)) = api.types.get_mut(&name).map(|d| &mut d.kind) {
            for (i, field) in s.fields.iter_mut().enumerate() {
                if relax.contains(&i) {
                    field.presence = Presence::Optional;
                }
            }
        }
    }
}
