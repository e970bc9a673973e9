//! The changelog `cargo xtask update-spec` writes for each real upstream step in
//! `../shared/spec/history/` (2025-05-06 -> 2026-01-08 -> 2026-07-16 -> 2026-08-12 -> the
//! pinned document), as reviewed snapshots: each entry's verdict follows the rules in
//! README "Releasing". Each step is released deprecate-first (`codegen::carry`): what a
//! document drops is carried, deprecated, so the majors left are the changes nothing can
//! carry (a field's or response's type, a plain name calling another version).

use std::sync::OnceLock;

use atlas_admin_codegen::diff::{self, Rule, Verdict};
use atlas_admin_codegen::inputs::Release;
use atlas_admin_tests::workspace;

fn releases() -> &'static [Release] {
    static RELEASES: OnceLock<Vec<Release>> = OnceLock::new();
    RELEASES.get_or_init(|| {
        let releases = workspace()
            .released_history()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            releases.len(),
            5,
            "four history documents and the pinned one"
        );
        releases
    })
}

fn report(index: usize) -> diff::Report {
    let (old, new) = (&releases()[index], &releases()[index + 1]);
    let name = |r: &Release| format!("the {} document", r.step.date);
    diff::diff(&name(old), &old.api, &name(new), &new.api)
}

fn step(index: usize) -> String {
    report(index).to_markdown()
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

/// No step removes anything without deprecating it first: what is left major on each
/// step falls under a rule no carrying can soften.
#[test]
fn after_deprecate_first_no_step_removes_anything() {
    let removals = [
        Rule::AreaRemoved,
        Rule::OperationRemoved,
        Rule::VersionRemoved,
        Rule::ModelRemoved,
        Rule::FieldRemoved,
        Rule::EnumValueRemoved,
    ];
    for index in 0..4 {
        let report = report(index);
        let removed: Vec<String> = report
            .changes
            .iter()
            .filter(|c| c.verdict == Verdict::Major && removals.contains(&c.rule))
            .map(|c| format!("{} ({})", c.item, c.rule.id()))
            .collect();
        assert!(
            removed.is_empty(),
            "{} -> {}: {removed:#?}",
            report.old,
            report.new
        );
        assert!(
            report
                .changes
                .iter()
                .any(|c| c.rule == Rule::RemovedUpstream)
                || index == 3,
            "step {index} carries what it drops"
        );
    }
}
