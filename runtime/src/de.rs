//! Decoding helpers the generated models call: open string enums, discriminated unions,
//! and best-match decoding of untagged unions.
//!
//! A union cannot know its variant before it has seen the whole object (the discriminator
//! may come last). It reads the object once, keeping each top-level member's value as
//! JSON text ([`Buffered`]): choosing reads only keys and top-level strings, and the
//! chosen variant decodes from the members' texts, so every byte is scanned once and
//! parsed once, and nested unions do not rescan their parents' text. A value that is
//! not an object (rare in a union) is kept as a `serde_json::Value`. Nothing builds a
//! `Value` of an object unless no variant accepts it.
//!
//! Keeping JSON as text needs `serde_json`'s own deserializers (`from_slice`, `from_str`,
//! `from_reader`, a `Value`): models that contain a union do not decode from other formats
//! or through serde's internal buffering (a `#[serde(flatten)]` or untagged wrapper).

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
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

/// A union's JSON as read once: an object's members with their values as text, or any
/// other value as a tree.
pub struct Buffered<'de>(Captured<'de>);

enum Captured<'de> {
    Object(Vec<Member<'de>>),
    Other(Value),
}

/// A top-level key, and its value as JSON text.
type Member<'de> = (Cow<'de, str>, Box<RawValue>);

impl<'de> Buffered<'de> {
    /// Take the next JSON value, splitting an object into its members (validated, not
    /// decoded).
    pub fn read<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CaptureVisitor).map(Self)
    }

    /// The string value of a top-level property (a union's discriminator), if present.
    /// Should a key repeat, its first value decides.
    pub fn tag(&self, property: &str) -> Option<Cow<'_, str>> {
        let Captured::Object(members) = &self.0 else {
            return None;
        };
        let (_, value) = members.iter().find(|(key, _)| key == property)?;
        string_of(value)
    }

    /// What ranking needs: the JSON type, and each top-level member's key and string value.
    pub fn probe(&self) -> Probe<'_> {
        let members = match &self.0 {
            Captured::Object(members) => members,
            Captured::Other(value) => {
                return Probe {
                    kind: kind_of(value),
                    members: Vec::new(),
                }
            }
        };
        let mut members: Vec<_> = members
            .iter()
            .map(|(key, value)| (Cow::Borrowed(key.as_ref()), string_of(value)))
            .collect();
        // Sorted once here: every shape's lists are sorted too, so each ranking test is a
        // binary search or a merge. Reversed first so the stable sort puts a repeated
        // key's last value first, which `dedup` keeps.
        members.reverse();
        members.sort_by(|a, b| a.0.cmp(&b.0));
        members.dedup_by(|later, first| later.0 == first.0);
        Probe {
            kind: Some(JsonKind::Object),
            members,
        }
    }

    /// Decode the JSON as one variant; the error names the field path inside it.
    pub fn variant<T: DeserializeOwned>(&self) -> Result<T, String> {
        if let Some(decoded) = self.try_variant() {
            return Ok(decoded);
        }
        let tracked = match &self.0 {
            Captured::Object(members) => serde_path_to_error::deserialize(Replay(members)),
            Captured::Other(value) => serde_path_to_error::deserialize(value),
        };
        tracked.map_err(|e| {
            let path = e.path().to_string();
            format!("at `{path}`: {}", e.into_inner())
        })
    }

    /// Decode the JSON as one variant, or `None`: for trying variants in turn, where the
    /// error of one that does not fit is of no use (and naming its path would cost a
    /// second parse).
    pub fn try_variant<T: DeserializeOwned>(&self) -> Option<T> {
        match &self.0 {
            Captured::Object(members) => T::deserialize(Replay(members)).ok(),
            Captured::Other(value) => T::deserialize(value).ok(),
        }
    }

    /// The JSON as a tree, for the variant that keeps what no other accepts.
    pub fn to_value(&self) -> Result<Value, String> {
        match &self.0 {
            Captured::Object(members) => Value::deserialize(Replay(members)),
            Captured::Other(value) => Ok(value.clone()),
        }
        .map_err(|e| e.to_string())
    }

    /// Best-first order of `shapes` to try (see [`rank`]).
    pub fn rank(&self, shapes: &[Shape]) -> Order {
        rank(&self.probe(), shapes)
    }

    /// The order in which to try an untagged union's variants. With an implicit tag, the
    /// members whose values allow the tag's come first (the only one, without ranking),
    /// then the others; each group best first by [`rank`], ranked only when reached.
    pub fn candidates<'b>(&'b self, shapes: &'b [Shape], tag: Option<Tag>) -> Candidates<'b, 'de> {
        let preferred = tag
            .and_then(|tag| Some((self.tag(tag.property)?, tag.arms)))
            .map(|(value, arms)| variants_allowing(&value, arms))
            .unwrap_or_default();
        Candidates {
            buffered: self,
            shapes,
            preferred,
            queue: Order::new().into_iter(),
            stage: Stage::Preferred,
        }
    }
}

