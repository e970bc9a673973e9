//! Client configuration, retries, pagination and errors against loopback servers.

use std::time::{Duration, Instant};

use atlas_admin::apis::projects;
use atlas_admin::models::{write, Group};
use atlas_admin::runtime::{BaseUrl, CallOptions, RetryConfig};
use atlas_admin::{Client, Credentials, Error, ObjectId};
use futures_util::TryStreamExt;
use serde_json::json;
use wiremock::matchers::{method, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const GROUPS_MEDIA: &str = "application/vnd.atlas.2023-01-01+json";

fn client(server: &MockServer, retry: RetryConfig) -> Client {
    Client::builder()
        .base_url(server.uri())
        .retry(retry)
        .build()
        .unwrap()
}

fn fast_retries() -> RetryConfig {
    RetryConfig {
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        ..RetryConfig::default()
    }
}

#[test]
fn base_urls() {
    assert_eq!(
        Client::builder().build().unwrap().base_url(),
        "https://cloud.mongodb.com"
    );
    assert_eq!(
        Client::builder().government().build().unwrap().base_url(),
        "https://cloud.mongodbgov.com"
    );
    assert_eq!(BaseUrl::GOVERNMENT, "https://cloud.mongodbgov.com");
    assert_eq!(
        Client::builder()
            .base_url("http://127.0.0.1:8080/")
            .build()
            .unwrap()
            .base_url(),
        "http://127.0.0.1:8080"
    );
    assert_eq!(
        Client::builder()
            .base_url("http://[::1]:80")
            .build()
            .unwrap()
            .base_url(),
        "http://[::1]:80"
    );
    let err = Client::builder()
        .base_url("http://cloud.mongodb.com")
        .build()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("plain http is allowed only for loopback"),
        "{err}"
    );
    assert!(Client::builder()
        .base_url("ftp://localhost")
        .build()
        .is_err());
}

#[test]
fn from_env_reads_the_atlas_cli_variables() {
    let vars = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    };
    let builder = Client::builder_from(vars(&[
        ("MONGODB_ATLAS_PUBLIC_API_KEY", "pub"),
        ("MONGODB_ATLAS_PRIVATE_API_KEY", "priv"),
        ("MONGODB_ATLAS_BASE_URL", "https://cloud.mongodbgov.com/"),
    ]))
    .unwrap();
    let client = builder.build().unwrap();
    assert_eq!(client.base_url(), "https://cloud.mongodbgov.com");
    assert!(format!("{client:?}").contains("ApiKey"));
    let sa = Client::builder_from(vars(&[
        ("MONGODB_ATLAS_CLIENT_ID", "id"),
        ("MONGODB_ATLAS_CLIENT_SECRET", "s"),
    ]))
    .unwrap()
    .build()
    .unwrap();
    assert!(format!("{sa:?}").contains("ServiceAccount"));
    let err = Client::builder_from(vars(&[("MONGODB_ATLAS_PUBLIC_API_KEY", "pub")]))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("MONGODB_ATLAS_PRIVATE_API_KEY is missing"),
        "{err}"
    );
    let err = Client::builder_from(vars(&[])).unwrap_err().to_string();
    assert!(err.contains("MONGODB_ATLAS_CLIENT_ID"), "{err}");
}

#[tokio::test]
async fn rate_limited_get_is_retried_after_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"results":[],"totalCount":0}"#, GROUPS_MEDIA),
        )
        .mount(&server)
        .await;
    let started = Instant::now();
    projects::list_groups()
        .send(&client(&server, fast_retries()))
        .await
        .expect("retried");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was honoured"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

/// Issue 32 item 7: the rate-limit headers of an error are on the error itself.
#[tokio::test]
async fn a_rate_limited_error_says_when_to_retry() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "7")
                .insert_header("RateLimit-Limit", "100")
                .insert_header("RateLimit-Remaining", "0"),
        )
        .mount(&server)
        .await;
    let error = projects::list_groups()
        .send(&client(&server, RetryConfig::disabled()))
        .await
        .unwrap_err();
    assert!(error.is_rate_limited());
    assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(error.rate_limit_limit(), Some(100));
    assert_eq!(error.rate_limit_remaining(), Some(0));
    let other = Error::InvalidInput("x".into());
    assert_eq!(other.retry_after(), None);
}

#[tokio::test]
async fn a_post_answered_503_is_not_sent_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_raw(
            r#"{"error":503,"errorCode":"SERVICE_UNAVAILABLE"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let body = write::GroupWrite::default()
        .name("p")
        .org_id(ObjectId::parse("5e2211c17a3e5a48f5497de3").unwrap());
    let err = projects::create_group(body)
        .send(&client(&server, fast_retries()))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn unavailable_is_retried_a_bounded_number_of_times() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let err = projects::list_groups()
        .send(&client(&server, fast_retries()))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        4,
        "first attempt + 3 retries"
    );
}

fn group(i: usize) -> serde_json::Value {
    json!({"id": format!("{i:024x}"), "name": format!("p{i}"), "orgId": "5e2211c17a3e5a48f5497de3", "clusterCount": 0, "created": "2026-01-01T00:00:00Z"})
}

