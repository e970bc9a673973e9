//! An independent HTTP Digest verifier (RFC 7616, on md-5 and sha2, not the digest_auth
//! crate the client uses), shared by the Digest tests and `call-bench`: the key, the
//! parsing of an `Authorization` header, and a verifier with replay protection that
//! answers a request with "accepted" or the challenge to send.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use md5::{Digest as _, Md5};
use sha2::Sha256;

pub const REALM: &str = "MMS Public API";
pub const USER: &str = "public-key";
pub const PASSWORD: &str = "private-key-secret";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Algorithm {
    Md5,
    Sha256,
}

impl Algorithm {
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Sha256 => "SHA-256",
        }
    }

    pub fn hash(self, data: &str) -> String {
        let bytes: Vec<u8> = match self {
            Algorithm::Md5 => Md5::digest(data.as_bytes()).to_vec(),
            Algorithm::Sha256 => Sha256::digest(data.as_bytes()).to_vec(),
        };
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Parse `Digest k=v, k="v"` into a map.
pub fn parse_digest(header: &str) -> HashMap<String, String> {
    let rest = header
        .trim()
        .strip_prefix("Digest")
        .unwrap_or(header)
        .trim();
    let mut out = HashMap::new();
    let mut chars = rest.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ',' || c.is_whitespace()) {
            chars.next();
        }
        let key: String = chars.by_ref().take_while(|c| *c != '=').collect();
        if key.is_empty() {
            break;
        }
        let value: String = if chars.peek() == Some(&'"') {
            chars.next();
            chars.by_ref().take_while(|c| *c != '"').collect()
        } else {
            chars.by_ref().take_while(|c| *c != ',').collect()
        };
        out.insert(key.trim().to_owned(), value.trim().to_owned());
    }
    out
}

/// How a verifier protects a nonce against replayed answers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Replay {
    /// An `nc` is accepted at most once per nonce, in any order.
    Once,
    /// `nc` must be greater than the last accepted one for the nonce: concurrent answers
    /// that arrive out of order are rejected with a fresh challenge.
    Increasing,
    /// `Increasing`, with one nonce per time window for every challenge, as Apache's
    /// `mod_auth_digest` issues them.
    Windowed,
}

/// The length of a nonce's window in `Replay::Windowed`.
pub const WINDOW: Duration = Duration::from_millis(300);

#[derive(Default)]
struct NonceState {
    seen: HashSet<u32>,
    last: u32,
}

/// Issues a fresh nonce with every challenge (SHA-256) and enforces `mode` on answers.
pub struct ReplayVerifier {
    pub mode: Replay,
    /// Requests answered.
    pub requests: AtomicUsize,
    /// Correctly signed answers refused as replays.
    pub rejected_replays: AtomicUsize,
    nonces: Mutex<(u64, HashMap<String, NonceState>)>,
    started: Instant,
}

impl ReplayVerifier {
    pub fn new(mode: Replay) -> Self {
        ReplayVerifier {
            mode,
            requests: AtomicUsize::new(0),
            rejected_replays: AtomicUsize::new(0),
            nonces: Mutex::default(),
            started: Instant::now(),
        }
    }

    /// `Ok` when `authorization` correctly answers a live nonce with a fresh `nc` for
    /// `method` and `uri` (path and query); else the `WWW-Authenticate` value of a 401.
    pub fn answer(
        &self,
        method: &str,
        uri: &str,
        authorization: Option<&str>,
    ) -> Result<(), String> {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let Some(header) = authorization else {
            return Err(self.challenge());
        };
        let f = parse_digest(header);
        let get = |k: &str| f.get(k).map_or("", String::as_str);
        let sha = Algorithm::Sha256;
        let ha1 = sha.hash(&format!("{USER}:{REALM}:{PASSWORD}"));
        let ha2 = sha.hash(&format!("{method}:{uri}"));
        let expected = sha.hash(&format!(
            "{ha1}:{}:{}:{}:auth:{ha2}",
            get("nonce"),
            get("nc"),
            get("cnonce")
        ));
        if get("response") != expected || get("uri") != uri || get("username") != USER {
            return Err(self.challenge());
        }
        let nc = u32::from_str_radix(get("nc"), 16).unwrap_or(0);
        if !self.fresh(get("nonce"), nc) {
            self.rejected_replays.fetch_add(1, Ordering::SeqCst);
            return Err(self.challenge());
        }
        Ok(())
    }

    /// Whether `nc` is new for a nonce this verifier issued, recording it.
    fn fresh(&self, nonce: &str, nc: u32) -> bool {
        let mut guard = self.nonces.lock().unwrap_or_else(|e| e.into_inner());
        let Some(state) = guard.1.get_mut(nonce) else {
            return false;
        };
        match self.mode {
            Replay::Once => state.seen.insert(nc),
            Replay::Increasing | Replay::Windowed if nc > state.last => {
                state.last = nc;
                true
            }
            Replay::Increasing | Replay::Windowed => false,
        }
    }

    fn challenge(&self) -> String {
        let mut guard = self.nonces.lock().unwrap_or_else(|e| e.into_inner());
        let nonce = if self.mode == Replay::Windowed {
            let window = self.started.elapsed().as_millis() / WINDOW.as_millis();
            format!("w{window:08}")
        } else {
            guard.0 += 1;
            format!("n{:08}", guard.0)
        };
        guard.1.entry(nonce.clone()).or_default();
        format!(r#"Digest realm="{REALM}", nonce="{nonce}", algorithm=SHA-256, qop="auth""#)
    }
}
