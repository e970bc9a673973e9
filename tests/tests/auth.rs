//! Digest API keys and service accounts against loopback servers.

mod support;

use std::sync::atomic::Ordering;
use std::time::Duration;

use atlas_admin::apis::projects;
use atlas_admin::models::write;
use atlas_admin::runtime::RetryConfig;
use atlas_admin::{Client, Credentials, Error};
use support::{mount_digest, Algorithm, DigestServer, PASSWORD, USER};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn digest_client(server: &MockServer, key: &str) -> Client {
    Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::api_key(USER, key))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
}

async fn digest_calls(algorithms: Vec<Algorithm>, calls: usize) -> (usize, Vec<Algorithm>) {
    let server = MockServer::start().await;
    let counters = mount_digest(&server, algorithms).await;
    let client = digest_client(&server, PASSWORD).await;
    for _ in 0..calls {
        let page = projects::list_groups()
            .send(&client)
            .await
            .expect("authenticated call");
        assert_eq!(page.total_count, Some(0));
    }
    (counters.requests(), counters.accepted_with())
}

#[tokio::test]
async fn digest_replays_the_request_body_after_the_challenge() {
    let server = MockServer::start().await;
    let responder = DigestServer::new(vec![Algorithm::Sha256]);
    let requests = responder.requests.clone();
    let bodies = responder.accepted_bodies.clone();
    Mock::given(method("POST"))
        .respond_with(responder)
        .mount(&server)
        .await;
    let client = digest_client(&server, PASSWORD).await;
    let group = write::GroupWrite::default().name("replayed").org_id(
        "5e2211c17a3e5a48f5497de3"
            .parse::<atlas_admin::ObjectId>()
            .unwrap(),
    );
    projects::create_group(group.clone())
        .send(&client)
        .await
        .expect("authenticated POST");
    // The unauthenticated first attempt was challenged; the answer carried the same body.
    assert_eq!(requests.load(Ordering::SeqCst), 2);
    let bodies = bodies.lock().unwrap().clone();
    assert_eq!(bodies.len(), 1);
    let sent: serde_json::Value = serde_json::from_slice(&bodies[0]).unwrap();
    assert_eq!(sent, serde_json::to_value(&group).unwrap());
    assert_eq!(sent["name"], "replayed");
}

#[tokio::test]
async fn md5_digest_reuses_the_nonce() {
    // One challenge, then every call answers the same nonce with a growing nc.
    let (requests, used) = digest_calls(vec![Algorithm::Md5], 10).await;
    assert_eq!(requests, 11);
    assert_eq!(used, vec![Algorithm::Md5; 10]);
}

#[tokio::test]
async fn sha256_digest_as_atlas_for_government_requires() {
    let (requests, used) = digest_calls(vec![Algorithm::Sha256], 5).await;
    assert_eq!(requests, 6);
    assert_eq!(used, vec![Algorithm::Sha256; 5]);
}

#[tokio::test]
async fn sha256_is_preferred_when_both_are_offered() {
    let (requests, used) = digest_calls(vec![Algorithm::Md5, Algorithm::Sha256], 3).await;
    assert_eq!(requests, 4);
    assert_eq!(used, vec![Algorithm::Sha256; 3]);
}

/// Four calls across a nonce rotation after two accepted answers: 1 challenge, 4 calls
/// and 1 retry on the new nonce, whether or not the rotation says `stale=true`.
async fn calls_across_a_rotation(announce_stale: bool) -> usize {
    let server = MockServer::start().await;
    let mut responder = DigestServer::new(vec![Algorithm::Sha256]);
    responder.stale_after = Some(2);
    responder.announce_stale = announce_stale;
    let requests = responder.requests.clone();
    Mock::given(method("GET"))
        .respond_with(responder)
        .mount(&server)
        .await;
    let client = digest_client(&server, PASSWORD).await;
    for _ in 0..4 {
        projects::list_groups()
            .send(&client)
            .await
            .expect("a rotated nonce is not a wrong key");
    }
    requests.load(Ordering::SeqCst)
}

#[tokio::test]
async fn stale_nonce_reauthenticates_once() {
    assert_eq!(calls_across_a_rotation(true).await, 6);
}

/// A SHA-256-only server whose challenges a strict parser rejects: the client must still
/// answer SHA-256, never fall back to MD5 (Atlas for Government refuses MD5).
#[tokio::test]
async fn loosely_spelled_sha256_challenges_are_not_downgraded() {
    let server = MockServer::start().await;
    let mut responder = DigestServer::new(vec![Algorithm::Md5, Algorithm::Sha256]);
    responder.loose_spelling = true;
    let accepted = responder.accepted_with.clone();
    Mock::given(method("GET"))
        .respond_with(responder)
        .mount(&server)
        .await;
    let client = digest_client(&server, PASSWORD).await;
    projects::list_groups()
        .send(&client)
        .await
        .expect("answered");
    assert_eq!(*accepted.lock().unwrap(), [Algorithm::Sha256]);
}

#[tokio::test]
async fn nonce_rotation_without_stale_is_handled_like_stale() {
    assert_eq!(calls_across_a_rotation(false).await, 6);
}

#[tokio::test]
async fn wrong_key_is_a_typed_401() {
    let server = MockServer::start().await;
    let responder = DigestServer::new(vec![Algorithm::Md5]);
    let requests = responder.requests.clone();
    Mock::given(method("GET"))
        .respond_with(responder)
        .mount(&server)
        .await;
    let client = digest_client(&server, "wrong-secret").await;
    let err = projects::list_groups().send(&client).await.unwrap_err();
    assert!(err.is_unauthorized(), "{err:?}");
    assert_eq!(err.error_code(), Some("NOT_AUTHORIZED"));
    assert_eq!(
        requests.load(Ordering::SeqCst),
        2,
        "challenge, one answer, no loop"
    );
    assert!(!format!("{err} {err:?}").contains("wrong-secret"));
}

