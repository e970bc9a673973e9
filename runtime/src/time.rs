//! Reading `format: date-time` values.
//!
//! chrono's parser accepts every RFC 3339 variant and costs about 1,700 instructions per
//! timestamp, which made timestamps a sixth of decoding an event list. Atlas sends one
//! form, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`; it is read here directly and anything else
//! goes to chrono, as chrono's own `Deserialize` would.

use std::fmt;

use chrono::{NaiveDate, Utc};
use serde::de::{DeserializeSeed, Deserializer, Error, Visitor};

use super::DateTime;

/// Parse a timestamp: the UTC form Atlas sends directly, anything else with chrono's RFC
/// 3339 parser (offsets converted to UTC).
pub fn parse_datetime(text: &str) -> Result<DateTime, chrono::ParseError> {
    match parse_utc(text.as_bytes()) {
        Some(parsed) => Ok(parsed),
        None => text
            .parse::<chrono::DateTime<chrono::FixedOffset>>()
            .map(|d| d.with_timezone(&Utc)),
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z`, or `None` for any other text or an impossible date.
fn parse_utc(b: &[u8]) -> Option<DateTime> {
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1, b'T', h0, h1, b':', i0, i1, b':', s0, s1, rest @ ..] =
        b
    else {
        return None;
    };
    let [fraction @ .., b'Z'] = rest else {
        return None;
    };
    let number = |digits: &[u8]| -> Option<u32> {
        digits.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(number(&[*y0, *y1, *y2, *y3])?).ok()?;
    let (month, day) = (number(&[*m0, *m1])?, number(&[*d0, *d1])?);
    let (hour, minute, second) = (
        number(&[*h0, *h1])?,
        number(&[*i0, *i1])?,
        number(&[*s0, *s1])?,
    );
    let nanos = match fraction {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            number(digits)? * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year, month, day)?
        .and_hms_nano_opt(hour, minute, second, nanos)
        .map(|naive| naive.and_utc())
}

/// An HTTP date (RFC 9110 section 5.6.7: `Sun, 06 Nov 1994 08:49:37 GMT`, and the
/// obsolete `Sunday, 06-Nov-94 08:49:37 GMT` and `Sun Nov  6 08:49:37 1994` a recipient
/// must accept) or the `@<unix seconds>` form of RFC 9745.
pub(crate) fn http_date(text: &str) -> Option<DateTime> {
    let text = text.trim();
    if let Some(seconds) = text.strip_prefix('@') {
        return chrono::DateTime::from_timestamp(seconds.parse().ok()?, 0);
    }
    if let Ok(date) = chrono::DateTime::parse_from_rfc2822(text) {
        return Some(date.with_timezone(&Utc));
    }
    ["%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"]
        .iter()
        .find_map(|format| chrono::NaiveDateTime::parse_from_str(text, format).ok())
        .map(|naive| naive.and_utc())
}

/// Reads one timestamp from a deserializer with [`parse_datetime`].
pub struct DateTimeSeed;

impl<'de> DeserializeSeed<'de> for DateTimeSeed {
    type Value = DateTime;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<DateTime, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for DateTimeSeed {
    type Value = DateTime;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 formatted date and time string")
    }
    fn visit_str<E: Error>(self, text: &str) -> Result<DateTime, E> {
        parse_datetime(text).map_err(E::custom)
    }
}

/// Reads an optional timestamp (`null` is `None`).
pub struct OptionalDateTimeSeed;

impl<'de> DeserializeSeed<'de> for OptionalDateTimeSeed {
    type Value = Option<DateTime>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for OptionalDateTimeSeed {
    type Value = Option<DateTime>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 formatted date and time string or null")
    }
    fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        DateTimeSeed.deserialize(deserializer).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What chrono's own `Deserialize` gives, to compare with.
    fn chrono(text: &str) -> Option<DateTime> {
        serde_json::from_value::<DateTime>(serde_json::Value::from(text)).ok()
    }

    #[test]
    fn the_atlas_form_reads_like_chrono() {
        for text in [
            "2026-01-02T03:04:05Z",
            "2026-01-02T03:04:05.1Z",
            "2026-01-02T03:04:05.123Z",
            "2024-02-29T23:59:59.123456789Z",
            "0001-01-01T00:00:00Z",
        ] {
            assert!(parse_utc(text.as_bytes()).is_some(), "{text}");
            assert_eq!(parse_datetime(text).ok(), chrono(text), "{text}");
        }
    }

    #[test]
    fn other_forms_and_bad_dates_go_to_chrono() {
        for text in [
            "2026-01-02T03:04:05+02:00",
            "2026-01-02 03:04:05Z",
            "2026-01-02T03:04:05.Z",
            "2026-01-02T03:04:05.1234567891Z",
            "2023-02-29T00:00:00Z",
            "2026-13-02T03:04:05Z",
            "2026-01-02T24:00:00Z",
            "2026-01-0xT03:04:05Z",
            "not a date",
        ] {
            assert!(parse_utc(text.as_bytes()).is_none(), "{text}");
            assert_eq!(parse_datetime(text).ok(), chrono(text), "{text}");
        }
        assert_eq!(
            parse_datetime("2026-01-02T05:04:05+02:00").unwrap(),
            parse_datetime("2026-01-02T03:04:05Z").unwrap()
        );
    }

    #[test]
    fn seeds_read_strings_and_null() {
        let mut de = serde_json::Deserializer::from_str(r#""2026-01-02T03:04:05Z""#);
        assert!(OptionalDateTimeSeed.deserialize(&mut de).unwrap().is_some());
        let mut de = serde_json::Deserializer::from_str("null");
        assert_eq!(OptionalDateTimeSeed.deserialize(&mut de).unwrap(), None);
        let mut de = serde_json::Deserializer::from_str("12");
        let error = DateTimeSeed.deserialize(&mut de).unwrap_err().to_string();
        assert!(error.contains("RFC 3339"), "{error}");
    }
}
