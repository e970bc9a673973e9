//! The published crate's own documents (its README, which is also its rustdoc front page,
//! and its CHANGELOG) refer only to what ships with it: every `README "Section"` they
//! cite is a heading of `generated/README.md`, not of this repository's README.

use std::path::PathBuf;

fn generated(file: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../generated")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The sections a text cites as `README "Name"`, whitespace folded.
fn cited_sections(text: &str) -> Vec<String> {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    folded
        .split("README \"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(name, _)| name.to_owned()))
        .collect()
}

#[test]
fn the_crate_docs_cite_only_sections_of_the_crate_readme() {
    let readme = generated("README.md");
    let headings: Vec<&str> = readme
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(str::trim)
        .collect();
    let mut cited = 0;
    for file in ["README.md", "CHANGELOG.md"] {
        for section in cited_sections(&generated(file)) {
            assert!(
                headings.contains(&section.as_str()),
                "generated/{file} cites README \"{section}\", which generated/README.md does not have (its sections: {headings:?})"
            );
            cited += 1;
        }
    }
    assert!(cited > 0, "the CHANGELOG cites the README's rules");
}

#[test]
fn citations_are_found_across_line_breaks() {
    assert_eq!(
        cited_sections("as README \"Versions\n  and removals\" says; README \"A\""),
        ["Versions and removals", "A"]
    );
}
