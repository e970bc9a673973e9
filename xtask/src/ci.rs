//! `cargo xtask ci`: everything CI checks, in the order that fails fastest.

use std::process::{Command, ExitCode};

use crate::cargo::{area_features, cargo, crate_version, packages, DOWNSTREAM_AREAS};
use crate::spec::workspace_root;

#[derive(clap::Args)]
pub struct Args {
    /// Skip `cargo check` of the generated crate with each API-area feature alone.
    #[arg(long)]
    pub skip_feature_matrix: bool,
}

/// `cargo check -p atlas-admin` with only `features`, failing on any warning (cargo
/// replays a cached crate's warnings, so a warm run still sees them).
fn check_without_warnings(features: &str) -> Result<(), String> {
    let args = [
        "check",
        "-p",
        "atlas-admin",
        "--no-default-features",
        "--features",
        features,
    ];
    let shown = format!("cargo {}", args.join(" "));
    println!("==> {shown} (warnings denied)");
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(workspace_root())
        .output()
        .map_err(|e| format!("{shown}: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprint!("{stderr}");
    if !output.status.success() {
        return Err(format!("`{shown}` failed ({})", output.status));
    }
    if stderr.lines().any(|l| l.starts_with("warning")) {
        return Err(format!("`{shown}` warns (above)"));
    }
    Ok(())
}

/// crates.io refuses a larger `.crate` file.
const CRATES_IO_LIMIT: u64 = 10 << 20;

/// To verify a crate that depends on another of the package, `cargo package` extracts the
/// dependency's new `.crate` under `$CARGO_HOME/registry/src/-<hash>/` (a local registry,
/// one per checkout path) and reuses an extraction of the same name and version left by an
/// earlier run: the crate would then be verified against stale sources (it was, once the
/// runtime left the base crate). Remove ours before packaging.
fn remove_stale_extractions(packages: &[String], version: &str) -> Result<(), String> {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cargo")));
    let Some(src) = home.map(|h| h.join("registry/src")) else {
        return Ok(());
    };
    let Ok(registries) = std::fs::read_dir(&src) else {
        return Ok(()); // nothing extracted yet
    };
    for registry in registries.filter_map(Result::ok) {
        // Local registries have no host in their name: `-<hash>`.
        if !registry.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        for name in packages {
            let stale = registry.path().join(format!("{name}-{version}"));
            if stale.is_dir() {
                std::fs::remove_dir_all(&stale).map_err(|e| format!("{}: {e}", stale.display()))?;
            }
        }
    }
    Ok(())
}

/// `cargo package` of every published crate together (cargo resolves their dependencies
/// on each other from the packages it just wrote, and builds each packaged source), and
/// the size of each `.crate`, failing above the crates.io limit.
fn package() -> Result<(), String> {
    let packages = packages()?;
    let version = crate_version()?;
    remove_stale_extractions(&packages, &version)?;
    let mut args = vec!["package", "--locked"];
    for name in &packages {
        args.extend(["-p", name.as_str()]);
    }
    cargo(&args, &[])?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    let dir = target.join("package");
    for name in &packages {
        let path = dir.join(format!("{name}-{version}.crate"));
        let size = std::fs::metadata(&path)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .len();
        println!(
            "package: {} is {:.2} MB (crates.io limit {} MB)",
            path.display(),
            size as f64 / 1e6,
            CRATES_IO_LIMIT >> 20
        );
        if size > CRATES_IO_LIMIT {
            return Err(format!(
                "{} is {size} bytes, over the crates.io limit",
                path.display()
            ));
        }
    }
    Ok(())
}

/// The workflow files, through zizmor (a GitHub Actions linter from PyPI, which
/// `.ci/run` installs): template injection, permissions, unpinned actions.
fn lint_workflows() -> Result<(), String> {
    let status = Command::new("zizmor")
        .args(["--offline", ".github/workflows"])
        .current_dir(workspace_root())
        .status()
        .map_err(|e| format!("zizmor: {e} (install: python3 -m pip install zizmor)"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("zizmor .github/workflows: {status}"))
    }
}

/// The steps run so far and how long each took, printed as a table at the end (and
/// when a step fails), so the slow ones are visible in every CI log.
struct Steps(Vec<(&'static str, std::time::Duration)>);

impl Steps {
    fn run(
        &mut self,
        name: &'static str,
        step: impl FnOnce() -> Result<(), String>,
    ) -> Result<(), String> {
        let start = std::time::Instant::now();
        let result = step();
        self.0.push((name, start.elapsed()));
        println!("ci: {name}: {:.1} s", start.elapsed().as_secs_f64());
        if result.is_err() {
            self.print();
        }
        result
    }

    fn print(&self) {
        let total: f64 = self.0.iter().map(|(_, d)| d.as_secs_f64()).sum();
        println!("\n| ci step | seconds |\n| --- | --- |");
        for (name, duration) in &self.0 {
            println!("| {name} | {:.1} |", duration.as_secs_f64());
        }
        println!("| total | {total:.1} |");
    }
}

pub fn run(args: &Args) -> Result<ExitCode, String> {
    let mut steps = Steps(Vec::new());
    steps.run("fmt", || cargo(&["fmt", "--all", "--check"], &[]))?;
    steps.run("zizmor", lint_workflows)?;
    steps.run("xtask check", || cargo(&["xtask", "check"], &[]))?;
    steps.run("clippy", || {
        cargo(
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
            &[],
        )
    })?;
    steps.run("test --workspace", || cargo(&["test", "--workspace"], &[]))?;
    steps.run("replay", || {
        let recordings = crate::spec::workspace().recordings(None)?;
        let recordings = recordings
            .to_str()
            .ok_or("recordings path is not UTF-8")?
            .to_owned();
        cargo(
            &["xtask", "replay", "--quiet", "--recordings", &recordings],
            &[],
        )
    })?;
    // All features, as docs.rs builds it: the mock (`test-util`) and `preview` docs too.
    steps.run("doc", || {
        cargo(
            &["doc", "-p", "atlas-admin", "--no-deps", "--all-features"],
            &[(
                "RUSTDOCFLAGS",
                "-D warnings -D rustdoc::broken_intra_doc_links -D rustdoc::private_intra_doc_links",
            )],
        )
    })?;
    steps.run("check feature sets", || {
        cargo(
            &["check", "-p", "atlas-admin", "--no-default-features"],
            &[],
        )?;
        cargo(&["check", "-p", "atlas-admin", "--all-features"], &[])?;
        let features = ["--features", "clusters,preview"];
        let mut args = vec!["check", "-p", "atlas-admin", "--no-default-features"];
        args.extend(features);
        cargo(&args, &[])
    })?;
    steps.run("package", package)?;
    // After the checks above, whose dependency artefacts the fixture crates reuse.
    steps.run("fixtures", || crate::fixtures::run().map(drop))?;
    steps.run("history", || crate::history::run().map(drop))?;
    // The field's oracle on the newest step: about a minute (all four steps: about four).
    steps.run("semver --last 1", || {
        cargo(&["xtask", "semver", "--history", "--last", "1"], &[])
    })?;
    if !args.skip_feature_matrix {
        // Each area alone: proves every model is gated by the features that reach it,
        // and that no feature set warns; then the benchmark's downstream set.
        steps.run("feature matrix", || {
            for feature in area_features()? {
                check_without_warnings(&feature)?;
            }
            check_without_warnings(&DOWNSTREAM_AREAS.join(","))
        })?;
    }
    steps.print();
    println!("ci: all checks passed");
    Ok(ExitCode::SUCCESS)
}
