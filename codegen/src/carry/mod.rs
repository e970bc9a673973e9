//! Deprecate first. When a new document drops something the released crate has (an
//! operation or one of its versions, a model, a field, an enum value), the crate keeps it
//! for at least one release, `#[deprecated]` with the date of the document that dropped
//! it: calling a removed operation returns `Error::Removed` without sending, a removed
//! request field is never sent, a removed response field is never set (the server no
//! longer sends it). [`lock`] records what is carried in `spec/api.lock`, so generation
//! is deterministic; `cargo xtask update-spec` rewrites it ([`carried_after`]) and a
//! planned major release empties it (`--drop-deprecated`).
//!
//! Items only the `preview` feature compiles are not carried: that feature is outside
//! semver, as the diff's rules say.

pub mod lock;
mod shape;

use std::collections::BTreeSet;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::ir::Side;
use crate::ir::{
    Api, ApiVersion, Deprecation, EnumVariant, FeatureContext, Field, Kept, ModelRef, Operation,
    OperationVersion, Removal, ResponseBody, Tag, TaggedVariant, TypeDef, TypeKind, TypeRef,
    UntaggedVariant,
};
use crate::normalize::{
    common_fields, conversions, member_choice, reachability, recursion, sharing,
};

/// One item the released crate has that the current document does not.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Carried {
    /// A whole operation, every version marked removed, with its area in case no other
    /// operation keeps the module and feature, and the read its waiter polls (by name:
    /// indices into another document's operations mean nothing here).
    Operation {
        operation: Operation,
        tag: Tag,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        poll: Option<PollTarget>,
    },
    /// One version of an operation the document still has (by its plain `fn_name`).
    Version {
        operation: String,
        version: OperationVersion,
    },
    Model {
        side: Side,
        def: TypeDef,
    },
    /// A field of a model the document still has.
    Field {
        side: Side,
        model: String,
        field: Field,
    },
    /// A value of an enum the document still has.
    Value {
        model: String,
        variant: EnumVariant,
    },
    /// A field the document widened so that its released type still serves: the
    /// released field, marked `kept` (`shape`).
    Shape {
        side: Side,
        model: String,
        field: Field,
    },
    /// A version whose released `send` returned `()` and whose response the document
    /// now gives a body: `send` keeps returning `()` (`OperationVersion::kept_response`).
    Response {
        operation: String,
        version: String,
        kept: Kept,
    },
    /// A member of a union the document still has, as the released crate had it.
    Member {
        side: Side,
        model: String,
        member: UnionMember,
    },
    /// An enum the release emitted as an enum of its own that the next document would
    /// make one of a shared enum's names (`normalize::sharing`): it stays an enum, as
    /// `use Name::*` needs. Recorded only where that happens.
    OwnEnum {
        name: String,
    },
    /// The name the release gave a shared enum (`normalize::sharing`), which the next
    /// document alone would name otherwise (it gained or lost a name, or another group
    /// took the name): the group `member` is in keeps it. Recorded only where that happens.
    SharedName {
        name: String,
        member: String,
    },
}

impl Carried {
    /// One line for a person: what is kept and where (a pull request, a changelog).
    pub fn describe(&self) -> String {
        match self {
            Carried::Operation { operation, .. } => {
                format!(
                    "operation `apis::{}::{}`",
                    operation.tag_module, operation.fn_name
                )
            }
            Carried::Version { operation, version } => {
                format!("version `{}` of `{operation}`", version.fn_name)
            }
            Carried::Model { side, def } => format!("model `{}`", side.path(&def.name)),
            Carried::Field { side, model, field } => {
                format!("field `{}.{}`", side.path(model), field.name)
            }
            Carried::Value { model, variant } => {
                format!("value `{}::{}`", Side::Read.path(model), variant.name)
            }
            Carried::Shape { side, model, field } => {
                format!("released type of `{}.{}`", side.path(model), field.name)
            }
            Carried::Response { version, kept, .. } => format!(
                "`()` from `send` of `{version}` (the response is `{}` now)",
                kept.upstream
            ),
            Carried::Member {
                side,
                model,
                member,
            } => format!("member `{}::{}`", side.path(model), member.name()),
            Carried::OwnEnum { name } => {
                format!("`{}` stays an enum of its own", Side::Read.path(name))
            }
            Carried::SharedName { name, member } => format!(
                "shared enum `{}` keeps its name (the group of `{member}`)",
                Side::Read.path(name)
            ),
        }
    }
}

