//! The report as Markdown: the changelog entry a maintainer reviews and pastes.

use super::{Report, Rule, Verdict};

/// A table cell: no pipe or line break can split it.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

pub(super) fn markdown(report: &Report) -> String {
    let mut out = format!(
        "# API changes: {} -> {}\n\nProposed release: **{}** ({} major, {} minor, {} patch changes).\n",
        report.old,
        report.new,
        report.bump.as_str(),
        report.count(Verdict::Major),
        report.count(Verdict::Minor),
        report.count(Verdict::Patch),
    );
    for (verdict, title) in [
        (Verdict::Major, "Breaking (major)"),
        (Verdict::Minor, "Added and deprecated (minor)"),
        (Verdict::Patch, "Wire format only (patch)"),
    ] {
        let rows: Vec<String> = report
            .changes
            .iter()
            .filter(|c| c.verdict == verdict)
            .map(|c| {
                let preview = if c.preview { " (preview)" } else { "" };
                format!(
                    "| `{}` | {}{preview} | {} |",
                    cell(&c.item),
                    cell(&c.detail),
                    c.rule.id()
                )
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n## {title}\n\n| item | change | rule |\n| --- | --- | --- |\n{}\n",
            rows.join("\n")
        ));
    }
    out
}

/// The rules as a Markdown table, for README "Releasing".
pub fn rules_table() -> String {
    let mut out = String::from("| rule | verdict | why |\n| --- | --- | --- |\n");
    for rule in Rule::ALL {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            rule.id(),
            rule.verdict().as_str(),
            cell(rule.reason())
        ));
    }
    out
}
