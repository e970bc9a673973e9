//! `cargo xtask fuzz`: run every fuzz target for a set time on stable (bolero's random
//! engine); each prints how many inputs it executed. `cargo test` runs the same targets
//! for bolero's default second each, which is the CI smoke run. For coverage-guided
//! fuzzing on nightly, see README "Fuzzing".

use std::process::{Command, ExitCode};

use crate::spec::workspace_root;

#[derive(clap::Args)]
pub struct Args {
    /// Minutes per target.
    #[arg(long, default_value_t = 1.0)]
    minutes: f64,
    /// Build optimised (a long first build, then several times the executions).
    #[arg(long)]
    release: bool,
}

/// (package, test target or `--lib`, test name filter) of each fuzz target.
const TARGETS: &[(&str, &str, &str)] = &[
    ("atlas-admin-tests", "--test=fuzz", "fuzz_response_decoders"),
    ("atlas-admin-tests", "--test=fuzz", "fuzz_spec_loader"),
    ("atlas-admin-tests", "--test=fuzz", "fuzz_recording_parser"),
    ("atlas-admin-runtime", "--lib", "fuzz_digest_challenges"),
];

pub fn run(args: &Args) -> Result<ExitCode, String> {
    let millis = (args.minutes * 60_000.0).round().max(1.0) as u64;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for (package, target, name) in TARGETS {
        println!("==> {name} for {} min", args.minutes);
        let profile: &[&str] = if args.release { &["--release"] } else { &[] };
        let test = if *target == "--lib" {
            format!("auth::digest::tests::{name}")
        } else {
            (*name).to_owned()
        };
        // A target that names no test would "pass" without running (it did, once the
        // runtime moved to another package): list it first.
        let listed = Command::new(&cargo)
            .arg("test")
            .args(profile)
            .args(["-p", package, target, "--", "--exact", &test, "--list"])
            .current_dir(workspace_root())
            .output()
            .map_err(|e| format!("cannot list {name}: {e}"))?;
        let listing = String::from_utf8_lossy(&listed.stdout);
        if !listing.lines().any(|l| l == format!("{test}: test")) {
            return Err(format!("{name}: no such test in `{package}` {target}"));
        }
        let status = Command::new(&cargo)
            .arg("test")
            .args(profile)
            .args(["-p", package, target, "--", "--exact", &test])
            .arg("--nocapture")
            .env("BOLERO_RANDOM_TEST_TIME_MS", millis.to_string())
            .current_dir(workspace_root())
            .status()
            .map_err(|e| format!("cannot run {name}: {e}"))?;
        if !status.success() {
            return Err(format!(
                "{name} found a failing input (printed above with its BOLERO_RANDOM_SEED)"
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}
