//! Faults the client must survive: a rate-limited or hung token endpoint, short and huge
//! token lifetimes, dropped connections and 5xx under retries (no POST sent twice), and
//! pagination that neither truncates nor loops.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use atlas_admin::apis::projects;
use atlas_admin::models::{write, Group};
use atlas_admin::runtime::{Error, RetryConfig};
use atlas_admin::{Client, Credentials, ObjectId};
use futures_util::TryStreamExt;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const GROUPS_MEDIA: &str = "application/vnd.atlas.2023-01-01+json";

fn fast_retries() -> RetryConfig {
    RetryConfig {
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        ..RetryConfig::default()
    }
}

fn service_account(server: &MockServer, id: &str, secret: &str, retry: RetryConfig) -> Client {
    Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::service_account(id, secret))
        .retry(retry)
        .build()
        .unwrap()
}

fn token(value: &str, expires_in: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(
        json!({"access_token": value, "token_type": "Bearer", "expires_in": expires_in}),
    )
}

fn empty_page() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(r#"{"results":[],"totalCount":0}"#, GROUPS_MEDIA)
}

/// Answer every token request with `response`.
async fn mount_token(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .respond_with(response)
        .mount(server)
        .await;
}

async fn mount_pages(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/api/atlas/v2/groups"))
        .respond_with(empty_page())
        .mount(server)
        .await;
}

async fn token_requests(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/api/oauth/token")
        .count()
}

/// 20 concurrent calls during a 429 from the token endpoint: one token request; every
/// caller gets the error; it is cached until the announced backoff ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_token_endpoint_is_asked_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_delay(Duration::from_millis(50)),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    mount_token(&server, token("t", json!(3600))).await;
    mount_pages(&server).await;
    let client = service_account(&server, "id", "secret", RetryConfig::disabled());
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { projects::list_groups().send(&client).await })
        })
        .collect();
    for call in calls {
        let err = call.await.unwrap().unwrap_err();
        assert!(err.is_rate_limited(), "{err:?}");
    }
    assert_eq!(token_requests(&server).await, 1);
    // Still within the backoff: answered from the cached failure.
    assert!(projects::list_groups().send(&client).await.is_err());
    assert_eq!(token_requests(&server).await, 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    projects::list_groups().send(&client).await.unwrap();
    assert_eq!(token_requests(&server).await, 2);
}

/// With retries on, a 429 or 503 from the token endpoint is retried after Retry-After.
#[tokio::test]
async fn token_endpoint_errors_are_retried() {
    let server = MockServer::start().await;
    for status in [429, 503] {
        Mock::given(method("POST"))
            .and(path("/api/oauth/token"))
            .respond_with(ResponseTemplate::new(status).insert_header("Retry-After", "0"))
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    mount_token(&server, token("t", json!(3600))).await;
    mount_pages(&server).await;
    let client = service_account(&server, "id", "secret", fast_retries());
    projects::list_groups().send(&client).await.unwrap();
    assert_eq!(token_requests(&server).await, 3);
}

/// `expires_in: 30` keeps a token for most of its life: five calls, one token request.
#[tokio::test]
async fn short_token_lifetimes_scale_the_refresh_margin() {
    let server = MockServer::start().await;
    mount_token(&server, token("t", json!(30))).await;
    mount_pages(&server).await;
    let client = service_account(&server, "id", "secret", RetryConfig::disabled());
    for _ in 0..5 {
        projects::list_groups().send(&client).await.unwrap();
    }
    assert_eq!(token_requests(&server).await, 1);
}

/// A huge `expires_in` does not overflow `Instant + Duration` (a panic today).
#[tokio::test]
async fn huge_token_lifetimes_do_not_panic() {
    let server = MockServer::start().await;
    mount_token(&server, token("t", json!(u64::MAX))).await;
    mount_pages(&server).await;
    let client = service_account(&server, "id", "secret", RetryConfig::disabled());
    projects::list_groups().send(&client).await.unwrap();
    projects::list_groups().send(&client).await.unwrap();
    assert_eq!(token_requests(&server).await, 1);
}

/// RFC 6749 2.3.1: id and secret are form-urlencoded before Basic encoding.
#[tokio::test]
async fn client_credentials_are_form_urlencoded_in_basic_auth() {
    let server = MockServer::start().await;
    let (id, secret) = ("mdb sa:id", "p+ss%w:rd é");
    let expected = format!(
        "Basic {}",
        base64_encode(format!("{}:{}", "mdb+sa%3Aid", "p%2Bss%25w%3Ard+%C3%A9").as_bytes())
    );
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .and(wiremock::matchers::header(
            "authorization",
            expected.as_str(),
        ))
        .respond_with(token("t", json!(3600)))
        .mount(&server)
        .await;
    mount_pages(&server).await;
    let client = service_account(&server, id, secret, RetryConfig::disabled());
    projects::list_groups()
        .send(&client)
        .await
        .expect("token endpoint accepted the encoding");
}

fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A token endpoint that never answers is bounded by the client's timeout, even with a
/// caller-supplied HTTP client that has none.
#[tokio::test]
async fn a_hung_token_endpoint_times_out() {
    let server = MockServer::start().await;
    mount_token(
        &server,
        token("t", json!(3600)).set_delay(Duration::from_secs(30)),
    )
    .await;
    let client = Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::service_account("id", "secret"))
        .retry(RetryConfig::disabled())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = projects::list_groups().send(&client).await.unwrap_err();
    let Error::Transport { source, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(source.is_timeout(), "{err:?}");
}

/// Retries stop at the overall deadline, not after max_retries x (timeout + Retry-After).
#[tokio::test]
async fn retries_stop_at_the_deadline() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "2"))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry(RetryConfig {
            max_retries: 10,
            deadline: Duration::from_millis(500),
            ..RetryConfig::default()
        })
        .build()
        .unwrap();
    let err = projects::list_groups().send(&client).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    // A 2 s Retry-After does not fit a 0.5 s deadline: no retry is started.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// A 429 was not executed: it is retried for POST too; 502 and 504 for idempotent calls.
