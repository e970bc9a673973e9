//! `generate` and `check`: the same pipeline, writing files or comparing them.

use std::path::PathBuf;
use std::process::ExitCode;

use atlas_admin_codegen::inputs::sha256_hex;
use atlas_admin_codegen::output;

use crate::spec;

#[derive(clap::Args, Default)]
pub struct Args {
    /// OpenAPI document (default: $ATLAS_OPENAPI_SPEC, then ../shared/spec/v2.yaml).
    #[arg(long)]
    spec: Option<PathBuf>,
    /// The watchers overlay (default: $ATLAS_WATCHERS_OVERLAY, then
    /// ../shared/spec/overlays/watchers.yaml).
    #[arg(long)]
    watchers: Option<PathBuf>,
    /// Directory laid out like this workspace to write into: the crate goes to its
    /// `generated/`, the tools-only binding table to `tests/generated/registry.rs` (default: this
    /// workspace).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print the time of each stage (load, normalize, emit+format, write).
    #[arg(long)]
    timings: bool,
    /// Fail (and write nothing) when the document gives any warning.
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

pub fn run(args: &Args, mode: Mode) -> Result<ExitCode, String> {
    let spec_path = spec::workspace().spec(args.spec.as_deref())?;
    let text = spec::read(&spec_path)?;
    let inputs = spec::workspace().inputs(args.watchers.as_deref())?;
    let out = args.out.clone().unwrap_or_else(spec::workspace_root);
    // The lock's carried items go into the document it names (the pinned one) only.
    let adjust = inputs.adjustments(&sha256_hex(text.as_bytes()));
    let generated = atlas_admin_codegen::generate(
        &spec_path.display().to_string(),
        &text,
        adjust,
        atlas_admin_codegen::Layout::Split,
    )
    .map_err(|e| e.to_string())?;
    for warning in &generated.warnings {
        eprintln!("{warning}");
    }
    if args.deny_warnings && !generated.warnings.is_empty() {
        return Err(format!(
            "{} warning(s) and --deny-warnings: nothing written",
            generated.warnings.len()
        ));
    }
    match mode {
        Mode::Write => {
            let start = std::time::Instant::now();
            let changed = output::write(&out, &generated.files).map_err(|e| e.to_string())?;
            if args.timings {
                let t = &generated.timings;
                println!(
                    "timings: load {:.3} s, normalize {:.3} s, emit+format {:.3} s, write {:.3} s",
                    t.load.as_secs_f64(),
                    t.normalize.as_secs_f64(),
                    t.emit_and_format.as_secs_f64(),
                    start.elapsed().as_secs_f64()
                );
            }
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
                eprintln!(
                    "generated code is stale: run `cargo xtask generate` and commit the result"
                );
                Ok(ExitCode::FAILURE)
            }
        }
    }
}
