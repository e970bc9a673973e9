//! `spec/government.yaml` stays true to the pinned document: every rule reaches an
//! operation (a rule that reaches nothing restricts nothing, silently), every area and
//! operationId it names exists, and every field a value rule checks is one some reached
//! operation can send.

use std::collections::BTreeSet;

use atlas_admin_codegen::ir::{Api, GovernmentCheck, TypeKind, TypeRef};
use atlas_admin_tests::{shared_path, workspace};

/// The wire names a request of `op` can carry: its parameters and, through its body
/// models, every field and union discriminator.
fn sendable(api: &Api, op: &atlas_admin_codegen::ir::Operation) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = op.params.iter().map(|p| p.wire_name.clone()).collect();
    let mut stack: Vec<TypeRef> = op
        .versions
        .iter()
        .filter_map(|v| v.body.as_ref().map(|b| b.ty.clone()))
        .collect();
    let mut seen = BTreeSet::new();
    while let Some(ty) = stack.pop() {
        let Some(model) = ty.model() else { continue };
        let Some(def) = api.def(model) else { continue };
        if !seen.insert(def.name.clone()) {
            continue;
        }
        match &def.kind {
            TypeKind::Struct(s) => {
                for f in &s.fields {
                    names.insert(f.wire_name.clone());
                    stack.push(f.ty.clone());
                }
                names.extend(s.tag.iter().map(|t| t.property.clone()));
            }
            TypeKind::Tagged(t) => {
                names.insert(t.property.clone());
                stack.extend(t.variants.iter().map(|v| v.ty.clone()));
            }
            TypeKind::Untagged(u) => stack.extend(u.variants.iter().map(|v| v.ty.clone())),
            TypeKind::Enum(_) => {}
        }
    }
    names
}

#[test]
fn every_government_rule_reaches_an_operation_of_the_pinned_document() {
    let spec = shared_path("ATLAS_OPENAPI_SPEC", "spec/v2.yaml");
    let workspace = workspace();
    let rules = workspace.government().unwrap();
    assert!(!rules.is_empty(), "spec/government.yaml has no rule");
    let api = workspace.load_api(&spec).unwrap();
    let areas: BTreeSet<&str> = api
        .operations
        .iter()
        .map(|o| o.tag_module.as_str())
        .collect();
    let ids: BTreeSet<&str> = api
        .operations
        .iter()
        .map(|o| o.operation_id.as_str())
        .collect();
    for rule in &rules {
        for area in &rule.areas {
            assert!(
                areas.contains(area.as_str()),
                "{}: no area `{area}`",
                rule.limit
            );
        }
        for id in &rule.operations {
            assert!(
                ids.contains(id.as_str()),
                "{}: no operation `{id}`",
                rule.limit
            );
        }
        let reached: Vec<_> = api
            .operations
            .iter()
            .filter(|op| op.government.iter().any(|g| g.limit == rule.limit))
            .collect();
        assert!(!reached.is_empty(), "{}: reaches no operation", rule.limit);
        let fields: BTreeSet<String> = reached
            .iter()
            .flat_map(|op| op.government.iter().filter(|g| g.limit == rule.limit))
            .filter_map(|g| match &g.check {
                GovernmentCheck::Values { fields, .. } => Some(fields.clone()),
                _ => None,
            })
            .flatten()
            .collect();
        let sent: BTreeSet<String> = reached.iter().flat_map(|op| sendable(&api, op)).collect();
        for field in &fields {
            assert!(
                sent.contains(field),
                "{}: no operation it reaches sends `{field}`",
                rule.limit
            );
        }
    }
}
