//! How a model's `Debug` shows a field that holds a credential (a password, a secret, a
//! token, a private or API key: `codegen/src/normalize/secrets.rs` finds them): whether
//! it is set, never its value, so a logged response or request body leaks nothing.

use std::fmt;

use super::Nullable;

/// `Debug` of a credential field: `<redacted>` when set, else what unset looks like.
pub struct Redacted<'a, T: ?Sized>(pub &'a T);

/// Whether a field's value is set (`Some`, a non-empty string, a `Nullable` value).
pub trait IsSet {
    fn is_set(&self) -> bool;
}

impl IsSet for String {
    fn is_set(&self) -> bool {
        !self.is_empty()
    }
}

impl<T> IsSet for Option<T> {
    fn is_set(&self) -> bool {
        self.is_some()
    }
}

impl<T> IsSet for Nullable<T> {
    fn is_set(&self) -> bool {
        matches!(self, Nullable::Value(_))
    }
}

impl<T: IsSet + fmt::Debug + ?Sized> fmt::Debug for Redacted<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_set() {
            f.write_str("\"<redacted>\"")
        } else {
            // Unset holds nothing: `None`, `""`, `Absent` or `Null` as they are.
            fmt::Debug::fmt(self.0, f)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_values_are_hidden_and_unset_ones_shown() {
        let secret = Some("hunter2".to_owned());
        assert_eq!(format!("{:?}", Redacted(&secret)), "\"<redacted>\"");
        assert_eq!(format!("{:?}", Redacted(&None::<String>)), "None");
        assert_eq!(
            format!("{:?}", Redacted(&"hunter2".to_owned())),
            "\"<redacted>\""
        );
        assert_eq!(format!("{:?}", Redacted(&String::new())), "\"\"");
        assert_eq!(format!("{:?}", Redacted(&Nullable::<String>::Null)), "Null");
    }
}