/// A union member of either kind: a union can lose its discriminator (or gain one) in
/// the same document that drops a member, and its Rust variants are what users hold.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "union", rename_all = "lowercase")]
pub enum UnionMember {
    Tagged(TaggedVariant),
    Untagged(UntaggedVariant),
}

impl UnionMember {
    pub(crate) fn name(&self) -> &str {
        match self {
            UnionMember::Tagged(v) => &v.name,
            UnionMember::Untagged(v) => &v.name,
        }
    }

    fn ty(&self) -> &TypeRef {
        match self {
            UnionMember::Tagged(v) => &v.ty,
            UnionMember::Untagged(v) => &v.ty,
        }
    }

    fn removed_mut(&mut self) -> &mut Option<Removal> {
        match self {
            UnionMember::Tagged(v) => &mut v.removed,
            UnionMember::Untagged(v) => &mut v.removed,
        }
    }

    /// As a variant of a tagged union: without discriminator values, as it is never
    /// decoded.
    fn into_tagged(self) -> TaggedVariant {
        match self {
            UnionMember::Tagged(v) => v,
            UnionMember::Untagged(v) => TaggedVariant {
                name: v.name,
                values: Vec::new(),
                ty: v.ty,
                boxed: v.boxed,
                inner_writes_tag: false,
                removed: v.removed,
            },
        }
    }

    fn into_untagged(self) -> UntaggedVariant {
        match self {
            UnionMember::Untagged(v) => v,
            UnionMember::Tagged(v) => UntaggedVariant {
                name: v.name,
                ty: v.ty,
                boxed: v.boxed,
                removed: v.removed,
            },
        }
    }
}

/// The operation and version a carried operation's waiter polls: `fn_name`s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollTarget {
    pub operation: String,
    pub version: String,
}

/// What the crate generated from `next` must carry so that nothing `released` has
/// disappears: everything `released` has (carried items included, which keep their
/// date) that `next` does not. Items `next` has again are no longer carried.
pub fn carried_after(released: &Api, next: &Api, date: &str) -> Vec<Carried> {
    let mut out = Vec::new();
    operations(released, next, date, &mut out);
    let enums = &released.types;
    models(
        Side::Read,
        &released.types,
        &next.types,
        enums,
        date,
        &mut out,
    );
    models(
        Side::Write,
        &released.writes,
        &next.writes,
        enums,
        date,
        &mut out,
    );
    mark_shared(&mut out);
    keep_shared(released, next, date, &mut out);
    out
}

/// A carried enum stays what the release made it: one of a shared enum's names, or an
/// enum of its own (`normalize::sharing`), so that its removal upstream stays a minor change.
fn mark_shared(carried: &mut [Carried]) {
    for item in carried {
        if let Carried::Model {
            side: Side::Read,
            def,
        } = item
        {
            def.released_shared = def.alias_of.is_some();
        }
    }
}

/// Keep what the release's enums are where `next`, with `carried` merged, would change it:
/// an enum of its own stays one (`OwnEnum`), a shared enum keeps its name while one of its
/// names is shared (`SharedName`), and a shared enum none of whose names is shared any more
/// stays, deprecated, as an enum of its own. Repeated until nothing changes: keeping one
/// can change the groups and names of others.
fn keep_shared(released: &Api, next: &Api, date: &str, carried: &mut Vec<Carried>) {
    loop {
        let mut merged = next.clone();
        merge(&mut merged, carried);
        let before = carried.len();
        for def in released.types.values().filter(|d| stable(d)) {
            let now = merged.types.get(&def.name);
            if !def.aliases.is_empty() {
                keep_shared_name(def, &merged, date, carried);
            } else if def.alias_of.is_none()
                && matches!(def.kind, TypeKind::Enum(_))
                && now.is_some_and(|d| d.alias_of.is_some())
            {
                carried.push(Carried::OwnEnum {
                    name: def.name.clone(),
                });
            }
        }
        if carried.len() == before {
            return;
        }
    }
}

