//! Cargo features: each model is compiled when any operation that reaches it is.
//! Preview versions count only together with the `preview` feature.

use std::collections::BTreeSet;

use crate::ir::{Api, ApiVersion, FeatureContext, ModelRef, ResponseBody, TypeKind, TypeRef};

pub fn assign_features(api: &mut Api) {
    assign_features_with(api, &[]);
}

/// [`assign_features`] from scratch, with `extra` roots besides the operations: models
/// kept for the contexts that reached them in an earlier document (`crate::carry`).
pub fn reassign_features(api: &mut Api, extra: &[(FeatureContext, ModelRef<'_>)]) {
    for def in api.types.values_mut().chain(api.writes.values_mut()) {
        def.reached_by.clear();
    }
    assign_features_with(api, extra);
}

fn assign_features_with(api: &mut Api, extra: &[(FeatureContext, ModelRef<'_>)]) {
    let mut seeds: Vec<(FeatureContext, Model)> = extra
        .iter()
        .map(|(ctx, model)| (ctx.clone(), Model::from(*model)))
        .collect();
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
                if let Some(model) = root.model() {
                    seeds.push((ctx.clone(), Model::from(model)));
                }
            }
        }
    }
    for (ctx, root) in seeds {
        let mut stack = vec![root];
        while let Some(model) = stack.pop() {
            let def = match &model {
                Model::Read(n) => api.types.get_mut(n),
                Model::Write(n) => api.writes.get_mut(n),
            };
            let Some(def) = def else {
                continue;
            };
            if !def.reached_by.insert(ctx.clone()) {
                continue;
            }
            stack.extend(referenced_models(&def.kind).into_iter().map(Model::from));
        }
    }
    // A type reached without preview needs no preview-only context for the same tag.
    for def in api.types.values_mut().chain(api.writes.values_mut()) {
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

/// An owned [`ModelRef`], for work lists that outlive a borrow of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Model {
    Read(String),
    Write(String),
}

impl From<ModelRef<'_>> for Model {
    fn from(model: ModelRef<'_>) -> Self {
        match model {
            ModelRef::Read(n) => Model::Read(n.to_owned()),
            ModelRef::Write(n) => Model::Write(n.to_owned()),
        }
    }
}

/// Read models and enums a type refers to, in any position.
pub fn referenced(kind: &TypeKind) -> Vec<&str> {
    referenced_models(kind)
        .into_iter()
        .filter_map(|m| match m {
            ModelRef::Read(n) => Some(n),
            ModelRef::Write(_) => None,
        })
        .collect()
}

/// Every model a type refers to, in any position.
pub fn referenced_models(kind: &TypeKind) -> Vec<ModelRef<'_>> {
    match kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| &f.ty)
            .chain(s.additional.iter())
            .filter_map(TypeRef::model)
            .collect(),
        TypeKind::Tagged(t) => t.variants.iter().filter_map(|v| v.ty.model()).collect(),
        TypeKind::Untagged(u) => u.variants.iter().filter_map(|v| v.ty.model()).collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Every read model and enum reachable from `roots` (their names), roots included.
pub fn read_closure(api: &Api, mut stack: Vec<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(def) = api.types.get(&name) {
            stack.extend(referenced(&def.kind).into_iter().map(str::to_owned));
        }
    }
    seen
}
