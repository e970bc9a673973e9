//! The dependency lines the crate's README gives a downstream crate (README "Testing code
//! that calls Atlas") compile only the areas they name, in test builds too: with
//! `test-util` under `[dev-dependencies]`, cargo must not turn the default features (every
//! area) back on. Checked on the resolved features (`cargo tree`), without a build.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use common::root;

/// The `toml` block of the crate README's testing section, with the version replaced by
/// a path to this checkout's crate.
fn readme_dependencies() -> String {
    let readme = std::fs::read_to_string(root().join("generated/README.md")).unwrap();
    let section = readme
        .split("## Testing code that calls Atlas")
        .nth(1)
        .expect("the README has a testing section");
    let block = section
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the testing section shows the dependency lines");
    let path = root().join("generated");
    block.replace(
        "version = \"0.1\"",
        &format!("path = {:?}", path.to_str().unwrap()),
    )
}

#[test]
fn a_downstream_crate_with_test_util_compiles_only_its_areas() {
    let dir = root().join("target/xtask-tests/downstream-features");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"downstream\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n{}",
        readme_dependencies()
    );
    std::fs::write(dir.join("Cargo.toml"), &manifest).unwrap();
    std::fs::write(dir.join("src/lib.rs"), "").unwrap();
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    // `cargo tree` runs cargo's feature resolver (`cargo metadata` does not apply weak
    // `dep?/feature` entries and would list every group crate).
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["tree", "--offline", "-e", "normal,dev", "--prefix", "none"])
        .args(["--format", "{p}|{f}", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .output()
        .unwrap();
    let tree = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // `<name> v<version> (<path>)|<features>`, once per package.
    let built: BTreeMap<&str, BTreeSet<&str>> = tree
        .lines()
        .filter_map(|line| {
            let (package, features) = line.trim_end_matches(" (*)").split_once('|')?;
            let name = package.split(' ').next()?;
            Some((
                name,
                features.split(',').filter(|f| !f.is_empty()).collect(),
            ))
        })
        .filter(|(name, _)| name.starts_with("atlas-admin"))
        .collect();
    assert_eq!(
        built.get("atlas-admin"),
        Some(&BTreeSet::from(["clusters", "projects", "test-util"])),
        "{manifest}\n{tree}"
    );
    assert_eq!(
        built.keys().copied().collect::<Vec<_>>(),
        [
            "atlas-admin",
            "atlas-admin-base",
            "atlas-admin-deployments",
            "atlas-admin-platform",
            "atlas-admin-runtime"
        ],
        "only the groups of the areas named are built:\n{tree}"
    );
}
