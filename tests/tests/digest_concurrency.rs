//! Digest under concurrency: 1,000 calls through one `Client` on a multi-thread runtime,
//! cold (no nonce yet) and warm (one call took the challenge, all share its nonce),
//! against a verifier with RFC 7616 replay protection in three modes:
//! (a) an `nc` is never accepted twice for a nonce;
//! (b) `nc` must strictly increase per nonce, so concurrent answers that arrive out of
//!     order are rejected with a fresh challenge, and the client must recover;
//! (c) as (b), but with time-based nonces as Apache's `mod_auth_digest` issues them: one
//!     nonce per 0.3 s window, handed to every challenge of the window, so a denied
//!     answer is re-challenged with the nonce other tasks are answering too.
//! Every call must succeed; the requests per call are printed and bounded.

mod support;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use atlas_admin::apis::projects;
use atlas_admin::runtime::RetryConfig;
use atlas_admin::{Client, Credentials};
use support::{parse_digest, Algorithm, PASSWORD, REALM, USER};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Replay {
    /// An `nc` is accepted at most once per nonce, in any order.
    Once,
    /// `nc` must be greater than the last accepted one for the nonce.
    Increasing,
    /// `Increasing`, with one nonce per time window for every challenge.
    Windowed,
}

/// The length of a nonce's window in `Replay::Windowed`.
const WINDOW: Duration = Duration::from_millis(300);

#[derive(Default)]
struct NonceState {
    seen: HashSet<u32>,
    last: u32,
}

/// Issues a fresh nonce with every challenge and enforces `mode` on answers.
struct ReplayVerifier {
    mode: Replay,
    requests: Arc<AtomicUsize>,
    rejected_replays: Arc<AtomicUsize>,
    nonces: Mutex<(u64, HashMap<String, NonceState>)>,
    started: Instant,
}

impl ReplayVerifier {
    fn window(&self) -> u128 {
        self.started.elapsed().as_millis() / WINDOW.as_millis()
    }

    fn challenge(&self) -> ResponseTemplate {
        let mut guard = self.nonces.lock().unwrap();
        let nonce = if self.mode == Replay::Windowed {
            format!("w{:08}", self.window())
        } else {
            guard.0 += 1;
            format!("n{:08}", guard.0)
        };
        guard.1.entry(nonce.clone()).or_default();
        ResponseTemplate::new(401).append_header(
            "WWW-Authenticate",
            format!(r#"Digest realm="{REALM}", nonce="{nonce}", algorithm=SHA-256, qop="auth""#),
        )
    }
}

impl Respond for ReplayVerifier {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let Some(header) = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
        else {
            return self.challenge();
        };
        let f = parse_digest(header);
        let get = |k: &str| f.get(k).cloned().unwrap_or_default();
        let uri = request.url[url::Position::BeforePath..].to_owned();
        let sha = Algorithm::Sha256;
        let ha1 = sha.hash(&format!("{USER}:{REALM}:{PASSWORD}"));
        let ha2 = sha.hash(&format!("{}:{uri}", request.method));
        let expected = sha.hash(&format!(
            "{ha1}:{}:{}:{}:auth:{ha2}",
            get("nonce"),
            get("nc"),
            get("cnonce")
        ));
        let nc = u32::from_str_radix(&get("nc"), 16).unwrap_or(0);
        if get("response") != expected || get("uri") != uri || get("username") != USER {
            return self.challenge();
        }
        let fresh = {
            let mut guard = self.nonces.lock().unwrap();
            match guard.1.get_mut(&get("nonce")) {
                None => false,
                Some(state) => match self.mode {
                    Replay::Once => state.seen.insert(nc),
                    Replay::Increasing | Replay::Windowed if nc > state.last => {
                        state.last = nc;
                        true
                    }
                    Replay::Increasing | Replay::Windowed => false,
                },
            }
        };
        if !fresh {
            self.rejected_replays.fetch_add(1, Ordering::SeqCst);
            return self.challenge();
        }
        ResponseTemplate::new(200).set_body_raw(
            r#"{"results":[],"totalCount":0}"#,
            "application/vnd.atlas.2023-01-01+json",
        )
    }
}

const CALLS: usize = 1_000;

async fn run(mode: Replay, warm: bool) {
    let server = MockServer::start().await;
    let requests = Arc::new(AtomicUsize::new(0));
    let rejected = Arc::new(AtomicUsize::new(0));
    Mock::given(method("GET"))
        .respond_with(ReplayVerifier {
            mode,
            requests: requests.clone(),
            rejected_replays: rejected.clone(),
            nonces: Mutex::default(),
            started: Instant::now(),
        })
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::api_key(USER, PASSWORD))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    if warm {
        projects::list_groups()
            .send(&client)
            .await
            .expect("warm-up call");
        requests.store(0, Ordering::SeqCst);
    }
    let calls: Vec<_> = (0..CALLS)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { projects::list_groups().send(&client).await })
        })
        .collect();
    let mut failures = Vec::new();
    for call in calls {
        if let Err(e) = call.await.unwrap() {
            failures.push(e.to_string());
        }
    }
    let sent = requests.load(Ordering::SeqCst);
    let per_call = sent as f64 / CALLS as f64;
    eprintln!(
        "mode {mode:?}, {}: {} of {CALLS} failed, {sent} requests ({per_call:.3} per call), {} replays rejected",
        if warm { "warm" } else { "cold" },
        failures.len(),
        rejected.load(Ordering::SeqCst)
    );
    assert!(
        failures.is_empty(),
        "{} failed, e.g. {:?}",
        failures.len(),
        failures.first()
    );
    assert!(per_call <= 2.5, "{per_call} requests per call");
    // Awaiting 1,000 handles in one poll can exhaust tokio's cooperative budget; the
    // MockServer's drop then blocks on a tokio lock that never gets budget and spins.
    // Yield first so the drop starts with a fresh budget.
    tokio::task::yield_now().await;
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nc_once_cold() {
    run(Replay::Once, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nc_once_warm() {
    run(Replay::Once, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nc_increasing_cold() {
    run(Replay::Increasing, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nc_increasing_warm() {
    run(Replay::Increasing, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn time_windowed_nonces_cold() {
    run(Replay::Windowed, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn time_windowed_nonces_warm() {
    run(Replay::Windowed, true).await;
}
