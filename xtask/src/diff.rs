//! `cargo xtask diff OLD [NEW]`: what a new document changes for users of the crate, with
//! the release it needs. Normalizes both documents (no compile; a few seconds) and prints
//! the Markdown changelog entry; `--json`/`--markdown` also write it to files.

use std::path::PathBuf;
use std::process::ExitCode;

use atlas_admin_codegen::diff;

use crate::spec;

#[derive(clap::Args)]
pub struct Args {
    /// The document the last release was generated from.
    old: PathBuf,
    /// The new document (default: $ATLAS_OPENAPI_SPEC, then ../shared/spec/v2.yaml).
    new: Option<PathBuf>,
    /// Also write the report as JSON here.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Also write the Markdown here.
    #[arg(long)]
    markdown: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<ExitCode, String> {
    let workspace = spec::workspace();
    let new = workspace.spec(args.new.as_deref())?;
    let report = report(&args.old, &new)?;
    let markdown = report.to_markdown();
    print!("{markdown}");
    let write = |path: &PathBuf, text: &str| {
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    if let Some(path) = &args.json {
        write(path, &report.to_json())?;
    }
    if let Some(path) = &args.markdown {
        write(path, &markdown)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The report between two documents, each named by its file name.
pub fn report(old: &std::path::Path, new: &std::path::Path) -> Result<diff::Report, String> {
    let workspace = spec::workspace();
    let name = |p: &std::path::Path| {
        p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    let old_api = workspace.load_api(old)?;
    let new_api = workspace.load_api(new)?;
    Ok(diff::diff(&name(old), &old_api, &name(new), &new_api))
}