/// A released shared enum `def`: pinned to the first of its names that `merged` still
/// shares, or carried as an enum of its own when none is.
fn keep_shared_name(def: &TypeDef, merged: &Api, date: &str, carried: &mut Vec<Carried>) {
    let pinned = carried
        .iter()
        .any(|c| matches!(c, Carried::SharedName { name, .. } if *name == def.name));
    if pinned
        || merged
            .types
            .get(&def.name)
            .is_some_and(|d| !d.aliases.is_empty())
    {
        return;
    }
    let still_shared = def.aliases.iter().find(|name| {
        merged
            .types
            .get(name.as_str())
            .is_some_and(|d| d.alias_of.is_some())
    });
    match still_shared {
        Some(member) => carried.push(Carried::SharedName {
            name: def.name.clone(),
            member: member.clone(),
        }),
        None if !merged.types.contains_key(&def.name) => {
            let mut def = def.clone();
            def.aliases.clear();
            let removed = removal(&def.removed, date, None);
            def.deprecated = Some(Deprecation {
                note: removed.note(),
            });
            def.removed = Some(removed);
            carried.push(Carried::Model {
                side: Side::Read,
                def,
            });
        }
        None => {}
    }
}

/// `next` with what `released` had and it dropped carried, and the carried items.
pub fn evolve(released: &Api, mut next: Api, date: &str) -> (Api, Vec<Carried>) {
    let carried = carried_after(released, &next, date);
    merge(&mut next, &carried);
    (next, carried)
}

/// The removal an item already carries, or a new one dated `date`.
fn removal(existing: &Option<Removal>, date: &str, replacement: Option<String>) -> Removal {
    existing.clone().unwrap_or_else(|| Removal {
        document: date.to_owned(),
        replacement,
    })
}

fn operations(released: &Api, next: &Api, date: &str, out: &mut Vec<Carried>) {
    for op in &released.operations {
        if op.versions.iter().all(|v| v.version == ApiVersion::Preview) {
            continue;
        }
        let Some(current) = next.operations.iter().find(|o| o.fn_name == op.fn_name) else {
            let replacement = next
                .operations
                .iter()
                .find(|o| o.method == op.method && o.path == op.path)
                .map(|o| format!("apis::{}::{}", o.tag_module, o.fn_name));
            let Some(tag) = released.tags.iter().find(|t| t.module == op.tag_module) else {
                continue;
            };
            let poll = op.waiter.as_ref().and_then(|w| {
                let polled = released.operations.get(w.poll)?;
                Some(PollTarget {
                    operation: polled.fn_name.clone(),
                    version: polled.versions.get(w.poll_version)?.fn_name.clone(),
                })
            });
            let mut operation = op.clone();
            for version in &mut operation.versions {
                version.removed = Some(removal(&version.removed, date, replacement.clone()));
            }
            out.push(Carried::Operation {
                operation,
                tag: tag.clone(),
                poll,
            });
            continue;
        };
        let plain = format!("apis::{}::{}", current.tag_module, current.fn_name);
        for version in &op.versions {
            if version.version == ApiVersion::Preview {
                continue;
            }
            let now = current
                .versions
                .iter()
                .find(|v| v.fn_name == version.fn_name);
            if let Some(now) = now {
                out.extend(kept_response(op, version, now, date));
                continue;
            }
            let mut version = version.clone();
            version.removed = Some(removal(&version.removed, date, Some(plain.clone())));
            out.push(Carried::Version {
                operation: op.fn_name.clone(),
                version,
            });
        }
    }
}