#[tokio::test]
async fn paginate_walks_three_pages() {
    let server = MockServer::start().await;
    for (page, items) in [(1, 0..2), (2, 2..4), (3, 4..5)] {
        let results: Vec<_> = items.map(group).collect();
        Mock::given(method("GET"))
            .and(query_param("pageNum", page.to_string()))
            .and(query_param("itemsPerPage", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(
                json!({"results": results, "totalCount": 5}).to_string(),
                GROUPS_MEDIA,
            ))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server, RetryConfig::disabled());
    let all: Vec<Group> = client
        .paginate(projects::list_groups(), 2)
        .try_collect()
        .await
        .unwrap();
    let names: Vec<&str> = all.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["p0", "p1", "p2", "p3", "p4"]);
    server.verify().await;
}

#[tokio::test]
async fn decode_errors_name_the_field_and_operation() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"results":[{"name":"p","orgId":"not-an-id"}],"totalCount":1}"#,
            GROUPS_MEDIA,
        ))
        .mount(&server)
        .await;
    let err = projects::list_groups()
        .send(&client(&server, RetryConfig::disabled()))
        .await
        .unwrap_err();
    let Error::Decode {
        operation, path, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*operation, "listGroups");
    assert_eq!(path, "results[0].orgId");
}

#[tokio::test]
async fn api_errors_are_typed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            r#"{"detail":"No group with ID 5e2211c17a3e5a48f5497de3 exists.","error":404,"errorCode":"GROUP_NOT_FOUND","parameters":["5e2211c17a3e5a48f5497de3"],"reason":"Not Found"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let id = ObjectId::parse("5e2211c17a3e5a48f5497de3").unwrap();
    let err = projects::get_group(id)
        .send(&client(&server, RetryConfig::disabled()))
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.error_code(), Some("GROUP_NOT_FOUND"));
    assert_eq!(
        err.api_error().unwrap().parameters,
        vec![json!("5e2211c17a3e5a48f5497de3")]
    );
    let _ = Credentials::None;
}

#[test]
fn richer_error_bodies_keep_their_other_members() {
    // createOrgResourcePolicy documents a 400 body with `errorType` and `invalidPolicies`.
    let body = json!({
        "error": 400,
        "errorCode": "INVALID_POLICY",
        "errorType": "POLICY_HAS_FAILED_VALIDATIONS",
        "invalidPolicies": [{"body": "forbid (principal, action, resource);"}]
    });
    let decoded: atlas_admin::ApiError = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(decoded.error_code(), Some("INVALID_POLICY"));
    assert_eq!(
        decoded.extra.get("errorType"),
        Some(&json!("POLICY_HAS_FAILED_VALIDATIONS"))
    );
    assert_eq!(serde_json::to_value(&decoded).unwrap(), body);
}

#[test]
fn client_is_cheap_to_clone_and_shareable() {
    fn assert_send_sync_clone<T: Send + Sync + Clone + 'static>() {}
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync_clone::<Client>();
    assert_send_sync::<Error>();
}

/// Issue 32 item 11: one call's timeout, retry policy and headers differ from its
/// client's, on the wire, while other calls keep the client's.
#[tokio::test]
async fn call_options_change_one_call_and_not_the_client() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let base = client(&server, fast_retries());
    let once = base.with_options(
        CallOptions::new()
            .retry(RetryConfig::disabled())
            .header("X-Request-Id", "inventory-7")
            .header("User-Agent", "inventory/1.0"),
    );
    projects::list_groups().send(&once).await.unwrap_err();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 1, "the call's policy has no retries");
    assert_eq!(sent[0].headers["x-request-id"], "inventory-7");
    assert_eq!(sent[0].headers["user-agent"], "inventory/1.0");
    assert_eq!(
        sent[0].headers["accept"], GROUPS_MEDIA,
        "the versioned media type is the operation's"
    );

    projects::list_groups().send(&base).await.unwrap_err();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 5, "the client still retries 3 times");
    assert!(sent[1..]
        .iter()
        .all(|r| !r.headers.contains_key("x-request-id")));
    assert!(sent[1].headers["user-agent"]
        .to_str()
        .unwrap()
        .starts_with("atlas-admin-rust/"));
}

#[tokio::test]
async fn a_call_timeout_ends_a_slow_call_the_client_would_wait_for() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"results":[],"totalCount":0}"#, GROUPS_MEDIA)
                .set_delay(Duration::from_secs(2)),
        )
        .mount(&server)
        .await;
    let base = client(&server, RetryConfig::disabled());
    let hurried = base.with_options(CallOptions::new().timeout(Duration::from_millis(200)));
    let started = Instant::now();
    let error = projects::list_groups().send(&hurried).await.unwrap_err();
    assert!(
        matches!(&error, Error::Transport { source, .. } if source.is_timeout()),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(1));
    projects::list_groups()
        .send(&base)
        .await
        .expect("the client's own 60 s timeout waits");
}

#[tokio::test]
async fn a_call_option_header_the_client_owns_is_refused_before_sending() {
    let server = MockServer::start().await;
    let base = client(&server, RetryConfig::disabled());
    for name in ["Authorization", "Accept", "Host"] {
        let call = base.with_options(CallOptions::new().header(name, "x"));
        let error = projects::list_groups().send(&call).await.unwrap_err();
        assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
        assert!(error.to_string().contains(name), "{error}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}
