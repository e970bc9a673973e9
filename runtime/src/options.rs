//! Per-call settings: a timeout, a retry policy or extra headers for some calls, without a
//! second client (aws-sdk-rust's `customize()`).
//!
//! [`Client::with_options`](super::Client::with_options) returns a view of the same
//! client: it shares connections, the Digest nonce and the service-account token, and
//! only the settings named here differ for the calls sent through it.

use std::time::Duration;

use http::{HeaderName, HeaderValue};

use super::{Error, RetryConfig};

/// What one call (or a few) does differently from its client. Unset fields keep the
/// client's setting.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryConfig>,
    pub(crate) headers: Vec<(String, String)>,
}

/// Headers a call's options may not set: the client's own (`Authorization`, the exact
/// versioned `Accept`, the body's `Content-Type`) and those that would send the request
/// elsewhere or frame its body differently.
const CLIENT_HEADERS: [HeaderName; 7] = [
    http::header::AUTHORIZATION,
    http::header::ACCEPT,
    http::header::CONTENT_TYPE,
    http::header::HOST,
    http::header::CONTENT_LENGTH,
    http::header::TRANSFER_ENCODING,
    http::header::CONNECTION,
];

impl CallOptions {
    pub fn new() -> Self {
        Self::default()
    }

    /// The time for each exchange of the call, in place of
    /// [`ClientBuilder::timeout`](super::ClientBuilder::timeout) (still cut to the retry
    /// deadline).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The retry policy and overall deadline of the call, in place of the client's.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// One more header on every request of the call (a trace id, say); a `User-Agent`
    /// replaces the client's. Checked when the call is sent: an invalid name or value, or
    /// a header the client sets itself (`Authorization`, `Accept`, `Content-Type`,
    /// `Host` and the framing headers), is [`Error::InvalidInput`] and nothing is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The extra headers, checked.
    pub(crate) fn checked_headers(&self) -> Result<Vec<(HeaderName, HeaderValue)>, Error> {
        self.headers
            .iter()
            .map(|(name, value)| {
                let invalid = |what: &str| {
                    Error::InvalidInput(format!("call option header `{name}`: {what}"))
                };
                let header = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| invalid("not a valid header name"))?;
                if CLIENT_HEADERS.contains(&header) {
                    return Err(invalid("the client sets this header itself"));
                }
                let value = HeaderValue::from_str(value)
                    .map_err(|_| invalid("not a valid header value"))?;
                Ok((header, value))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_the_client_sets_are_refused_by_name() {
        for name in ["Authorization", "accept", "Host", "content-length"] {
            let error = CallOptions::new().header(name, "x").checked_headers();
            let message = error.err().map(|e| e.to_string()).unwrap_or_default();
            assert!(message.contains(name), "{message}");
        }
        let error = CallOptions::new()
            .header("X-Trace", "a\nb")
            .checked_headers();
        assert!(error.is_err());
        let ok = CallOptions::new()
            .header("X-Trace", "abc")
            .checked_headers();
        assert_eq!(ok.map(|h| h.len()).ok(), Some(1));
    }
}
