use std::path::Path;

use super::*;

fn api(file: &str) -> Api {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../spec/fixtures/evolution")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let (api, _, _) =
        crate::normalize_text(&path.display().to_string(), &text, Default::default()).unwrap();
    api
}

fn report() -> Report {
    diff("old.yaml", &api("old.yaml"), "new.yaml", &api("new.yaml"))
}

fn entries(report: &Report) -> Vec<(Verdict, &'static str, &str)> {
    report
        .changes
        .iter()
        .map(|c| (c.verdict, c.rule.id(), c.item.as_str()))
        .collect()
}

#[test]
fn each_change_of_the_fixture_pair_gets_its_rule_and_verdict() {
    let report = report();
    let mut got = entries(&report);
    got.sort();
    let mut expected = vec![
        (
            Verdict::Major,
            "operation-removed",
            "apis::widgets::delete_widget",
        ),
        (
            Verdict::Major,
            "plain-retargeted",
            "apis::widgets::list_widgets",
        ),
        (
            Verdict::Major,
            "field-removed",
            "models::Widget.legacy_code",
        ),
        (
            Verdict::Major,
            "field-removed",
            "models::write::WidgetWrite.legacy_code",
        ),
        (
            Verdict::Major,
            "version-removed",
            "apis::widgets::list_widgets_2023_01_01",
        ),
        (Verdict::Major, "enum-value-removed", "models::Size::Huge"),
        (
            Verdict::Minor,
            "operation-added",
            "apis::widgets::get_widget",
        ),
        (
            Verdict::Minor,
            "preview-graduated",
            "apis::widgets::list_widgets_preview",
        ),
        (
            Verdict::Minor,
            "version-added",
            "apis::widgets::list_widgets_2025_01_01",
        ),
        (
            Verdict::Minor,
            "parameter-added",
            "apis::widgets::list_widgets(limit)",
        ),
        (Verdict::Minor, "field-added", "models::Widget.weight"),
        (
            Verdict::Minor,
            "field-added",
            "models::write::WidgetWrite.weight",
        ),
        (Verdict::Minor, "enum-value-added", "models::Size::Medium"),
        (Verdict::Major, "member-removed", "models::Part::Screw"),
        (
            Verdict::Major,
            "member-removed",
            "models::write::PartWrite::Screw",
        ),
        (Verdict::Major, "model-removed", "models::Screw"),
        (Verdict::Major, "model-removed", "models::Finish"),
        (Verdict::Major, "field-type", "models::Widget.finish"),
        (
            Verdict::Major,
            "field-type",
            "models::write::WidgetWrite.finish",
        ),
        (
            Verdict::Major,
            "field-type",
            "models::write::WidgetWrite.note",
        ),
        (Verdict::Major, "model-removed", "models::write::ScrewWrite"),
        // Unmerged: nothing keeps the released `()` (`carry` does).
        (
            Verdict::Major,
            "response-changed",
            "apis::widgets::polish_widget_2024_01_01",
        ),
    ];
    expected.sort();
    assert_eq!(got, expected);
    assert_eq!(report.bump, Verdict::Major);
}

#[test]
fn a_document_compared_with_itself_has_no_changes() {
    let old = api("old.yaml");
    let report = diff("old.yaml", &old, "old.yaml", &old);
    assert!(report.changes.is_empty(), "{:?}", report.changes);
    assert_eq!(report.bump, Verdict::Patch);
}

#[test]
fn the_markdown_proposes_the_release_and_lists_each_verdict() {
    let text = report().to_markdown();
    assert!(
        text.contains("Proposed release: **major** (15 major, 7 minor, 0 patch changes)"),
        "{text}"
    );
    assert!(
        text.contains(
            "| `models::Widget.legacy_code` | `legacyCode` removed upstream | field-removed |"
        ),
        "{text}"
    );
    assert!(!text.contains("## Wire format only"), "{text}");
}

#[test]
fn readme_lists_the_rules_as_the_code_applies_them() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (_, rest) = readme
        .split_once("<!-- rules:start -->\n")
        .expect("rules:start marker");
    let (table, _) = rest
        .split_once("<!-- rules:end -->")
        .expect("rules:end marker");
    let expected = render::rules_table();
    if table != expected && std::env::var_os("UPDATE_README").is_some() {
        let updated = readme.replace(
            &format!("<!-- rules:start -->\n{table}<!-- rules:end -->"),
            &format!("<!-- rules:start -->\n{expected}<!-- rules:end -->"),
        );
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        table, expected,
        "README's semver rules are stale: UPDATE_README=1 cargo test -p atlas-admin-codegen"
    );
}

/// The diff of the shared-enums fixture against itself with `from` replaced by `to`.
fn shared_enums_diff(from: &str, to: &str) -> Report {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/fixtures/shared_enums.yaml");
    let old_text = std::fs::read_to_string(&path).unwrap();
    assert!(old_text.contains(from), "the fixture declares {from:?}");
    let new_text = old_text.replace(from, to);
    let normalize = |text: &str| {
        crate::normalize_text("shared_enums.yaml", text, Default::default())
            .unwrap()
            .0
    };
    diff("old", &normalize(&old_text), "new", &normalize(&new_text))
}

/// An alias of a shared enum whose values change is a type of its own: a major change,
/// although an added value alone is minor.
#[test]
fn a_name_leaving_a_shared_enum_is_a_major_change() {
    let report = shared_enums_diff(
        "description: How the disk value is computed.\n          enum: [AVERAGE]",
        "description: How the disk value is computed.\n          enum: [AVERAGE, MEDIAN]",
    );
    let got = entries(&report);
    assert!(
        got.contains(&(Verdict::Major, "shared-enum", "models::DiskThresholdMode")),
        "{got:?}"
    );
    assert!(
        !got.iter()
            .any(|(_, _, item)| *item == "models::GetDiskThresholdMode"),
        "the parameter's enum still shares the type: {got:?}"
    );
    assert_eq!(report.bump, Verdict::Major);
}

/// An inline enum whose values become another's is an alias of it now: `enum_missing`
/// for the oracle, a major change for the diff too.
#[test]
fn an_enum_joining_a_shared_enum_is_a_major_change() {
    let report = shared_enums_diff(
        "enum: [LESS_THAN, GREATER_THAN]",
        "enum: [GREATER_THAN, LESS_THAN]",
    );
    let shared: Vec<_> = report
        .changes
        .iter()
        .filter(|c| c.rule == Rule::SharedEnum)
        .map(|c| (c.item.as_str(), c.detail.as_str(), c.verdict))
        .collect();
    assert_eq!(
        shared,
        [
            (
                "models::CpuThresholdOperator",
                "an enum before, now an alias of `models::ThresholdOperator`",
                Verdict::Major
            ),
            (
                "models::DiskThresholdOperator",
                "an enum before, now an alias of `models::ThresholdOperator`",
                Verdict::Major
            )
        ]
    );
}
