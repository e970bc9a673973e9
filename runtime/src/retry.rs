//! When a failed attempt is sent again, and after how long.
//!
//! The rule is what the server can have done with the request: a 429 was not executed
//! and a refused connection never reached it, so those are retried for every method;
//! a 502/503/504, a timeout or a dropped connection may have been executed, so those are
//! retried only for idempotent methods. A POST that may have reached Atlas is never sent
//! twice. Every retry fits an overall deadline.

use std::time::Duration;

use super::{Error, Method, TransportErrorKind};

/// When and how long to retry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// Backoff before the first retry; doubles on each further retry (with jitter).
    pub initial_backoff: Duration,
    /// Upper bound of the exponential backoff.
    pub max_backoff: Duration,
    /// Upper bound on a server-sent `Retry-After`.
    pub max_retry_after: Duration,
    /// Time for the whole call, every attempt and wait included: no retry starts that
    /// would end after it, and each attempt's timeout is cut to what is left.
    pub deadline: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_retries: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(120),
            deadline: Duration::from_secs(180),
        }
    }
}

/// How an attempt ended, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Attempt {
    /// The server answered with this status.
    Status(u16),
    /// The connection was never made: the request did not reach the server.
    Unsent,
    /// A timeout or a dropped connection after the request may have been written.
    MaybeSent,
    /// Nothing another attempt could change (bad input, a body too large, ...).
    Final,
}

impl Attempt {
    pub(crate) fn of_error(error: &Error) -> Self {
        match error {
            Error::Transport { source, .. } => match source.kind() {
                TransportErrorKind::Connect => Attempt::Unsent,
                TransportErrorKind::Request => Attempt::Final,
                _ => Attempt::MaybeSent,
            },
            _ => Attempt::Final,
        }
    }
}

fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::PUT | Method::DELETE | Method::HEAD | Method::OPTIONS
    )
}

impl RetryConfig {
    /// No retries at all.
    pub fn disabled() -> Self {
        RetryConfig {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// Whether an attempt that ended so may be sent again.
    pub(crate) fn retries(&self, method: &Method, attempt: Attempt) -> bool {
        match attempt {
            Attempt::Status(429) | Attempt::Unsent => true,
            Attempt::Status(502..=504) | Attempt::MaybeSent => is_idempotent(method),
            Attempt::Status(_) | Attempt::Final => false,
        }
    }

    /// Delay before retry number `attempt` (0-based): the server's `Retry-After` when it
    /// names a positive delay (bounded), else exponential backoff with equal jitter (half
    /// fixed, half random), so `Retry-After: 0` from many clients does not synchronise.
    pub(crate) fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(after) = retry_after.filter(|d| !d.is_zero()) {
            return after.min(self.max_retry_after);
        }
        let exp = self.initial_backoff.saturating_mul(1u32 << attempt.min(16));
        let cap = exp.min(self.max_backoff);
        cap / 2 + (cap / 2).mul_f64(rand::random::<f64>())
    }
}

/// `Retry-After` (RFC 9110 section 10.2.3): seconds, or an HTTP date, as the wait from
/// now (zero for a date in the past).
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    if let Ok(seconds) = value.trim().parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = super::time::http_date(value)?;
    let wait = at.signed_duration_since(super::DateTime::from(std::time::SystemTime::now()));
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_may_have_run_is_retried_only_when_idempotent() {
        let config = RetryConfig::default();
        for method in [
            Method::GET,
            Method::PUT,
            Method::DELETE,
            Method::POST,
            Method::PATCH,
        ] {
            let idempotent = !matches!(method, Method::POST | Method::PATCH);
            assert!(config.retries(&method, Attempt::Status(429)), "{method}");
            assert!(config.retries(&method, Attempt::Unsent), "{method}");
            for may_have_run in [
                Attempt::Status(502),
                Attempt::Status(503),
                Attempt::Status(504),
                Attempt::MaybeSent,
            ] {
                assert_eq!(
                    config.retries(&method, may_have_run),
                    idempotent,
                    "{method}"
                );
            }
            for final_ in [Attempt::Status(500), Attempt::Status(404), Attempt::Final] {
                assert!(!config.retries(&method, final_), "{method}");
            }
        }
    }

    #[test]
    fn backoff_is_bounded_jittered_and_honours_retry_after() {
        let config = RetryConfig::default();
        for attempt in 0..40 {
            let delay = config.delay(attempt, None);
            assert!(delay <= config.max_backoff, "{delay:?}");
            assert!(delay >= config.initial_backoff / 2, "{delay:?}");
        }
        let zero = config.delay(0, Some(Duration::ZERO));
        assert!(
            zero >= config.initial_backoff / 2,
            "Retry-After: 0 still backs off"
        );
        assert_eq!(
            config.delay(0, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
        assert_eq!(
            config.delay(0, Some(Duration::from_secs(999))),
            config.max_retry_after
        );
        assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_secs(7)));
        // A date in the past is "now"; one ahead is the wait until it, in any of the
        // three forms RFC 9110 lets a server send.
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        let ahead = super::super::DateTime::from(std::time::SystemTime::now())
            + chrono::Duration::seconds(90);
        for format in [
            "%a, %d %b %Y %H:%M:%S GMT",
            "%A, %d-%b-%y %H:%M:%S GMT",
            "%a %b %e %H:%M:%S %Y",
        ] {
            let text = ahead.format(format).to_string();
            let wait = parse_retry_after(&text).unwrap_or_default();
            assert!(
                (Duration::from_secs(88)..=Duration::from_secs(90)).contains(&wait),
                "{text}: {wait:?}"
            );
        }
        assert_eq!(parse_retry_after("soon"), None);
    }
}
