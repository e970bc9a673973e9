//! String enums: forward compatible, with a catch-all variant that keeps unknown values.

use crate::ir::{EnumVariant, StringEnum};

use super::naming::{variant_name, Namer};

/// Name of the variant that captures values this crate version does not know.
const UNKNOWN: &str = "UnknownValue";

/// Build an open enum from wire values (duplicates dropped, order kept).
pub fn string_enum(values: &[String]) -> StringEnum {
    let mut names = Namer::default();
    let mut seen = std::collections::HashSet::new();
    let variants: Vec<EnumVariant> = values
        .iter()
        .filter(|v| seen.insert(v.as_str()))
        .map(|wire| EnumVariant {
            name: names.allocate(&variant_name(wire)),
            wire: wire.clone(),
            removed: None,
        })
        .collect();
    StringEnum {
        unknown_variant: names.allocate(UNKNOWN),
        variants,
        ranked: false,
        integer: false,
    }
}

/// Build an open integer enum: `V15` for 15, `Minus1` for -1 (duplicates dropped, order
/// kept).
pub fn integer_enum(values: &[i64]) -> StringEnum {
    let mut names = Namer::default();
    let mut seen = std::collections::HashSet::new();
    let variants: Vec<EnumVariant> = values
        .iter()
        .filter(|v| seen.insert(**v))
        .map(|v| {
            let base = if *v < 0 {
                format!("Minus{}", v.unsigned_abs())
            } else {
                format!("V{v}")
            };
            EnumVariant {
                name: names.allocate(&base),
                wire: v.to_string(),
                removed: None,
            }
        })
        .collect();
    StringEnum {
        unknown_variant: names.allocate(UNKNOWN),
        variants,
        ranked: false,
        integer: true,
    }
}

/// Merge several string enums (a `oneOf` of enums) into one value list, in order.
pub fn merge_values<'a>(lists: impl IntoIterator<Item = &'a [String]>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    lists
        .into_iter()
        .flatten()
        .filter(|v| seen.insert(v.as_str()))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_and_collisions_get_distinct_names() {
        let e = string_enum(&[
            "<".into(),
            ">".into(),
            "a-b".into(),
            "A_B".into(),
            "UNKNOWN_VALUE".into(),
        ]);
        let names: Vec<_> = e.variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(
            names,
            ["LessThan", "GreaterThan", "AB", "AB2", "UnknownValue"]
        );
        assert_eq!(e.unknown_variant, "UnknownValue2");
    }

    #[test]
    fn merge_keeps_first_occurrence_order() {
        let a = vec!["X".to_string(), "Y".to_string()];
        let b = vec!["Y".to_string(), "Z".to_string()];
        assert_eq!(merge_values([a.as_slice(), b.as_slice()]), ["X", "Y", "Z"]);
    }
}
