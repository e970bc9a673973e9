//! What the client guarantees against hostile or mistaken input (README "Security"):
//! dot segments, the host of low-level requests, redirects, base URLs, secrets in errors
//! and bounded response bodies. Each test uses a loopback server that counts what reaches it.

mod support;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use atlas_admin::apis::{clusters, programmatic_api_keys, service_accounts};
use atlas_admin::models::write::CreateAtlasOrganizationApiKeyWrite;
use atlas_admin::runtime::{HttpRequest, Method, RetryConfig};
use atlas_admin::{Client, Credentials, Error, ObjectId};
use support::{mount_digest, Algorithm, PASSWORD, USER};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const GROUP: &str = "5e2211c17a3e5a48f5497de3";

fn group() -> ObjectId {
    GROUP.parse().unwrap()
}

fn client_for(uri: &str) -> Client {
    Client::builder()
        .base_url(uri)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
}

/// A server that answers 200 to everything and counts.
async fn counting_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw("{}", "application/json"))
        .mount(&server)
        .await;
    server
}

async fn received(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect()
}

fn invalid_input_naming(err: &Error, name: &str) -> bool {
    matches!(err, Error::InvalidInput(message) if message.contains(name))
}

/// `..` and `.` in any encoding never reach the server; the error names the parameter.
#[tokio::test]
async fn dot_segment_path_parameters_are_rejected() {
    let server = counting_server().await;
    let client = client_for(&server.uri());
    for value in [
        "..",
        ".",
        "%2e%2e",
        "%2E.",
        ".%2e",
        "%2e",
        "%252e%252e",
        "%2E%2E",
    ] {
        let err = clusters::delete_group_cluster(group(), value)
            .send(&client)
            .await
            .expect_err(value);
        assert!(invalid_input_naming(&err, "clusterName"), "{value}: {err}");
        let err =
            service_accounts::create_group_service_account_access_list(group(), value, vec![])
                .send(&client)
                .await
                .expect_err(value);
        assert!(invalid_input_naming(&err, "clientId"), "{value}: {err}");
    }
    assert_eq!(received(&server).await, Vec::<String>::new());
    // Dots inside a value are fine: they are not dot segments.
    clusters::delete_group_cluster(group(), "a..b")
        .send(&client)
        .await
        .unwrap();
    clusters::delete_group_cluster(group(), "...")
        .send(&client)
        .await
        .unwrap();
    assert_eq!(
        received(&server).await,
        [
            format!("DELETE /api/atlas/v2/groups/{GROUP}/clusters/a..b"),
            format!("DELETE /api/atlas/v2/groups/{GROUP}/clusters/..."),
        ]
    );
}

/// A low-level request whose path would change the authority is an error, not a request
/// to another host.
#[tokio::test]
async fn low_level_requests_keep_the_base_host() {
    let home = counting_server().await;
    let elsewhere = counting_server().await;
    let client = client_for(&home.uri());
    let port = elsewhere.address().port();
    for path in [
        format!("@127.0.0.1:{port}/steal"),
        ".evil.com/x".to_owned(),
        ":8443/x".to_owned(),
        format!("//127.0.0.1:{port}/steal"),
        "/api/../../steal".to_owned(),
        "/api/%2e%2e/steal".to_owned(),
        "/api?x=1".to_owned(),
        "/api#fragment".to_owned(),
        "\\evil".to_owned(),
        String::new(),
    ] {
        let request = HttpRequest::new(Method::GET, path.clone(), "application/json");
        let err = client.send("lowLevel", &request).await.expect_err(&path);
        assert!(matches!(err, Error::InvalidInput(_)), "{path:?}: {err:?}");
    }
    assert_eq!(received(&elsewhere).await, Vec::<String>::new());
    assert_eq!(received(&home).await, Vec::<String>::new());
    let ok = HttpRequest::new(Method::GET, "/api/atlas/v2".to_owned(), "application/json");
    assert_eq!(client.send("lowLevel", &ok).await.unwrap().status, 200);
    assert_eq!(received(&home).await, ["GET /api/atlas/v2"]);
}

/// The Digest `uri` is the request-target actually sent, even where the url crate
/// encodes the given path further.
#[tokio::test]
async fn digest_signs_the_url_actually_sent() {
    let server = MockServer::start().await;
    let counters = mount_digest(&server, vec![Algorithm::Sha256]).await;
    let client = Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::api_key(USER, PASSWORD))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let mut request = HttpRequest::new(
        Method::GET,
        "/api/atlas/v2/x y/\u{e9}|{z}".to_owned(),
        "application/json",
    );
    request.query("q", "a b").unwrap();
    let response = client.send("lowLevel", &request).await.unwrap();
    assert_eq!(
        response.status,
        200,
        "{}",
        String::from_utf8_lossy(&response.body)
    );
    assert_eq!(counters.accepted_with(), [Algorithm::Sha256]);
}

