//! Rust names for spec names: types, fields, variants, modules. Keywords and collisions
//! are resolved deterministically; the wire name is always kept separately.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Type names generated code uses unqualified, which a model must not shadow.
const RESERVED_TYPES: &[&str] = &[
    "Box", "Option", "Result", "Some", "None", "Ok", "Err", "String", "Vec", "Self",
];

/// Allocates unique names within one namespace, suffixing `2`, `3`, ... on collision.
#[derive(Debug, Default, Clone)]
pub struct Namer {
    used: HashSet<String>,
}

impl Namer {
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namer {
            used: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// A namer for model type names.
    pub fn for_types() -> Self {
        Self::with_reserved(RESERVED_TYPES)
    }

    pub fn allocate(&mut self, base: &str) -> String {
        if self.used.insert(base.to_owned()) {
            return base.to_owned();
        }
        // Each suffix is tried once; the set is finite, so one is free.
        let mut n = 2u64;
        loop {
            let candidate = format!("{base}{n}");
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(name)
    }
}

/// Only the characters Rust allows in identifiers: heck keeps any alphanumeric character,
/// but `x²` is not an identifier (and `Ident::new` panics on it).
fn xid_only(name: &str) -> String {
    name.chars()
        .filter(|c| *c == '_' || unicode_ident::is_xid_continue(*c))
        .collect()
}

/// Whether a spec name has characters its Rust name loses (beyond the ASCII separators
/// case conversion drops anyway): `x²`, `get☃`.
pub fn loses_characters(raw: &str) -> bool {
    raw.chars()
        .any(|c| !c.is_ascii() && !unicode_ident::is_xid_continue(c))
}

/// `name` made a valid identifier: `prefix` when it cannot start one, `fallback` when
/// nothing of it is left.
fn identifier(name: String, prefix: &str, fallback: &str) -> String {
    let name = xid_only(&name);
    if name.chars().all(|c| c == '_') {
        return fallback.to_owned();
    }
    match name.chars().next() {
        Some(c) if c == '_' || unicode_ident::is_xid_start(c) => name,
        _ => format!("{prefix}{name}"),
    }
}

/// UpperCamelCase type name for a schema or hint.
pub fn type_name(raw: &str) -> String {
    identifier(raw.to_upper_camel_case(), "T", "Type")
}

/// snake_case identifier for a field, parameter, function or module.
pub fn snake_ident(raw: &str) -> String {
    let name = identifier(raw.to_snake_case(), "n", "value");
    if KEYWORDS.contains(&name.as_str()) {
        return format!("{name}_");
    }
    name
}

/// UpperCamelCase variant name for an enum wire value, including symbols like `<`.
pub fn variant_name(wire: &str) -> String {
    let symbolic = match wire {
        "<" => Some("LessThan"),
        "<=" => Some("LessThanOrEqual"),
        ">" => Some("GreaterThan"),
        ">=" => Some("GreaterThanOrEqual"),
        "=" | "==" => Some("Equal"),
        "!=" => Some("NotEqual"),
        "*" => Some("Wildcard"),
        "" => Some("Empty"),
        _ => None,
    };
    if let Some(name) = symbolic {
        return name.to_owned();
    }
    match identifier(wire.to_upper_camel_case(), "V", "Symbol") {
        name if name == "Self" => "SelfValue".to_owned(),
        name => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_rust_identifiers() {
        assert_eq!(type_name("charFilterhtmlStrip"), "CharFilterhtmlStrip");
        assert_eq!(type_name("2fa"), "T2fa");
        assert_eq!(snake_ident("type"), "type_");
        assert_eq!(snake_ident("groupId"), "group_id");
        assert_eq!(snake_ident("24h"), "n24h");
        assert_eq!(variant_name("<"), "LessThan");
        assert_eq!(variant_name("M10"), "M10");
        assert_eq!(variant_name("2.0"), "V20");
        assert_eq!(variant_name("us-east-1"), "UsEast1");
    }

    #[test]
    fn characters_outside_identifiers_are_dropped() {
        for raw in ["x²", "a b", "Größe²", "get☃", "²", "☃", "_", "\u{301}a"] {
            for name in [type_name(raw), snake_ident(raw), variant_name(raw)] {
                let valid = syn::parse_str::<syn::Ident>(&name).is_ok();
                assert!(valid, "{raw:?} -> {name:?}");
            }
        }
        assert_eq!(snake_ident("x²"), "x");
        assert_eq!(type_name("Größe²"), "Größe");
        assert_eq!(snake_ident("☃"), "value");
    }

    #[test]
    fn namer_suffixes_collisions_and_reserved() {
        let mut namer = Namer::for_types();
        assert_eq!(namer.allocate("Foo"), "Foo");
        assert_eq!(namer.allocate("Foo"), "Foo2");
        assert_eq!(namer.allocate("Foo"), "Foo3");
        assert_eq!(namer.allocate("String"), "String2");
    }
}
