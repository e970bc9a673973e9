//! `cargo xtask release`, on a git clone of this checkout's HEAD (with the shared inputs
//! named by variables): it refuses a dirty tree and stale generated code; `--dry-run`
//! runs everything and leaves the tree as it was; a release dates "Unreleased" and gives
//! every crate the version, the generated manifests' exact pins included. `cargo package`
//! and `cargo publish --dry-run` run without building each crate (`--no-verify`): CI's
//! `cargo xtask ci` packages and builds them already.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{read, root};

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A clone of HEAD beside nothing: the inputs come from the real checkout's variables.
fn clone(name: &str) -> PathBuf {
    let dir = root().join("target/xtask-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let main = dir.join("main");
    git(
        &dir,
        &[
            "clone",
            "--quiet",
            "--local",
            root().to_str().unwrap(),
            "main",
        ],
    );
    main
}

/// `cargo xtask ARGS` on the clone, with this checkout's inputs and target directory.
fn xtask(main: &Path, args: &[&str]) -> Output {
    let workspace = atlas_admin_codegen::inputs::Workspace::at(root());
    let spec = workspace.spec(None).unwrap();
    let watchers = std::env::var_os("ATLAS_WATCHERS_OVERLAY")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.shared("spec/overlays/watchers.yaml"));
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(main)
        .env("ATLAS_ADMIN_WORKSPACE", main)
        .env("ATLAS_OPENAPI_SPEC", spec)
        .env("ATLAS_WATCHERS_OVERLAY", watchers)
        .env("CARGO_TARGET_DIR", root().join("target"))
        .output()
        .unwrap()
}

fn release(main: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["release", "--no-verify", "--date", "2026-12-08"];
    args.extend(extra);
    xtask(main, &args)
}

fn text(output: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn a_dirty_tree_or_stale_generated_code_is_refused() {
    let main = clone("release_refused");
    std::fs::write(main.join("notes.txt"), "wip\n").unwrap();
    let output = release(&main, &["--dry-run"]);
    assert!(!output.status.success());
    assert!(
        text(&output).contains("the working tree has changes"),
        "{}",
        text(&output)
    );

    std::fs::remove_file(main.join("notes.txt")).unwrap();
    let lib = main.join("generated/src/lib.rs");
    std::fs::write(&lib, read(lib.clone()) + "\n// edited by hand\n").unwrap();
    git(&main, &["commit", "--quiet", "-am", "a hand edit"]);
    let output = release(&main, &["--dry-run"]);
    assert!(!output.status.success());
    assert!(
        text(&output).contains("generated code is not current"),
        "{}",
        text(&output)
    );
}

#[test]
fn a_dry_run_leaves_the_tree_and_a_release_versions_every_crate_and_dates_the_changelog() {
    let main = clone("release_done");
    let output = release(&main, &["--dry-run"]);
    assert!(output.status.success(), "{}", text(&output));
    let out = text(&output);
    assert!(out.contains("release: atlas-admin 0.1.0"), "{out}");
    assert!(out.contains("git tag atlas-admin-v0.1.0"), "{out}");
    assert!(
        out.contains(
            "cargo publish --dry-run --locked --allow-dirty --no-verify -p atlas-admin-runtime"
        ),
        "{out}"
    );
    assert_eq!(
        git(&main, &["status", "--porcelain"]),
        "",
        "the dry run left changes"
    );

    // The first release keeps the manifests' version; bump it as a later one would.
    for manifest in ["runtime/Cargo.toml", "codegen/templates/Cargo.toml"] {
        let path = main.join(manifest);
        let text =
            read(path.clone()).replacen("\nversion = \"0.1.0\"\n", "\nversion = \"0.0.9\"\n", 1);
        std::fs::write(path, text).unwrap();
    }
    let generate = xtask(&main, &["generate"]);
    assert!(generate.status.success(), "{}", text(&generate));
    let changelog = main.join("generated/CHANGELOG.md");
    let released = read(changelog.clone()).replacen(
        "## [Unreleased]\n",
        "## [Unreleased]\n\n### Upstream document of 2026-12-01\n\nsha256 `0`; this update alone needs a major release.\n\n## [0.0.9] - 2026-11-30\n",
        1,
    );
    std::fs::write(&changelog, released).unwrap();
    let _ = Command::new("cargo")
        .args(["update", "--workspace", "--offline"])
        .current_dir(&main)
        .output();
    git(&main, &["commit", "--quiet", "-am", "0.0.9 was released"]);

    let output = release(&main, &[]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("atlas-admin 0.1.0 (Major after 0.0.9)"),
        "{}",
        text(&output)
    );
    let changelog = read(changelog);
    assert!(
        changelog.contains(
            "## [Unreleased]\n\n## [0.1.0] - 2026-12-08\n\n### Upstream document of 2026-12-01"
        ),
        "{changelog}"
    );
    for manifest in [
        "runtime/Cargo.toml",
        "generated/Cargo.toml",
        "generated/crates/base/Cargo.toml",
    ] {
        let text = read(main.join(manifest));
        assert!(
            text.contains("\nversion = \"0.1.0\"\n"),
            "{manifest}: {text}"
        );
    }
    let facade = read(main.join("generated/Cargo.toml"));
    assert!(
        facade.contains("version = \"=0.1.0\""),
        "exact pins: {facade}"
    );
    assert!(!facade.contains("=0.0.9"), "{facade}");
}
