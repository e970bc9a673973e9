//! HTTP Digest (RFC 7616) for programmatic API keys, on the `digest_auth` crate.
//!
//! The first request takes a challenge; later calls reuse its nonce with an increasing
//! `nc`, so each costs one round trip. Concurrency is the hard part: many tasks share one
//! nonce, and servers that require `nc` to increase reject answers that overtook each
//! other on the wire; servers with time-based nonces (Apache's `mod_auth_digest`) hand
//! the same nonce to every challenge of a time window. So the counter belongs to the
//! nonce, not to a task: every answer to a nonce, shared or fresh, takes the next `nc`
//! of that nonce. A rejected answer that may have been overtaken (a later `nc` of its
//! nonce was signed before its 401 came back) or whose 401 brings another nonce is
//! answered again on that challenge, one task at a time (`recovering`), so those answers
//! cannot overtake each other; one that nothing could have overtaken is a wrong key.

use std::collections::VecDeque;
use std::sync::Mutex;

use digest_auth::{AuthContext, HttpMethod, WwwAuthenticateHeader};

use crate::{Error, HttpRequest};

/// How many nonces keep their counter: more than a server has in use at once.
const COUNTED_NONCES: usize = 64;

/// The current server nonce, shared by every clone of a client.
#[derive(Debug, Default)]
pub(crate) struct DigestState {
    shared: Mutex<Shared>,
    /// Held while a rejected answer is answered again, so re-answers to one nonce go
    /// out one at a time and cannot overtake each other.
    pub(crate) recovering: tokio::sync::Mutex<()>,
    /// Held by the one task that takes the first challenge, so a cold burst of calls
    /// costs one extra round trip instead of one per call.
    pub(crate) priming: tokio::sync::Mutex<()>,
    /// Finished primings: a waiter that sees this move without a nonce stops waiting.
    primings: std::sync::atomic::AtomicU64,
}

/// What a request needs to be answered: credentials and the exact request line.
pub(crate) struct Answer<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub request: &'a HttpRequest,
    /// The path and query as sent (what `uri=` signs).
    pub target: &'a str,
}

/// The shared challenge and the last `nc` signed for each recent nonce.
#[derive(Debug, Default)]
struct Shared {
    prompt: Option<WwwAuthenticateHeader>,
    counters: VecDeque<(String, u32)>,
}

impl Shared {
    fn counter(&self, nonce: &str) -> u32 {
        self.counters
            .iter()
            .find(|(n, _)| n == nonce)
            .map_or(0, |(_, nc)| *nc)
    }

    fn set_counter(&mut self, nonce: &str, nc: u32) {
        match self.counters.iter_mut().find(|(n, _)| n == nonce) {
            Some(entry) => entry.1 = entry.1.max(nc),
            None => {
                if self.counters.len() == COUNTED_NONCES {
                    self.counters.pop_front();
                }
                self.counters.push_back((nonce.to_owned(), nc));
            }
        }
    }

    /// Answer `challenge` with the next `nc` of its nonce.
    fn sign(
        &mut self,
        challenge: &mut WwwAuthenticateHeader,
        answer: &Answer<'_>,
    ) -> Result<Signed, Error> {
        challenge.nc = challenge.nc.max(self.counter(&challenge.nonce));
        let signed = respond(challenge, answer)?;
        self.set_counter(&challenge.nonce, challenge.nc);
        Ok(signed)
    }
}

/// An `Authorization` header, the nonce it answers and the `nc` it used.
pub(crate) struct Signed {
    pub header: String,
    pub nonce: String,
    pub nc: u32,
}

/// Pick the strongest Digest challenge (SHA-256 over MD5). Challenges are read leniently
/// (any case, unknown parameters dropped), and when a SHA-256 challenge is offered but
/// cannot be answered, that is an error: it is never downgraded to MD5.
pub(crate) fn best_challenge<'a>(
    challenges: impl IntoIterator<Item = &'a str>,
) -> Result<Option<WwwAuthenticateHeader>, Error> {
    let mut md5 = None;
    for header in challenges {
        let Some(params) = digest_params(header) else {
            continue;
        };
        let offers = |algorithm: &str| {
            params
                .iter()
                .any(|(k, v)| k == "algorithm" && v.to_ascii_uppercase().starts_with(algorithm))
        };
        let algorithm = if offers("SHA-256") { "SHA-256" } else { "MD5" };
        let parsed = canonical_challenge(&params)
            .ok_or_else(|| "a parameter is repeated or not printable ASCII".to_owned())
            .and_then(|canonical| digest_auth::parse(&canonical).map_err(|e| e.to_string()))
            .and_then(|parsed| {
                // Whatever the parser made of the text, it must be what was offered.
                let got = parsed.algorithm.to_string();
                if got.starts_with(algorithm) {
                    Ok(parsed)
                } else {
                    Err(format!("read as {got}"))
                }
            });
        if algorithm == "SHA-256" {
            return parsed.map(Some).map_err(|e| {
                Error::Auth(format!(
                    "Atlas offered SHA-256 Digest, but its challenge cannot be answered: {e}"
                ))
            });
        }
        if md5.is_none() && algorithm.starts_with("MD5") {
            md5 = parsed.ok();
        }
    }
    Ok(md5)
}

