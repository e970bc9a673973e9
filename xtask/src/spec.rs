//! The workspace this xtask belongs to; where inputs are found is `codegen::inputs`,
//! shared with the tests.

use std::path::{Path, PathBuf};

use atlas_admin_codegen::inputs::Workspace;

/// Points the commands at another checkout (the tests of `update-spec` use a scratch one).
pub const WORKSPACE_VAR: &str = "ATLAS_ADMIN_WORKSPACE";

/// The workspace root: `$ATLAS_ADMIN_WORKSPACE`, else the parent of `xtask/`.
pub fn workspace_root() -> PathBuf {
    if let Some(root) = std::env::var_os(WORKSPACE_VAR) {
        return PathBuf::from(root);
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

pub fn workspace() -> Workspace {
    Workspace::at(workspace_root())
}

/// Read a document, printing a note when it is not the pinned one.
pub fn read(path: &Path) -> Result<String, String> {
    let spec = workspace().read_spec(path)?;
    if let Some(note) = spec.note {
        eprintln!("note: {note}");
    }
    Ok(spec.text)
}

/// A `--date` as given: `YYYY-MM-DD`, or an error naming the flag.
pub fn checked_date(date: &str) -> Result<String, String> {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(|d| d.format("%Y-%m-%d").to_string())
        .map_err(|e| format!("--date {date}: expected YYYY-MM-DD ({e})"))
}

/// Today's date, UTC, as `YYYY-MM-DD`.
pub fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked() {
        assert!(checked_date("2026-09-01").is_ok());
        assert!(checked_date("2026-13-01").is_err());
        assert_eq!(today().len(), 10);
    }
}
