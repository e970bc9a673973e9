//! `replay`: decode recorded Atlas responses with the generated models (run through
//! `cargo xtask replay`). Lives beside the tests so that the generator never depends on
//! the crate it generates.

use std::path::PathBuf;
use std::process::ExitCode;

use atlas_admin_tests::replay::replay_dir;
use atlas_admin_tests::{load_api, spec_path};
use clap::Parser;

#[derive(Parser)]
#[command(name = "cargo xtask replay")]
struct Args {
    /// Directory of `.snaphost` recordings (searched recursively).
    #[arg(long)]
    recordings: PathBuf,
    /// Also write the report as JSON to this file.
    #[arg(long)]
    json: Option<PathBuf>,
    /// OpenAPI document (default: $ATLAS_OPENAPI_SPEC, then ../shared/spec/v2.yaml).
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Do not print the drift list, only its count.
    #[arg(long)]
    quiet: bool,
}

fn main() -> ExitCode {
    match run(&Args::parse()) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<ExitCode, String> {
    if !args.recordings.is_dir() {
        return Err(format!(
            "--recordings {}: not a directory",
            args.recordings.display()
        ));
    }
    let api = load_api(&spec_path(args.spec.as_deref())?)?;
    let report = replay_dir(&api, &args.recordings)?;
    for f in &report.failed {
        println!(
            "FAILED {} {} {} at `{}`: {}",
            f.file, f.operation, f.version, f.path, f.error
        );
    }
    if !args.quiet {
        for d in &report.drift {
            println!(
                "drift  {} {} {} at `{}`: {}",
                d.file, d.operation, d.version, d.path, d.what
            );
        }
    }
    for n in &report.not_mappable {
        println!("skip   {}: {}", n.file, n.reason);
    }
    if let Some(path) = &args.json {
        let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        std::fs::write(path, json).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    println!("{}", report.summary());
    Ok(if report.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