#[tokio::test]
async fn rate_limits_retry_any_method_and_gateway_errors_idempotent_ones() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    for status in [502, 504] {
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status))
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .respond_with(empty_page())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(
                json!({"name": "p", "orgId": "5e2211c17a3e5a48f5497de3", "clusterCount": 0})
                    .to_string(),
                GROUPS_MEDIA,
            ),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry(fast_retries())
        .build()
        .unwrap();
    projects::list_groups()
        .send(&client)
        .await
        .expect("502 and 504 retried");
    projects::create_group(group_body("p"))
        .send(&client)
        .await
        .expect("429 retried for POST");
    assert_eq!(server.received_requests().await.unwrap().len(), 5);
}

fn group_body(name: &str) -> write::GroupWrite {
    write::GroupWrite::default()
        .name(name)
        .org_id(ObjectId::parse("5e2211c17a3e5a48f5497de3").unwrap())
}

/// A raw HTTP/1.1 server: request n (counted from 0) is dropped without an answer when
/// n % 10 == 3 and answered 503 when n % 10 == 7; POST bodies are counted by name.
struct Faulty {
    uri: String,
    requests: Arc<AtomicUsize>,
    posts: Arc<Mutex<HashMap<String, usize>>>,
}

async fn faulty_server() -> Faulty {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let posts: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let (r, p) = (requests.clone(), posts.clone());
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(serve_faulty(socket, r.clone(), p.clone()));
        }
    });
    Faulty {
        uri,
        requests,
        posts,
    }
}

async fn serve_faulty(
    mut socket: tokio::net::TcpStream,
    requests: Arc<AtomicUsize>,
    posts: Arc<Mutex<HashMap<String, usize>>>,
) {
    let mut buf = Vec::new();
    loop {
        let mut chunk = [0u8; 8192];
        let Ok(n) = socket.read(&mut chunk).await else {
            return;
        };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        let Some(head_end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let length: usize = head
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-length:")
                    .map(|v| v.trim().parse().unwrap_or(0))
            })
            .unwrap_or(0);
        if buf.len() < head_end + 4 + length {
            continue;
        }
        let body = String::from_utf8_lossy(&buf[head_end + 4..head_end + 4 + length]).to_string();
        buf.drain(..head_end + 4 + length);
        let n = requests.fetch_add(1, Ordering::SeqCst);
        if head.starts_with("POST") {
            let name = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["name"].as_str().map(str::to_owned))
                .unwrap_or_default();
            *posts.lock().unwrap().entry(name).or_default() += 1;
        }
        let response = match n % 10 {
            3 => return, // drop the connection without an answer
            7 => "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n".to_owned(),
            _ if head.starts_with("POST") => {
                let body =
                    json!({"name": "p", "orgId": "5e2211c17a3e5a48f5497de3", "clusterCount": 0})
                        .to_string();
                format!("HTTP/1.1 200 OK\r\ncontent-type: {GROUPS_MEDIA}\r\ncontent-length: {}\r\n\r\n{body}", body.len())
            }
            _ => {
                let body = r#"{"results":[],"totalCount":0}"#;
                format!("HTTP/1.1 200 OK\r\ncontent-type: {GROUPS_MEDIA}\r\ncontent-length: {}\r\n\r\n{body}", body.len())
            }
        };
        if socket.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// 10% dropped connections and 10% 503: every GET succeeds within the retry budget; no
