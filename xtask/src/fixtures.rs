//! `cargo xtask fixtures`: every `spec/fixtures/*.yaml` output compiled as a crate.
//!
//! The snapshot tests compare each fixture's output as text; this proves it also builds
//! (as progenitor's and typify's outputs do). Each fixture becomes one member of a
//! throwaway workspace under `target/fixture-crates/`: its generated files, a copy of the
//! hand-written runtime and the workspace's `Cargo.lock`, checked with all features into
//! the workspace's own target directory, so the dependencies checked by `ci` are reused.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use atlas_admin_codegen::inputs::{CRATE_DIR, CRATE_MANIFEST};

use crate::spec;

/// Where the throwaway workspace is written.
const FIXTURE_WORKSPACE: &str = "target/fixture-crates";

pub fn run() -> Result<ExitCode, String> {
    let root = spec::workspace_root();
    let out = root.join(FIXTURE_WORKSPACE);
    let fixtures = fixture_specs(&root.join("spec/fixtures"))?;
    if out.exists() {
        fs::remove_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let mut members = Vec::new();
    for fixture in &fixtures {
        members.push(write_fixture_crate(&root, &out, fixture)?);
    }
    let manifest = format!(
        "# Written by `cargo xtask fixtures`: one crate per spec/fixtures/*.yaml.\n\
         [workspace]\nresolver = \"2\"\nmembers = [{}]\n",
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
    let manifest_path = manifest_path.to_str().ok_or("fixture path is not UTF-8")?;
    crate::ci::cargo(
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
    )?;
    println!(
        "fixtures: {} fixture crates compile without warnings",
        members.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// The fixture documents, sorted by name (subdirectories hold the broken and hostile
/// inputs, which are expected not to generate).
fn fixture_specs(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut specs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    specs.sort();
    if specs.is_empty() {
        return Err(format!("{}: no fixture documents", dir.display()));
    }
    Ok(specs)
}

/// Generate one fixture into `out/<stem>/` as a crate named `fixture-<stem>` whose
/// warnings are errors; returns the member directory name.
fn write_fixture_crate(root: &Path, out: &Path, fixture: &Path) -> Result<String, String> {
    let stem = fixture
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or_else(|| format!("{}: not a UTF-8 name", fixture.display()))?;
    let text = spec::read(fixture)?;
    let generated = atlas_admin_codegen::generate(&fixture.display().to_string(), &text, &[])
        .map_err(|e| e.to_string())?;
    let dir = out.join(stem);
    let prefix = format!("{CRATE_DIR}/");
    for (path, contents) in &generated.files {
        let Some(relative) = path.strip_prefix(&prefix) else {
            continue; // the tools-only registry
        };
        let contents = if path == CRATE_MANIFEST {
            fixture_manifest(contents, stem)?
        } else {
            contents.clone()
        };
        write(&dir.join(relative), &contents)?;
    }
    let crate_dir = root.join(CRATE_DIR);
    copy(&crate_dir.join("README.md"), &dir.join("README.md"))?;
    copy_tree(&crate_dir.join("src/runtime"), &dir.join("src/runtime"))?;
    Ok(stem.to_owned())
}

/// The generated manifest, renamed so fixtures can share a workspace, with warnings denied.
fn fixture_manifest(manifest: &str, stem: &str) -> Result<String, String> {
    let renamed = manifest.replacen(
        "name = \"atlas-admin\"",
        &format!("name = \"fixture-{}\"", stem.replace('_', "-")),
        1,
    );
    if renamed == manifest {
        return Err(format!(
            "{CRATE_MANIFEST}: no `name = \"atlas-admin\"` to rename"
        ));
    }
    Ok(format!("{renamed}\n[lints.rust]\nwarnings = \"deny\"\n"))
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    let entries = fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", from.display()))?;
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_tree(&path, &target)?;
        } else {
            copy(&path, &target)?;
        }
    }
    Ok(())
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::copy(from, to)
        .map(drop)
        .map_err(|e| format!("{} -> {}: {e}", from.display(), to.display()))
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()))
}
