//! Operations, their versions and what calling them takes and returns.

use std::collections::BTreeMap;

use crate::ir::{Api, ApiVersion, Operation, OperationVersion, Param, ResponseBody};

use super::{rust_type, Changes, Rule};

/// An operation is preview-only when every version of it is.
fn preview_only(op: &Operation) -> bool {
    op.versions.iter().all(is_preview)
}

fn is_preview(version: &OperationVersion) -> bool {
    version.version == ApiVersion::Preview
}

fn by_name(api: &Api) -> BTreeMap<&str, &Operation> {
    api.operations
        .iter()
        .map(|o| (o.fn_name.as_str(), o))
        .collect()
}

fn item(op: &Operation, name: &str) -> String {
    format!("apis::{}::{name}", op.tag_module)
}

/// API areas: a module under `apis` and a cargo feature each. A feature is there
/// whatever enables it, so an area is never exempt as preview.
fn compare_areas(old: &Api, new: &Api, changes: &mut Changes) {
    let areas = |api: &Api| -> std::collections::BTreeSet<String> {
        api.operations
            .iter()
            .map(|o| o.tag_module.clone())
            .collect()
    };
    let (was, now) = (areas(old), areas(new));
    for module in was.difference(&now) {
        let detail = format!("module `apis::{module}` and feature `{module}`");
        changes.push(Rule::AreaRemoved, format!("apis::{module}"), detail, false);
    }
    for module in now.difference(&was) {
        let detail = format!("module `apis::{module}` and feature `{module}`");
        changes.push(Rule::AreaAdded, format!("apis::{module}"), detail, false);
    }
}

pub(super) fn compare(old: &Api, new: &Api, changes: &mut Changes) {
    compare_areas(old, new, changes);
    let (old_ops, new_ops) = (by_name(old), by_name(new));
    for (name, op) in &old_ops {
        match new_ops.get(name) {
            Some(now) => compare_operation(op, now, changes),
            None => changes.push(
                Rule::OperationRemoved,
                item(op, name),
                format!("`{}` removed upstream", op.operation_id),
                preview_only(op),
            ),
        }
    }
    for (name, op) in &new_ops {
        if !old_ops.contains_key(name) {
            let detail = format!(
                "`{} {}` (`{}`)",
                op.method.as_str(),
                op.path,
                op.operation_id
            );
            changes.push(
                Rule::OperationAdded,
                item(op, name),
                detail,
                preview_only(op),
            );
        }
    }
}

fn compare_operation(old: &Operation, new: &Operation, changes: &mut Changes) {
    compare_versions(old, new, changes);
    compare_params(old, new, changes);
    if let (Some(was), Some(now)) = (old.default(), new.default()) {
        if was.type_name != now.type_name {
            let detail = format!(
                "calls `{}` instead of `{}`",
                now.version.label(),
                was.version.label()
            );
            // A plain name that called a preview version existed only with `preview`.
            changes.push(
                Rule::PlainRetargeted,
                item(new, &new.fn_name),
                detail,
                is_preview(was),
            );
        }
    }
    let all_removed = |op: &Operation| op.versions.iter().all(|v| v.removed.is_some());
    if all_removed(new) && !all_removed(old) {
        let detail = new
            .default()
            .and_then(|v| v.removed.as_ref())
            .map_or_else(String::new, |r| r.note());
        changes.push(
            Rule::RemovedUpstream,
            item(new, &new.fn_name),
            detail,
            preview_only(new),
        );
    }
    if new.deprecated && !old.deprecated {
        let detail = "deprecated upstream";
        changes.push(
            Rule::Deprecated,
            item(new, &new.fn_name),
            detail,
            preview_only(new),
        );
    }
}

fn compare_versions(old: &Operation, new: &Operation, changes: &mut Changes) {
    let versions = |op: &'_ Operation| -> BTreeMap<String, OperationVersion> {
        op.versions
            .iter()
            .map(|v| (v.fn_name.clone(), v.clone()))
            .collect()
    };
    let (was, now) = (versions(old), versions(new));
    let added: Vec<&OperationVersion> = now
        .iter()
        .filter(|(name, _)| !was.contains_key(*name))
        .map(|(_, v)| v)
        .collect();
    let graduated = added.iter().any(|v| !is_preview(v));
    for (name, version) in &was {
        match now.get(name) {
            Some(current) => compare_version(new, version, current, changes),
            None if is_preview(version) && graduated => changes.push(
                Rule::PreviewGraduated,
                item(new, name),
                "the preview version left; a dated version arrived",
                true,
            ),
            None => changes.push(
                Rule::VersionRemoved,
                item(new, name),
                format!("API version `{}` removed upstream", version.version.label()),
                is_preview(version),
            ),
        }
    }
    for version in added {
        let detail = format!("API version `{}`", version.version.label());
        changes.push(
            Rule::VersionAdded,
            item(new, &version.fn_name),
            detail,
            is_preview(version),
        );
    }
}

