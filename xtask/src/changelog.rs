//! The entry `cargo xtask update-spec` adds under "Unreleased" in
//! `generated/CHANGELOG.md`, written for a user of the crate: what needs action first
//! (breaking changes, then what is deprecated or removed upstream, each with its
//! replacement and when it goes), then what was added, then wire-format changes; each
//! section grouped by API area, each item linked to its page on docs.rs.

use std::collections::BTreeMap;

use atlas_admin_codegen::diff::{Change, Report, Rule, Verdict};
use atlas_admin_codegen::ir::{Api, TypeDef, TypeKind};

/// Where the published crate's docs live.
const DOCS: &str = "https://docs.rs/atlas-admin/latest/atlas_admin";
/// The group of models more than one area uses.
const SHARED: &str = "models several areas use";
/// Rules that are not breaking but ask the user to move: deprecations, removals and
/// released `()` responses the crate carries until the next major release, sunset dates.
const ACTION_RULES: [Rule; 4] = [
    Rule::Deprecated,
    Rule::RemovedUpstream,
    Rule::ResponseKept,
    Rule::Sunset,
];

/// The entry for one adopted document. `old` and `new` are the released and the next
/// API (the next with what it carries), to find each model's area and kind.
pub fn entry(report: &Report, date: &str, sha256: &str, old: &Api, new: &Api) -> String {
    let mut out = format!(
        "### Upstream document of {date}\n\nsha256 `{sha256}`; this update alone needs a {} release.\n",
        report.bump.as_str()
    );
    for (section, title) in SECTIONS {
        let mut by_area: BTreeMap<String, Vec<&Change>> = BTreeMap::new();
        for change in report.changes.iter().filter(|c| section_of(c) == section) {
            by_area
                .entry(area(&change.item, old, new))
                .or_default()
                .push(change);
        }
        if by_area.is_empty() {
            continue;
        }
        out.push_str(&format!("\n#### {title}\n"));
        // Breaking first within an area, then by item.
        for (area, mut changes) in ordered(by_area) {
            changes.sort_by_key(|c| (std::cmp::Reverse(c.verdict), c.item.clone()));
            out.push_str(&format!("\n{area}:\n\n"));
            for c in changes {
                out.push_str(&line(c, old, new));
            }
        }
    }
    out
}

/// The entry's sections, in the order a user reads them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    NeedsAction,
    Added,
    WireFormat,
}

const SECTIONS: [(Section, &str); 3] = [
    (Section::NeedsAction, "Needs action"),
    (Section::Added, "Added and changed"),
    (Section::WireFormat, "Wire format"),
];

fn section_of(c: &Change) -> Section {
    if c.verdict == Verdict::Major || ACTION_RULES.contains(&c.rule) {
        Section::NeedsAction
    } else if c.verdict == Verdict::Minor {
        Section::Added
    } else {
        Section::WireFormat
    }
}

/// Areas by name, the shared models last.
fn ordered(by_area: BTreeMap<String, Vec<&Change>>) -> Vec<(String, Vec<&Change>)> {
    let (shared, mut areas): (Vec<_>, Vec<_>) =
        by_area.into_iter().partition(|(area, _)| area == SHARED);
    areas.extend(shared);
    areas
}

/// One item: linked, what changed, and the rule (breaking ones say so).
fn line(c: &Change, old: &Api, new: &Api) -> String {
    let preview = if c.preview { " (preview)" } else { "" };
    let breaking = if c.verdict == Verdict::Major {
        "**breaking**: "
    } else {
        ""
    };
    let item = match link(&c.item, old, new) {
        Some(url) => format!("[`{}`]({url})", c.item),
        None => format!("`{}`", c.item),
    };
    format!(
        "- {breaking}{item}: {}{preview} ({})\n",
        c.detail,
        c.rule.id()
    )
}

