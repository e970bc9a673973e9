//! `cargo xtask diff OLD [NEW]`: what a new document changes for users of the crate, with
//! the release it needs. Normalizes both documents (no compile; a few seconds) and prints
//! the Markdown changelog entry; `--json`/`--markdown` also write it to files. `--history`
//! prints, for each step of the spec history released deprecate-first, how many changes of
//! each verdict and rule it has: the figure a generator change to semver is measured by.

use std::path::PathBuf;
use std::process::ExitCode;

use atlas_admin_codegen::diff;

use crate::spec;

#[derive(clap::Args)]
pub struct Args {
    /// The document the last release was generated from.
    #[arg(required_unless_present = "history")]
    old: Option<PathBuf>,
    /// The new document (default: $ATLAS_OPENAPI_SPEC, then ../shared/spec/v2.yaml).
    new: Option<PathBuf>,
    /// Also write the report as JSON here.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Also write the Markdown here.
    #[arg(long)]
    markdown: Option<PathBuf>,
    /// Count the changes of every step of the spec history instead (no document given).
    #[arg(long, conflicts_with_all = ["old", "new", "json", "markdown"])]
    history: bool,
    /// With `--history`, also list each step's major changes (what a release would break).
    #[arg(long, requires = "history")]
    majors: bool,
}

pub fn run(args: &Args) -> Result<ExitCode, String> {
    let workspace = spec::workspace();
    let Some(old) = &args.old else {
        return history(&workspace, args.majors);
    };
    let new = workspace.spec(args.new.as_deref())?;
    let report = report(old, &new)?;
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

/// One line per step of the released history: the majors, and the entries of each rule.
fn history(
    workspace: &atlas_admin_codegen::inputs::Workspace,
    majors: bool,
) -> Result<ExitCode, String> {
    let releases = workspace.released_history()?;
    for pair in releases.windows(2) {
        let [old, new] = pair else { continue };
        let report = diff::diff(&old.step.date, &old.api, &new.step.date, &new.api);
        let mut rules: std::collections::BTreeMap<(String, &str), usize> = Default::default();
        for change in &report.changes {
            *rules
                .entry((
                    format!("{:?}", change.verdict).to_lowercase(),
                    change.rule.id(),
                ))
                .or_default() += 1;
        }
        let rules: Vec<String> = rules
            .iter()
            .map(|((verdict, rule), n)| format!("{verdict} {rule} {n}"))
            .collect();
        println!(
            "diff: {} -> {}: {} major, {} minor, {} patch ({})",
            report.old,
            report.new,
            report.count(diff::Verdict::Major),
            report.count(diff::Verdict::Minor),
            report.count(diff::Verdict::Patch),
            rules.join(", ")
        );
        let breaking = report
            .changes
            .iter()
            .filter(|c| c.verdict == diff::Verdict::Major);
        for change in breaking.filter(|_| majors) {
            println!("  {} {}: {}", change.rule.id(), change.item, change.detail);
        }
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
