//! Decoding helpers the generated models call: open string enums, discriminated unions,
//! and best-match decoding of untagged unions.
//!
//! A union cannot know its variant before it has seen the whole object (the discriminator
//! may come last), so it keeps the object's JSON text ([`Buffered`]), reads what choosing
//! needs (one property, or the top-level keys and string values), then parses the text
//! once more straight into the chosen variant. Nothing builds a `serde_json::Value` tree
//! unless no variant accepts the JSON.
//!
//! Keeping JSON as text needs `serde_json`'s own deserializers (`from_slice`, `from_str`,
//! `from_reader`, a `Value`): models that contain a union do not decode from other formats
//! or through serde's internal buffering (a `#[serde(flatten)]` or untagged wrapper).

use std::borrow::Cow;
use std::fmt;

use serde::de::{
    DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_json::value::RawValue;
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

/// A union's JSON, kept as text until its variant is chosen.
pub struct Buffered(Box<RawValue>);

impl Buffered {
    /// Take the next JSON value as text (validated, not decoded).
    pub fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::Deserialize::deserialize(deserializer).map(Self)
    }

    /// The string value of a top-level property (a union's discriminator), if present.
    /// Members before it are skipped unread and the scan stops there: the text was
    /// validated when it was read. Should a key repeat, its first value decides.
    pub fn tag(&self, property: &str) -> Option<Cow<'_, str>> {
        let mut found = None;
        let mut de = serde_json::Deserializer::from_str(self.0.get());
        // Ends in an error when the property is found (to stop early), when it is not an
        // object, or at the end of the object: `found` holds the answer either way.
        let _ = de.deserialize_map(TagVisitor {
            property,
            found: &mut found,
        });
        found
    }

    /// What ranking needs: the JSON type, and each top-level member's key and string value.
    pub fn probe(&self) -> Probe<'_> {
        let mut de = serde_json::Deserializer::from_str(self.0.get());
        // The text was validated when it was read, so probing it cannot fail.
        ProbeSeed.deserialize(&mut de).unwrap_or(Probe {
            kind: None,
            members: Vec::new(),
        })
    }

    /// Decode the JSON as one variant; the error names the field path inside it.
    pub fn variant<T: DeserializeOwned>(&self) -> Result<T, String> {
        let text = self.0.get();
        if let Ok(decoded) = serde_json::from_str(text) {
            return Ok(decoded);
        }
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            format!("at `{path}`: {}", e.into_inner())
        })
    }

    /// Decode the JSON as one variant, or `None`: for trying variants in turn, where the
    /// error of one that does not fit is of no use (and naming its path would cost a
    /// second parse).
    pub fn try_variant<T: DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_str(self.0.get()).ok()
    }

    /// The JSON as a tree, for the variant that keeps what no other accepts.
    pub fn to_value(&self) -> Result<Value, String> {
        serde_json::from_str(self.0.get()).map_err(|e| e.to_string())
    }

    /// Best-first order of `shapes` to try (see [`rank`]).
    pub fn rank(&self, shapes: &[Shape]) -> Vec<usize> {
        rank(&self.probe(), shapes)
    }
}

/// The top level of a JSON value, as far as choosing a union variant needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe<'a> {
    /// `None` for `null`.
    pub kind: Option<JsonKind>,
    /// An object's members sorted by key: key, and the value when it is a string. A
    /// repeated key appears once, with its last value, as decoding reads it.
    pub members: Vec<(Cow<'a, str>, Option<Cow<'a, str>>)>,
}

impl<'a> Probe<'a> {
    /// Probe JSON text.
    pub fn of(text: &'a str) -> Result<Self, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(text);
        let probe = ProbeSeed.deserialize(&mut de)?;
        de.end()?;
        Ok(probe)
    }
}

/// Finds one property's string value in an object, and stops there.
struct TagVisitor<'p, 'f, 'de> {
    property: &'p str,
    found: &'f mut Option<Cow<'de, str>>,
}

