//! Decoding generated structs from JSON objects.
//!
//! `#[derive(Deserialize)]` emits, per struct, a field-identifier enum and its visitor, a
//! sequence visitor JSON never uses and duplicate-key checks: with about a thousand
//! models that was half of the crate's build time. A generated struct instead implements
//! [`Object`] (one `match` on the key) and its `Deserialize` calls [`object`]; structs
//! with a required field that has no empty value use [`required`] in a small visitor of
//! their own.
//!
//! Semantics, the derive's for JSON objects: a key the struct does not declare is skipped
//! (or kept in `additional_properties`), a missing field is its empty value or an error
//! naming it. Two differences: a repeated key keeps its last value, as `serde_json::Value`
//! does (the derive rejects it), and a struct reads only from an object, never from an
//! array of its fields in order (which the derive accepts and no JSON API sends).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, Error, IgnoredAny, MapAccess, Visitor};

/// A struct whose every field may be absent: decoding starts from `Default` and sets
/// each field whose key appears.
pub trait Object: Default {
    /// What the input should have been, for error messages (`struct Name`).
    const EXPECTING: &'static str;

    /// Decode the value of `key` into its field, or skip it if the struct has none.
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error>;
}

/// `Deserialize` of a struct that implements [`Object`].
pub fn object<'de, D: Deserializer<'de>, T: Object>(deserializer: D) -> Result<T, D::Error> {
    struct ObjectVisitor<T>(PhantomData<T>);
    impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(T::EXPECTING)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            // `{}` is two bytes of input and a whole struct of output.
            super::budget::charge::<T, A::Error>()?;
            let mut out = T::default();
            while let Some(key) = map.next_key::<Key<'de>>()? {
                out.field(&key.0, &mut map)?;
            }
            Ok(out)
        }
    }
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

/// An object key, borrowed from the input when it has no escapes.
pub struct Key<'de>(pub Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

impl std::ops::Deref for Key<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// Skip the value of a key the struct does not declare.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// The value of a required field that has an empty value: `null` reads as that value.
/// Atlas sends `null` in fields its spec does not mark nullable (the replay's drift report
/// lists each one).
pub fn or_default<'de, A, T>(map: &mut A) -> Result<T, A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(map.next_value::<Option<T>>()?.unwrap_or_default())
}

/// A required field without an empty value: its absence is an error naming its key.
pub fn required<T, E: Error>(value: Option<T>, key: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Debug, Default, PartialEq)]
    struct Sample {
        name: Option<String>,
        count: i64,
        extra: BTreeMap<String, serde_json::Value>,
    }

    impl Object for Sample {
        const EXPECTING: &'static str = "struct Sample";
        fn field<'de, A: MapAccess<'de>>(
            &mut self,
            key: &str,
            map: &mut A,
        ) -> Result<(), A::Error> {
            match key {
                "name" => self.name = map.next_value()?,
                "count" => self.count = or_default(map)?,
                _ => {
                    self.extra.insert(key.to_owned(), map.next_value()?);
                }
            }
            Ok(())
        }
    }

    impl<'de> Deserialize<'de> for Sample {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            object(deserializer)
        }
    }

    #[test]
    fn keys_set_fields_and_the_rest_is_kept_or_defaulted() {
        let s: Sample = serde_json::from_str(r#"{"name":"a","count":null,"x\u0041":1}"#).unwrap();
        assert_eq!(s.name.as_deref(), Some("a"));
        assert_eq!(s.count, 0);
        assert_eq!(s.extra["xA"], serde_json::json!(1));
        let s: Sample = serde_json::from_str(r#"{"count":3,"count":4}"#).unwrap();
        assert_eq!(s.count, 4, "a repeated key keeps its last value");
        let s: Sample = serde_json::from_value(serde_json::json!({"name": null})).unwrap();
        assert_eq!(s, Sample::default());
    }

    #[test]
    fn errors_name_the_type_and_the_field() {
        let e = serde_json::from_str::<Sample>("[1]")
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected struct Sample"), "{e}");
        let e = serde_json::from_str::<Sample>(r#"{"count":"x"}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("invalid type: string"), "{e}");
        let e = required::<i64, serde_json::Error>(None, "groupId")
            .unwrap_err()
            .to_string();
        assert_eq!(e, "missing field `groupId`");
    }
}
