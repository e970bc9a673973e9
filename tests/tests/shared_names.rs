//! `spec/names.yaml` stays true to the pinned document: every entry names one of its
//! inline enums that shares, and the shared enum has the entry's name (a lock pin may keep
//! a released name instead, but the lock pins none while it carries nothing for this one).

use atlas_admin_tests::{shared_path, workspace};

#[test]
fn every_curated_name_names_a_shared_enum_of_the_pinned_document() {
    let spec = shared_path("ATLAS_OPENAPI_SPEC", "spec/v2.yaml");
    let workspace = workspace();
    let names = workspace.names().unwrap();
    assert!(!names.is_empty(), "spec/names.yaml names no group");
    let api = workspace.load_api(&spec).unwrap();
    for (member, name) in &names {
        let def = api
            .types
            .get(member)
            .unwrap_or_else(|| panic!("spec/names.yaml: the document has no enum `{member}`"));
        assert_eq!(
            def.alias_of.as_deref(),
            Some(name.as_str()),
            "spec/names.yaml: `{member}` is not a name of the shared enum `{name}`"
        );
    }
}

#[test]
fn no_shared_enum_of_the_pinned_document_is_numbered_or_named_after_one_of_its_names() {
    let spec = shared_path("ATLAS_OPENAPI_SPEC", "spec/v2.yaml");
    let api = workspace().load_api(&spec).unwrap();
    let shared: Vec<_> = api
        .types
        .values()
        .filter(|d| !d.aliases.is_empty())
        .collect();
    assert!(shared.len() > 100, "{} shared enums", shared.len());
    for def in shared {
        // The last resort appends a number to a taken name (`Status2`).
        let stem = def.name.trim_end_matches(|c: char| c.is_ascii_digit());
        assert!(
            stem == def.name || !api.types.contains_key(stem),
            "`{}` is numbered: name it in spec/names.yaml",
            def.name
        );
        for alias in &def.aliases {
            let own = alias.trim_end_matches("Item");
            assert_ne!(
                &def.name, own,
                "`{}` is named after one of its names",
                def.name
            );
        }
    }
}