/// An untagged union's implicit tag (`codegen`'s `normalize::dispatch`): a string-enum
/// property every struct member declares, and the values each member allows (sorted).
#[derive(Debug, Clone, Copy)]
pub struct Tag {
    pub property: &'static str,
    pub arms: &'static [(usize, &'static [&'static str])],
}

/// Variants in the order to try them: see [`Buffered::candidates`].
pub struct Candidates<'b, 'de> {
    buffered: &'b Buffered<'de>,
    shapes: &'b [Shape],
    preferred: Order,
    queue: std::vec::IntoIter<usize>,
    stage: Stage,
}

#[derive(Clone, Copy)]
enum Stage {
    Preferred,
    Rest,
    Done,
}

impl Iterator for Candidates<'_, '_> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        loop {
            if let Some(index) = self.queue.next() {
                return Some(index);
            }
            let preferred = &self.preferred;
            let next = match self.stage {
                Stage::Preferred if preferred.len() == 1 => preferred.clone(),
                Stage::Preferred if preferred.is_empty() => Order::new(),
                Stage::Preferred => rank_among(&self.buffered.probe(), self.shapes, |index| {
                    preferred.contains(&index)
                }),
                Stage::Rest => rank_among(&self.buffered.probe(), self.shapes, |index| {
                    !preferred.contains(&index)
                }),
                Stage::Done => return None,
            };
            self.stage = match self.stage {
                Stage::Preferred => Stage::Rest,
                Stage::Rest | Stage::Done => Stage::Done,
            };
            self.queue = next.into_iter();
        }
    }
}

fn kind_of(value: &Value) -> Option<JsonKind> {
    match value {
        Value::Null => None,
        Value::Bool(_) => Some(JsonKind::Bool),
        Value::Number(_) => Some(JsonKind::Number),
        Value::String(_) => Some(JsonKind::String),
        Value::Array(_) => Some(JsonKind::Array),
        Value::Object(_) => Some(JsonKind::Object),
    }
}

/// A member's value when it is a string (only a string's text starts with a quote).
fn string_of(value: &RawValue) -> Option<Cow<'_, str>> {
    let text = value.get();
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    if !inner.contains('\\') {
        return Some(Cow::Borrowed(inner));
    }
    serde_json::from_str::<Str<'_>>(text).ok().map(|s| s.0)
}

/// A JSON string, borrowed from the text when it has no escapes.
struct Str<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::object::Key::deserialize(deserializer).map(|key| Str(key.0))
    }
}

/// Reads a union's value: an object member by member, anything else as a tree.
struct CaptureVisitor;

impl<'de> Visitor<'de> for CaptureVisitor {
    type Value = Captured<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(8));
        while let Some(key) = map.next_key::<super::object::Key<'de>>()? {
            members.push((key.0, map.next_value::<Box<RawValue>>()?));
        }
        Ok(Captured::Object(members))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(Captured::Other)
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Captured::Other(Value::String(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Captured::Other(Value::String(v)))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Captured::Other(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Captured::Other(Value::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Captured::Other(Value::from(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Captured::Other(Value::from(v)))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Captured::Other(Value::Null))
    }
}

/// A captured object replayed as a map: each value is parsed from its own text.
struct Replay<'a, 'm>(&'a [Member<'m>]);

