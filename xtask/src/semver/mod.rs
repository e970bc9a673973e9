//! `cargo xtask semver OLD [NEW]`: the field's semver oracle on one spec update.
//!
//! Generates the crate from both documents as scratch crates (`target/semver/{old,new}`,
//! both versioned 1.0.0 so the rules are those of a stable crate) and runs
//! `cargo semver-checks check-release --release-type minor` between them with default
//! features: every lint it reports is a change downstream code would need a major release
//! for. Install the oracle with `cargo install cargo-semver-checks --locked`.

mod agree;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use atlas_admin_codegen::carry::Carried;
use atlas_admin_codegen::inputs::Inputs;

use crate::scratch::{self, ScratchCrate};
use crate::spec;

#[derive(clap::Args)]
pub struct Args {
    /// The document the last release was generated from.
    #[arg(required_unless_present = "history")]
    old: Option<PathBuf>,
    /// The new document (default: $ATLAS_OPENAPI_SPEC, then ../shared/spec/v2.yaml).
    new: Option<PathBuf>,
    /// Every step of the spec history (`<spec dir>/history/*.yaml`, then the pinned
    /// document): the oracle and `cargo xtask diff` must agree on each.
    #[arg(long, conflicts_with_all = ["old", "new"])]
    history: bool,
    /// With `--history`: only the newest N steps.
    #[arg(long, requires = "history")]
    last: Option<usize>,
}

/// Where the scratch crates and the oracle's builds go.
const SEMVER_DIR: &str = "target/semver";

pub fn run(args: &Args) -> Result<ExitCode, String> {
    let Some(old) = args.old.as_deref() else {
        return history(args.last);
    };
    let workspace = spec::workspace();
    let new = workspace.spec(args.new.as_deref())?;
    let inputs = workspace.inputs(None)?;
    let lints = generate_and_check(&inputs, (old, &[]), (&new, &[]))?;
    if lints.is_empty() {
        println!("semver: no lint fires; the update is a minor release");
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "semver: {} lint(s) require a major release: {}",
        lints.len(),
        lints.join(", ")
    );
    Ok(ExitCode::FAILURE)
}

/// A document and what its crate carries from earlier ones.
type Side<'a> = (&'a Path, &'a [Carried]);

/// Both crates generated under `target/semver`, and the lints the oracle fires.
fn generate_and_check(
    inputs: &Inputs,
    old: Side<'_>,
    new: Side<'_>,
) -> Result<Vec<String>, String> {
    let root = spec::workspace_root();
    let dir = root.join(SEMVER_DIR);
    let old_dir = dir.join("old");
    let new_dir = dir.join("new");
    write_side(&root, &old_dir, inputs, old)?;
    write_side(&root, &new_dir, inputs, new)?;
    oracle(&old_dir, &new_dir, &dir.join("target"))
}

/// `--history`: the oracle and the diff on each step, failing on any disagreement. Each
/// step's crates are the releases deprecate-first makes (`Workspace::released_history`).
fn history(last: Option<usize>) -> Result<ExitCode, String> {
    let workspace = spec::workspace();
    let inputs = workspace.inputs(None)?;
    let releases = workspace.released_history()?;
    let pairs: Vec<&[_]> = releases.windows(2).collect();
    let skip = last.map_or(0, |n| pairs.len().saturating_sub(n));
    let mut disagreements = 0;
    for pair in pairs.into_iter().skip(skip) {
        let [old, new] = pair else { continue };
        let agreement = agree::step(old, new, || {
            generate_and_check(
                &inputs,
                (&old.step.path, &old.carried),
                (&new.step.path, &new.carried),
            )
        })?;
        disagreements += agreement.disagreements.len();
    }
    if disagreements == 0 {
        println!("semver: the oracle and the diff agree on every step");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("semver: {disagreements} disagreement(s)");
        Ok(ExitCode::FAILURE)
    }
}

/// One side of the comparison: the crate generated from a document, as its own workspace.
fn write_side(root: &Path, dir: &Path, inputs: &Inputs, side: Side<'_>) -> Result<(), String> {
    scratch::fresh_dir(dir)?;
    let (spec_path, carried) = side;
    let krate = ScratchCrate {
        spec: spec_path,
        adjust: inputs.with_carried(carried),
        package: "atlas-admin",
        version: "1.0.0",
        manifest_tail: "\n[workspace]\n",
    };
    scratch::write_crate(root, dir, &krate)?;
    scratch::copy(&root.join("Cargo.lock"), &dir.join("Cargo.lock"))
}

/// Run cargo-semver-checks; the ids of the lints that fired.
fn oracle(old: &Path, new: &Path, target: &Path) -> Result<Vec<String>, String> {
    let manifest = new.join("Cargo.toml");
    let output = Command::new("cargo")
        .args(["semver-checks", "check-release", "--manifest-path"])
        .arg(&manifest)
        .arg("--baseline-root")
        .arg(old)
        .args(["--release-type", "minor", "--default-features"])
        .env("CARGO_TARGET_DIR", target)
        .output()
        .map_err(|e| {
            format!(
                "cargo semver-checks: {e} (install: cargo install cargo-semver-checks --locked)"
            )
        })?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The oracle writes its progress and summary to stderr, the lints to stdout.
    eprint!("{stderr}");
    print!("{stdout}");
    let lints = fired_lints(&stdout);
    if !output.status.success() && lints.is_empty() {
        return Err("cargo semver-checks failed without reporting a lint".into());
    }
    Ok(lints)
}

/// The lint ids in the oracle's report (`--- failure <id>: <description> ---`).
fn fired_lints(report: &str) -> Vec<String> {
    report
        .lines()
        .filter_map(|line| line.trim().strip_prefix("--- failure "))
        .filter_map(|rest| rest.split(':').next())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_lint_ids_of_a_report() {
        let report = "\
--- failure enum_variant_missing: pub enum variant removed or renamed ---

Description:
--- failure struct_missing: pub struct removed or renamed ---
";
        assert_eq!(
            fired_lints(report),
            ["enum_variant_missing", "struct_missing"]
        );
    }
}
