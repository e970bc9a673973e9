//! Running cargo in the workspace, and what the workspace's manifests say about the
//! published package: its crates, their version, the API-area features. `ci`, `scratch`
//! and `bench` use these; none of them is a CI step itself.

use std::process::Command;

use atlas_admin_codegen::inputs::{BASE_MANIFEST, CRATE_MANIFEST};

use crate::spec::workspace_root;

/// The areas of the benchmark's downstream crate (`bench/downstream.rs`), also checked
/// together for warnings.
pub const DOWNSTREAM_AREAS: [&str; 5] = [
    "clusters",
    "projects",
    "database_users",
    "mongodb_cloud_users",
    "monitoring_and_logs",
];

/// Run cargo in the workspace root with `args` (and `envs`), echoing the command.
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

/// The published packages in dependency order: the hand-written runtime, the crates under
/// `generated/crates/` (`atlas-admin-<dir>`), then the facade that depends on them.
pub fn packages() -> Result<Vec<String>, String> {
    let dir = workspace_root().join("generated/crates");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().join("Cargo.toml").is_file())
        .map(|e| format!("atlas-admin-{}", e.file_name().to_string_lossy()))
        .collect();
    names.sort();
    names.insert(
        0,
        atlas_admin_codegen::emit::manifest::RUNTIME_PACKAGE.into(),
    );
    names.push("atlas-admin".into());
    Ok(names)
}

/// The version in the facade's manifest (every published crate has it).
pub fn crate_version() -> Result<String, String> {
    let path = workspace_root().join(CRATE_MANIFEST);
    let manifest =
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .map(str::to_owned)
        .ok_or_else(|| format!("{CRATE_MANIFEST}: no version"))
}

/// The API-area features of the generated crate, read from its base crate's manifest
/// (where each is `= []`).
pub fn area_features() -> Result<Vec<String>, String> {
    let path = workspace_root().join(BASE_MANIFEST);
    let manifest =
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let section = manifest
        .split("[features]")
        .nth(1)
        .ok_or_else(|| format!("no [features] in {BASE_MANIFEST}"))?;
    let section = section.split("\n[").next().unwrap_or_default();
    Ok(section
        .lines()
        .filter_map(|l| l.strip_suffix(" = []"))
        .filter(|f| *f != "preview")
        .map(str::to_owned)
        .collect())
}