fn compare_version(
    op: &Operation,
    old: &OperationVersion,
    new: &OperationVersion,
    changes: &mut Changes,
) {
    let at = item(op, &new.fn_name);
    let preview = is_preview(new);
    let body = |v: &OperationVersion| {
        v.body.as_ref().map(|b| {
            let required = if b.required { "required" } else { "optional" };
            format!("{} ({required})", rust_type(&b.ty))
        })
    };
    let (was, now) = (body(old), body(new));
    if was != now {
        let show = |b: Option<String>| b.unwrap_or_else(|| "no body".into());
        let detail = format!("{} -> {}", show(was), show(now));
        changes.push(Rule::BodyChanged, at.clone(), detail, preview);
    }
    let (was, now) = (send_output(old), send_output(new));
    if was != now {
        changes.push(
            Rule::ResponseChanged,
            at.clone(),
            format!("{was} -> {now}"),
            preview,
        );
    }
    if let Some(kept) = new.kept_response.as_ref().filter(|k| {
        let upstream = old.kept_response.as_ref().map(|o| &o.upstream);
        upstream != Some(&k.upstream)
    }) {
        changes.push(
            Rule::ResponseKept,
            at.clone(),
            kept.response_note(),
            preview,
        );
    }
    if let (Some(removed), None) = (&new.removed, &old.removed) {
        changes.push(Rule::RemovedUpstream, at.clone(), removed.note(), preview);
    }
    if old.sunset != new.sunset {
        if let Some(date) = &new.sunset {
            changes.push(Rule::Sunset, at, format!("sunset {date}"), preview);
        }
    }
}

/// What this version's `send` returns.
fn send_output(version: &OperationVersion) -> String {
    match version.kept_response {
        Some(_) => "()".into(),
        None => output(&version.response),
    }
}

/// What `send` returns for this response.
pub(crate) fn output(response: &ResponseBody) -> String {
    match response {
        ResponseBody::Empty => "()".into(),
        ResponseBody::Json(ty) => rust_type(ty),
        ResponseBody::JsonOrEmpty(ty) => format!("Option<{}>", rust_type(ty)),
        ResponseBody::Bytes => "Vec<u8>".into(),
        ResponseBody::Text => "String".into(),
    }
}

fn compare_params(old: &Operation, new: &Operation, changes: &mut Changes) {
    let params = |op: &'_ Operation| -> BTreeMap<String, Param> {
        op.params
            .iter()
            .map(|p| (p.name.clone(), p.clone()))
            .collect()
    };
    let (was, now) = (params(old), params(new));
    // Parameters of an operation only `preview` compiled were exempt.
    let preview = preview_only(old);
    let at = |p: &Param| format!("{}({})", item(new, &new.fn_name), p.name);
    for (name, param) in &was {
        let Some(current) = now.get(name) else {
            let detail = format!("`{}` removed upstream", param.wire_name);
            changes.push(Rule::ParameterRemoved, at(param), detail, preview);
            continue;
        };
        if param.is_positional() != current.is_positional() {
            let role = |p: &Param| {
                if p.is_positional() {
                    "argument"
                } else {
                    "setter"
                }
            };
            let detail = format!("{} -> {}", role(param), role(current));
            changes.push(Rule::ParameterRequiredness, at(current), detail, preview);
        }
        if param.ty != current.ty {
            let detail = format!("{} -> {}", rust_type(&param.ty), rust_type(&current.ty));
            changes.push(Rule::ParameterType, at(current), detail, preview);
        }
    }
    for (name, param) in &now {
        if was.contains_key(name) {
            continue;
        }
        let (rule, role) = if param.is_positional() {
            (Rule::RequiredParameterAdded, "constructor argument")
        } else {
            (Rule::ParameterAdded, "setter")
        };
        let detail = format!("`{}` ({role}, {})", param.wire_name, rust_type(&param.ty));
        changes.push(rule, at(param), detail, preview);
    }
}
