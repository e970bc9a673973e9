//! HTTP Digest (RFC 7616) for programmatic API keys, on the `digest_auth` crate.
//!
//! The first request is answered with a challenge; afterwards the nonce is reused with an
//! increasing `nc`, so each later call costs one round trip. A `stale=true` challenge
//! replaces the nonce and the request is answered once more.

use std::sync::Mutex;

use digest_auth::{AuthContext, HttpMethod, WwwAuthenticateHeader};

use crate::runtime::{Error, HttpRequest};

/// The current server nonce, shared by every clone of a client.
#[derive(Debug, Default)]
pub(crate) struct DigestState {
    prompt: Mutex<Option<WwwAuthenticateHeader>>,
}

/// Pick the strongest Digest challenge Atlas offers (SHA-256 over MD5).
pub(crate) fn best_challenge<'a>(
    challenges: impl IntoIterator<Item = &'a str>,
) -> Option<WwwAuthenticateHeader> {
    let mut best: Option<WwwAuthenticateHeader> = None;
    for header in challenges {
        if !header
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("digest")
        {
            continue;
        }
        let Ok(parsed) = digest_auth::parse(header) else {
            continue;
        };
        let is_sha256 = parsed.algorithm.to_string().starts_with("SHA-256");
        if best.is_none() || is_sha256 {
            best = Some(parsed);
        }
    }
    best
}

impl DigestState {
    /// Remember a challenge; returns whether it is `stale` (the old nonce expired).
    pub(crate) fn store(&self, challenge: WwwAuthenticateHeader) -> bool {
        let stale = challenge.stale;
        *self.prompt.lock().unwrap_or_else(|p| p.into_inner()) = Some(challenge);
        stale
    }

    /// Forget the nonce (after a rejected answer).
    pub(crate) fn clear(&self) {
        *self.prompt.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// The `Authorization` header for a request, if a nonce is known.
    pub(crate) fn authorization(
        &self,
        username: &str,
        password: &str,
        request: &HttpRequest,
    ) -> Result<Option<String>, Error> {
        let mut guard = self.prompt.lock().unwrap_or_else(|p| p.into_inner());
        let Some(prompt) = guard.as_mut() else {
            return Ok(None);
        };
        let uri = request.path_and_query();
        let body = request.body.as_ref().map(|b| b.bytes.as_slice());
        let context = AuthContext::new_with_method(
            username,
            password,
            uri,
            body,
            HttpMethod::from(request.method.as_str().to_owned()),
        );
        let answer = prompt
            .respond(&context)
            .map_err(|e| Error::Auth(format!("cannot answer the digest challenge: {e}")))?;
        Ok(Some(answer.to_header_string()))
    }
}
