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
