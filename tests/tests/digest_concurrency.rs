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

use std::sync::atomic::Ordering;
use std::sync::Arc;

use atlas_admin::apis::projects;
use atlas_admin::runtime::RetryConfig;
use atlas_admin::{Client, Credentials};
use atlas_admin_tests::digest::{Replay, ReplayVerifier, PASSWORD, USER};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The shared verifier (`atlas_admin_tests::digest`) answering through wiremock.
struct Verifying(Arc<ReplayVerifier>);

impl Respond for Verifying {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let uri = &request.url[url::Position::BeforePath..];
        let authorization = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok());
        match self.0.answer(request.method.as_str(), uri, authorization) {
            Ok(()) => ResponseTemplate::new(200).set_body_raw(
                r#"{"results":[],"totalCount":0}"#,
                "application/vnd.atlas.2023-01-01+json",
            ),
            Err(challenge) => {
                ResponseTemplate::new(401).append_header("WWW-Authenticate", challenge)
            }
        }
    }
}

const CALLS: usize = 1_000;

async fn run(mode: Replay, warm: bool) {
    let server = MockServer::start().await;
    let verifier = Arc::new(ReplayVerifier::new(mode));
    Mock::given(method("GET"))
        .respond_with(Verifying(verifier.clone()))
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
        verifier.requests.store(0, Ordering::SeqCst);
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
    let sent = verifier.requests.load(Ordering::SeqCst);
    let per_call = sent as f64 / CALLS as f64;
    eprintln!(
        "mode {mode:?}, {}: {} of {CALLS} failed, {sent} requests ({per_call:.3} per call), {} replays rejected",
        if warm { "warm" } else { "cold" },
        failures.len(),
        verifier.rejected_replays.load(Ordering::SeqCst)
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
