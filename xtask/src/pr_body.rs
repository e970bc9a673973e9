//! The pull request `cargo xtask update-spec --pr-body FILE` writes for the scheduled
//! update workflow (`.github/workflows/update-spec.yml`): the release the new document
//! needs and why, what the crate keeps deprecated, and the Rust-API diff; or, when the
//! document does not generate, the generator's located errors.

use atlas_admin_codegen::carry::Carried;
use atlas_admin_codegen::diff::{Report, Verdict};

/// GitHub refuses a pull request body over 65,536 characters; the diff is cut before.
const MAX_BODY: usize = 60_000;

/// The document an update adopts, as the body names it.
pub struct Adopted<'a> {
    pub from: &'a str,
    pub date: &'a str,
    pub sha256: &'a str,
    /// The document it replaces ("the 2026-08-12 document").
    pub replaces: &'a str,
}

/// The body of the pull request that adopts `doc`.
pub fn success(doc: &Adopted<'_>, report: &Report, carried: &[Carried]) -> String {
    let mut out = format!(
        "## Atlas Administration API document of {}\n\n`{}` (sha256 `{}`) replaces {}.\n\n\
         **Proposed release: {}.** {}\n",
        doc.date,
        doc.from,
        doc.sha256,
        doc.replaces,
        report.bump.as_str(),
        why(report)
    );
    out.push_str("\n### Kept, deprecated, until the next major release\n\n");
    if carried.is_empty() {
        out.push_str("Nothing: the document drops nothing the released crate has.\n");
    } else {
        for item in carried {
            out.push_str(&format!("- {}\n", item.describe()));
        }
    }
    out.push_str(
        "\n### Before merging\n\n- Read the diff below; `generated/CHANGELOG.md` has the same \
         entries under \"Unreleased\".\n- The moved `shared/` directory is this run's \
         `shared` artifact: point `SHARED_ARCHIVE_URL` at it, or CI tests the old document.\n\
         - After merging: `cargo xtask release --dry-run`, then `cargo xtask release` \
         (README \"Releasing\").\n\n",
    );
    let diff = report
        .to_markdown()
        .replacen("# API changes", "### Rust API changes", 1);
    push_cut(&mut out, &diff);
    out
}

/// The body (and job summary) when the document does not generate.
pub fn failure(from: &str, error: &str) -> String {
    format!(
        "## The new Atlas Administration API document does not generate\n\n`{from}`: \
         nothing was changed. The generator's errors, each with its place in the \
         document:\n\n```text\n{}\n```\n",
        error.trim_end()
    )
}

/// Why the report needs its release: the rules of its major changes, or that nothing
/// breaks.
fn why(report: &Report) -> String {
    match report.bump {
        Verdict::Major => {
            let mut rules: Vec<(&str, usize)> = Vec::new();
            for c in report
                .changes
                .iter()
                .filter(|c| c.verdict == Verdict::Major)
            {
                match rules.iter_mut().find(|(id, _)| *id == c.rule.id()) {
                    Some((_, n)) => *n += 1,
                    None => rules.push((c.rule.id(), 1)),
                }
            }
            let rules: Vec<String> = rules
                .iter()
                .map(|(id, n)| format!("`{id}` ({n})"))
                .collect();
            format!(
                "It breaks code built on the released crate: {}.",
                rules.join(", ")
            )
        }
        Verdict::Minor => format!(
            "It adds or deprecates ({} changes) and breaks nothing.",
            report.count(Verdict::Minor)
        ),
        Verdict::Patch => "Only what is sent or read on the wire changes.".to_owned(),
    }
}

/// Append `text`, cut at a line so the body stays under GitHub's limit.
fn push_cut(out: &mut String, text: &str) {
    let room = MAX_BODY.saturating_sub(out.len());
    if text.len() <= room {
        out.push_str(text);
        return;
    }
    let cut = text
        .match_indices('\n')
        .map(|(at, _)| at)
        .take_while(|at| *at <= room)
        .last()
        .unwrap_or(0);
    let left = text[cut..].lines().count();
    out.push_str(&text[..cut]);
    out.push_str(&format!(
        "\n\n({left} more lines: `cargo xtask diff` prints the whole report.)\n"
    ));
}