fn token_body(token: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({"access_token": token, "token_type": "Bearer", "expires_in": expires_in}))
}

async fn service_account_client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::service_account(
            "mdb_sa_id_1",
            "mdb_sa_sk_secret",
        ))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
}

fn page() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(
        r#"{"results":[],"totalCount":0}"#,
        "application/vnd.atlas.2023-01-01+json",
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_token_request_for_a_hundred_concurrent_calls() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .and(header(
            "authorization",
            "Basic bWRiX3NhX2lkXzE6bWRiX3NhX3NrX3NlY3JldA==",
        ))
        .respond_with(token_body("token-1", 3600).set_delay(Duration::from_millis(100)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/atlas/v2/groups"))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(page())
        .expect(100)
        .mount(&server)
        .await;
    let client = service_account_client(&server).await;
    let calls = (0..100).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { projects::list_groups().send(&client).await })
    });
    for call in calls {
        call.await.unwrap().expect("call succeeds");
    }
    server.verify().await;
}

#[tokio::test]
async fn token_is_refreshed_after_expiry() {
    let server = MockServer::start().await;
    // A 5 s lifetime (the floor, `MIN_TOKEN_LIFETIME`) is refreshed a fifth early:
    // stale after 4 s.
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .respond_with(token_body("short", 5))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(page())
        .mount(&server)
        .await;
    let client = service_account_client(&server).await;
    projects::list_groups().send(&client).await.unwrap();
    projects::list_groups().send(&client).await.unwrap();
    tokio::time::sleep(Duration::from_millis(4100)).await;
    projects::list_groups().send(&client).await.unwrap();
    server.verify().await;
}

#[tokio::test]
async fn a_401_with_a_cached_token_refreshes_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .respond_with(token_body("revoked", 3600))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .respond_with(token_body("fresh", 3600))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer revoked"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer fresh"))
        .respond_with(page())
        .mount(&server)
        .await;
    let client = service_account_client(&server).await;
    projects::list_groups()
        .send(&client)
        .await
        .expect("refreshed once and succeeded");
    let tokens = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/api/oauth/token")
        .count();
    assert_eq!(tokens, 2);
}

#[tokio::test]
async fn a_rejected_service_account_is_a_typed_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_raw(
            r#"{"error":401,"errorCode":"INVALID_CLIENT","detail":"bad client"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let client = service_account_client(&server).await;
    let err = projects::list_groups().send(&client).await.unwrap_err();
    assert!(matches!(err, Error::Api { status: 401, .. }), "{err:?}");
    assert_eq!(err.error_code(), Some("INVALID_CLIENT"));
}

#[test]
fn secrets_never_appear_in_debug_output() {
    let key = Credentials::api_key("pub", "very-secret-private-key");
    let account = Credentials::service_account("mdb_sa_id", "very-secret-client-secret");
    let client = Client::builder()
        .credentials(account.clone())
        .build()
        .unwrap();
    let client2 = Client::builder()
        .credentials(key.clone())
        .government()
        .build()
        .unwrap();
    for text in [
        format!("{key:?}"),
        format!("{account:?}"),
        format!("{client:?}"),
        format!("{client2:?}"),
    ] {
        assert!(!text.contains("very-secret"), "{text}");
        assert!(text.contains("redacted"), "{text}");
    }
}

/// Records every span field and event field, as text, for the redaction test.
#[derive(Clone, Default)]
struct Recorder(std::sync::Arc<std::sync::Mutex<String>>);

impl tracing::field::Visit for Recorder {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let line = format!("{}={value:?}\n", field.name());
        self.0.lock().unwrap().push_str(&line);
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let line = format!("span {}\n", span.metadata().name());
        self.0.lock().unwrap().push_str(&line);
        span.record(&mut self.clone());
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut self.clone());
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        event.record(&mut self.clone());
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn secrets_never_appear_in_tracing_output() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    // Another test's thread may have registered the span's callsite with no subscriber
    // around (interest "never") while this one was being set: ask again.
    tracing::callsite::rebuild_interest_cache();
    // A Digest call with the right key and one with a wrong key.
    let (requests, _) = digest_calls(vec![Algorithm::Sha256], 2).await;
    assert_eq!(requests, 3);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(DigestServer::new(vec![Algorithm::Md5]))
        .mount(&server)
        .await;
    let wrong = digest_client(&server, "wrong-very-secret-key").await;
    let err = projects::list_groups().send(&wrong).await.unwrap_err();
    assert!(!format!("{err} {err:?}").contains("very-secret"));
    // A service account: token request, then the call.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .respond_with(token_body("very-secret-token", 3600))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(page())
        .mount(&server)
        .await;
    let client = service_account_client(&server).await;
    projects::list_groups().send(&client).await.unwrap();
    let text = recorder.0.lock().unwrap().clone();
    assert!(
        text.contains("span atlas_request"),
        "nothing was traced:\n{text}"
    );
    for secret in [PASSWORD, "very-secret", "mdb_sa_sk_secret"] {
        assert!(
            !text.contains(secret),
            "`{secret}` in tracing output:\n{text}"
        );
    }
}

/// The wire cost `cargo xtask bench` reports: 100 calls with one API key.
#[tokio::test]
async fn hundred_digest_calls_cost_101_requests() {
    let (requests, _) = digest_calls(vec![Algorithm::Md5], 100).await;
    println!("digest requests for 100 calls: {requests}");
    assert_eq!(requests, 101);
}
