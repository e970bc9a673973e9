//! `cargo xtask ci`: everything CI checks, in the order that fails fastest.

use std::process::{Command, ExitCode};

use atlas_admin_codegen::inputs::CRATE_MANIFEST;

use crate::spec::workspace_root;

#[derive(clap::Args)]
pub struct Args {
    /// Skip `cargo check` of the generated crate with each API-area feature alone.
    #[arg(long)]
    pub skip_feature_matrix: bool,
}

pub fn cargo(args: &[&str], envs: &[(&str, &str)]) -> Result<(), String> {
    let shown = format!("cargo {}", args.join(" "));
    println!("==> {shown}");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .envs(envs.iter().copied())
        .current_dir(workspace_root())
        .status()
        .map_err(|e| format!("{shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// crates.io refuses a larger `.crate` file.
const CRATES_IO_LIMIT: u64 = 10 << 20;

/// `cargo package -p atlas-admin` (which also builds the packaged sources) and the size
/// of the `.crate` it wrote, failing above the crates.io limit.
fn package() -> Result<(), String> {
    cargo(&["package", "-p", "atlas-admin", "--locked"], &[])?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    let dir = target.join("package");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut crates: Vec<(std::time::SystemTime, std::path::PathBuf, u64)> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with("atlas-admin-") && name.ends_with(".crate")
        })
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            Some((meta.modified().ok()?, e.path(), meta.len()))
        })
        .collect();
    crates.sort();
    let (_, path, size) = crates
        .pop()
        .ok_or_else(|| format!("no atlas-admin .crate in {}", dir.display()))?;
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
    Ok(())
}

/// The API-area features of the generated crate, read from its manifest.
pub fn area_features() -> Result<Vec<String>, String> {
    let path = workspace_root().join(CRATE_MANIFEST);
    let manifest =
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let section = manifest
        .split("[features]")
        .nth(1)
        .ok_or_else(|| format!("no [features] in {CRATE_MANIFEST}"))?;
    let section = section.split("\n[").next().unwrap_or_default();
    Ok(section
        .lines()
        .filter_map(|l| l.strip_suffix(" = []"))
        .filter(|f| *f != "preview")
        .map(str::to_owned)
        .collect())
}

pub fn run(args: &Args) -> Result<ExitCode, String> {
    cargo(&["fmt", "--all", "--check"], &[])?;
    cargo(&["xtask", "check"], &[])?;
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
    )?;
    cargo(&["test", "--workspace"], &[])?;
    let recordings = crate::spec::workspace().recordings(None)?;
    let recordings = recordings
        .to_str()
        .ok_or("recordings path is not UTF-8")?
        .to_owned();
    cargo(
        &["xtask", "replay", "--quiet", "--recordings", &recordings],
        &[],
    )?;
    // All features, as docs.rs builds it: the mock (`test-util`) and `preview` docs too.
    cargo(
        &["doc", "-p", "atlas-admin", "--no-deps", "--all-features"],
        &[(
            "RUSTDOCFLAGS",
            "-D warnings -D rustdoc::broken_intra_doc_links -D rustdoc::private_intra_doc_links",
        )],
    )?;
    cargo(
        &["check", "-p", "atlas-admin", "--no-default-features"],
        &[],
    )?;
    cargo(&["check", "-p", "atlas-admin", "--all-features"], &[])?;
    cargo(
        &[
            "check",
            "-p",
            "atlas-admin",
            "--no-default-features",
            "--features",
            "clusters,preview",
        ],
        &[],
    )?;
    package()?;
    // After the checks above, whose dependency artefacts the fixture crates reuse.
    crate::fixtures::run()?;
    crate::history::run()?;
    // The field's oracle on the newest step: about a minute (all four steps: about four).
    cargo(&["xtask", "semver", "--history", "--last", "1"], &[])?;
    if !args.skip_feature_matrix {
        // Each area alone: proves every model is gated by the features that reach it.
        for feature in area_features()? {
            cargo(
                &[
                    "check",
                    "-p",
                    "atlas-admin",
                    "--no-default-features",
                    "--features",
                    &feature,
                ],
                &[],
            )?;
        }
    }
    println!("ci: all checks passed");
    Ok(ExitCode::SUCCESS)
}
