//! Where the OpenAPI document comes from: `--spec`, `$ATLAS_OPENAPI_SPEC`, or
//! `../shared/spec/v2.yaml`; the pin in `spec/PIN` says which upstream file it must be.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The workspace root (the parent of `xtask/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

/// The pinned upstream document: `key = value` lines in `spec/PIN`.
pub struct Pin {
    pub source: String,
    pub sha256: String,
}

pub fn pin() -> Result<Pin, String> {
    let path = workspace_root().join("spec/PIN");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let field = |key: &str| {
        text.lines()
            .filter_map(|l| l.split_once('='))
            .find(|(k, _)| k.trim() == key)
            .map(|(_, v)| v.trim().to_owned())
            .ok_or_else(|| format!("{}: missing `{key} = ...`", path.display()))
    };
    Ok(Pin {
        source: field("source")?,
        sha256: field("sha256")?,
    })
}

/// Resolve the spec path in order: flag, environment, `../shared/spec/v2.yaml`.
pub fn resolve(flag: Option<&Path>) -> Result<PathBuf, String> {
    let default = workspace_root().join("../shared/spec/v2.yaml");
    let (path, from) = match (flag, std::env::var_os("ATLAS_OPENAPI_SPEC")) {
        (Some(path), _) => (path.to_path_buf(), "--spec"),
        (None, Some(path)) => (PathBuf::from(path), "$ATLAS_OPENAPI_SPEC"),
        (None, None) => (default.clone(), "the default location"),
    };
    if path.is_file() {
        return Ok(path);
    }
    let pin = pin()?;
    Err(format!(
        "no OpenAPI document at {} (from {from}): pass --spec PATH or set ATLAS_OPENAPI_SPEC, or place it at {}.\n\
         The pinned document is {} with sha256 {}.",
        path.display(),
        default.display(),
        pin.source,
        pin.sha256
    ))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Read the spec, noting when it is not the pinned document.
pub fn read(path: &Path) -> Result<String, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("cannot read spec {}: {e}", path.display()))?;
    if let Ok(pin) = pin() {
        let actual = sha256_hex(&bytes);
        if actual != pin.sha256 {
            eprintln!(
                "note: {} has sha256 {actual}, not the pinned {} ({}); update spec/PIN when adopting a new document",
                path.display(),
                pin.sha256,
                pin.source
            );
        }
    }
    String::from_utf8(bytes).map_err(|e| format!("spec {} is not UTF-8: {e}", path.display()))
}

/// Overrides applied before normalization (`spec/overrides.yaml`).
pub fn overrides() -> Result<Vec<atlas_admin_codegen::Override>, String> {
    let path = workspace_root().join("spec/overrides.yaml");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    atlas_admin_codegen::load::parse_overrides(&path.display().to_string(), &text)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_spec_names_the_pinned_source_and_sha256() {
        let err = resolve(Some(Path::new("/nonexistent/v2.yaml"))).unwrap_err();
        let pin = pin().unwrap();
        assert!(err.contains("/nonexistent/v2.yaml (from --spec)"), "{err}");
        assert!(err.contains(&pin.source), "{err}");
        assert!(err.contains(&pin.sha256), "{err}");
    }
}
