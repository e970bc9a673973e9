//! Decoding helpers the generated models call: open string enums, discriminated unions,
//! and best-match decoding of untagged unions.

use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Deserialize a string into an open enum through its `From<&str>`.
pub fn string_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct Visitor<T>(std::marker::PhantomData<T>);
    impl<T: for<'a> From<&'a str>> serde::de::Visitor<'_> for Visitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
            Ok(T::from(v))
        }
    }
    deserializer.deserialize_str(Visitor(std::marker::PhantomData))
}

/// The string value of a union's discriminator property, if present.
pub fn tag<'v>(value: &'v Value, property: &str) -> Option<&'v str> {
    value.get(property).and_then(Value::as_str)
}

/// Decode one union variant from buffered JSON; the error names the field path inside it.
pub fn variant<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    if let Ok(decoded) = T::deserialize(value) {
        return Ok(decoded);
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        format!("at `{path}`: {}", e.into_inner())
    })
}

/// The JSON type a variant accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Object,
    Array,
    String,
    Number,
    Bool,
    /// Any JSON (a free-form variant).
    Any,
}

/// What the generator knows about one untagged variant, for ranking. Every list is
/// sorted (byte order, no duplicates) so ranking can binary-search it.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub kind: JsonKind,
    /// Every property the variant declares.
    pub fields: &'static [&'static str],
    /// Properties the spec marks required.
    pub required: &'static [&'static str],
    /// Properties typed by a string enum, with the values the spec allows.
    pub tags: &'static [(&'static str, &'static [&'static str])],
}

fn kind_matches(kind: JsonKind, value: &Value) -> bool {
    match kind {
        JsonKind::Any => true,
        JsonKind::Object => value.is_object(),
        JsonKind::Array => value.is_array(),
        JsonKind::String => value.is_string(),
        JsonKind::Number => value.is_number(),
        JsonKind::Bool => value.is_boolean(),
    }
}

/// Order in which to try an untagged union's variants on `value` (best first).
///
/// The rule, most important first:
/// 1. the JSON type must match the variant's (others are not tried);
/// 2. fewer enum-typed properties whose value the variant does not allow;
/// 3. fewer required properties missing;
/// 4. more enum-typed properties whose value the variant allows;
/// 5. more of the object's keys declared by the variant;
/// 6. fewer keys the variant does not declare;
/// 7. declaration order.
///
/// The caller tries variants in this order and keeps the first that decodes.
pub fn rank(value: &Value, shapes: &[Shape]) -> Vec<usize> {
    // The object's members sorted by key, once: every shape's lists are sorted too, so
    // each test below is a binary search or a merge, with no hashing per shape.
    let mut members: Vec<(&str, &Value)> = value
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (k.as_str(), v)).collect())
        .unwrap_or_default();
    members.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let member = |name: &str| {
        members
            .binary_search_by(|(key, _)| (*key).cmp(name))
            .ok()
            .map(|i| members[i].1)
    };
    type Score = (usize, usize, isize, isize, usize);
    let mut scored: Vec<(Score, usize)> = shapes
        .iter()
        .enumerate()
        .filter(|(_, s)| kind_matches(s.kind, value))
        .map(|(index, s)| {
            if !value.is_object() {
                return ((0, 0, 0, 0, 0), index);
            }
            let (mut mismatched, mut matched) = (0usize, 0isize);
            for (field, allowed) in s.tags {
                if let Some(v) = member(field).and_then(Value::as_str) {
                    if allowed.binary_search(&v).is_ok() {
                        matched += 1;
                    } else {
                        mismatched += 1;
                    }
                }
            }
            let missing = s.required.iter().filter(|r| member(r).is_none()).count();
            let known = sorted_common(members.iter().map(|(k, _)| *k), s.fields);
            let unknown = members.len() - known;
            (
                (mismatched, missing, -matched, -(known as isize), unknown),
                index,
            )
        })
        .collect();
    scored.sort();
    scored.into_iter().map(|(_, index)| index).collect()
}

/// How many strings two sorted, duplicate-free sequences share (a merge, no lookups).
fn sorted_common<'a>(left: impl Iterator<Item = &'a str>, right: &[&str]) -> usize {
    let mut right = right.iter().peekable();
    let mut common = 0;
    for key in left {
        while right.next_if(|r| **r < key).is_some() {}
        if right.next_if(|r| **r == key).is_some() {
            common += 1;
        }
    }
    common
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SHAPES: &[Shape] = &[
        Shape {
            kind: JsonKind::Object,
            fields: &["a", "kind"],
            required: &[],
            tags: &[("kind", &["A"])],
        },
        Shape {
            kind: JsonKind::Object,
            fields: &["b", "kind"],
            required: &["b"],
            tags: &[("kind", &["B"])],
        },
        Shape {
            kind: JsonKind::String,
            fields: &[],
            required: &[],
            tags: &[],
        },
    ];

    #[test]
    fn sorted_common_counts_shared_keys() {
        let left = ["a", "c", "d", "z"];
        assert_eq!(sorted_common(left.into_iter(), &["b", "c", "d", "e"]), 2);
        assert_eq!(sorted_common(left.into_iter(), &[]), 0);
        assert_eq!(sorted_common([].into_iter(), &["a"]), 0);
        assert_eq!(sorted_common(left.into_iter(), &left), 4);
    }

    #[test]
    fn enum_values_and_keys_pick_the_variant() {
        assert_eq!(rank(&json!({"kind": "B", "b": 1}), SHAPES)[0], 1);
        assert_eq!(rank(&json!({"kind": "A"}), SHAPES)[0], 0);
        assert_eq!(rank(&json!({"b": 1}), SHAPES)[0], 1);
        assert_eq!(rank(&json!("x"), SHAPES), vec![2]);
        // Unknown discriminating value: the required-field rule decides.
        assert_eq!(rank(&json!({"kind": "C"}), SHAPES), vec![0, 1]);
    }
}
