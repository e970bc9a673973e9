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

    /// The `Authorization` header for a request sent to `target` (its path and query as
    /// on the wire), if a nonce is known.
    pub(crate) fn authorization(
        &self,
        username: &str,
        password: &str,
        request: &HttpRequest,
        target: &str,
    ) -> Result<Option<String>, Error> {
        let mut guard = self.prompt.lock().unwrap_or_else(|p| p.into_inner());
        let Some(prompt) = guard.as_mut() else {
            return Ok(None);
        };
        let uri = target;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7616 section 3.9.1: the same request answered with MD5 and with SHA-256.
    fn rfc_answer(algorithm: &str) -> String {
        let challenge = format!(
            r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm={algorithm}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#
        );
        let mut prompt = best_challenge([challenge.as_str()]).expect("a digest challenge");
        let mut context = AuthContext::new("Mufasa", "Circle of Life", "/dir/index.html");
        context.set_custom_cnonce("f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
        let answer = prompt.respond(&context).unwrap().to_header_string();
        let response = answer.split("response=\"").nth(1).unwrap();
        response[..response.find('"').unwrap()].to_owned()
    }

    #[test]
    fn rfc7616_md5_vector() {
        assert_eq!(rfc_answer("MD5"), "8ca523f5e9506fed4657c9700eebdbec");
    }

    #[test]
    fn rfc7616_sha256_vector() {
        assert_eq!(
            rfc_answer("SHA-256"),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
        );
    }

    #[test]
    fn prefers_sha256_and_ignores_other_schemes() {
        let chosen = best_challenge([
            r#"Bearer realm="x""#,
            r#"Digest realm="r", nonce="n", algorithm=MD5, qop="auth""#,
            r#"Digest realm="r", nonce="n", algorithm=SHA-256, qop="auth""#,
        ])
        .unwrap();
        assert!(chosen.algorithm.to_string().starts_with("SHA-256"));
        assert!(best_challenge([r#"Bearer realm="x""#]).is_none());
    }

    #[test]
    fn nonce_reuse_counts_up() {
        let state = DigestState::default();
        state.store(
            best_challenge([r#"Digest realm="r", nonce="n", algorithm=MD5, qop="auth""#]).unwrap(),
        );
        let request =
            HttpRequest::new(crate::runtime::Method::GET, "/a".into(), "application/json");
        let first = state
            .authorization("u", "p", &request, "/a")
            .unwrap()
            .unwrap();
        let second = state
            .authorization("u", "p", &request, "/a")
            .unwrap()
            .unwrap();
        assert!(first.contains("nc=00000001"), "{first}");
        assert!(second.contains("nc=00000002"), "{second}");
    }
}
