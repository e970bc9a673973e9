//! The split layout (`emit::packaging`) against the single one, on fixtures whose areas
//! fall in different groups: the same files, each in the crate its features say, and a
//! facade that re-exports every area under the one crate's paths.

use std::collections::{BTreeMap, BTreeSet};

use atlas_admin_codegen::emit::packaging::GROUPS;
use atlas_admin_codegen::{FileMap, Layout};
use atlas_admin_tests::workspace_root;

fn generate(fixture: &str, layout: Layout) -> FileMap {
    let path = workspace_root().join("spec/fixtures").join(fixture);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    atlas_admin_codegen::generate(fixture, &text, Default::default(), layout)
        .unwrap_or_else(|e| panic!("{fixture}: {e}"))
        .files
}

/// Each `mod name;` of a `mod.rs` with the features its `#[cfg]` names (without
/// `preview`), read from the text.
fn modules(mod_rs: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut found = BTreeMap::new();
    let mut cfg = String::new();
    for line in mod_rs.lines() {
        let line = line.trim();
        if line.starts_with("#[cfg(") || (!cfg.is_empty() && !cfg.ends_with(")]")) {
            cfg.push_str(line);
        } else if let Some(name) = line.strip_prefix("mod ").and_then(|l| l.strip_suffix(';')) {
            let features = cfg
                .split("feature = \"")
                .skip(1)
                .filter_map(|rest| rest.split('"').next())
                .filter(|f| *f != "preview")
                .map(str::to_owned)
                .collect();
            found.insert(name.to_owned(), features);
            cfg.clear();
        } else {
            cfg.clear();
        }
    }
    found
}

/// The crate directory the group table gives a model reached by `features`.
fn expected_dir(features: &BTreeSet<String>) -> String {
    let group = |area: &str| {
        GROUPS
            .iter()
            .position(|g| g.areas.contains(&area))
            .unwrap_or(GROUPS.len() - 1)
    };
    let groups: BTreeSet<usize> = features.iter().map(|f| group(f)).collect();
    match groups.iter().collect::<Vec<_>>().as_slice() {
        [only] => format!("generated/crates/{}", GROUPS[**only].name),
        _ => "generated/crates/base".to_owned(),
    }
}

fn check_fixture(fixture: &str) {
    let single = generate(fixture, Layout::Single);
    let split = generate(fixture, Layout::Split);
    for (module_dir, mod_rs) in [
        ("src/models", "generated/src/models/mod.rs"),
        ("src/models/write", "generated/src/models/write/mod.rs"),
    ] {
        for (module, features) in modules(&single[mod_rs]) {
            let file = format!("{}/{module_dir}/{module}.rs", expected_dir(&features));
            let original = format!("generated/{module_dir}/{module}.rs");
            assert_eq!(
                split.get(&file),
                Some(&single[&original]),
                "{fixture}: {module} (features {features:?}) is not the same file in {file}"
            );
        }
    }
    let facade = &split["generated/src/lib.rs"];
    for file in single.keys() {
        let Some(area) = file
            .strip_prefix("generated/src/apis/")
            .and_then(|f| f.strip_suffix(".rs"))
            .filter(|a| *a != "mod")
        else {
            continue;
        };
        let group = expected_dir(&BTreeSet::from([area.to_owned()]));
        let crate_name = group.replace("generated/crates/", "atlas_admin_");
        assert_eq!(
            split.get(&format!("{group}/src/apis/{area}.rs")),
            Some(&single[file]),
            "{fixture}: area {area}"
        );
        assert!(
            facade.contains(&format!("pub use {crate_name}::apis::{area};")),
            "{fixture}: the facade does not re-export {area}:\n{facade}"
        );
    }
    let rust_files = |files: &FileMap| {
        files
            .keys()
            .filter(|f| f.ends_with(".rs") && !f.ends_with("mod.rs") && !f.ends_with("lib.rs"))
            .count()
    };
    assert_eq!(
        rust_files(&single),
        rust_files(&split),
        "{fixture}: no file is lost or doubled"
    );
}

#[test]
fn the_split_layout_puts_each_file_in_the_crate_of_its_areas() {
    // Clusters (deployments) with Trees (platform); Alerts (observability) with Metrics
    // (platform); Search and Clusters, both deployments.
    for fixture in ["fields.yaml", "shared_enums.yaml", "unions.yaml"] {
        check_fixture(fixture);
    }
}

#[test]
fn models_of_several_groups_are_in_the_base_and_group_crates_see_them() {
    // The shared enum `Mode` is the type of an Alerts model's field and a Metrics one's.
    let split = generate("shared_enums.yaml", Layout::Split);
    let base = modules(&split["generated/crates/base/src/models/mod.rs"]);
    assert!(
        base.values().any(|features| features.len() > 1),
        "shared_enums.yaml has a model both areas reach: {base:?}"
    );
    for group in ["observability", "platform"] {
        let models = &split[&format!("generated/crates/{group}/src/models/mod.rs")];
        assert!(
            models.contains("pub use atlas_admin_base::models::*;"),
            "{group}: {models}"
        );
        let manifest = &split[&format!("generated/crates/{group}/Cargo.toml")];
        assert!(
            manifest.contains("atlas-admin-base = { version = \"="),
            "{group}: {manifest}"
        );
    }
    let facade = &split["generated/Cargo.toml"];
    assert!(
        facade.contains(
            "alerts = [\"dep:atlas-admin-observability\", \"atlas-admin-observability/alerts\"]"
        ),
        "{facade}"
    );
    assert!(
        !split.keys().any(|f| f.contains("deployments")),
        "a group without areas is not emitted"
    );
}
