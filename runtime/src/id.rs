//! 24-hex identifiers (`pattern: ^([a-f0-9]{24})$`, or `^[a-fA-F0-9]{24}$`): Atlas
//! resource ids are MongoDB ObjectIds. Validated on construction, so a typed call never
//! sends a malformed id.

use std::fmt;
use std::str::FromStr;

/// A validated Atlas resource id: 24 hexadecimal digits (either case; displayed and sent
/// lowercase).
///
/// Twelve bytes, `Copy`, compared and hashed by value.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectId([u8; 12]);

/// The input is not 24 hexadecimal digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid id `{input}`: expected 24 hexadecimal digits")]
pub struct InvalidObjectId {
    input: String,
}

impl ObjectId {
    /// The id with these twelve bytes.
    pub const fn from_bytes(bytes: [u8; 12]) -> Self {
        ObjectId(bytes)
    }

    /// The twelve bytes of the id.
    pub const fn bytes(&self) -> [u8; 12] {
        self.0
    }

    /// Parse 24 hexadecimal digits, in either case.
    pub fn parse(input: &str) -> Result<Self, InvalidObjectId> {
        let invalid = || InvalidObjectId {
            input: input.chars().take(64).collect(),
        };
        let digits = input.as_bytes();
        if digits.len() != 24 {
            return Err(invalid());
        }
        let nibble = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        };
        let mut bytes = [0u8; 12];
        for (byte, pair) in bytes.iter_mut().zip(digits.chunks_exact(2)) {
            let [hi, lo] = pair else {
                return Err(invalid());
            };
            *byte = nibble(*hi).ok_or_else(invalid)? << 4 | nibble(*lo).ok_or_else(invalid)?;
        }
        Ok(ObjectId(bytes))
    }
}

impl FromStr for ObjectId {
    type Err = InvalidObjectId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<&str> for ObjectId {
    type Error = InvalidObjectId;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::parse(s)
    }
}

impl TryFrom<String> for ObjectId {
    type Error = InvalidObjectId;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 24];
        for (pair, b) in out.chunks_exact_mut(2).zip(self.0) {
            // A nibble is below 16: it indexes the 16 digits.
            #[allow(clippy::indexing_slicing)]
            pair.copy_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]);
        }
        f.write_str(std::str::from_utf8(&out).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObjectId(\"{self}\")")
    }
}

impl serde::Serialize for ObjectId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for ObjectId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = ObjectId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a 24-hex id")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ObjectId, E> {
                // The input is not repeated: a decode error never quotes a value.
                ObjectId::parse(v).map_err(|_| {
                    E::invalid_value(
                        serde::de::Unexpected::Other("text that is not 24 hex digits"),
                        &self,
                    )
                })
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_lowercase_hex() {
        let id = ObjectId::parse("5e2211c17a3e5a48f5497de3").unwrap();
        assert_eq!(id.to_string(), "5e2211c17a3e5a48f5497de3");
        assert_eq!(format!("{id:?}"), "ObjectId(\"5e2211c17a3e5a48f5497de3\")");
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"5e2211c17a3e5a48f5497de3\"");
        assert_eq!(serde_json::from_str::<ObjectId>(&json).unwrap(), id);
    }

    #[test]
    fn either_case_parses_and_is_sent_lowercase() {
        // 41 schemas spell the pattern `^[a-fA-F0-9]{24}$`.
        let upper = ObjectId::parse("5E2211C17A3E5A48F5497DE3").unwrap();
        assert_eq!(upper, ObjectId::parse("5e2211c17a3e5a48f5497de3").unwrap());
        assert_eq!(upper.to_string(), "5e2211c17a3e5a48f5497de3");
    }

    #[test]
    fn rejects_anything_else() {
        for bad in [
            "",
            "5e2211c17a3e5a48f5497de",
            "5e2211c17a3e5a48f5497de3a",
            "zz2211c17a3e5a48f5497de3",
            "5e2211c17a3e5a48f5497dé",
        ] {
            assert!(ObjectId::parse(bad).is_err(), "{bad:?} must be rejected");
        }
        let err = serde_json::from_str::<ObjectId>("\"nope\"")
            .unwrap_err()
            .to_string();
        // Decoding never repeats the text (it may be a secret); parsing does.
        assert!(err.contains("expected a 24-hex id"), "{err}");
        assert!(!err.contains("nope"), "{err}");
        let parsed = ObjectId::parse("nope").unwrap_err().to_string();
        assert!(parsed.contains("invalid id `nope`"), "{parsed}");
    }
}