impl<'de> Visitor<'de> for TagVisitor<'_, '_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<super::object::Key<'de>>()? {
            if *key == *self.property {
                *self.found = map.next_value::<MaybeString<'de>>()?.0;
                return Err(serde::de::Error::custom("found"));
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// Reads a [`Probe`]: nested values are skipped, not decoded.
struct ProbeSeed;

impl<'de> DeserializeSeed<'de> for ProbeSeed {
    type Value = Probe<'de>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Probe<'de>, D::Error> {
        deserializer.deserialize_any(ProbeVisitor)
    }
}

struct ProbeVisitor;

impl ProbeVisitor {
    fn scalar<'de, E>(kind: JsonKind) -> Result<Probe<'de>, E> {
        Ok(Probe {
            kind: Some(kind),
            members: Vec::new(),
        })
    }
}

impl<'de> Visitor<'de> for ProbeVisitor {
    type Value = Probe<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Probe<'de>, A::Error> {
        let mut members = Vec::new();
        while let Some(key) = map.next_key::<super::object::Key<'de>>()? {
            let value = map.next_value::<MaybeString<'de>>()?.0;
            members.push((key.0, value));
        }
        // Sorted once here: every shape's lists are sorted too, so each ranking test is a
        // binary search or a merge. Reversed first so the stable sort puts a repeated
        // key's last value first, which `dedup` keeps.
        members.reverse();
        members.sort_by(|a, b| a.0.cmp(&b.0));
        members.dedup_by(|later, first| later.0 == first.0);
        Ok(Probe {
            kind: Some(JsonKind::Object),
            members,
        })
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Probe<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Self::scalar(JsonKind::Array)
    }
    fn visit_str<E>(self, _: &str) -> Result<Probe<'de>, E> {
        Self::scalar(JsonKind::String)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Probe<'de>, E> {
        Self::scalar(JsonKind::Bool)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Probe<'de>, E> {
        Self::scalar(JsonKind::Number)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Probe<'de>, E> {
        Self::scalar(JsonKind::Number)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Probe<'de>, E> {
        Self::scalar(JsonKind::Number)
    }
    fn visit_unit<E>(self) -> Result<Probe<'de>, E> {
        Ok(Probe {
            kind: None,
            members: Vec::new(),
        })
    }
}

/// A member's value: the string, or `None` for anything else (skipped unread).
struct MaybeString<'de>(Option<Cow<'de, str>>);

