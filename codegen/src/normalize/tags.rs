//! Tags: each becomes an API area, a module and a cargo feature of that name.

use std::collections::HashMap;

use openapiv3::ReferenceOr;

use crate::diag::child;
use crate::ir::Tag;

use super::naming::snake_ident;
use super::Normalizer;

impl Normalizer<'_> {
    /// Tags in spec order, plus any tag an operation uses without declaring it.
    pub(crate) fn tags(&mut self) -> Vec<Tag> {
        let mut tags: Vec<Tag> = self
            .spec
            .tags
            .iter()
            .map(|t| Tag {
                module: tag_module(&t.name),
                name: t.name.clone(),
                description: t.description.clone(),
            })
            .collect();
        for (path, item) in &self.spec.paths.paths {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (method, op) in item.iter() {
                for tag in &op.tags {
                    if !tags.iter().any(|t| &t.name == tag) {
                        self.warn(
                            child(&child("#/paths", path), method),
                            format!("tag `{tag}` is not declared in #/tags"),
                        );
                        tags.push(Tag {
                            module: tag_module(tag),
                            name: tag.clone(),
                            description: None,
                        });
                    }
                }
            }
        }
        self.check_tags(&tags);
        tags
    }

    /// Tag names become modules, features and comments: two may not share a module, and
    /// control characters are reported (they are replaced where they would break a line).
    fn check_tags(&mut self, tags: &[Tag]) {
        let mut modules: HashMap<&str, &str> = HashMap::new();
        for (i, tag) in tags.iter().enumerate() {
            let pointer = child(&child("#/tags", &i.to_string()), "name");
            if tag.name.chars().any(char::is_control) {
                self.warn(
                    &pointer,
                    "tag name contains control characters; they become spaces in the manifest and docs",
                );
            }
            let natural = natural_module(&tag.name);
            if natural != tag.module {
                self.warn(
                    &pointer,
                    format!(
                        "tag `{}` would be module and feature `{natural}`, which the crate uses itself; it is `{}`",
                        tag.name.escape_debug(),
                        tag.module
                    ),
                );
            }
            if let Some(first) = modules.insert(&tag.module, &tag.name) {
                self.error(
                    pointer,
                    format!(
                        "tags `{first}` and `{}` both become module and feature `{}`",
                        tag.name.escape_debug(),
                        tag.module
                    ),
                );
            }
        }
    }
}

/// Module and feature names the crates use themselves: a tag that would take one gets
/// `<name>_api` instead (a second `default` feature makes the manifest invalid; an area
/// named `runtime` or `models` would read as the crate's own modules).
pub const RESERVED_MODULES: &[&str] = &[
    "default",
    "preview",
    "test_util",
    "runtime",
    "models",
    "apis",
    "write",
    "std",
    "core",
    "alloc",
];

/// A tag's module and cargo feature: snake_case, with `MongoDB` kept as one word; ASCII
/// only, since a feature is a bare TOML key; never one of [`RESERVED_MODULES`].
pub fn tag_module(tag: &str) -> String {
    let module = natural_module(tag);
    if RESERVED_MODULES.contains(&module.as_str()) {
        format!("{module}_api")
    } else {
        module
    }
}

/// The module a tag's name spells, before [`RESERVED_MODULES`] are avoided.
fn natural_module(tag: &str) -> String {
    let ascii: String = tag.chars().filter(char::is_ascii).collect();
    snake_ident(&ascii.replace("MongoDB", "Mongodb"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_never_take_a_name_the_crate_uses() {
        assert_eq!(tag_module("Default"), "default_api");
        assert_eq!(tag_module("Test Util"), "test_util_api");
        assert_eq!(tag_module("test-util"), "test_util_api");
        assert_eq!(tag_module("Runtime"), "runtime_api");
        assert_eq!(tag_module("Clusters"), "clusters");
        assert_eq!(tag_module("MongoDB Cloud Users"), "mongodb_cloud_users");
    }
}
