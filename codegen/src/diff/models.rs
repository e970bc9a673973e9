//! Read and write models: types, fields, enum values and union members.

use std::collections::BTreeMap;

use indexmap::IndexMap;

use crate::ir::{Api, Field, Holder, Removal, TypeDef, TypeKind, TypeRef};

use super::{rust_type, Changes, Rule};

/// The models one side emits (a schema nothing reaches generates no type).
fn emitted(defs: &IndexMap<String, TypeDef>) -> BTreeMap<&str, &TypeDef> {
    defs.values()
        .filter(|d| !d.reached_by.is_empty())
        .map(|d| (d.name.as_str(), d))
        .collect()
}

/// Only the `preview` feature compiles it.
fn preview_only(def: &TypeDef) -> bool {
    def.reached_by.iter().all(|c| c.preview_only)
}

pub(super) fn compare(old: &Api, new: &Api, changes: &mut Changes) {
    compare_side("models", &old.types, &new.types, changes);
    compare_side("models::write", &old.writes, &new.writes, changes);
    shared_enum_changes(old, new, changes);
}

/// Names of shared enums (`normalize::sharing`) whose type changed: an enum of its own that
/// is an alias now, an alias of another shared enum, or an alias that is an enum of its own.
fn shared_enum_changes(old: &Api, new: &Api, changes: &mut Changes) {
    let (before, after) = (emitted(&old.types), emitted(&new.types));
    for (name, def) in &before {
        let Some(current) = after.get(name) else {
            continue;
        };
        if !matches!(def.kind, TypeKind::Enum(_)) || !def.aliases.is_empty() {
            continue;
        }
        let detail = match (&def.alias_of, &current.alias_of) {
            (None, Some(shared)) => format!("an enum before, now an alias of `models::{shared}`"),
            (Some(was), Some(now)) if was != now => {
                format!("an alias of `models::{was}` before, now of `models::{now}`")
            }
            (Some(was), None) => {
                format!("an alias of `models::{was}` before, now an enum of its own")
            }
            _ => continue,
        };
        let at = format!("models::{name}");
        changes.push(Rule::SharedEnum, at, detail, preview_only(current));
    }
}

fn compare_side(
    module: &str,
    old: &IndexMap<String, TypeDef>,
    new: &IndexMap<String, TypeDef>,
    changes: &mut Changes,
) {
    let (was, now) = (emitted(old), emitted(new));
    for (name, def) in &was {
        let at = format!("{module}::{name}");
        match now.get(name) {
            Some(current) => compare_model(&at, def, current, changes),
            None => {
                let detail = format!("`{}` removed or renamed upstream", def.pointer);
                changes.push(Rule::ModelRemoved, at, detail, preview_only(def));
            }
        }
    }
    for (name, def) in &now {
        if !was.contains_key(name) {
            let at = format!("{module}::{name}");
            let detail = format!("`{}`", def.pointer);
            changes.push(Rule::ModelAdded, at, detail, preview_only(def));
        }
    }
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(e) if e.integer => "integer enum",
        TypeKind::Enum(_) => "string enum",
        // Both are Rust enums of one variant per member: which way a union decodes is
        // not part of its API, its members are.
        TypeKind::Tagged(_) | TypeKind::Untagged(_) => "union",
    }
}

