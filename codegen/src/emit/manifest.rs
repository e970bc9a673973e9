//! The generated crate's `Cargo.toml`: the hand-maintained template plus one feature per
//! API area.

use crate::emit::operations::tags_with_operations;
use crate::ir::Api;

const TEMPLATE: &str = include_str!("../../templates/Cargo.toml");

pub fn manifest(api: &Api, header: &str) -> String {
    let tags: Vec<&str> = tags_with_operations(api)
        .map(|t| t.module.as_str())
        .collect();
    let default = tags
        .iter()
        .map(|t| format!("\"{t}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let features: String = tags_with_operations(api)
        .map(|t| format!("# {}\n{} = []\n", t.name, t.module))
        .collect();
    let body = TEMPLATE
        .replace("{default}", &default)
        .replace("{features}", &features);
    format!("{header}{body}")
}
