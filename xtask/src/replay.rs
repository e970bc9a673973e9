//! `cargo xtask replay`: decode recorded Atlas responses with the generated models.

use std::path::PathBuf;
use std::process::ExitCode;

use atlas_admin_tests::replay::replay_dir;

use crate::spec;

#[derive(clap::Args)]
pub struct Args {
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

pub fn run(args: &Args) -> Result<ExitCode, String> {
    if !args.recordings.is_dir() {
        return Err(format!(
            "--recordings {}: not a directory",
            args.recordings.display()
        ));
    }
    let spec_path = spec::resolve(args.spec.as_deref())?;
    let text = spec::read(&spec_path)?;
    let overrides = spec::overrides()?;
    let (api, _, _) =
        atlas_admin_codegen::normalize_text(&spec_path.display().to_string(), &text, &overrides)
            .map_err(|e| e.to_string())?;
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