fn compare_model(at: &str, old: &TypeDef, new: &TypeDef, changes: &mut Changes) {
    // A type only `preview` compiled was exempt: stable code gains it, preview code is
    // outside semver. A stable type becoming preview-only is gone for stable code.
    let preview = preview_only(old);
    if !preview && preview_only(new) {
        let detail = "now compiled only with the `preview` feature";
        changes.push(Rule::ModelRemoved, at, detail, false);
        return;
    }
    if let (Some(removed), None) = (&new.removed, &old.removed) {
        changes.push(Rule::RemovedUpstream, at, removed.note(), preview);
    } else if new.deprecated.is_some() && old.deprecated.is_none() {
        changes.push(Rule::Deprecated, at, "deprecated upstream", preview);
    }
    let (was, now) = (kind_name(&old.kind), kind_name(&new.kind));
    if was != now {
        changes.push(Rule::ModelKind, at, format!("{was} -> {now}"), preview);
        return;
    }
    let mut scope = Scope {
        at,
        preview,
        changes,
    };
    match (&old.kind, &new.kind) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => {
            scope.fields(&a.fields, &b.fields);
            scope.additional(a.additional.as_ref(), b.additional.as_ref());
        }
        (TypeKind::Enum(a), TypeKind::Enum(b)) => {
            let values = |e: &crate::ir::StringEnum| -> Vec<(String, String)> {
                e.variants
                    .iter()
                    .map(|v| (v.name.clone(), format!("`{}`", v.wire)))
                    .collect()
            };
            scope.members(
                &values(a),
                &values(b),
                Rule::EnumValueAdded,
                Rule::EnumValueRemoved,
            );
            for variant in &b.variants {
                let was = a.variants.iter().find(|v| v.name == variant.name);
                if let (Some(removed), Some(None)) = (&variant.removed, was.map(|v| &v.removed)) {
                    let at = format!("{at}::{}", variant.name);
                    scope
                        .changes
                        .push(Rule::RemovedUpstream, at, removed.note(), preview);
                }
            }
        }
        (TypeKind::Tagged(a), TypeKind::Tagged(b)) => {
            scope.union_members(&members_of(&old.kind), &members_of(&new.kind));
            for variant in &b.variants {
                let Some(before) = a.variants.iter().find(|v| v.name == variant.name) else {
                    continue;
                };
                if before.values != variant.values || a.property != b.property {
                    let detail = format!(
                        "`{}` in {:?} -> `{}` in {:?}",
                        a.property, before.values, b.property, variant.values
                    );
                    let at = format!("{at}::{}", variant.name);
                    scope.changes.push(Rule::TagValues, at, detail, preview);
                }
            }
        }
        // Untagged on either side (a union whose discriminator came or went).
        _ => scope.union_members(&members_of(&old.kind), &members_of(&new.kind)),
    }
}

/// A union's members; none for other kinds.
fn members_of(kind: &TypeKind) -> Vec<Member<'_>> {
    match kind {
        TypeKind::Tagged(u) => (u.variants.iter())
            .map(|v| Member {
                name: &v.name,
                ty: &v.ty,
                boxed: v.boxed,
                removed: v.removed.as_ref(),
            })
            .collect(),
        TypeKind::Untagged(u) => (u.variants.iter())
            .map(|v| Member {
                name: &v.name,
                ty: &v.ty,
                boxed: v.boxed,
                removed: v.removed.as_ref(),
            })
            .collect(),
        TypeKind::Struct(_) | TypeKind::Enum(_) => Vec::new(),
    }
}

/// A union member: its variant name, type, whether it is boxed, and whether the
/// document dropped it (kept deprecated by `crate::carry`).
struct Member<'a> {
    name: &'a str,
    ty: &'a TypeRef,
    boxed: bool,
    removed: Option<&'a Removal>,
}

/// One model being compared: where its changes go.
struct Scope<'a> {
    at: &'a str,
    preview: bool,
    changes: &'a mut Changes,
}

/// A field's type as its struct declares it.
pub(crate) fn field_type(field: &Field) -> String {
    let inner = rust_type(&field.ty);
    let inner = if field.boxed {
        format!("Box<{inner}>")
    } else {
        inner
    };
    match field.holder() {
        Holder::Plain => inner,
        Holder::Option => format!("Option<{inner}>"),
        Holder::Nullable => format!("Nullable<{inner}>"),
    }
}

