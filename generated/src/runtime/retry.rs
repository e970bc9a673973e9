//! Retries for rate limits (429), unavailability (503) and connection failures.

use std::time::Duration;

use super::Method;

/// When and how long to retry. Only idempotent methods (GET, PUT, DELETE, HEAD) are
/// retried unless `retry_non_idempotent` is set: a repeated POST could create twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// Backoff before the first retry; doubles on each further retry.
    pub initial_backoff: Duration,
    /// Upper bound of the exponential backoff.
    pub max_backoff: Duration,
    /// Upper bound on a server-sent `Retry-After`.
    pub max_retry_after: Duration,
    /// Also retry POST and PATCH.
    pub retry_non_idempotent: bool,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_retries: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(120),
            retry_non_idempotent: false,
        }
    }
}

impl RetryConfig {
    /// No retries at all.
    pub fn disabled() -> Self {
        RetryConfig {
            max_retries: 0,
            ..Self::default()
        }
    }

    pub(crate) fn allows(&self, method: &Method) -> bool {
        self.retry_non_idempotent
            || matches!(
                *method,
                Method::GET | Method::PUT | Method::DELETE | Method::HEAD
            )
    }

    /// Delay before retry number `attempt` (0-based): the server's `Retry-After` when
    /// given (bounded), else exponential backoff with full jitter.
    pub(crate) fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(after) = retry_after {
            return after.min(self.max_retry_after);
        }
        let exp = self.initial_backoff.saturating_mul(1u32 << attempt.min(16));
        let cap = exp.min(self.max_backoff);
        cap.mul_f64(rand::random::<f64>())
    }
}

/// Parse `Retry-After` given in seconds (Atlas does not send HTTP dates).
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_idempotent_methods_retry_by_default() {
        let config = RetryConfig::default();
        assert!(config.allows(&Method::GET));
        assert!(config.allows(&Method::DELETE));
        assert!(!config.allows(&Method::POST));
        assert!(!config.allows(&Method::PATCH));
        let opt_in = RetryConfig {
            retry_non_idempotent: true,
            ..RetryConfig::default()
        };
        assert!(opt_in.allows(&Method::POST));
    }

    #[test]
    fn backoff_is_bounded_and_honours_retry_after() {
        let config = RetryConfig::default();
        for attempt in 0..40 {
            assert!(config.delay(attempt, None) <= config.max_backoff);
        }
        assert_eq!(
            config.delay(0, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
        assert_eq!(
            config.delay(0, Some(Duration::from_secs(999))),
            config.max_retry_after
        );
        assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }
}
