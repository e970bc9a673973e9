//! What a response may cost once decoded.
//!
//! `max_response_bytes` bounds the bytes on the wire, but two bytes of JSON (`{}`) decode
//! into a whole struct with every field at its empty value: 4 MiB of `[{},{},…]` was
//! 1.2 GB of clusters. So decoding a response runs with a budget, and every struct it
//! decodes ([`super::object::object`]) is charged twice its size (a `Vec` grown by
//! doubling holds up to twice what it uses); past the budget, decoding stops with
//! [`super::Error::ResponseTooLarge`].
//!
//! The budget is [`decoded_limit`] of the client's `max_response_bytes`. Strings,
//! numbers and free-form JSON are not charged: they cost at most a small multiple of
//! the bytes that carried them, which the wire limit already bounds.
//!
//! It lives in a thread-local because decoding is synchronous: serde drives it on one
//! thread from start to end, and a decode outside the client (plain `serde_json`) runs
//! with no budget at all.

use std::cell::Cell;

/// The smallest decoding budget, whatever `max_response_bytes` says: far above what any
/// real Atlas page decodes to, so a low wire limit does not refuse real answers.
pub const MIN_DECODED_BYTES: u64 = 64 << 20;

/// The decoding budget for a wire limit of `max_response_bytes`: the same number of
/// bytes, and at least [`MIN_DECODED_BYTES`].
pub fn decoded_limit(max_response_bytes: u64) -> u64 {
    max_response_bytes.max(MIN_DECODED_BYTES)
}

thread_local! {
    /// Bytes left to the decode running on this thread; `None` outside one.
    static LEFT: Cell<Option<u64>> = const { Cell::new(None) };
    /// Whether the decode running on this thread ran out.
    static EXCEEDED: Cell<bool> = const { Cell::new(false) };
}

/// The message of the serde error that stops a decode past its budget.
pub(crate) const EXCEEDED_MESSAGE: &str = "the response decodes to more memory than its limit";

/// Run `decode` with `limit` bytes to spend; also says whether it ran out.
pub(crate) fn within<T>(limit: u64, decode: impl FnOnce() -> T) -> (T, bool) {
    /// Puts back the budget of an enclosing decode, even if `decode` unwinds.
    struct Restore(Option<u64>, bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            LEFT.with(|left| left.set(self.0));
            EXCEEDED.with(|exceeded| exceeded.set(self.1));
        }
    }
    let _restore = Restore(
        LEFT.with(|left| left.replace(Some(limit))),
        EXCEEDED.with(|exceeded| exceeded.replace(false)),
    );
    let value = decode();
    (value, EXCEEDED.with(Cell::get))
}

/// Charge the decode on this thread for a struct of type `T`; an error once it has
/// spent its budget. Free outside a budgeted decode.
#[inline]
pub fn charge<T, E: serde::de::Error>() -> Result<(), E> {
    let cost = 2 * std::mem::size_of::<T>() as u64;
    LEFT.with(|left| match left.get() {
        None => Ok(()),
        Some(rest) if rest >= cost => {
            left.set(Some(rest - cost));
            Ok(())
        }
        Some(_) => {
            EXCEEDED.with(|exceeded| exceeded.set(true));
            Err(E::custom(EXCEEDED_MESSAGE))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    type Error = serde_json::Error;

    #[test]
    fn charges_twice_the_size_until_the_budget_is_spent() {
        let ((), exceeded) = within(64, || {
            assert!(charge::<[u8; 16], Error>().is_ok());
            assert!(charge::<[u8; 16], Error>().is_ok());
            assert!(charge::<[u8; 1], Error>().is_err());
        });
        assert!(exceeded);
        // Outside a decode nothing is charged, and the flag is back to the outer one.
        assert!(charge::<[u8; 1 << 20], Error>().is_ok());
        let ((), exceeded) = within(u64::MAX, || {
            let ((), inner) = within(0, || assert!(charge::<u8, Error>().is_err()));
            assert!(inner);
        });
        assert!(!exceeded, "an inner decode's overrun is its own");
    }

    #[test]
    fn a_low_wire_limit_keeps_the_floor() {
        assert_eq!(decoded_limit(4 << 20), MIN_DECODED_BYTES);
        assert_eq!(decoded_limit(256 << 20), 256 << 20);
    }
}
