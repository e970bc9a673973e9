//! OAuth 2.0 client credentials for service accounts.
//!
//! One token is cached per client until shortly before it expires. The cache is behind an
//! async mutex held across the refresh, so many concurrent calls cause one token request.

use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::runtime::error::api_error;
use crate::runtime::Error;

use super::SecretString;

/// Refresh this long before the token's announced expiry.
const EXPIRY_MARGIN: Duration = Duration::from_secs(60);

#[derive(Clone)]
struct CachedToken {
    value: SecretString,
    expires_at: Instant,
}

#[derive(Default)]
pub(crate) struct TokenCache {
    token: tokio::sync::Mutex<Option<CachedToken>>,
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

impl TokenCache {
    /// A valid access token, fetching one if none is cached or it is about to expire.
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
        token_url: &reqwest::Url,
        client_id: &str,
        client_secret: &SecretString,
    ) -> Result<SecretString, Error> {
        let mut guard = self.token.lock().await;
        if let Some(token) = guard.as_ref() {
            if Instant::now() + EXPIRY_MARGIN < token.expires_at {
                return Ok(token.value.clone());
            }
        }
        let fetched = fetch(http, token_url, client_id, client_secret).await?;
        let value = fetched.value.clone();
        *guard = Some(fetched);
        Ok(value)
    }

    /// Drop the cached token if it is still `rejected` (Atlas answered 401 with it).
    pub(crate) async fn invalidate(&self, rejected: &SecretString) {
        let mut guard = self.token.lock().await;
        if guard.as_ref().is_some_and(|t| &t.value == rejected) {
            *guard = None;
        }
    }
}

async fn fetch(
    http: &reqwest::Client,
    token_url: &reqwest::Url,
    client_id: &str,
    client_secret: &SecretString,
) -> Result<CachedToken, Error> {
    tracing::debug!(token_url = %token_url, "requesting service account access token");
    let response = http
        .post(token_url.clone())
        .basic_auth(client_id, Some(client_secret.expose()))
        .header(reqwest::header::ACCEPT, "application/json")
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body("grant_type=client_credentials")
        .send()
        .await
        .map_err(|source| Error::Transport {
            operation: "oauthToken",
            source,
        })?;
    let status = response.status().as_u16();
    let body = response.bytes().await.map_err(|source| Error::Transport {
        operation: "oauthToken",
        source,
    })?;
    if !(200..300).contains(&status) {
        return Err(Error::Api {
            operation: "oauthToken",
            status,
            body: Box::new(api_error(status, &body)),
        });
    }
    let token: TokenResponse = serde_json::from_slice(&body).map_err(|e| {
        Error::Auth(format!(
            "token endpoint answered without an access_token: {e}"
        ))
    })?;
    let lifetime = Duration::from_secs(token.expires_in.unwrap_or(3600));
    Ok(CachedToken {
        value: SecretString::new(token.access_token),
        expires_at: Instant::now() + lifetime,
    })
}
