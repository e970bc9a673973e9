//! The generated crate's `Cargo.toml`: the hand-maintained template plus one feature per
//! API area.

use crate::ir::Api;

const TEMPLATE: &str = include_str!("../../templates/Cargo.toml");

pub fn manifest(api: &Api, header: &str) -> String {
    let tags: Vec<&str> = api
        .tags_with_operations()
        .map(|t| t.module.as_str())
        .collect();
    let default = tags
        .iter()
        .map(|t| format!("\"{t}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let features: String = api
        .tags_with_operations()
        .map(|t| format!("# {}\n{} = []\n", comment_text(&t.name), t.module))
        .collect();
    let body = TEMPLATE
        .replace("{default}", &default)
        .replace("{features}", &features);
    format!("{header}{body}")
}

/// Spec text made safe for a TOML comment: a newline in a tag name would otherwise end
/// the comment and let the rest become manifest tables (`[dependencies]`).
fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::comment_text;

    #[test]
    fn comments_stay_one_line() {
        assert_eq!(
            comment_text("Clusters\n[dependencies]\r\nevil = \"1\""),
            "Clusters [dependencies]  evil = \"1\""
        );
    }
}
