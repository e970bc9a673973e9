//! The committed `generated/` crate and `tests/generated/registry.rs` must be exactly what the
//! generator produces from the pinned spec. Set `UPDATE_GENERATED=1` to rewrite it instead of failing.

use atlas_admin_codegen::output::{check, write};
use atlas_admin_tests::{shared_path, workspace, workspace_root};

#[test]
fn generated_crate_is_current() {
    let spec_path = shared_path("ATLAS_OPENAPI_SPEC", "spec/v2.yaml");
    let text = std::fs::read_to_string(&spec_path)
        .unwrap_or_else(|e| panic!("{}: {e}", spec_path.display()));
    let inputs = workspace().inputs(None).unwrap_or_else(|e| panic!("{e}"));
    let adjust = inputs.adjustments(&atlas_admin_codegen::inputs::sha256_hex(text.as_bytes()));
    let generated = atlas_admin_codegen::generate(
        &spec_path.display().to_string(),
        &text,
        adjust,
        atlas_admin_codegen::Layout::Split,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = workspace_root();
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        write(&out, &generated.files).unwrap();
        return;
    }
    let drift = check(&out, &generated.files).unwrap();
    assert!(
        drift.is_empty(),
        "generated code is stale ({} files):\n{}\nrun `cargo xtask generate` (or UPDATE_GENERATED=1 cargo test) and commit",
        drift.len(),
        drift.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn every_operation_id_is_a_function() {
    let spec_path = shared_path("ATLAS_OPENAPI_SPEC", "spec/v2.yaml");
    let text = std::fs::read_to_string(&spec_path).unwrap();
    let overrides = workspace().overrides().unwrap();
    let adjust = atlas_admin_codegen::Adjustments {
        overrides: &overrides,
        ..Default::default()
    };
    let (api, _, _) = atlas_admin_codegen::normalize_text("v2.yaml", &text, adjust).unwrap();
    // The operations live in the group crates (`generated/crates/*/src/apis`).
    let sources: String = std::fs::read_dir(workspace_root().join("generated/crates"))
        .unwrap()
        .map(|krate| krate.unwrap().path().join("src/apis"))
        .filter(|apis| apis.is_dir())
        .flat_map(|apis| std::fs::read_dir(apis).unwrap())
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    let ids = operation_ids(&text);
    assert_eq!(ids.len(), 540, "the pinned document has 540 operations");
    assert_eq!(
        ids.len(),
        api.operations.len(),
        "every operationId is normalized"
    );
    for op in &api.operations {
        assert!(
            sources.contains(&format!("pub fn {}(", op.fn_name)),
            "no function for {}",
            op.operation_id
        );
        for v in &op.versions {
            assert!(
                sources.contains(&format!("pub fn {}(", v.fn_name)),
                "no function for {} {}",
                op.operation_id,
                v.version.label()
            );
        }
    }
}

/// Every `operationId:` in the document, found textually (independent of the generator).
fn operation_ids(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("operationId: "))
        .map(|s| s.trim().trim_matches(['"', '\'']).to_owned())
        .collect()
}