/// The `key=value` parameters of a `Digest` challenge, keys lowercased, quotes removed;
/// `None` for other schemes.
fn digest_params(header: &str) -> Option<Vec<(String, String)>> {
    let header = header.trim_start();
    let scheme = header.get(..6)?;
    if !scheme.eq_ignore_ascii_case("digest") {
        return None;
    }
    let mut params = Vec::new();
    let mut rest = header.get(6..)?;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
        let Some(eq) = rest.find('=') else {
            break;
        };
        let key = rest[..eq].trim().to_ascii_lowercase();
        rest = rest[eq + 1..].trim_start();
        let value = if let Some(quoted) = rest.strip_prefix('"') {
            let (value, after) = unquote(quoted);
            rest = after;
            value
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            let value = rest[..end].trim().to_owned();
            rest = &rest[end..];
            value
        };
        params.push((key, value));
    }
    Some(params)
}

/// A quoted-string's content (backslash escapes resolved) and the text after it.
fn unquote(quoted: &str) -> (String, &str) {
    let mut value = String::new();
    let mut chars = quoted.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (value, &quoted[i + 1..]),
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    value.push(escaped);
                }
            }
            c => value.push(c),
        }
    }
    (value, "")
}

/// The challenge rewritten in the exact form `digest_auth` parses: canonical algorithm
/// and qop spellings, only the parameters it understands. `None` when a value is not
/// printable ASCII: `digest_auth` indexes bytes by character count and panics on others
/// (found by `fuzz_digest_challenges`).
fn canonical_challenge(params: &[(String, String)]) -> Option<String> {
    let printable = |v: &str| v.bytes().all(|b| (0x20..0x7f).contains(&b));
    if !params.iter().all(|(k, v)| printable(k) && printable(v)) {
        return None;
    }
    // A repeated key (two `algorithm`s, or challenges a proxy merged into one header)
    // would be read by digest_auth as its last value: refuse instead of guessing.
    let mut keys: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
    keys.sort_unstable();
    if keys.windows(2).any(|pair| matches!(pair, [a, b] if a == b)) {
        return None;
    }
    let mut out = String::from("Digest ");
    for (key, value) in params {
        let value = match key.as_str() {
            "realm" | "nonce" | "opaque" | "domain" => value.clone(),
            "stale" | "userhash" => value.to_ascii_lowercase(),
            "algorithm" => canonical_algorithm(value),
            "qop" => value
                .split(',')
                .map(|q| q.trim().to_ascii_lowercase())
                .filter(|q| q == "auth" || q == "auth-int")
                .collect::<Vec<_>>()
                .join(","),
            "charset" if value.eq_ignore_ascii_case("utf-8") => "UTF-8".to_owned(),
            _ => continue,
        };
        if key == "qop" && value.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "{key}=\"{}\", ",
            value.replace('\\', "\\\\").replace('"', "\\\"")
        ));
    }
    Some(out.trim_end_matches([',', ' ']).to_owned())
}

fn canonical_algorithm(value: &str) -> String {
    let upper = value.to_ascii_uppercase();
    match upper.strip_suffix("-SESS") {
        Some(base) => format!("{base}-sess"),
        None => upper,
    }
}

fn respond(prompt: &mut WwwAuthenticateHeader, answer: &Answer<'_>) -> Result<Signed, Error> {
    let body = answer.request.body.as_ref().map(|b| b.bytes.as_slice());
    let context = AuthContext::new_with_method(
        answer.username,
        answer.password,
        answer.target,
        body,
        HttpMethod::from(answer.request.method.as_str().to_owned()),
    );
    let header = prompt
        .respond(&context)
        .map_err(|e| Error::Auth(format!("cannot answer the digest challenge: {e}")))?;
    Ok(Signed {
        header: header.to_header_string(),
        nonce: prompt.nonce.clone(),
        nc: prompt.nc,
    })
}

impl DigestState {
    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Make `challenge` the shared nonce. A challenge repeating the nonce in use keeps
    /// its counter (restarting `nc` would replay values the server has seen).
    pub(crate) fn adopt(&self, challenge: WwwAuthenticateHeader) {
        let mut guard = self.lock();
        if guard
            .prompt
            .as_ref()
            .is_none_or(|c| c.nonce != challenge.nonce)
        {
            guard.prompt = Some(challenge);
        }
    }

