//! Scratch crates: the crate generated from some document, written under `target/`
//! instead of `generated/`, for checks that need it as a real package (the fixture
//! compile check, the semver oracle).

use std::fs;
use std::path::Path;

use atlas_admin_codegen::inputs::{CRATE_DIR, CRATE_MANIFEST, RUNTIME_DIR};
use atlas_admin_codegen::Adjustments;

use crate::spec;

/// What a scratch crate is generated from and how its manifest differs from the real one.
pub struct ScratchCrate<'a> {
    pub spec: &'a Path,
    /// Overrides, overlays and what is carried from earlier documents.
    pub adjust: Adjustments<'a>,
    /// The package name (fixtures share a workspace, so each needs its own).
    pub package: &'a str,
    /// The version written into the manifest.
    pub version: &'a str,
    /// TOML appended to the manifest.
    pub manifest_tail: &'a str,
}

/// Generate `krate` into `dir`: its generated files and README, depending on the
/// workspace's hand-written runtime by path.
pub fn write_crate(root: &Path, dir: &Path, krate: &ScratchCrate<'_>) -> Result<(), String> {
    let text = spec::read(krate.spec)?;
    let generated = atlas_admin_codegen::generate(
        &krate.spec.display().to_string(),
        &text,
        krate.adjust,
        atlas_admin_codegen::Layout::Single,
    )
    .map_err(|e| e.to_string())?;
    let prefix = format!("{CRATE_DIR}/");
    for (path, contents) in &generated.files {
        let Some(relative) = path.strip_prefix(&prefix) else {
            continue; // the tools-only registry
        };
        let contents = if path == CRATE_MANIFEST {
            manifest(contents, krate, &root.join(RUNTIME_DIR))?
        } else {
            contents.clone()
        };
        write(&dir.join(relative), &contents)?;
    }
    let crate_dir = root.join(CRATE_DIR);
    copy(&crate_dir.join("README.md"), &dir.join("README.md"))
}

/// The generated manifest with the scratch crate's name, version and tail, and the
/// runtime found at `runtime`.
fn manifest(generated: &str, krate: &ScratchCrate<'_>, runtime: &Path) -> Result<String, String> {
    let mut lines = Vec::new();
    let (mut named, mut versioned, mut runtime_found) = (false, false, false);
    let runtime_path = format!("path = {:?}", runtime.display().to_string());
    for line in generated.lines() {
        if line.starts_with("atlas-admin-runtime = ") && line.contains("path = \"../runtime\"") {
            runtime_found = true;
            lines.push(line.replace("path = \"../runtime\"", &runtime_path));
        } else if !named && line.starts_with("name = ") {
            named = true;
            lines.push(format!("name = {:?}", krate.package));
        } else if !versioned && line.starts_with("version = ") {
            versioned = true;
            lines.push(format!("version = {:?}", krate.version));
        } else {
            lines.push(line.to_owned());
        }
    }
    if !named || !versioned || !runtime_found {
        return Err(format!(
            "{CRATE_MANIFEST}: no package name, version or runtime path to replace"
        ));
    }
    Ok(format!("{}\n{}", lines.join("\n"), krate.manifest_tail))
}

pub fn copy(from: &Path, to: &Path) -> Result<(), String> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::copy(from, to)
        .map(drop)
        .map_err(|e| format!("{} -> {}: {e}", from.display(), to.display()))
}

pub fn write(path: &Path, contents: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()))
}

/// Empty `dir` (a previous run's output).
pub fn fresh_dir(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))
}

/// Make `out` a workspace of `members` (directories under it, already written) with the
/// workspace's `Cargo.lock`, and `cargo check` it with all features into the workspace's
/// own target directory, so the dependencies `ci` checked are reused.
pub fn check_workspace(
    root: &Path,
    out: &Path,
    members: &[String],
    written_by: &str,
) -> Result<(), String> {
    let manifest = format!(
        "# Written by {written_by}.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members
            .iter()
            .map(|m| format!("{m:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    write(&out.join("Cargo.toml"), &manifest)?;
    copy(&root.join("Cargo.lock"), &out.join("Cargo.lock"))?;
    let target = root.join("target");
    let target = target.to_str().ok_or("target path is not UTF-8")?;
    let manifest_path = out.join("Cargo.toml");
    let manifest_path = manifest_path
        .to_str()
        .ok_or("scratch workspace path is not UTF-8")?;
    crate::cargo::cargo(
        &[
            "check",
            "--manifest-path",
            manifest_path,
            "--target-dir",
            target,
            "--workspace",
            "--all-features",
        ],
        &[],
    )
}
