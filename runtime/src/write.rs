//! Writing request bodies: the three states of a nullable field, serialization that sends
//! only what the caller set, and the check a POST or PUT makes before it is sent.
//!
//! Write models (`models::write::*`) implement [`Fields`] and [`Check`]; their
//! `Serialize` goes through [`serialize_fields`], so a tagged union can put its tag in
//! front of its variant's fields ([`serialize_tagged`]) without buffering them.

use std::collections::BTreeMap;
use std::fmt;

use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Deserializer, Serialize};

/// A nullable field of a write model: not sent, sent as `null`, or sent with a value.
///
/// A PATCH clears a field with [`Nullable::Null`] (each write model also has a
/// `null_<field>()` setter); fields left [`Nullable::Absent`] are not sent at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// Not sent.
    #[default]
    Absent,
    /// Sent as `null`.
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is left out of the body.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the field is sent as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, when there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, when there is one.
    pub fn into_value(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            Nullable::Absent | Nullable::Null => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

/// `null` for [`Nullable::Null`] (and, standalone, for `Absent`, which a write model never
/// serializes).
impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(v) => v.serialize(serializer),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

/// `null` is [`Nullable::Null`]; a missing key stays [`Nullable::Absent`] (the default).
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(v) => Nullable::Value(v),
            None => Nullable::Null,
        })
    }
}

/// A struct's fields as map entries: a write model leaves out every field that is not
/// set, a read model every absent optional field. Generated for every struct, it is
/// what their `Serialize` calls (much less code than serde's derive).
pub trait Fields {
    fn write_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

/// A field of a write model: `Option<T>` or [`Nullable<T>`].
pub trait Field {
    /// Whether the caller set it (to a value, or to `null`).
    fn is_set(&self) -> bool;
    /// Add it to `map` under `key` when set.
    fn write<M: SerializeMap>(&self, key: &'static str, map: &mut M) -> Result<(), M::Error>;
}

impl<T: Serialize> Field for Option<T> {
    fn is_set(&self) -> bool {
        self.is_some()
    }

    fn write<M: SerializeMap>(&self, key: &'static str, map: &mut M) -> Result<(), M::Error> {
        match self {
            Some(value) => map.serialize_entry(key, value),
            None => Ok(()),
        }
    }
}

impl<T: Serialize> Field for Nullable<T> {
    fn is_set(&self) -> bool {
        !self.is_absent()
    }

    fn write<M: SerializeMap>(&self, key: &'static str, map: &mut M) -> Result<(), M::Error> {
        match self {
            Nullable::Absent => Ok(()),
            Nullable::Null => map.serialize_entry(key, &()),
            Nullable::Value(value) => map.serialize_entry(key, value),
        }
    }
}

/// `Serialize` of a write model: one map of the fields that are set.
pub fn serialize_fields<T: Fields, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    value.write_fields(&mut map)?;
    map.end()
}

/// A tagged union's variant: the discriminator first, then the variant's fields.
pub fn serialize_tagged<T: Fields, S: Serializer>(
    property: &'static str,
    tag: &'static str,
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    map.serialize_entry(property, tag)?;
    value.write_fields(&mut map)?;
    map.end()
}

/// The entries of a JSON object written into an enclosing map: a union's unknown value
/// inside another union. Anything but an object cannot be merged, and is an error.
pub fn write_json_fields<M: SerializeMap>(
    value: &serde_json::Value,
    map: &mut M,
) -> Result<(), M::Error> {
    let serde_json::Value::Object(entries) = value else {
        return Err(serde::ser::Error::custom(
            "a union member nested in a tagged union must be a JSON object",
        ));
    };
    for (key, entry) in entries {
        map.serialize_entry(key, entry)?;
    }
    Ok(())
}

/// Where a field sits in a request body, e.g. `body.replicationSpecs[0].regionConfigs`.
/// Rendered only when a check fails, so checking allocates nothing.
#[derive(Clone, Copy)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
}