/// The area of an item: `apis::<area>::..`, or the one area that reaches a model.
fn area(item: &str, old: &Api, new: &Api) -> String {
    if let Some(rest) = item.strip_prefix("apis::") {
        return rest.split("::").next().unwrap_or(rest).to_owned();
    }
    let Some(def) = model(item, old, new) else {
        return SHARED.to_owned();
    };
    let mut areas: Vec<&str> = def
        .reached_by
        .iter()
        .map(|c| c.tag_module.as_str())
        .collect();
    areas.sort_unstable();
    areas.dedup();
    match areas.as_slice() {
        [one] => (*one).to_owned(),
        _ => SHARED.to_owned(),
    }
}

/// The model an item names (`models::X`, `models::write::X`, with `.field` or
/// `::Variant`), in the next API or else the released one.
fn model<'a>(item: &str, old: &'a Api, new: &'a Api) -> Option<&'a TypeDef> {
    let (write, rest) = match item.strip_prefix("models::write::") {
        Some(rest) => (true, rest),
        None => (false, item.strip_prefix("models::")?),
    };
    let name = rest.split(['.', ':']).next()?;
    let find = |api: &'a Api| {
        if write {
            api.writes.get(name)
        } else {
            api.types.get(name)
        }
    };
    find(new).or_else(|| find(old))
}

/// The item's page on docs.rs (its field or variant anchored), when its kind is known.
fn link(item: &str, old: &Api, new: &Api) -> Option<String> {
    if let Some(rest) = item.strip_prefix("apis::") {
        let mut parts = rest.splitn(2, "::");
        let area = parts.next()?;
        return Some(match parts.next() {
            None => format!("{DOCS}/apis/{area}/index.html"),
            Some(name) => {
                let function = name.split(['.', '(']).next()?;
                format!("{DOCS}/apis/{area}/fn.{function}.html")
            }
        });
    }
    let def = model(item, old, new)?;
    let module = if item.starts_with("models::write::") {
        "models/write"
    } else {
        "models"
    };
    let kind = match (&def.kind, &def.alias_of) {
        (_, Some(_)) => "type",
        (TypeKind::Struct(_), None) => "struct",
        _ => "enum",
    };
    let after = item.split_once(def.name.as_str()).map_or("", |(_, a)| a);
    let anchor = if let Some(field) = after.strip_prefix('.') {
        format!("#structfield.{field}")
    } else if let Some(variant) = after.strip_prefix("::") {
        format!("#variant.{variant}")
    } else {
        String::new()
    };
    Some(format!("{DOCS}/{module}/{kind}.{}.html{anchor}", def.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(verdict: Verdict, rule: Rule, item: &str) -> Change {
        Change {
            verdict,
            item: item.into(),
            rule,
            detail: "what changed".into(),
            preview: false,
        }
    }

    #[test]
    fn needs_action_leads_grouped_by_area_and_each_item_links_to_its_page() {
        let api = Api::default();
        let report = Report {
            old: "old".into(),
            new: "new".into(),
            bump: Verdict::Major,
            changes: vec![
                change(
                    Verdict::Minor,
                    Rule::OperationAdded,
                    "apis::clusters::list_things",
                ),
                change(
                    Verdict::Major,
                    Rule::ParameterType,
                    "apis::teams::get_team.team_id",
                ),
                change(
                    Verdict::Minor,
                    Rule::RemovedUpstream,
                    "apis::clusters::old_call",
                ),
            ],
        };
        let text = entry(&report, "2026-12-01", "abc", &api, &api);
        let action = text.find("#### Needs action").unwrap();
        let added = text.find("#### Added and changed").unwrap();
        assert!(action < added, "{text}");
        let needs = &text[action..added];
        assert!(needs.contains(
            "clusters:\n\n- [`apis::clusters::old_call`](https://docs.rs/atlas-admin/latest/atlas_admin/apis/clusters/fn.old_call.html): what changed (removed-upstream)\n"
        ), "{text}");
        assert!(needs.contains("teams:\n\n- **breaking**: [`apis::teams::get_team.team_id`](https://docs.rs/atlas-admin/latest/atlas_admin/apis/teams/fn.get_team.html)"), "{text}");
        assert!(needs.find("clusters:") < needs.find("teams:"), "{text}");
        assert!(
            text[added..].contains("clusters:\n\n- [`apis::clusters::list_things`]"),
            "{text}"
        );
    }
}
