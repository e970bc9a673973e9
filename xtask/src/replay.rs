//! `cargo xtask replay`: runs the `replay` tool of the tests package, which decodes
//! recorded Atlas responses with the generated models. It is a separate binary so that
//! the generator (this xtask) never depends on the crate it generates.

use std::process::{Command, ExitCode};

use crate::spec::workspace_root;

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "run",
            "--quiet",
            "-p",
            "atlas-admin-tests",
            "--bin",
            "replay",
            "--",
        ])
        .args(args)
        .current_dir(workspace_root())
        .status()
        .map_err(|e| format!("cannot run the replay tool: {e}"))?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