impl<'de> Deserializer<'de> for Replay<'de, '_> {
    type Error = serde_json::Error;
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_map(ReplayAccess {
            members: self.0.iter(),
            value: None,
        })
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

struct ReplayAccess<'a, 'm> {
    members: std::slice::Iter<'a, Member<'m>>,
    value: Option<&'a RawValue>,
}

impl<'de> MapAccess<'de> for ReplayAccess<'de, '_> {
    type Error = serde_json::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let Some((key, value)) = self.members.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        seed.deserialize(BorrowedStrDeserializer::new(key))
            .map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let value = self
            .value
            .take()
            .ok_or_else(|| serde::de::Error::custom("a value was read before its key"))?;
        seed.deserialize(&mut serde_json::Deserializer::from_str(value.get()))
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
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
pub fn rank(probe: &Probe<'_>, shapes: &[Shape]) -> Order {
    rank_among(probe, shapes, |_| true)
}

/// Variant indices in the order to try them.
pub type Order = Vec<usize>;

/// [`rank`] of the shapes whose index `keep` accepts.
fn rank_among(probe: &Probe<'_>, shapes: &[Shape], keep: impl Fn(usize) -> bool) -> Order {
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
    let mut scored: Vec<Score> = shapes
        .iter()
        .enumerate()
        .filter(|(index, s)| keep(*index) && kind_matches(s.kind, probe.kind))
        .map(|(index, s)| {
            if !is_object {
                return Score::new((0, 0, 0), index);
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
            Score::new((mismatched, missing, -matched), index)
        })
        .collect();
    scored.sort_unstable();
    if is_object {
        for tie in scored.chunk_by_mut(|a, b| a.rules == b.rules) {
            if tie.len() > 1 {
                for score in tie.iter_mut() {
                    let fields = shapes.get(score.index).map_or(&[][..], |s| s.fields);
                    let known = sorted_common(members.iter().map(|(k, _)| k.as_ref()), fields);
                    score.keys = (-(known as isize), members.len() - known);
                }
                tie.sort_unstable();
            }
        }
    }
    scored.into_iter().map(|score| score.index).collect()
}

/// A variant's standing under [`rank`]'s rules, compared field by field: rules 2 to 4,
/// then the key counts of rules 5 and 6 (filled in only to break a tie), then
/// declaration order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Score {
    rules: (usize, usize, isize),
    keys: (isize, usize),
    index: usize,
}

impl Score {
    fn new(rules: (usize, usize, isize), index: usize) -> Self {
        Score {
            rules,
            keys: (0, 0),
            index,
        }
    }
}

/// The variants whose allowed values (sorted) include `value`, by the index paired with
/// them.
pub fn variants_allowing(value: &str, arms: &[(usize, &[&str])]) -> Order {
    arms.iter()
        .filter(|(_, allowed)| allowed.binary_search(&value).is_ok())
        .map(|(index, _)| *index)
        .collect()
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
    fn the_tag_value_puts_the_members_allowing_it_first() {
        const ARMS: &[(usize, &[&str])] = &[(0, &["A", "B"]), (1, &["B", "C"])];
        assert_eq!(variants_allowing("A", ARMS).as_slice(), [0]);
        assert_eq!(variants_allowing("B", ARMS).as_slice(), [0, 1]);
        assert!(variants_allowing("D", ARMS).is_empty());
        let tag = Some(Tag {
            property: "kind",
            arms: ARMS,
        });
        let order =
            |json: &str| -> Vec<usize> { read(json).unwrap().candidates(SHAPES, tag).collect() };
        // Only member 1 allows "C", though member 0's required fields are all there.
        assert_eq!(order(r#"{"kind": "C", "a": 1}"#), [1, 0]);
        // Both allow "B": ranked among themselves (member 1's required `b` is present).
        assert_eq!(order(r#"{"kind": "B", "b": 1}"#), [1, 0]);
        // Unknown or absent: everything, ranked.
        assert_eq!(order(r#"{"kind": "D", "b": 1}"#), [1, 0]);
        assert_eq!(order(r#""text""#), [2]);
        let untagged: Vec<usize> = read(r#"{"b": 1}"#)
            .unwrap()
            .candidates(SHAPES, None)
            .collect();
        assert_eq!(untagged, [1, 0]);
    }

    #[test]
    fn sorted_common_counts_shared_keys() {
        let left = ["a", "c", "d", "z"];
        assert_eq!(sorted_common(left.into_iter(), &["b", "c", "d", "e"]), 2);
        assert_eq!(sorted_common(left.into_iter(), &[]), 0);
        assert_eq!(sorted_common([].into_iter(), &["a"]), 0);
        assert_eq!(sorted_common(left.into_iter(), &left), 4);
    }

    fn read(json: &str) -> Result<Buffered<'_>, serde_json::Error> {
        Buffered::read(&mut serde_json::Deserializer::from_str(json))
    }

    fn ranked(json: &str) -> Vec<usize> {
        read(json).unwrap().rank(SHAPES).to_vec()
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
        let buffered = read(r#"{"a": "x\u0041", "b": {"a": "no"}, "c": [1], "d": null}"#).unwrap();
        let probe = buffered.probe();
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
        assert_eq!(read("[{}]").unwrap().probe().kind, Some(JsonKind::Array));
        assert_eq!(read("1.5").unwrap().probe().kind, Some(JsonKind::Number));
        assert_eq!(read("null").unwrap().probe().kind, None);
        assert!(read("{").is_err());
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

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Leaf {
        kind: String,
        #[serde(rename = "sizeGB")]
        size_gb: Option<f64>,
        child: Option<Box<Union>>,
    }

    /// A union of one variant, decoded the way generated unions are.
    #[derive(Debug, PartialEq)]
    struct Union(Leaf);

    impl<'de> Deserialize<'de> for Union {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let buffered = Buffered::read(deserializer)?;
            buffered
                .variant()
                .map(Union)
                .map_err(serde::de::Error::custom)
        }
    }

    #[test]
    fn nested_unions_decode_from_every_serde_json_source() {
        let json = r#"{"sizeGB": 1.5, "k\u0069nd": "outer",
            "child": {"kind": "inner", "child": null}}"#;
        let expected = Union(Leaf {
            kind: "outer".into(),
            size_gb: Some(1.5),
            child: Some(Box::new(Union(Leaf {
                kind: "inner".into(),
                size_gb: None,
                child: None,
            }))),
        });
        let from_str: Union = serde_json::from_str(json).unwrap();
        assert_eq!(from_str, expected);
        let from_slice: Union = serde_json::from_slice(json.as_bytes()).unwrap();
        assert_eq!(from_slice, expected);
        let from_reader: Union = serde_json::from_reader(json.as_bytes()).unwrap();
        assert_eq!(from_reader, expected, "keys and values that cannot borrow");
        let tree: Value = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::from_value::<Union>(tree).unwrap(), expected);
        let error = serde_json::from_str::<Union>(r#"{"kind": "a", "child": {"kind": 1}}"#)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("at `child`: at `kind`: invalid type"),
            "{error}"
        );
    }
}
