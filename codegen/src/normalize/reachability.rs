//! Cargo features: each model is compiled when any operation that reaches it is.
//! Preview versions count only together with the `preview` feature.

use std::collections::BTreeSet;

use crate::ir::{Api, ApiVersion, FeatureContext, ResponseBody, TypeKind, TypeRef};

pub fn assign_features(api: &mut Api) {
    let mut seeds: Vec<(FeatureContext, String)> = Vec::new();
    for op in &api.operations {
        for version in &op.versions {
            let ctx = FeatureContext {
                tag_module: op.tag_module.clone(),
                preview_only: version.version == ApiVersion::Preview,
            };
            let mut roots: Vec<&TypeRef> = op.params.iter().map(|p| &p.ty).collect();
            if let Some(body) = &version.body {
                roots.push(&body.ty);
            }
            if let ResponseBody::Json(ty) | ResponseBody::JsonOrEmpty(ty) = &version.response {
                roots.push(ty);
            }
            for root in roots {
                if let Some(name) = root.named() {
                    seeds.push((ctx.clone(), name.to_owned()));
                }
            }
        }
    }
    for (ctx, root) in seeds {
        let mut stack = vec![root];
        while let Some(name) = stack.pop() {
            let Some(def) = api.types.get_mut(&name) else {
                continue;
            };
            if !def.reached_by.insert(ctx.clone()) {
                continue;
            }
            stack.extend(referenced(&def.kind).into_iter().map(str::to_owned));
        }
    }
    // A type reached without preview needs no preview-only context for the same tag.
    for def in api.types.values_mut() {
        let plain: BTreeSet<String> = def
            .reached_by
            .iter()
            .filter(|c| !c.preview_only)
            .map(|c| c.tag_module.clone())
            .collect();
        def.reached_by
            .retain(|c| !c.preview_only || !plain.contains(&c.tag_module));
    }
}

/// Named types a type refers to, in any position.
pub fn referenced(kind: &TypeKind) -> Vec<&str> {
    match kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| &f.ty)
            .chain(s.additional.iter())
            .filter_map(TypeRef::named)
            .collect(),
        TypeKind::Tagged(t) => t.variants.iter().filter_map(|v| v.ty.named()).collect(),
        TypeKind::Untagged(u) => u.variants.iter().filter_map(|v| v.ty.named()).collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}
