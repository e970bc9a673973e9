//! OAuth 2.0 client credentials for service accounts.
//!
//! One token is cached per client until shortly before it expires. The cache is behind an
//! async mutex held across the refresh, so many concurrent calls cause one token request.
//! Atlas allows about ten token requests a minute per client: a 429 or 5xx is retried
//! within the client's retry policy and the call's deadline, and a failure is kept (and
//! returned to every caller) until its backoff ends, so waiting callers do not ask again.
//! A refresh that fails before the cached token expires keeps serving that token.

use std::time::{Duration, Instant};

use serde::Deserialize;

use http::{HeaderMap, HeaderValue};

use crate::error::ApiError;
use crate::exchange::{Backend, BodyMode, Exchange};
use crate::retry::{parse_retry_after, Attempt};
use crate::transport::deadline_after;
use crate::{Error, RawResponse, ResponseMetadata, RetryConfig};

use super::SecretString;

const OPERATION: &str = "oauthToken";

/// Refresh at most this long before the token's announced expiry.
const MAX_EXPIRY_MARGIN: Duration = Duration::from_secs(60);

/// Longer announced lifetimes are not believed (and `Instant + u64::MAX s` overflows).
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// A token is used for at least this long, whatever `expires_in` says (`0` would mean a
/// token request per call); a 401 with it still fetches another at once.
pub const MIN_TOKEN_LIFETIME: Duration = Duration::from_secs(5);

/// After a failed early refresh, the valid token is served this long before the next try.
const REFRESH_RETRY: Duration = Duration::from_secs(1);

/// Token responses are small; anything longer is not one.
const MAX_TOKEN_RESPONSE: u64 = 64 << 10;

/// Where and how to ask for a token.
pub(crate) struct TokenSource<'a> {
    pub backend: &'a Backend,
    pub url: &'a reqwest::Url,
    pub client_id: &'a str,
    pub client_secret: &'a SecretString,
    pub retry: &'a RetryConfig,
    /// The client's timeout for one exchange, cut to what is left of the call's deadline.
    pub timeout: Duration,
}

#[derive(Clone)]
struct CachedToken {
    value: SecretString,
    refresh_at: Instant,
    /// Until then a failed refresh still serves `value`.
    expires_at: Instant,
}

/// A failed token request, kept until `until` and given to every caller meanwhile.
#[derive(Clone)]
struct Failure {
    /// The status, error body and metadata when the token endpoint answered.
    answered: Option<(u16, ApiError, ResponseMetadata)>,
    message: String,
    until: Instant,
}

impl Failure {
    fn to_error(&self) -> Error {
        match &self.answered {
            Some((status, body, metadata)) => Error::Api {
                operation: OPERATION,
                status: *status,
                body: Box::new(body.clone()),
                metadata: Box::new(metadata.clone()),
            },
            None => Error::Auth(self.message.clone()),
        }
    }
}

#[derive(Clone)]
enum State {
    Token(CachedToken),
    Failed(Box<Failure>),
}

#[derive(Default)]
pub(crate) struct TokenCache {
    state: tokio::sync::Mutex<Option<State>>,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenCache")
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// When to refresh a token that lives `lifetime` (at least [`MIN_TOKEN_LIFETIME`]): a
/// fifth of its life early, at most a minute (a 30 s token is kept 24 s, not refetched on
/// every call).
fn refresh_at(now: Instant, lifetime: Duration) -> Instant {
    let lifetime = lifetime.clamp(MIN_TOKEN_LIFETIME, MAX_LIFETIME);
    let margin = (lifetime / 5).min(MAX_EXPIRY_MARGIN);
    now.checked_add(lifetime - margin).unwrap_or(now)
}

/// When a token that lives `lifetime` stops being served (at least [`MIN_TOKEN_LIFETIME`]).
fn expires_at(now: Instant, lifetime: Duration) -> Instant {
    let lifetime = lifetime.clamp(MIN_TOKEN_LIFETIME, MAX_LIFETIME);
    now.checked_add(lifetime).unwrap_or(now)
}

impl TokenCache {
    /// A valid access token, fetching one if none is cached or it is about to expire.
    /// Waiting for another caller's fetch, and the fetch, end at the call's `deadline`.
    pub(crate) async fn token(
        &self,
        source: &TokenSource<'_>,
        deadline: Instant,
    ) -> Result<SecretString, Error> {
        let Ok(mut guard) = tokio::time::timeout_at(deadline.into(), self.state.lock()).await
        else {
            return Err(Error::Auth(
                "timed out waiting for the service-account token".into(),
            ));
        };
        let now = Instant::now();
        let still_valid = match guard.as_ref() {
            Some(State::Token(token)) if now < token.refresh_at => return Ok(token.value.clone()),
            Some(State::Token(token)) if now < token.expires_at => Some(token.clone()),
            Some(State::Failed(failure)) if now < failure.until => return Err(failure.to_error()),
            _ => None,
        };
        match fetch_with_retries(source, deadline).await {
            Ok(token) => {
                let value = token.value.clone();
                *guard = Some(State::Token(token));
                Ok(value)
            }
            Err((error, failure)) => {
                if let Some(mut token) = still_valid {
                    // An early refresh failed: the token is good until it expires.
                    tracing::debug!(%error, "token refresh failed; the cached token is still valid");
                    let retry_at = failure.map_or(now, |f| f.until).max(now + REFRESH_RETRY);
                    token.refresh_at = retry_at.min(token.expires_at);
                    let value = token.value.clone();
                    *guard = Some(State::Token(token));
                    return Ok(value);
                }
                // Only what the token endpoint answered is shared; a transport failure is
                // this caller's, and the next one tries again.
                *guard = failure.map(|f| State::Failed(Box::new(f)));
                Err(error)
            }
        }
    }

