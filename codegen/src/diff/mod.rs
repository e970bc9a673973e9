//! What a new document changes for users of the generated crate. Both documents are
//! normalized and compared item by item at the level of the Rust API: operations and
//! their versions, parameters, request and response types, models, fields, enum values
//! and union members. Each change falls under one [`Rule`], whose verdict (major, minor,
//! patch) is what it means for code built on the crate; README "Releasing" lists them.
//!
//! Items only the `preview` feature compiles are exempt: preview API versions are
//! unstable upstream, and the feature is documented as outside semver, so a change that
//! would be major there is reported as minor and marked `preview`.

mod models;
pub(crate) use models::field_type;
mod operations;
pub(crate) use operations::output as response_type;
pub mod render;
mod rules;

use serde::Serialize;

use crate::ir::{Api, TypeRef};

pub use rules::{Rule, Verdict};

/// One change, as a user of the crate sees it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    pub verdict: Verdict,
    /// The Rust item, e.g. `apis::clusters::list_group_clusters` or
    /// `models::ClusterDescription20240805.name`.
    pub item: String,
    pub rule: Rule,
    /// What changed, e.g. `Option<String> -> Option<i64>`.
    pub detail: String,
    /// Only compiled with the `preview` feature (exempt from semver).
    pub preview: bool,
}

/// Every change between two documents.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The documents' names, as given.
    pub old: String,
    pub new: String,
    /// The release this needs: the strongest verdict, or patch when nothing changed.
    pub bump: Verdict,
    /// Sorted: major first, then by item.
    pub changes: Vec<Change>,
}

/// Collects changes while the comparison walks both APIs.
#[derive(Default)]
struct Changes(Vec<Change>);

impl Changes {
    fn push(
        &mut self,
        rule: Rule,
        item: impl Into<String>,
        detail: impl Into<String>,
        preview: bool,
    ) {
        let verdict = match (rule.verdict(), preview) {
            (Verdict::Major, true) => Verdict::Minor,
            (verdict, _) => verdict,
        };
        self.0.push(Change {
            verdict,
            item: item.into(),
            rule,
            detail: detail.into(),
            preview,
        });
    }
}

/// Compare the API `old` generates with the one `new` generates.
pub fn diff(old_name: &str, old: &Api, new_name: &str, new: &Api) -> Report {
    let mut changes = Changes::default();
    operations::compare(old, new, &mut changes);
    models::compare(old, new, &mut changes);
    let mut changes = changes.0;
    changes.sort_by(|a, b| {
        b.verdict
            .cmp(&a.verdict)
            .then_with(|| a.item.cmp(&b.item))
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.detail.cmp(&b.detail))
    });
    changes.dedup();
    let bump = changes
        .iter()
        .map(|c| c.verdict)
        .max()
        .unwrap_or(Verdict::Patch);
    Report {
        old: old_name.to_owned(),
        new: new_name.to_owned(),
        bump,
        changes,
    }
}

impl Report {
    /// The changelog entry: the proposed release, then one table per verdict.
    pub fn to_markdown(&self) -> String {
        render::markdown(self)
    }

    pub fn to_json(&self) -> String {
        // A report holds only strings and enums: serializing it cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// How many changes have this verdict.
    pub fn count(&self, verdict: Verdict) -> usize {
        self.changes.iter().filter(|c| c.verdict == verdict).count()
    }
}

/// A type as the generated code spells it, for change details.
fn rust_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::ObjectId => "ObjectId".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::Named(name) => format!("models::{name}"),
        TypeRef::Write(name) => format!("models::write::{name}"),
        TypeRef::Vec(inner) => format!("Vec<{}>", rust_type(inner)),
        TypeRef::Map(inner) => format!("Map<String, {}>", rust_type(inner)),
    }
}

#[cfg(test)]
mod tests;
