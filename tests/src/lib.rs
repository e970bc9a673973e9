//! Test-only package: see `tests/` for snapshot, compile, model and request tests.
//!
//! Helpers shared by the test files live here.

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives in the workspace")
        .to_path_buf()
}

/// The shared input directory (`../shared` beside the checkout), or the directory named by
/// `var`. Panics with a message naming both when neither exists: a test that needs upstream
/// data never passes silently without it.
pub fn shared_path(var: &str, default_rel: &str) -> PathBuf {
    if let Some(path) = std::env::var_os(var) {
        let path = PathBuf::from(path);
        assert!(path.exists(), "{var}={} does not exist", path.display());
        return path;
    }
    let default = workspace_root().join("..").join("shared").join(default_rel);
    assert!(
        default.exists(),
        "this test needs upstream data: set {var} or provide {} (see README.md)",
        default.display()
    );
    default
}

pub mod drift;
pub mod recording;
pub mod replay;
pub mod route;

/// The spec to use: the flag, `$ATLAS_OPENAPI_SPEC`, or `../shared/spec/v2.yaml`.
pub fn spec_path(flag: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(path) = flag {
        return Ok(path.to_path_buf());
    }
    if let Some(path) = std::env::var_os("ATLAS_OPENAPI_SPEC") {
        return Ok(PathBuf::from(path));
    }
    let default = workspace_root().join("../shared/spec/v2.yaml");
    if default.exists() {
        Ok(default)
    } else {
        Err(format!(
            "no OpenAPI document: pass --spec, set ATLAS_OPENAPI_SPEC, or provide {}",
            default.display()
        ))
    }
}

/// Normalize a spec with the project's overrides applied.
pub fn load_api(spec: &Path) -> Result<atlas_admin_codegen::ir::Api, String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let overrides_path = workspace_root().join("spec/overrides.yaml");
    let overrides_text = std::fs::read_to_string(&overrides_path)
        .map_err(|e| format!("{}: {e}", overrides_path.display()))?;
    let overrides =
        atlas_admin_codegen::load::parse_overrides("spec/overrides.yaml", &overrides_text)
            .map_err(|e| e.to_string())?;
    atlas_admin_codegen::normalize_text(&spec.display().to_string(), &text, &overrides)
        .map(|(api, _, _)| api)
        .map_err(|e| e.to_string())
}
