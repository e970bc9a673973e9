//! `cargo xtask semver --history`: on every step of the spec history, the field's semver
//! oracle and `cargo xtask diff` must agree. Every lint cargo-semver-checks fires must be
//! a major entry of the diff under a rule that lint stands for, and every major rule the
//! diff reports must be a fired lint's, or one the oracle cannot see ([`ORACLE_BLIND`]).

use std::collections::BTreeSet;
use std::time::Instant;

use atlas_admin_codegen::diff::{self, Report, Rule, Verdict};
use atlas_admin_codegen::inputs::Release;

/// What each lint of cargo-semver-checks stands for in the diff's rules.
const LINT_RULES: &[(&str, &[Rule])] = &[
    ("feature_missing", &[Rule::AreaRemoved]),
    ("module_missing", &[Rule::AreaRemoved]),
    (
        "function_missing",
        &[
            Rule::AreaRemoved,
            Rule::OperationRemoved,
            Rule::VersionRemoved,
        ],
    ),
    (
        "struct_missing",
        &[
            Rule::AreaRemoved,
            Rule::OperationRemoved,
            Rule::VersionRemoved,
            Rule::ModelRemoved,
            Rule::ModelKind,
        ],
    ),
    (
        "enum_missing",
        &[Rule::ModelRemoved, Rule::ModelKind, Rule::SharedEnum],
    ),
    (
        "enum_variant_missing",
        &[Rule::EnumValueRemoved, Rule::MemberRemoved],
    ),
    ("struct_pub_field_missing", &[Rule::FieldRemoved]),
    (
        "inherent_method_missing",
        &[
            Rule::FieldRemoved,
            Rule::ParameterRemoved,
            Rule::ParameterRequiredness,
        ],
    ),
    (
        "function_parameter_count_changed",
        &[
            Rule::RequiredParameterAdded,
            Rule::ParameterRequiredness,
            Rule::ParameterRemoved,
            Rule::BodyChanged,
        ],
    ),
    (
        "method_parameter_count_changed",
        &[Rule::RequiredParameterAdded, Rule::ParameterRequiredness],
    ),
];

/// Major changes cargo-semver-checks does not compare: what a type alias names (so a name
/// leaving a shared enum), and the types of fields, arguments and return values.
pub const ORACLE_BLIND: &[Rule] = &[
    Rule::SharedEnum,
    Rule::PlainRetargeted,
    Rule::FieldType,
    Rule::ParameterType,
    Rule::BodyChanged,
    Rule::ResponseChanged,
];

/// One step's comparison.
pub struct Agreement {
    pub lints: BTreeSet<String>,
    /// The diff's major rules (preview entries are minor already).
    pub majors: BTreeSet<Rule>,
    pub disagreements: Vec<String>,
}

/// Compare the lints that fired with the diff's major entries.
pub fn compare(lints: &[String], report: &Report) -> Agreement {
    let lints: BTreeSet<String> = lints.iter().cloned().collect();
    let majors: BTreeSet<Rule> = report
        .changes
        .iter()
        .filter(|c| c.verdict == Verdict::Major)
        .map(|c| c.rule)
        .collect();
    let rules_of = |lint: &str| {
        LINT_RULES
            .iter()
            .find(|(id, _)| *id == lint)
            .map(|(_, rules)| *rules)
    };
    let mut disagreements = Vec::new();
    for lint in &lints {
        match rules_of(lint) {
            None => disagreements.push(format!("lint `{lint}` stands for no rule of the diff")),
            Some(rules) if !rules.iter().any(|r| majors.contains(r)) => {
                disagreements.push(format!(
                    "lint `{lint}` fired, but the diff has no major {}",
                    names(rules)
                ))
            }
            Some(_) => {}
        }
    }
    for rule in &majors {
        let seen = lints
            .iter()
            .filter_map(|l| rules_of(l))
            .any(|rules| rules.contains(rule));
        if !seen && !ORACLE_BLIND.contains(rule) {
            disagreements.push(format!(
                "the diff reports major `{}` but no lint for it fired",
                rule.id()
            ));
        }
    }
    Agreement {
        lints,
        majors,
        disagreements,
    }
}

fn names(rules: &[Rule]) -> String {
    rules
        .iter()
        .map(|r| format!("`{}`", r.id()))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Run the oracle and the diff on one step of the released history; print what each
/// found.
pub fn step(
    old: &Release,
    new: &Release,
    oracle: impl FnOnce() -> Result<Vec<String>, String>,
) -> Result<Agreement, String> {
    let started = Instant::now();
    let name = |r: &Release| format!("the {} document", r.step.date);
    let report = diff::diff(&name(old), &old.api, &name(new), &new.api);
    let lints = oracle()?;
    let agreement = compare(&lints, &report);
    let show = |items: Vec<String>| {
        if items.is_empty() {
            "none".to_owned()
        } else {
            items.join(", ")
        }
    };
    println!(
        "semver: {} -> {} ({:.0} s): oracle lints: {}; diff majors: {} ({} entries); {}",
        report.old,
        report.new,
        started.elapsed().as_secs_f64(),
        show(agreement.lints.iter().cloned().collect()),
        show(agreement.majors.iter().map(|r| r.id().to_owned()).collect()),
        report.count(Verdict::Major),
        if agreement.disagreements.is_empty() {
            "agree".to_owned()
        } else {
            format!("DISAGREE: {}", agreement.disagreements.join("; "))
        }
    );
    Ok(agreement)
}

#[cfg(test)]
mod tests {
    use super::*;
    use atlas_admin_codegen::diff::Change;

    fn report(rules: &[Rule]) -> Report {
        let changes = rules
            .iter()
            .map(|rule| Change {
                verdict: rule.verdict(),
                item: "x".into(),
                rule: *rule,
                detail: String::new(),
                preview: false,
            })
            .collect();
        Report {
            old: "a".into(),
            new: "b".into(),
            bump: Verdict::Major,
            changes,
        }
    }

    #[test]
    fn a_lint_with_its_major_and_a_blind_major_agree() {
        let lints = ["struct_pub_field_missing".to_owned()];
        let agreement = compare(&lints, &report(&[Rule::FieldRemoved, Rule::FieldType]));
        assert!(
            agreement.disagreements.is_empty(),
            "{:?}",
            agreement.disagreements
        );
    }

    #[test]
    fn a_lint_without_a_major_and_a_major_without_a_lint_disagree() {
        let lints = [
            "enum_variant_missing".to_owned(),
            "trait_missing".to_owned(),
        ];
        let agreement = compare(&lints, &report(&[Rule::FieldRemoved]));
        assert_eq!(
            agreement.disagreements.len(),
            3,
            "{:?}",
            agreement.disagreements
        );
    }
}
