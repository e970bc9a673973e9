//! `cargo xtask history`: every document of the spec history (`<spec dir>/history/`)
//! generates without an error, and the crate generated from it type-checks with all
//! features and without warnings. Real upstream releases of the last 18 months, so a generator change that
//! only today's document survives fails here. Each crate carries, deprecated, what the
//! steps before it dropped, as the releases would have (`codegen::carry`).

use std::process::ExitCode;
use std::time::Instant;

use crate::scratch::{self, ScratchCrate};
use crate::spec;

/// Where the throwaway workspace is written.
const HISTORY_WORKSPACE: &str = "target/history-crates";

pub fn run() -> Result<ExitCode, String> {
    let started = Instant::now();
    let root = spec::workspace_root();
    let workspace = spec::workspace();
    let inputs = workspace.inputs(None)?;
    let mut releases = workspace.released_history()?;
    // The last step is the pinned document, which `generated/` already is.
    releases.pop();
    let out = root.join(HISTORY_WORKSPACE);
    scratch::fresh_dir(&out)?;
    let mut members = Vec::new();
    for release in &releases {
        let document = &release.step.path;
        let stem = document
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("{}: not a UTF-8 name", document.display()))?;
        let package = format!("history-{stem}");
        let krate = ScratchCrate {
            spec: document,
            adjust: inputs.with_carried(&release.carried),
            package: &package,
            version: "0.0.0",
            // What a release generated this way would warn its users about fails here.
            manifest_tail: "\n[lints.rust]\nwarnings = \"deny\"\n",
        };
        scratch::write_crate(&root, &out.join(stem), &krate)?;
        members.push(stem.to_owned());
    }
    scratch::check_workspace(&root, &out, &members, "`cargo xtask history`")?;
    println!(
        "history: {} documents generate and type-check with all features ({:.0} s): {}",
        members.len(),
        started.elapsed().as_secs_f64(),
        members.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}