#[derive(Clone, Copy)]
enum Segment<'a> {
    Root(&'a str),
    Field(&'a str),
    Index(usize),
    Key(&'a str),
}

impl<'a> Path<'a> {
    /// The start of a path: `body`.
    pub fn root(name: &'a str) -> Self {
        Path {
            parent: None,
            segment: Segment::Root(name),
        }
    }

    /// A property of the value at this path.
    pub fn field(&'a self, name: &'a str) -> Path<'a> {
        self.child(Segment::Field(name))
    }

    fn child(&'a self, segment: Segment<'a>) -> Path<'a> {
        Path {
            parent: Some(self),
            segment,
        }
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            parent.fmt(f)?;
        }
        match self.segment {
            Segment::Root(name) => f.write_str(name),
            Segment::Field(name) => write!(f, ".{name}"),
            Segment::Index(i) => write!(f, "[{i}]"),
            Segment::Key(key) => write!(f, "[{key:?}]"),
        }
    }
}

/// The required-field check of a POST or PUT body: `Err` holds the path of the first
/// field the spec requires that is not set.
pub trait Check {
    fn check(&self, at: &Path<'_>) -> Result<(), String>;
}

impl<T: Check> Check for Option<T> {
    fn check(&self, at: &Path<'_>) -> Result<(), String> {
        self.as_ref().map_or(Ok(()), |v| v.check(at))
    }
}

impl<T: Check> Check for Nullable<T> {
    fn check(&self, at: &Path<'_>) -> Result<(), String> {
        self.value().map_or(Ok(()), |v| v.check(at))
    }
}

impl<T: Check + ?Sized> Check for Box<T> {
    fn check(&self, at: &Path<'_>) -> Result<(), String> {
        (**self).check(at)
    }
}

impl<T: Check> Check for Vec<T> {
    fn check(&self, at: &Path<'_>) -> Result<(), String> {
        self.iter()
            .enumerate()
            .try_for_each(|(i, v)| v.check(&at.child(Segment::Index(i))))
    }
}

impl<T: Check> Check for BTreeMap<String, T> {
    fn check(&self, at: &Path<'_>) -> Result<(), String> {
        self.iter()
            .try_for_each(|(k, v)| v.check(&at.child(Segment::Key(k))))
    }
}

/// `Err(path)` when a field the spec requires is not set.
pub fn require<F: Field>(field: &F, at: &Path<'_>, name: &'static str) -> Result<(), String> {
    if field.is_set() {
        Ok(())
    } else {
        Err(at.field(name).to_string())
    }
}

/// The check a POST or PUT makes before any I/O.
pub fn check_body<T: Check>(body: &T, method: &str, template: &str) -> Result<(), crate::Error> {
    body.check(&Path::root("body")).map_err(|path| {
        crate::Error::InvalidInput(format!(
            "{method} {template}: `{path}` is required by the spec and not set"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Leaf(Option<String>);

    impl Check for Leaf {
        fn check(&self, at: &Path<'_>) -> Result<(), String> {
            require(&self.0, at, "roleName")
        }
    }

    #[test]
    fn paths_name_indexes_and_keys() {
        let roles = vec![Leaf(Some("a".into())), Leaf(None)];
        let root = Path::root("body");
        let err = roles.check(&root.field("roles")).unwrap_err();
        assert_eq!(err, "body.roles[1].roleName");
        let mut map = BTreeMap::new();
        map.insert("east".to_owned(), Leaf(None));
        assert_eq!(map.check(&root).unwrap_err(), "body[\"east\"].roleName");
    }

    #[test]
    fn nullable_has_three_states_on_the_wire() {
        #[derive(Default)]
        struct Body {
            a: Nullable<i32>,
            b: Nullable<i32>,
            c: Nullable<i32>,
        }
        impl Fields for Body {
            fn write_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                self.a.write("a", map)?;
                self.b.write("b", map)?;
                self.c.write("c", map)
            }
        }
        impl Serialize for Body {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                serialize_fields(self, s)
            }
        }
        let body = Body {
            b: Nullable::Null,
            c: 3.into(),
            ..Body::default()
        };
        assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"b":null,"c":3}"#);
        let back: Nullable<i32> = serde_json::from_str("null").unwrap();
        assert!(back.is_null());
    }
}