impl<'de> serde::Deserialize<'de> for MaybeString<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MaybeStringVisitor;
        impl<'de> Visitor<'de> for MaybeStringVisitor {
            type Value = MaybeString<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(MaybeString(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(MaybeString(Some(Cow::Owned(v.to_owned()))))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(MaybeString(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(MaybeString(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(MaybeString(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(MaybeString(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(MaybeString(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(MaybeString(None))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(MaybeString(None))
            }
        }
        deserializer.deserialize_any(MaybeStringVisitor)
    }
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

fn kind_matches(kind: JsonKind, value: Option<JsonKind>) -> bool {
    kind == JsonKind::Any || Some(kind) == value
}

/// Order in which to try an untagged union's variants on a probed value (best first).
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
pub fn rank(probe: &Probe<'_>, shapes: &[Shape]) -> Vec<usize> {
    let members = &probe.members;
    let member = |name: &str| {
        members
            .binary_search_by(|(key, _)| key.as_ref().cmp(name))
            .ok()
            .and_then(|i| members.get(i))
            .map(|(_, value)| value.as_deref())
    };
    let is_object = probe.kind == Some(JsonKind::Object);
    // Rules 2 to 4 first, for every candidate; the key counts of rules 5 and 6 (a merge
    // per shape) only where the first rules leave a tie.
    let mut scored: Vec<((usize, usize, isize), usize)> = shapes
        .iter()
        .enumerate()
        .filter(|(_, s)| kind_matches(s.kind, probe.kind))
        .map(|(index, s)| {
            if !is_object {
                return ((0, 0, 0), index);
            }
            let (mut mismatched, mut matched) = (0usize, 0isize);
            for (field, allowed) in s.tags {
                if let Some(v) = member(field).flatten() {
                    if allowed.binary_search(&v).is_ok() {
                        matched += 1;
                    } else {
                        mismatched += 1;
                    }
                }
            }
            let missing = s.required.iter().filter(|r| member(r).is_none()).count();
            ((mismatched, missing, -matched), index)
        })
        .collect();
    scored.sort_unstable();
    if is_object {
        let key_counts = |index: usize| {
            let fields = shapes.get(index).map_or(&[][..], |s| s.fields);
            let known = sorted_common(members.iter().map(|(k, _)| k.as_ref()), fields);
            (-(known as isize), members.len() - known, index)
        };
        for tie in scored.chunk_by_mut(|a, b| a.0 == b.0) {
            if tie.len() > 1 {
                tie.sort_by_cached_key(|(_, index)| key_counts(*index));
            }
        }
    }
    scored.into_iter().map(|(_, index)| index).collect()
}

/// The one variant whose allowed values (sorted) include `value`, by the index paired with
/// them; `None` when no variant or several allow it.
pub fn only_variant_allowing(value: &str, arms: &[(usize, &[&str])]) -> Option<usize> {
    let mut allowing = arms
        .iter()
        .filter(|(_, allowed)| allowed.binary_search(&value).is_ok());
    match (allowing.next(), allowing.next()) {
        (Some((index, _)), None) => Some(*index),
        _ => None,
    }
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
    fn a_value_only_one_variant_allows_picks_it() {
        const ARMS: &[(usize, &[&str])] = &[(0, &["A", "B"]), (2, &["B", "C"])];
        assert_eq!(only_variant_allowing("A", ARMS), Some(0));
        assert_eq!(only_variant_allowing("C", ARMS), Some(2));
        assert_eq!(only_variant_allowing("B", ARMS), None, "allowed by two");
        assert_eq!(only_variant_allowing("D", ARMS), None, "allowed by none");
    }

    #[test]
    fn sorted_common_counts_shared_keys() {
        let left = ["a", "c", "d", "z"];
        assert_eq!(sorted_common(left.into_iter(), &["b", "c", "d", "e"]), 2);
        assert_eq!(sorted_common(left.into_iter(), &[]), 0);
        assert_eq!(sorted_common([].into_iter(), &["a"]), 0);
        assert_eq!(sorted_common(left.into_iter(), &left), 4);
    }

    fn ranked(json: &str) -> Vec<usize> {
        rank(&Probe::of(json).unwrap(), SHAPES)
    }

    #[test]
    fn enum_values_and_keys_pick_the_variant() {
        assert_eq!(ranked(r#"{"kind": "B", "b": 1}"#)[0], 1);
        assert_eq!(ranked(r#"{"kind": "A"}"#)[0], 0);
        assert_eq!(ranked(r#"{"b": {"nested": [1, "kind"]}}"#)[0], 1);
        assert_eq!(ranked(r#""x""#), vec![2]);
        assert_eq!(ranked("null"), Vec::<usize>::new());
        // Unknown discriminating value: the required-field rule decides.
        assert_eq!(ranked(r#"{"kind": "C"}"#), vec![0, 1]);
        // A repeated key counts once, with its last value.
        assert_eq!(ranked(r#"{"kind": "A", "kind": "B", "b": 1}"#)[0], 1);
    }

    #[test]
    fn a_probe_reads_top_level_strings_and_skips_nested_values() {
        let probe =
            Probe::of(r#"{"a": "x\u0041", "b": {"a": "no"}, "c": [1], "d": null}"#).unwrap();
        assert_eq!(probe.kind, Some(JsonKind::Object));
        let members: Vec<(&str, Option<&str>)> = probe
            .members
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_deref()))
            .collect();
        assert_eq!(
            members,
            [("a", Some("xA")), ("b", None), ("c", None), ("d", None)]
        );
        assert_eq!(Probe::of("[{}]").unwrap().kind, Some(JsonKind::Array));
        assert_eq!(Probe::of("1.5").unwrap().kind, Some(JsonKind::Number));
        assert!(Probe::of("{").is_err());
    }

    #[test]
    fn buffered_json_decodes_as_a_variant_or_names_the_failing_path() {
        let buffered: Buffered = Buffered::read(&mut serde_json::Deserializer::from_str(
            r#"{"kind": "A", "n": [1, "x"]}"#,
        ))
        .unwrap();
        assert_eq!(buffered.tag("kind").as_deref(), Some("A"));
        assert_eq!(buffered.tag("n"), None);
        assert_eq!(buffered.tag("absent"), None);
        let text = Buffered::read(&mut serde_json::Deserializer::from_str(r#""kind""#)).unwrap();
        assert_eq!(text.tag("kind"), None, "not an object");
        #[derive(Debug, serde::Deserialize)]
        struct Numbers {
            #[allow(dead_code)]
            n: Vec<i64>,
        }
        let error = buffered.variant::<Numbers>().unwrap_err();
        assert!(
            error.starts_with("at `n[1]`: invalid type: string"),
            "{error}"
        );
        assert_eq!(buffered.to_value().unwrap()["n"][0], 1);
        // From a tree too (a union inside `serde_json::from_value`).
        let tree = serde_json::json!({"kind": "B"});
        let buffered = Buffered::read(&tree).unwrap();
        assert_eq!(buffered.tag("kind").as_deref(), Some("B"));
    }
}
