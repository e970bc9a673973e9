//! `cargo xtask fixtures`: every `spec/fixtures/*.yaml` output compiled as a crate, and
//! the output of every hostile document (`spec/fixtures/hostile/`), which must generate.
//!
//! The snapshot tests compare each fixture's output as text; this proves it also builds
//! (as progenitor's and typify's outputs do). Each fixture becomes one member of a
//! throwaway workspace under `target/fixture-crates/`: its generated files, a copy of the
//! hand-written runtime and the workspace's `Cargo.lock`, checked with all features into
//! the workspace's own target directory, so the dependencies checked by `ci` are reused.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::scratch::{self, ScratchCrate};
use crate::spec;

/// Where the throwaway workspace is written.
const FIXTURE_WORKSPACE: &str = "target/fixture-crates";

pub fn run() -> Result<ExitCode, String> {
    let root = spec::workspace_root();
    let out = root.join(FIXTURE_WORKSPACE);
    let mut fixtures = fixture_specs(&root.join("spec/fixtures"))?;
    fixtures.extend(fixture_specs(&root.join("spec/fixtures/hostile"))?);
    scratch::fresh_dir(&out)?;
    let mut members = Vec::new();
    for fixture in &fixtures {
        members.push(write_fixture_crate(&root, &out, fixture)?);
    }
    scratch::check_workspace(&root, &out, &members, "`cargo xtask fixtures`")?;
    println!(
        "fixtures: {} fixture crates compile without warnings",
        members.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// The fixture documents of one directory, sorted by name (`broken/` holds inputs that
/// are expected not to generate).
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
    let package = format!("fixture-{}", stem.replace('_', "-"));
    let krate = ScratchCrate {
        spec: fixture,
        adjust: Default::default(),
        package: &package,
        version: "0.0.0",
        manifest_tail: "\n[lints.rust]\nwarnings = \"deny\"\n",
    };
    scratch::write_crate(root, &out.join(stem), &krate)?;
    Ok(stem.to_owned())
}
