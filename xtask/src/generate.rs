//! `generate` and `check`: the same pipeline, writing files or comparing them.

use std::path::PathBuf;
use std::process::ExitCode;

use atlas_admin_codegen::output;

use crate::spec;

#[derive(clap::Args)]
pub struct Args {
    /// OpenAPI document (default: $ATLAS_OPENAPI_SPEC, then ../shared/spec/v2.yaml).
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Output crate directory (default: generated/).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print every warning, not only the count.
    #[arg(long, short)]
    verbose: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

pub fn run(args: &Args, mode: Mode) -> Result<ExitCode, String> {
    let spec_path = spec::resolve(args.spec.as_deref())?;
    let text = spec::read(&spec_path)?;
    let overrides = spec::overrides()?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| spec::workspace_root().join("generated"));
    let generated =
        atlas_admin_codegen::generate(&spec_path.display().to_string(), &text, &overrides)
            .map_err(|e| e.to_string())?;
    for warning in &generated.warnings {
        eprintln!("{warning}");
    }
    let _ = args.verbose;
    match mode {
        Mode::Write => {
            let changed = output::write(&out, &generated.files).map_err(|e| e.to_string())?;
            println!(
                "generate: {}; {changed} files changed in {}",
                generated.summary,
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Mode::Check => {
            let drift = output::check(&out, &generated.files).map_err(|e| e.to_string())?;
            for d in &drift {
                eprintln!("{d}");
            }
            println!("check: {}; {} files differ", generated.summary, drift.len());
            if drift.is_empty() {
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("generated/ is stale: run `cargo xtask generate` and commit the result");
                Ok(ExitCode::FAILURE)
            }
        }
    }
}
