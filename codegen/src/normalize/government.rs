//! Atlas for Government's limits (`spec/government.yaml`), attached to the operations
//! they concern: the generated code refuses what cannot work there before any I/O and
//! documents it. The rules are data with their source; this module only reads them and
//! decides which operation each one reaches.

use crate::diag::Error;
use crate::ir::{Api, GovernmentCheck, GovernmentLimit, Method, Operation};

/// One rule of `spec/government.yaml`, as written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GovernmentRule {
    pub limit: String,
    #[serde(default)]
    pub areas: Vec<String>,
    #[serde(default)]
    pub operations: Vec<String>,
    #[serde(default)]
    pub unavailable: bool,
    #[serde(default)]
    pub documented: bool,
    #[serde(default)]
    pub fields: Vec<String>,
    #[serde(default)]
    pub refused: Vec<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rules: Vec<GovernmentRule>,
}

/// Parse the rules; a rule that says neither what to check nor where is an error
/// naming it.
pub fn parse_rules(path: &str, text: &str) -> Result<Vec<GovernmentRule>, Error> {
    let file: RuleFile = serde_yaml::from_str(text).map_err(|source| Error::Yaml {
        path: path.to_owned(),
        source,
    })?;
    for (i, rule) in file.rules.iter().enumerate() {
        let invalid = |message: &str| Error::Government {
            path: path.to_owned(),
            message: format!("rules[{i}] (\"{}\"): {message}", rule.limit),
        };
        if rule.areas.is_empty() && rule.operations.is_empty() {
            return Err(invalid("names no `areas` and no `operations`"));
        }
        let checks = [rule.unavailable, rule.documented, !rule.refused.is_empty()];
        if checks.iter().filter(|c| **c).count() != 1 {
            return Err(invalid(
                "needs exactly one of `unavailable: true`, `documented: true` or `refused`",
            ));
        }
        if rule.refused.is_empty() != rule.fields.is_empty() {
            return Err(invalid("`refused` and `fields` go together"));
        }
    }
    Ok(file.rules)
}

impl GovernmentRule {
    fn check(&self) -> GovernmentCheck {
        if self.unavailable {
            GovernmentCheck::Unavailable
        } else if self.documented {
            GovernmentCheck::Documented
        } else {
            GovernmentCheck::Values {
                fields: self.fields.clone(),
                refused: self.refused.clone(),
            }
        }
    }

    fn names(&self, op: &Operation) -> bool {
        self.areas.contains(&op.tag_module) || self.operations.contains(&op.operation_id)
    }

    /// A value rule reaches an operation that sends a body or has a parameter it names.
    fn reaches(&self, op: &Operation) -> bool {
        if !self.names(op) {
            return false;
        }
        if self.refused.is_empty() {
            return true;
        }
        let sends_body = op.method != Method::Get && op.versions.iter().any(|v| v.body.is_some());
        sends_body || op.params.iter().any(|p| self.fields.contains(&p.wire_name))
    }
}

/// Attach every rule to the operations it reaches. A rule that reaches nothing is not
/// warned about here: fixture and test documents have none of Atlas's areas.
pub fn attach(api: &mut Api, rules: &[GovernmentRule]) {
    for rule in rules {
        for op in api.operations.iter_mut().filter(|op| rule.reaches(op)) {
            op.government.push(GovernmentLimit {
                limit: rule.limit.clone(),
                check: rule.check(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_without_a_place_or_with_two_checks_is_named() {
        let none = "rules:\n  - limit: X\n    unavailable: true\n";
        let error = parse_rules("g.yaml", none).unwrap_err().to_string();
        assert!(error.contains("rules[0] (\"X\")"), "{error}");
        let two =
            "rules:\n  - limit: Y\n    areas: [a]\n    unavailable: true\n    documented: true\n";
        assert!(parse_rules("g.yaml", two).is_err());
        let half = "rules:\n  - limit: Z\n    areas: [a]\n    refused: [GCP]\n";
        assert!(parse_rules("g.yaml", half)
            .unwrap_err()
            .to_string()
            .contains("go together"));
    }

    #[test]
    fn the_workspace_rules_parse() {
        let text = include_str!("../../../spec/government.yaml");
        let rules = parse_rules("spec/government.yaml", text).unwrap();
        assert!(rules
            .iter()
            .any(|r| r.unavailable && r.areas.contains(&"atlas_search".to_owned())));
    }
}