/// A released `send` that returned `()` keeps doing so where the response gained a
/// body: the body was never read, so ignoring it loses nothing, and callers compile.
fn kept_response(
    op: &Operation,
    was: &OperationVersion,
    now: &OperationVersion,
    date: &str,
) -> Option<Carried> {
    if !was.sends_unit() || now.response == ResponseBody::Empty {
        return None;
    }
    let document = (was.kept_response.as_ref()).map_or(date, |k| k.document.as_str());
    Some(Carried::Response {
        operation: op.fn_name.clone(),
        version: was.fn_name.clone(),
        kept: Kept {
            document: document.to_owned(),
            upstream: crate::diff::response_type(&now.response),
        },
    })
}

/// Emitted, and not only with `preview`.
fn stable(def: &TypeDef) -> bool {
    def.reached_by.iter().any(|c| !c.preview_only)
}

fn models(
    side: Side,
    released: &IndexMap<String, TypeDef>,
    next: &IndexMap<String, TypeDef>,
    enums: &IndexMap<String, TypeDef>,
    date: &str,
    out: &mut Vec<Carried>,
) {
    // A shared enum is made from its names, not carried: `keep_shared` keeps its name.
    for def in released
        .values()
        .filter(|d| stable(d) && d.aliases.is_empty())
    {
        let Some(current) = next.get(&def.name).filter(|d| stable(d)) else {
            let replacement = next
                .values()
                .find(|d| d.pointer == def.pointer && stable(d))
                .map(|d| side.path(&d.name));
            let mut def = def.clone();
            let removed = removal(&def.removed, date, replacement);
            def.deprecated = Some(Deprecation {
                note: removed.note(),
            });
            def.removed = Some(removed);
            out.push(Carried::Model { side, def });
            continue;
        };
        match (&def.kind, &current.kind) {
            (TypeKind::Struct(was), TypeKind::Struct(now)) => {
                for field in &was.fields {
                    if let Some(current) = now.fields.iter().find(|f| f.name == field.name) {
                        if let Some(kept) = shape::kept_field(side, field, current, enums, date) {
                            out.push(Carried::Shape {
                                side,
                                model: def.name.clone(),
                                field: kept,
                            });
                        }
                        continue;
                    }
                    let replacement = now
                        .fields
                        .iter()
                        .find(|f| f.wire_name == field.wire_name)
                        .map(|f| format!("{}.{}", side.path(&def.name), f.name));
                    out.push(Carried::Field {
                        side,
                        model: def.name.clone(),
                        field: removed_field(field, date, replacement),
                    });
                }
            }
            (TypeKind::Enum(was), TypeKind::Enum(now)) if side == Side::Read => {
                for variant in &was.variants {
                    if now.variants.iter().any(|v| v.name == variant.name) {
                        continue;
                    }
                    let mut variant = variant.clone();
                    variant.removed = Some(removal(&variant.removed, date, None));
                    out.push(Carried::Value {
                        model: def.name.clone(),
                        variant,
                    });
                }
            }
            (
                TypeKind::Tagged(_) | TypeKind::Untagged(_),
                TypeKind::Tagged(_) | TypeKind::Untagged(_),
            ) => removed_members(side, def, &current.kind, date, out),
            _ => {}
        }
    }
}

/// The members of a released union `next` no longer has, by name: unless a member
/// of the same type is still there (renamed), whose variant and `From` users keep.
fn removed_members(side: Side, was: &TypeDef, now: &TypeKind, date: &str, out: &mut Vec<Carried>) {
    let members: Vec<UnionMember> = match &was.kind {
        TypeKind::Tagged(t) => t
            .variants
            .iter()
            .cloned()
            .map(UnionMember::Tagged)
            .collect(),
        TypeKind::Untagged(u) => (u.variants.iter().cloned())
            .map(UnionMember::Untagged)
            .collect(),
        TypeKind::Struct(_) | TypeKind::Enum(_) => return,
    };
    for mut member in members {
        if holds_member(now, member.name(), member.ty()) {
            continue;
        }
        let removed = removal(member.removed_mut(), date, None);
        *member.removed_mut() = Some(removed);
        out.push(Carried::Member {
            side,
            model: was.name.clone(),
            member,
        });
    }
}

