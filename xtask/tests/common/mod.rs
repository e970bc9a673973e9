//! A scratch checkout for the xtask commands that rewrite a workspace: `<dir>/main`
//! (`$ATLAS_ADMIN_WORKSPACE`) beside `<dir>/shared`, whose pinned document is the
//! evolution fixture's old one.
#![allow(dead_code)] // each test file uses its part

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(root().join("spec/fixtures/evolution").join(name)).unwrap()
}

/// A scratch checkout beside its `shared/`: `<dir>/main` and `<dir>/shared`.
pub fn scratch_checkout(name: &str) -> PathBuf {
    let dir = root().join("target/xtask-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let main = dir.join("main");
    std::fs::create_dir_all(main.join("spec")).unwrap();
    std::fs::create_dir_all(main.join("generated")).unwrap();
    std::fs::create_dir_all(dir.join("shared/spec/overlays")).unwrap();
    std::fs::write(
        main.join("spec/PIN"),
        "source = fixture old.yaml\ndate = 2024-01-01\nsha256 = 0\n",
    )
    .unwrap();
    std::fs::write(main.join("spec/overrides.yaml"), "overrides: []\n").unwrap();
    std::fs::write(
        main.join("generated/CHANGELOG.md"),
        "# Changelog\n\n## [Unreleased]\n\n### Added\n\n- the first release\n\n## [0.1.0] - 2024-01-02\n\n- older\n",
    )
    .unwrap();
    std::fs::write(dir.join("shared/spec/v2.yaml"), fixture("old.yaml")).unwrap();
    std::fs::write(
        dir.join("shared/spec/overlays/watchers.yaml"),
        "overlay: 1.0.0\ninfo: {title: none, version: '1'}\nactions: []\n",
    )
    .unwrap();
    main
}

/// `cargo xtask update-spec --from FROM --date 2025-01-01 EXTRA..` on the checkout.
pub fn update_spec(main: &Path, from: &str, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["update-spec", "--from", from, "--date", "2025-01-01"])
        .args(extra)
        .env("ATLAS_ADMIN_WORKSPACE", main)
        .env_remove("ATLAS_OPENAPI_SPEC")
        .env_remove("ATLAS_WATCHERS_OVERLAY")
        .output()
        .unwrap()
}

pub fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The fixtures' one area, `widgets`, is in no group of the table, so it is in the last
/// group crate (`emit::packaging`), with the models only it reaches.
pub const WIDGETS: &str = "generated/crates/platform/src/apis/widgets.rs";
pub const MODELS: &str = "generated/crates/platform/src/models";