    /// Drop the cached token if it is still `rejected` (Atlas answered 401 with it);
    /// waiting for the cache ends at the call's `deadline`.
    pub(crate) async fn invalidate(
        &self,
        rejected: &SecretString,
        deadline: Instant,
    ) -> Result<(), Error> {
        let Ok(mut guard) = tokio::time::timeout_at(deadline.into(), self.state.lock()).await
        else {
            return Err(Error::Auth(
                "timed out waiting for the service-account token".into(),
            ));
        };
        if matches!(guard.as_ref(), Some(State::Token(t)) if &t.value == rejected) {
            *guard = None;
        }
        Ok(())
    }
}

/// One token request, retried on 429/5xx and unsent requests within the retry policy;
/// an answer from the endpoint comes with the record cached for other callers.
async fn fetch_with_retries(
    source: &TokenSource<'_>,
    call_deadline: Instant,
) -> Result<CachedToken, (Error, Option<Failure>)> {
    let deadline = deadline_after(source.retry.deadline).min(call_deadline);
    let mut attempt = 0;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let (result, retry_after) = fetch(source, source.timeout.min(left)).await;
        let error = match result {
            Ok(token) => return Ok(token),
            Err(error) => error,
        };
        let outcome = match &error {
            Error::Api { status, .. } => Attempt::Status(*status),
            other => Attempt::of_error(other),
        };
        // Token requests change nothing: retried like a GET.
        let delay = source.retry.delay(attempt, retry_after);
        let retry = attempt < source.retry.max_retries
            && source.retry.retries(&reqwest::Method::GET, outcome)
            && deadline_after(delay) < deadline;
        if !retry {
            let failure = error.status().map(|status| Failure {
                answered: error.metadata().map(|metadata| {
                    let body = error.api_error().cloned().unwrap_or_default();
                    (status, body, metadata.clone())
                }),
                message: error.to_string(),
                until: deadline_after(delay),
            });
            return Err((error, failure));
        }
        tracing::debug!(attempt, ?delay, "retrying the token request");
        tokio::time::sleep(delay).await;
        attempt += 1;
    }
}

/// RFC 6749 section 2.3.1: the client id and secret are form-urlencoded, then Basic.
fn form_urlencoded(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The client-credentials request: Basic authentication, a form body, no redirects.
fn token_exchange(source: &TokenSource<'_>, timeout: Duration) -> Result<Exchange, Error> {
    use base64::Engine as _;
    let pair = format!(
        "{}:{}",
        form_urlencoded(source.client_id),
        form_urlencoded(source.client_secret.expose())
    );
    let basic = base64::engine::general_purpose::STANDARD.encode(pair);
    let mut authorization = HeaderValue::from_str(&format!("Basic {basic}"))
        .map_err(|_| Error::Auth("the client id or secret cannot be sent in a header".into()))?;
    authorization.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert(http::header::AUTHORIZATION, authorization);
    headers.insert(
        http::header::ACCEPT,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    Ok(Exchange {
        operation: OPERATION,
        method: http::Method::POST,
        url: source.url.clone(),
        headers,
        body: Some(b"grant_type=client_credentials".to_vec()),
        timeout,
    })
}

async fn fetch(
    source: &TokenSource<'_>,
    timeout: Duration,
) -> (Result<CachedToken, Error>, Option<Duration>) {
    tracing::debug!(token_url = %source.url, "requesting service account access token");
    let exchange = match token_exchange(source, timeout) {
        Ok(exchange) => exchange,
        Err(e) => return (Err(e), None),
    };
    let mode = BodyMode::Buffer {
        limit: MAX_TOKEN_RESPONSE,
    };
    let response = match source.backend.exchange(exchange, mode).await {
        Ok(delivered) => delivered.response,
        Err(e) => return (Err(e), None),
    };
    let (status, body) = (response.status, response.body);
    let retry_after = response
        .headers
        .get(http::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_retry_after);
    if !(200..300).contains(&status) {
        let raw = RawResponse::new(status, response.headers, body);
        let error = Error::api(OPERATION, &raw);
        return (Err(error), retry_after);
    }
    let parsed = serde_json::from_slice::<TokenResponse>(&body).map_err(|e| {
        Error::Auth(format!(
            "token endpoint answered without an access_token: {e}"
        ))
    });
    let token = parsed.map(|token| {
        let lifetime = Duration::from_secs(token.expires_in.unwrap_or(3600));
        let now = Instant::now();
        CachedToken {
            value: SecretString::new(token.access_token),
            refresh_at: refresh_at(now, lifetime),
            expires_at: expires_at(now, lifetime),
        }
    });
    (token, retry_after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_margin_scales_and_never_overflows() {
        let now = Instant::now();
        assert_eq!(
            refresh_at(now, Duration::from_secs(30)),
            now + Duration::from_secs(24)
        );
        assert_eq!(
            refresh_at(now, Duration::from_secs(3600)),
            now + Duration::from_secs(3540)
        );
        // Below the floor, a token is kept as one of the floor's length.
        assert_eq!(
            refresh_at(now, Duration::ZERO),
            now + Duration::from_secs(4)
        );
        assert_eq!(
            expires_at(now, Duration::from_secs(1)),
            now + MIN_TOKEN_LIFETIME
        );
        let huge = refresh_at(now, Duration::from_secs(u64::MAX));
        assert_eq!(huge, now + MAX_LIFETIME - MAX_EXPIRY_MARGIN);
    }
}
