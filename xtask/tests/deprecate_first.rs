//! Deprecate first, end to end: `cargo xtask update-spec` from the evolution fixture's old
//! document (the release) to its new one, which drops an operation, a dated version, a
//! field of a response and of a request, an enum value and a union member. The crate it generates keeps
//! each, deprecated; compiled, its removed calls send nothing, its removed request field
//! is never serialized, its removed response field and value still decode, and its
//! removed union member is neither decoded nor sent; a field upstream widened keeps
//! its released type
//! (`spec/fixtures/evolution/carried_test.rs`). `--drop-deprecated` removes them.

mod common;

use std::path::Path;
use std::process::Command;

use common::{read, root, scratch_checkout, update_spec, MODELS, WIDGETS};

const REMOVED: &str =
    "note = \"removed upstream in the 2025-01-01 document; kept until the next major release\"";

fn adopt_new_document(name: &str, extra: &[&str]) -> (std::path::PathBuf, String) {
    let main = scratch_checkout(name);
    let new = root().join("spec/fixtures/evolution/new.yaml");
    let output = update_spec(&main, new.to_str().unwrap(), extra);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    (main, stdout)
}

/// The items whose `#[deprecated]` has this note: the first line after it that is not
/// the attribute's end, another attribute or a doc line.
fn declared_after(text: &str, note: &str) -> Vec<String> {
    let skipped = |l: &&str| {
        let l = l.trim_start();
        l.starts_with('#') || l.starts_with("///") || l.starts_with(")]")
    };
    text.match_indices(note)
        .filter_map(|(at, _)| {
            let rest = text[at..].lines().skip(1);
            rest.into_iter()
                .find(|l| !skipped(l))
                .map(|l| l.trim().to_owned())
        })
        .collect()
}

#[test]
fn what_the_new_document_drops_stays_deprecated_and_behaves() {
    let (main, stdout) = adopt_new_document("deprecate_first", &[]);
    assert!(
        stdout.contains("14 items carried in spec/api.lock"),
        "{stdout}"
    );
    let widgets = read(main.join(WIDGETS));
    let deprecated = declared_after(&widgets, REMOVED);
    for item in [
        "pub struct DeleteWidget20240101 {",
        "pub fn delete_widget_2024_01_01(widget_id: impl Into<String>) -> DeleteWidget20240101 {",
        "pub fn delete_widget(widget_id: impl Into<String>) -> DeleteWidget {",
    ] {
        assert!(
            deprecated.iter().any(|d| d == item),
            "{item}: {deprecated:#?}"
        );
    }
    let replaced =
        "note = \"removed upstream in the 2025-01-01 document; use `apis::widgets::list_widgets`\"";
    assert!(
        declared_after(&widgets, replaced).contains(&"pub struct ListWidgets20230101 {".to_owned()),
        "{widgets}"
    );
    let size = read(main.join(format!("{MODELS}/size.rs")));
    assert_eq!(declared_after(&size, REMOVED), ["Huge,"]);
    let part = read(main.join(format!("{MODELS}/part.rs")));
    assert_eq!(
        declared_after(&part, REMOVED),
        ["Screw(crate::models::Screw),"]
    );

    // `polishWidget` gained a body: its released `()` `send` is kept, deprecated.
    let kept = "note = \"the 2025-01-01 document gives the response a body (`models::Widget`): `send` returns `()` until the next major release; `Client::execute` returns the body\"";
    let sends: Vec<String> = declared_after(&widgets, kept)
        .iter()
        .map(|d| d.split('<').next().unwrap_or(d).to_owned())
        .collect();
    assert_eq!(
        sends,
        ["pub fn send", "pub fn send_with_metadata"],
        "{widgets}"
    );

    compile_and_run(&main);
}

/// Build the scratch crate with the hand-written runtime beside it, as in the checkout,
/// and run the behaviour tests.
fn compile_and_run(main: &Path) {
    let krate = main.join("generated");
    copy_tree(
        &root().join(atlas_admin_codegen::inputs::RUNTIME_DIR),
        &main.join(atlas_admin_codegen::inputs::RUNTIME_DIR),
    );
    std::fs::copy(root().join("generated/README.md"), krate.join("README.md")).unwrap();
    std::fs::create_dir_all(krate.join("tests")).unwrap();
    std::fs::copy(
        root().join("spec/fixtures/evolution/carried_test.rs"),
        krate.join("tests/carried.rs"),
    )
    .unwrap();
    std::fs::copy(root().join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    let manifest = krate.join("Cargo.toml");
    let text = read(manifest.clone());
    std::fs::write(
        &manifest,
        format!("{text}\n[workspace]\nmembers = [\"crates/*\"]\n"),
    )
    .unwrap();
    let output = Command::new(env!("CARGO"))
        .args([
            "test",
            "--quiet",
            "--features",
            "test-util",
            "--test",
            "carried",
        ])
        .arg("--manifest-path")
        .arg(&manifest)
        .arg("--target-dir")
        .arg(root().join("target"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("7 passed"), "{stdout}");
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn drop_deprecated_carries_nothing_for_a_planned_major() {
    let (main, stdout) = adopt_new_document("drop_deprecated", &["--drop-deprecated"]);
    assert!(
        stdout.contains("0 items carried in spec/api.lock"),
        "{stdout}"
    );
    assert!(stdout.contains("proposed release: major"), "{stdout}");
    let lock = read(main.join("spec/api.lock"));
    assert!(lock.contains("\"carried\": []"), "{lock}");
    let widgets = read(main.join(WIDGETS));
    assert!(!widgets.contains("delete_widget"), "dropped");
    assert!(
        !widgets.contains("execute_ignoring_body"),
        "`send` decodes the body"
    );
}