/// Whether a union has a member of this name or this type.
fn holds_member(kind: &TypeKind, name: &str, ty: &TypeRef) -> bool {
    match kind {
        TypeKind::Tagged(t) => t.variants.iter().any(|v| v.name == name || &v.ty == ty),
        TypeKind::Untagged(u) => u.variants.iter().any(|v| v.name == name || &v.ty == ty),
        TypeKind::Struct(_) | TypeKind::Enum(_) => false,
    }
}

/// A field kept deprecated: a request never requires or sends it.
fn removed_field(field: &Field, date: &str, replacement: Option<String>) -> Field {
    let mut field = field.clone();
    let removed = removal(&field.removed, date, replacement);
    field.deprecated = Some(Deprecation {
        note: removed.note(),
    });
    field.removed = Some(removed);
    field.spec_required = false;
    field
}

/// Put the carried items back into `api` (a freshly normalized document) and redo the
/// cross-type facts they change: which features compile each model, which types union
/// ranking compares, which structs derive `Default`.
pub fn merge(api: &mut Api, carried: &[Carried]) {
    if carried.is_empty() {
        return;
    }
    let mut seeds: Vec<(FeatureContext, Side, String)> = Vec::new();
    for item in carried {
        match item {
            Carried::Model { side, def } => {
                let defs = defs_mut(api, *side);
                if defs.get(&def.name).is_none_or(|d| d.reached_by.is_empty()) {
                    for ctx in &def.reached_by {
                        seeds.push((ctx.clone(), *side, def.name.clone()));
                    }
                    defs.insert(def.name.clone(), def.clone());
                }
            }
            Carried::Operation { operation, tag, .. } => {
                if !api
                    .operations
                    .iter()
                    .any(|o| o.fn_name == operation.fn_name)
                {
                    if !api.tags.iter().any(|t| t.module == tag.module) {
                        api.tags.push(tag.clone());
                    }
                    api.operations.push(operation.clone());
                }
            }
            Carried::Version { .. }
            | Carried::Field { .. }
            | Carried::Value { .. }
            | Carried::Shape { .. }
            | Carried::Response { .. }
            | Carried::Member { .. }
            | Carried::OwnEnum { .. }
            | Carried::SharedName { .. } => {}
        }
    }
    for item in carried {
        merge_member(api, item);
    }
    for item in carried {
        match item {
            Carried::OwnEnum { name } => {
                if let Some(def) = api.types.get_mut(name) {
                    def.own_enum = true;
                }
            }
            Carried::SharedName { name, member } => {
                if let Some(def) = api.types.get_mut(member) {
                    def.shared_name = Some(name.clone());
                }
            }
            _ => {}
        }
    }
    for item in carried {
        if let Carried::Operation {
            operation, poll, ..
        } = item
        {
            aim_waiter(api, &operation.fn_name, poll.as_ref());
        }
    }
    let seeds: Vec<(FeatureContext, ModelRef<'_>)> = seeds
        .iter()
        .map(|(ctx, side, name)| {
            let model = match side {
                Side::Read => ModelRef::Read(name),
                Side::Write => ModelRef::Write(name),
            };
            (ctx.clone(), model)
        })
        .collect();
    reachability::reassign_features(api, &seeds);
    recursion::decide_defaults(api);
    member_choice::mark_ranked(api);
    // Named before: a last-resort name was reported when the document was normalized.
    let _numbered = sharing::share_enums(api);
    common_fields::find_common_fields(api);
    conversions::mark_conversions(api);
    api.types.sort_keys();
    api.writes.sort_keys();
}

/// Point a carried operation's waiter at its polled read in this API, or drop it when
/// that read is not here.
fn aim_waiter(api: &mut Api, fn_name: &str, poll: Option<&PollTarget>) {
    let target = poll.and_then(|p| {
        let index = api
            .operations
            .iter()
            .position(|o| o.fn_name == p.operation)?;
        let op = api.operations.get(index)?;
        let version = op.versions.iter().position(|v| v.fn_name == p.version)?;
        Some((index, version))
    });
    let Some(op) = api.operations.iter_mut().find(|o| o.fn_name == fn_name) else {
        return;
    };
    match (op.waiter.as_mut(), target) {
        (Some(waiter), Some((index, version))) => {
            waiter.poll = index;
            waiter.poll_version = version;
        }
        _ => op.waiter = None,
    }
}

fn defs_mut(api: &mut Api, side: Side) -> &mut IndexMap<String, TypeDef> {
    match side {
        Side::Read => &mut api.types,
        Side::Write => &mut api.writes,
    }
}

/// A carried version, field or value, into the item that still exists. Appended, so
/// the indices waiters and default versions hold stay valid.
fn merge_member(api: &mut Api, item: &Carried) {
    match item {
        Carried::Version { operation, version } => {
            let Some(op) = api.operations.iter_mut().find(|o| &o.fn_name == operation) else {
                return;
            };
            if !op.versions.iter().any(|v| v.fn_name == version.fn_name) {
                op.versions.push(version.clone());
            }
        }
        Carried::Field { side, model, field } => {
            let def = defs_mut(api, *side).get_mut(model);
            if let Some(TypeKind::Struct(s)) = def.map(|d| &mut d.kind) {
                if !s.fields.iter().any(|f| f.name == field.name) {
                    s.fields.push(field.clone());
                }
            }
        }
        Carried::Value { model, variant } => {
            if let Some(TypeKind::Enum(e)) = api.types.get_mut(model).map(|d| &mut d.kind) {
                let taken: BTreeSet<&str> = e.variants.iter().map(|v| v.name.as_str()).collect();
                if !taken.contains(variant.name.as_str()) && variant.name != e.unknown_variant {
                    e.variants.push(variant.clone());
                }
            }
        }
        Carried::Shape { side, model, field } => {
            let def = defs_mut(api, *side).get_mut(model);
            let Some(TypeKind::Struct(s)) = def.map(|d| &mut d.kind) else {
                return;
            };
            if let Some(current) = s.fields.iter_mut().find(|f| f.name == field.name) {
                current.ty = field.ty.clone();
                current.presence = field.presence;
                current.boxed = field.boxed;
                current.nullable = field.nullable;
                current.setters = field.setters.clone();
                current.kept = field.kept.clone();
            }
        }
        Carried::Response {
            operation,
            version,
            kept,
        } => {
            let op = api.operations.iter_mut().find(|o| &o.fn_name == operation);
            let Some(v) = op.and_then(|o| o.versions.iter_mut().find(|v| &v.fn_name == version))
            else {
                return;
            };
            if v.response != ResponseBody::Empty {
                v.kept_response = Some(kept.clone());
            }
        }
        Carried::Member {
            side,
            model,
            member,
        } => {
            let Some(def) = defs_mut(api, *side).get_mut(model) else {
                return;
            };
            let unknown = match &def.kind {
                TypeKind::Tagged(t) => &t.unknown_variant,
                TypeKind::Untagged(u) => &u.unknown_variant,
                TypeKind::Struct(_) | TypeKind::Enum(_) => return,
            };
            if holds_member(&def.kind, member.name(), member.ty()) || unknown == member.name() {
                return;
            }
            match &mut def.kind {
                TypeKind::Tagged(t) => t.variants.push(member.clone().into_tagged()),
                TypeKind::Untagged(u) => u.variants.push(member.clone().into_untagged()),
                TypeKind::Struct(_) | TypeKind::Enum(_) => {}
            }
        }
        Carried::Operation { .. }
        | Carried::Model { .. }
        | Carried::OwnEnum { .. }
        | Carried::SharedName { .. } => {}
    }
}

#[cfg(test)]
mod tests;