    /// Replace the shared nonce with `fresh` only if it is still `rejected` (another task
    /// may already have moved on).
    pub(crate) fn replace(&self, rejected: &str, fresh: WwwAuthenticateHeader) {
        let mut guard = self.lock();
        if guard.prompt.as_ref().is_none_or(|c| c.nonce == rejected) {
            guard.prompt = Some(fresh);
        }
    }

    /// How many primings have finished.
    pub(crate) fn primings(&self) -> u64 {
        self.primings.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Record a finished priming (whether or not it brought a nonce).
    pub(crate) fn primed(&self) {
        self.primings
            .fetch_add(1, std::sync::atomic::Ordering::Release);
    }

    /// The shared nonce, if any.
    pub(crate) fn nonce(&self) -> Option<String> {
        self.lock().prompt.as_ref().map(|c| c.nonce.clone())
    }

    /// An answer with the shared nonce and its next `nc`, if a nonce is known.
    pub(crate) fn answer(&self, answer: &Answer<'_>) -> Result<Option<Signed>, Error> {
        let mut guard = self.lock();
        let Some(mut prompt) = guard.prompt.take() else {
            return Ok(None);
        };
        let signed = guard.sign(&mut prompt, answer);
        guard.prompt = Some(prompt);
        signed.map(Some)
    }

    /// An answer to `challenge` (from a 401) with the next `nc` of its nonce, shared
    /// with every other answer to that nonce.
    pub(crate) fn answer_to(
        &self,
        challenge: &mut WwwAuthenticateHeader,
        answer: &Answer<'_>,
    ) -> Result<Signed, Error> {
        self.lock().sign(challenge, answer)
    }

    /// Whether an answer after `signed` was signed with its nonce: a rejection of
    /// `signed` may then be one that arrived out of order, not a wrong key.
    pub(crate) fn overtakable(&self, signed: &Signed) -> bool {
        self.lock().counter(&signed.nonce) > signed.nc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get_a() -> HttpRequest {
        HttpRequest::new(crate::Method::GET, "/a".into(), "application/json")
    }

    fn answer_for(request: &HttpRequest) -> Answer<'_> {
        Answer {
            username: "u",
            password: "p",
            request,
            target: "/a",
        }
    }

    /// RFC 7616 section 3.9.1: the same request answered with MD5 and with SHA-256.
    fn rfc_answer(algorithm: &str) -> String {
        let challenge = format!(
            r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm={algorithm}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#
        );
        let mut prompt = best_challenge([challenge.as_str()])
            .unwrap()
            .expect("a digest challenge");
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
        .unwrap()
        .unwrap();
        assert!(chosen.algorithm.to_string().starts_with("SHA-256"));
        assert!(best_challenge([r#"Bearer realm="x""#]).unwrap().is_none());
    }

    #[test]
    fn sha256_is_read_leniently_and_never_downgraded() {
        // Spellings digest_auth alone rejects: lowercase scheme and algorithm, quoted
        // algorithm, an unknown qop token, unknown parameters, a charset in any case.
        for sha in [
            r#"digest realm="r", nonce="n", algorithm=sha-256, qop="auth""#,
            r#"DIGEST Realm="r", NONCE="n", algorithm="SHA-256", qop="auth,auth-conf""#,
            r#"Digest realm="r", nonce="n", algorithm=SHA-256, qop="AUTH", charset=utf-8, x-extra="1""#,
        ] {
            let md5 = r#"Digest realm="r", nonce="m", algorithm=MD5, qop="auth""#;
            let chosen = best_challenge([md5, sha]).unwrap().unwrap();
            assert!(chosen.algorithm.to_string().starts_with("SHA-256"), "{sha}");
            assert_eq!(chosen.nonce, "n");
        }
        // SHA-256 offered but unanswerable (no nonce): an error, not MD5.
        let err = best_challenge([
            r#"Digest realm="r", nonce="m", algorithm=MD5"#,
            r#"Digest realm="r", algorithm=SHA-256"#,
        ])
        .unwrap_err();
        assert!(err.to_string().contains("SHA-256"), "{err}");
        // Found by the fuzz target: digest_auth panics on non-ASCII text.
        let md5 = best_challenge([r#"Digest realm="ჸࠅ", nonce="n", algorithm=MD5"#]);
        assert!(md5.unwrap().is_none());
        let sha = best_challenge([r#"Digest realm="r", nonce="é", algorithm=SHA-256"#]);
        assert!(sha.is_err());
        // Found in review: a second `algorithm` must not turn SHA-256 into MD5.
        let twice =
            best_challenge([r#"Digest realm="r", nonce="n", algorithm=SHA-256, algorithm=MD5"#]);
        assert!(twice.is_err());
    }

    #[test]
    fn a_repeated_nonce_keeps_its_counter() {
        let state = DigestState::default();
        let challenge = || {
            best_challenge([r#"Digest realm="r", nonce="n", algorithm=MD5, qop="auth""#])
                .unwrap()
                .unwrap()
        };
        state.adopt(challenge());
        let request = get_a();
        let answer = answer_for(&request);
        state.answer(&answer).unwrap().unwrap();
        state.adopt(challenge());
        let again = state.answer(&answer).unwrap().unwrap();
        assert!(again.header.contains("nc=00000002"), "{}", again.header);
    }

    #[test]
    fn a_challenge_from_a_401_continues_its_nonce_s_counter() {
        let state = DigestState::default();
        let challenge = |nonce: &str| {
            let text = format!(r#"Digest realm="r", nonce="{nonce}", algorithm=MD5, qop="auth""#);
            best_challenge([text.as_str()]).unwrap().unwrap()
        };
        state.adopt(challenge("w1"));
        let request = get_a();
        let answer = answer_for(&request);
        let first = state.answer(&answer).unwrap().unwrap();
        let second = state.answer(&answer).unwrap().unwrap();
        // A time-windowed server hands `w1` to the 401 of `first`: its answer takes the
        // next `nc` of `w1`, not `00000001` again.
        let reanswer = state.answer_to(&mut challenge("w1"), &answer).unwrap();
        assert!(
            reanswer.header.contains("nc=00000003"),
            "{}",
            reanswer.header
        );
        assert!(state.overtakable(&first) && !state.overtakable(&reanswer));
        assert!(second.nc == 2);
        // Another nonce has a counter of its own.
        let other = state.answer_to(&mut challenge("w2"), &answer).unwrap();
        assert!(other.header.contains("nc=00000001"), "{}", other.header);
    }

    #[test]
    fn nonce_reuse_counts_up() {
        let state = DigestState::default();
        state.adopt(
            best_challenge([r#"Digest realm="r", nonce="n", algorithm=MD5, qop="auth""#])
                .unwrap()
                .unwrap(),
        );
        let request = get_a();
        let answer = answer_for(&request);
        let first = state.answer(&answer).unwrap().unwrap().header;
        let second = state.answer(&answer).unwrap().unwrap().header;
        assert!(first.contains("nc=00000001"), "{first}");
        assert!(second.contains("nc=00000002"), "{second}");
    }

    /// Fuzz target: challenges built from known and random parameters, spelled in any
    /// case, quoted or not. Parsing and answering never panic; a SHA-256 challenge is
    /// never answered with MD5.
    #[test]
    fn fuzz_digest_challenges() {
        const KEYS: &[&str] = &[
            "realm",
            "nonce",
            "algorithm",
            "qop",
            "opaque",
            "stale",
            "charset",
            "userhash",
            "domain",
            "Realm",
            "NONCE",
            "x-extra",
            "",
        ];
        const VALUES: &[&str] = &[
            "MD5",
            "SHA-256",
            "sha-256",
            "SHA-256-sess",
            "SHA-512-256",
            "auth",
            "auth,auth-int",
            "auth-conf",
            "true",
            "UTF-8",
            "",
            "\\\"",
            "a\"b",
            "n\u{0}",
        ];
        let executions = std::sync::atomic::AtomicUsize::new(0);
        bolero::check!()
            .with_type::<(bool, Vec<(u8, u8, bool, String)>)>()
            .for_each(|(scheme_case, params)| {
                let mut header = String::from(if *scheme_case { "Digest " } else { "dIgEsT " });
                for (key, value, quoted, random) in params {
                    let key = KEYS[usize::from(*key) % KEYS.len()];
                    let value = match usize::from(*value) {
                        v if v < VALUES.len() => VALUES[v].to_owned(),
                        _ => random.clone(),
                    };
                    if *quoted {
                        header.push_str(&format!("{key}=\"{value}\", "));
                    } else {
                        header.push_str(&format!("{key}={value}, "));
                    }
                }
                // Only the first parameter is sure to be read as written.
                let offers_sha = params.first().is_some_and(|(key, value, _, _)| {
                    KEYS[usize::from(*key) % KEYS.len()] == "algorithm"
                        && VALUES
                            .get(usize::from(*value))
                            .is_some_and(|v| v.to_ascii_uppercase().starts_with("SHA-256"))
                });
                if let Ok(Some(mut challenge)) = best_challenge([header.as_str()]) {
                    if offers_sha {
                        assert!(
                            !challenge.algorithm.to_string().starts_with("MD5"),
                            "{header}"
                        );
                    }
                    let context = AuthContext::new("u", "p", "/a");
                    let _ = challenge.respond(&context);
                }
                executions.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            });
        eprintln!("fuzz_digest_challenges: {executions:?} executions");
    }
}
