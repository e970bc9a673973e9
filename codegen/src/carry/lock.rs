//! `spec/api.lock`: which document the released crate was generated from and what it
//! carries from earlier ones. Committed; written only by `cargo xtask update-spec`
//! (and `drop-deprecated`); read by every generation of that document.

use serde::{Deserialize, Serialize};

use super::Carried;
use crate::diag::Error;

/// The lock file, relative to the workspace root.
pub const LOCK_FILE: &str = "spec/api.lock";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApiLock {
    /// The document the carried items are merged into.
    pub document: LockedDocument,
    /// Sorted by kind and name (`sort`), so the file changes only where the API does.
    pub carried: Vec<Carried>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockedDocument {
    pub date: String,
    pub sha256: String,
}

impl ApiLock {
    pub fn new(document: LockedDocument, mut carried: Vec<Carried>) -> Self {
        carried.sort_by_key(sort_key);
        ApiLock { document, carried }
    }

    /// Read a lock file; `path` names it in errors, with the field path serde reached.
    pub fn parse(path: &str, text: &str) -> Result<Self, Error> {
        let de = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| Error::Lock {
            path: path.to_owned(),
            message: format!("at `{}`: {}", e.path(), e.inner()),
        })
    }

    /// The file's text: pretty JSON, one trailing newline.
    pub fn to_text(&self) -> String {
        // The lock holds only strings, numbers, booleans and sequences: it serializes.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// What the lock carries into `sha256`'s document: nothing for any other document
    /// (a fixture, a history step), which is generated as it is.
    pub fn carried_for(&self, sha256: &str) -> &[Carried] {
        if self.document.sha256 == sha256 {
            &self.carried
        } else {
            &[]
        }
    }
}

fn sort_key(item: &Carried) -> (u8, String) {
    match item {
        Carried::Model { side, def } => (0, format!("{side:?}/{}", def.name)),
        Carried::Operation { operation, .. } => (1, operation.fn_name.clone()),
        Carried::Version { operation, version } => (2, format!("{operation}/{}", version.fn_name)),
        Carried::Field { side, model, field } => (3, format!("{side:?}/{model}/{}", field.name)),
        Carried::Value { model, variant } => (4, format!("{model}/{}", variant.name)),
        Carried::Shape { side, model, field } => (5, format!("{side:?}/{model}/{}", field.name)),
        Carried::OwnEnum { name } => (7, name.clone()),
        Carried::SharedName { name, member } => (8, format!("{name}/{member}")),
        Carried::Response {
            operation, version, ..
        } => (9, format!("{operation}/{version}")),
        Carried::Member {
            side,
            model,
            member,
        } => (6, format!("{side:?}/{model}/{}", member.name())),
    }
}