/// Redirects are not followed: a 307 would resend the body (a database user's password)
/// to the other host.
#[tokio::test]
async fn redirects_are_not_followed() {
    let target = counting_server().await;
    let origin = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("Location", format!("{}/steal", target.uri()).as_str()),
        )
        .mount(&origin)
        .await;
    let client = client_for(&origin.uri());
    let body = CreateAtlasOrganizationApiKeyWrite::default()
        .desc("k")
        .roles(vec![]);
    let err = programmatic_api_keys::create_org_api_key(group(), body)
        .send(&client)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(307), "{err:?}");
    assert_eq!(received(&target).await, Vec::<String>::new());
    assert_eq!(received(&origin).await.len(), 1);
}

/// Base URLs carry no userinfo, query or fragment, and no error echoes a password.
#[test]
fn base_urls_with_credentials_query_or_fragment_are_rejected() {
    for url in [
        "https://user:hunter2@cloud.mongodb.com",
        "https://user@cloud.mongodb.com",
        "http://user:hunter2@127.0.0.1:1",
        "https://cloud.mongodb.com/?x=1",
        "https://cloud.mongodb.com/#top",
        "https://user:hunter2@[::1",
        "https://user:hunter2@cloud.mongodb.com:99999",
    ] {
        let err = Client::builder().base_url(url).build().expect_err(url);
        assert!(matches!(err, Error::Config(_)), "{url}: {err:?}");
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("hunter2"), "{url}: {shown}");
    }
}

/// A decode failure on a body that carries a secret shows neither the secret nor the body.
#[tokio::test]
async fn decode_errors_do_not_show_the_body() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"privateKey":"d7b1-SECRET-c0ffee","publicKey":"abc","id":"not-an-id"}"#,
            "application/vnd.atlas.2023-01-01+json",
        ))
        .mount(&server)
        .await;
    let body = CreateAtlasOrganizationApiKeyWrite::default()
        .desc("k")
        .roles(vec![]);
    let err = programmatic_api_keys::create_org_api_key(group(), body)
        .send(&client_for(&server.uri()))
        .await
        .unwrap_err();
    let Error::Decode { path, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(path, "id");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("SECRET"), "{shown}");
    assert!(!shown.contains("privateKey"), "{shown}");
}

/// How many body bytes a raw loopback server managed to write before the client hung up.
struct Streamer {
    uri: String,
    written: Arc<AtomicU64>,
    connections: Arc<AtomicUsize>,
}

/// Announce (or stream chunked) `total` bytes of JSON-ish filler, 64 KiB at a time.
async fn streaming_server(total: u64, announce: bool) -> Streamer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let written = Arc::new(AtomicU64::new(0));
    let connections = Arc::new(AtomicUsize::new(0));
    let (w, c) = (written.clone(), connections.clone());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            c.fetch_add(1, Ordering::SeqCst);
            let w = w.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                let head = if announce {
                    format!("HTTP/1.1 200 OK\r\ncontent-type: application/vnd.atlas.2023-01-01+json\r\ncontent-length: {total}\r\n\r\n")
                } else {
                    "HTTP/1.1 200 OK\r\ncontent-type: application/vnd.atlas.2023-01-01+json\r\ntransfer-encoding: chunked\r\n\r\n".to_owned()
                };
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b' '; 64 * 1024];
                let mut sent = 0u64;
                while sent < total {
                    let framed = if announce {
                        chunk.clone()
                    } else {
                        let mut f = format!("{:x}\r\n", chunk.len()).into_bytes();
                        f.extend_from_slice(&chunk);
                        f.extend_from_slice(b"\r\n");
                        f
                    };
                    if socket.write_all(&framed).await.is_err() {
                        return;
                    }
                    sent += chunk.len() as u64;
                    w.fetch_add(chunk.len() as u64, Ordering::SeqCst);
                }
            });
        }
    });
    Streamer {
        uri,
        written,
        connections,
    }
}

const TWO_GIB: u64 = 2 << 30;

/// A body announced as 2 GiB is refused before it is read (default limit).
#[tokio::test]
async fn announced_huge_bodies_are_refused_unread() {
    let server = streaming_server(TWO_GIB, true).await;
    let err = clusters::list_group_clusters(group())
        .send(&client_for(&server.uri))
        .await
        .unwrap_err();
    let message = err.to_string();
    assert!(message.contains("larger than"), "{message}");
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
    // The client stopped reading: at most socket buffers were written, not the body.
    let written = server.written.load(Ordering::SeqCst);
    assert!(written < 64 << 20, "{written} bytes written");
}

/// A chunked body without a length stops at the configured limit with flat memory.
#[tokio::test]
async fn streamed_bodies_stop_at_the_limit() {
    let server = streaming_server(TWO_GIB, false).await;
    let client = Client::builder()
        .base_url(&server.uri)
        .retry(RetryConfig::disabled())
        .max_response_bytes(4 << 20)
        .build()
        .unwrap();
    let err = clusters::list_group_clusters(group())
        .send(&client)
        .await
        .unwrap_err();
    let message = err.to_string();
    assert!(message.contains("larger than 4194304 bytes"), "{message}");
    let written = server.written.load(Ordering::SeqCst);
    assert!(written < 64 << 20, "{written} bytes written");
}
