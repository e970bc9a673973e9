//! What a response says besides its body: status, headers (rate limits, deprecation,
//! sunset) and how many retries it took. `send_with_metadata` returns it with the value;
//! [`Error::Api`](super::Error::Api) carries it too.

use std::time::Duration;

use http::HeaderMap;

use super::retry::parse_retry_after;
use super::time::http_date;
use super::DateTime;

/// The status, headers and retry count of a response.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ResponseMetadata {
    pub status: u16,
    pub headers: HeaderMap,
    /// How many times the client retried before this response.
    pub retries: u32,
}

impl ResponseMetadata {
    /// A header's value, when present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// `RateLimit-Limit`: requests allowed in the current window.
    pub fn rate_limit_limit(&self) -> Option<u64> {
        self.number("ratelimit-limit")
    }

    /// `RateLimit-Remaining`: requests left in the current window.
    pub fn rate_limit_remaining(&self) -> Option<u64> {
        self.number("ratelimit-remaining")
    }

    /// `Retry-After` (seconds or an HTTP date), as a wait from now.
    pub fn retry_after(&self) -> Option<Duration> {
        parse_retry_after(self.header("retry-after")?)
    }

    /// `Deprecation`: when this API version was deprecated (an HTTP date, or the
    /// `@<unix seconds>` form of RFC 9745).
    pub fn deprecation(&self) -> Option<DateTime> {
        http_date(self.header("deprecation")?)
    }

    /// `Sunset` (RFC 8594): when this API version stops answering.
    pub fn sunset(&self) -> Option<DateTime> {
        http_date(self.header("sunset")?)
    }

    fn number(&self, name: &str) -> Option<u64> {
        self.header(name)?.trim().parse().ok()
    }
}

/// A decoded response value with its [`ResponseMetadata`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ResponseValue<T> {
    pub value: T,
    pub metadata: ResponseMetadata,
}

impl<T> ResponseValue<T> {
    pub fn new(value: T, metadata: ResponseMetadata) -> Self {
        ResponseValue { value, metadata }
    }

    pub fn into_inner(self) -> T {
        self.value
    }

    pub fn status(&self) -> u16 {
        self.metadata.status
    }
}

impl<T> std::ops::Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// A streamed body is read in place: `value.next().await` on a `ResponseValue<ByteStream>`.
impl<T> std::ops::DerefMut for ResponseValue<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metadata(pairs: &[(&'static str, &'static str)]) -> ResponseMetadata {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, http::HeaderValue::from_static(value));
        }
        ResponseMetadata {
            status: 200,
            headers,
            retries: 0,
        }
    }

    #[test]
    fn reads_atlas_headers_as_recorded() {
        let m = metadata(&[
            ("deprecation", "Mon, 5 Aug 2024 00:00:00 GMT"),
            ("ratelimit-limit", "10000"),
            ("ratelimit-remaining", "9997"),
            ("sunset", "Thu, 1 Jul 2027 00:00:00 GMT"),
            ("retry-after", "7"),
        ]);
        assert_eq!(m.rate_limit_limit(), Some(10000));
        assert_eq!(m.rate_limit_remaining(), Some(9997));
        assert_eq!(m.retry_after(), Some(Duration::from_secs(7)));
        assert_eq!(
            m.deprecation().unwrap().to_rfc3339(),
            "2024-08-05T00:00:00+00:00"
        );
        assert_eq!(
            m.sunset().unwrap().to_rfc3339(),
            "2027-07-01T00:00:00+00:00"
        );
    }

    #[test]
    fn absent_or_malformed_headers_are_none() {
        let m = metadata(&[("ratelimit-limit", "many"), ("sunset", "soon")]);
        assert_eq!(m.rate_limit_limit(), None);
        assert_eq!(m.rate_limit_remaining(), None);
        assert_eq!(m.sunset(), None);
        assert_eq!(m.deprecation(), None);
        let at = metadata(&[("deprecation", "@1722816000")]);
        assert_eq!(
            at.deprecation().unwrap().to_rfc3339(),
            "2024-08-05T00:00:00+00:00"
        );
    }
}
