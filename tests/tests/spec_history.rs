//! The changelog `cargo xtask diff` writes for each real upstream step in
//! `../shared/spec/history/` (2025-05-06 -> 2026-01-08 -> 2026-07-16 -> 2026-08-12 -> the
//! pinned document), as reviewed snapshots: each entry's verdict follows the rules in
//! README "Releasing".

use atlas_admin_codegen::diff;
use atlas_admin_tests::workspace;

fn step(index: usize) -> String {
    let workspace = workspace();
    let steps = workspace.history().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        steps.len(),
        5,
        "four history documents and the pinned one: {steps:?}"
    );
    let (old, new) = (&steps[index], &steps[index + 1]);
    let load = |p: &std::path::Path| workspace.load_api(p).unwrap_or_else(|e| panic!("{e}"));
    let name = |p: &std::path::Path| p.file_name().unwrap().to_string_lossy().into_owned();
    // The pinned document's file name says no date: name it by the pin's.
    let new_name = if index + 1 == steps.len() - 1 {
        "v2.yaml (pinned, 2026-08-21)".to_owned()
    } else {
        name(new)
    };
    diff::diff(&name(old), &load(old), &new_name, &load(new)).to_markdown()
}

#[test]
fn from_2025_05_06_to_2026_01_08() {
    insta::assert_snapshot!("history_2025_05_06", step(0));
}

#[test]
fn from_2026_01_08_to_2026_07_16() {
    insta::assert_snapshot!("history_2026_01_08", step(1));
}

#[test]
fn from_2026_07_16_to_2026_08_12() {
    insta::assert_snapshot!("history_2026_07_16", step(2));
}

#[test]
fn from_2026_08_12_to_the_pin() {
    insta::assert_snapshot!("history_2026_08_12", step(3));
}