/// POST reaches the server twice (a dropped POST may have been executed: not resent).
#[tokio::test]
async fn dropped_connections_and_503s_never_duplicate_a_post() {
    let server = faulty_server().await;
    let client = Client::builder()
        .base_url(&server.uri)
        .retry(fast_retries())
        .build()
        .unwrap();
    for i in 0..100 {
        projects::list_groups()
            .send(&client)
            .await
            .unwrap_or_else(|e| panic!("GET {i}: {e}"));
    }
    for i in 0..50 {
        let _ = projects::create_group(group_body(&format!("g{i}")))
            .send(&client)
            .await;
    }
    let posts = server.posts.lock().unwrap().clone();
    let twice: Vec<_> = posts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "POSTs sent twice: {twice:?}");
    assert_eq!(posts.len(), 50, "every POST reached the server once");
    assert!(server.requests.load(Ordering::SeqCst) > 150);
}

fn groups(range: std::ops::Range<usize>) -> Vec<serde_json::Value> {
    range
        .map(|i| json!({"id": format!("{i:024x}"), "name": format!("p{i}"), "orgId": "5e2211c17a3e5a48f5497de3", "clusterCount": 0}))
        .collect()
}

/// Pages of 100 although 500 were asked: the stream follows totalCount, not page size.
struct CappedPages;

impl Respond for CappedPages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let page: usize = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "pageNum")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(1);
        let start = (page - 1) * 100;
        let items = groups(start..(start + 100).min(250));
        ResponseTemplate::new(200).set_body_raw(
            json!({"results": items, "totalCount": 250}).to_string(),
            GROUPS_MEDIA,
        )
    }
}

#[tokio::test]
async fn pagination_follows_total_count_when_pages_are_capped() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("itemsPerPage", "500"))
        .respond_with(CappedPages)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let all: Vec<Group> = client
        .paginate(projects::list_groups(), 500)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 250);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

/// A server that ignores pageNum repeats page 1: an error, not an endless stream.
#[tokio::test]
async fn a_repeated_page_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            json!({"results": groups(0..2), "totalCount": 10}).to_string(),
            GROUPS_MEDIA,
        ))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let err = client
        .paginate(projects::list_groups(), 2)
        .try_collect::<Vec<Group>>()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("page 2 repeats an earlier page"),
        "{err}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

/// A totalCount that never ends (distinct pages forever) stops at the page cap.
struct EndlessPages;

impl Respond for EndlessPages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let page: usize = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "pageNum")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(1);
        ResponseTemplate::new(200).set_body_raw(
            json!({"results": groups(page..page + 1), "totalCount": 2_000_000_000}).to_string(),
            GROUPS_MEDIA,
        )
    }
}

#[tokio::test]
async fn pagination_stops_at_the_page_cap() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(EndlessPages)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .max_pages(20)
        .build()
        .unwrap();
    let err = client
        .paginate(projects::list_groups(), 1)
        .try_collect::<Vec<Group>>()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("more than 20 pages"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 20);
}

/// Without a total (`includeCount=false`), a page shorter than asked for may be the
/// server's cap: only an empty page ends the stream.
#[tokio::test]
async fn pagination_without_a_total_ends_at_an_empty_page() {
    let server = MockServer::start().await;
    for (page, items) in [
        (1, groups(0..2)),
        (2, groups(2..4)),
        (3, groups(4..5)),
        (4, vec![]),
    ] {
        Mock::given(method("GET"))
            .and(query_param("pageNum", page.to_string()))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(json!({"results": items}).to_string(), GROUPS_MEDIA),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let all: Vec<Group> = client
        .paginate(projects::list_groups(), 500)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 5);
    server.verify().await;
}

/// Records when each request arrived; answers 403 after 200 ms.
struct Arrivals(Arc<Mutex<Vec<std::time::Instant>>>);

impl Respond for Arrivals {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.0.lock().unwrap().push(std::time::Instant::now());
        ResponseTemplate::new(403)
            .set_body_raw(
                r#"{"error":403,"errorCode":"IP_ADDRESS_NOT_ON_ACCESS_LIST"}"#,
                "application/json",
            )
            .set_delay(Duration::from_millis(200))
    }
}

/// A server that never sends a Digest challenge (here a 403 for every request): calls
/// waiting for the first challenge go ahead on their own once one priming has ended,
/// instead of queueing behind each other.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn digest_calls_do_not_queue_behind_a_failed_priming() {
    let server = MockServer::start().await;
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("GET"))
        .respond_with(Arrivals(arrivals.clone()))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::api_key("public", "private"))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { projects::list_groups().send(&client).await })
        })
        .collect();
    for call in calls {
        let err = call.await.unwrap().unwrap_err();
        assert_eq!(err.status(), Some(403), "{err:?}");
    }
    // Queued calls would arrive at least 200 ms apart (each waits for the previous answer).
    let mut at = arrivals.lock().unwrap().clone();
    at.sort();
    let overlapping = at
        .windows(2)
        .any(|w| w[1] - w[0] < Duration::from_millis(100));
    assert!(
        overlapping,
        "every call waited for the previous one: {at:?}"
    );
}