impl Scope<'_> {
    fn push(&mut self, rule: Rule, at: String, detail: String) {
        self.changes.push(rule, at, detail, self.preview);
    }

    fn fields(&mut self, old: &[Field], new: &[Field]) {
        for field in old {
            let at = format!("{}.{}", self.at, field.name);
            let Some(current) = new.iter().find(|f| f.name == field.name) else {
                let detail = format!("`{}` removed upstream", field.wire_name);
                self.push(Rule::FieldRemoved, at, detail);
                continue;
            };
            let (was, now) = (field_type(field), field_type(current));
            if was != now {
                self.push(Rule::FieldType, at, format!("{was} -> {now}"));
            } else if let (Some(kept), None) = (&current.kept, &field.kept) {
                self.push(Rule::TypeKept, at, kept.note());
            } else if field.wire_name != current.wire_name || field.presence != current.presence {
                let detail = format!(
                    "`{}` ({:?}) -> `{}` ({:?})",
                    field.wire_name, field.presence, current.wire_name, current.presence
                );
                self.push(Rule::FieldWire, at, detail);
            }
            let at = format!("{}.{}", self.at, field.name);
            if let (Some(removed), None) = (&current.removed, &field.removed) {
                self.push(Rule::RemovedUpstream, at, removed.note());
            } else if current.deprecated.is_some() && field.deprecated.is_none() {
                self.push(Rule::Deprecated, at, "deprecated upstream".into());
            }
        }
        for field in new {
            if !old.iter().any(|f| f.name == field.name) {
                let at = format!("{}.{}", self.at, field.name);
                let detail = format!("`{}`: {}", field.wire_name, field_type(field));
                self.push(Rule::FieldAdded, at, detail);
            }
        }
    }

    fn additional(&mut self, old: Option<&TypeRef>, new: Option<&TypeRef>) {
        let show = |t: Option<&TypeRef>| t.map_or_else(|| "none".to_owned(), rust_type);
        if old != new {
            let at = format!("{} (additional properties)", self.at);
            let rule = if old.is_none() {
                Rule::FieldAdded
            } else {
                Rule::FieldType
            };
            self.push(rule, at, format!("{} -> {}", show(old), show(new)));
        }
    }

    /// Union members: added, removed (or carried, deprecated), or holding another type.
    fn union_members(&mut self, old: &[Member<'_>], new: &[Member<'_>]) {
        let labels = |side: &[Member<'_>]| -> Vec<(String, String)> {
            (side.iter())
                .map(|m| (m.name.to_owned(), rust_type(m.ty)))
                .collect()
        };
        self.members(
            &labels(old),
            &labels(new),
            Rule::MemberAdded,
            Rule::MemberRemoved,
        );
        for member in new {
            let Some(before) = old.iter().find(|m| m.name == member.name) else {
                continue;
            };
            let at = format!("{}::{}", self.at, member.name);
            if let (Some(removed), None) = (member.removed, before.removed) {
                self.push(Rule::RemovedUpstream, at.clone(), removed.note());
            }
            if before.ty != member.ty || before.boxed != member.boxed {
                let detail = format!("{} -> {}", rust_type(before.ty), rust_type(member.ty));
                self.push(Rule::FieldType, at, detail);
            }
        }
    }

    /// Enum values or union members (Rust name, what it stands for), by name.
    fn members(
        &mut self,
        old: &[(String, String)],
        new: &[(String, String)],
        added: Rule,
        removed: Rule,
    ) {
        let names = |side: &[(String, String)]| -> Vec<String> {
            side.iter().map(|(n, _)| n.clone()).collect()
        };
        let (was, now) = (names(old), names(new));
        for (name, label) in old.iter().filter(|(n, _)| !now.contains(n)) {
            let detail = format!("{label} removed upstream");
            self.push(removed, format!("{}::{name}", self.at), detail);
        }
        for (name, label) in new.iter().filter(|(n, _)| !was.contains(n)) {
            self.push(added, format!("{}::{name}", self.at), label.clone());
        }
    }
}
