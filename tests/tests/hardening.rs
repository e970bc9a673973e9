//! README "Security" against unusual servers and callers: every call ends by its deadline
//! (streamed error bodies, token fetches, custom transports, waiters), secrets stay out of
//! errors and `Debug`, path parameters and headers cannot redirect a request, and
//! downloads never write through a file they do not own. Loopback servers only.

mod support;

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use atlas_admin::apis::{clusters, projects};
use atlas_admin::runtime::wait::{until_state, until_status};
use atlas_admin::runtime::{
    Exchange, HttpRequest, Method, RetryConfig, Transport, TransportFuture, WaitConfig,
};
use atlas_admin::{Client, Credentials, Error, ObjectId};
use serde_json::json;
use support::serve;
use tokio::io::AsyncWriteExt;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const GROUP: &str = "5e2211c17a3e5a48f5497de3";
const GROUPS_MEDIA: &str = "application/vnd.atlas.2023-01-01+json";
const CLUSTER_MEDIA: &str = "application/vnd.atlas.2024-08-05+json";

fn group() -> ObjectId {
    GROUP.parse().unwrap()
}

/// Fail the test if `call` has not ended after `limit`: the deadline under test was not
/// kept. Returns what it ended with and how long it took.
async fn ends_within<T>(limit: Duration, call: impl Future<Output = T>) -> (T, Duration) {
    let started = Instant::now();
    match tokio::time::timeout(limit, call).await {
        Ok(value) => (value, started.elapsed()),
        Err(_) => panic!("still waiting after {limit:?}"),
    }
}

// ---- Deadlines ------------------------------------------------------------------------

/// Item 1: a 503 whose body announces 100 bytes, sends 10 and stalls, on a streamed call.
#[tokio::test]
async fn a_stalled_error_body_of_a_streamed_call_ends_at_the_deadline() {
    let base = serve(|mut socket| async move {
        let head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n\
                    Content-Length: 100\r\n\r\n{\"error\":5";
        let _ = socket.write_all(head.as_bytes()).await;
        tokio::time::sleep(Duration::from_secs(60)).await;
    })
    .await;
    let client = Client::builder()
        .base_url(base)
        .timeout(Duration::from_millis(500))
        .read_timeout(Duration::from_millis(500))
        .retry(RetryConfig {
            deadline: Duration::from_secs(2),
            ..RetryConfig::default()
        })
        .build()
        .unwrap();
    let request = atlas_admin::apis::monitoring_and_logs::download_group_cluster_log(
        group(),
        "host-00.example.net",
        atlas_admin::models::DownloadGroupClusterLogLogName::Mongodb,
    );
    let (result, took) = ends_within(Duration::from_secs(6), request.send_stream(&client)).await;
    let error = result.unwrap_err();
    assert!(
        matches!(&error, Error::Transport { source, .. } if source.is_timeout()),
        "{error:?}"
    );
    assert!(took < Duration::from_secs(3), "took {took:?}");
}

/// Item 2: a token endpoint that answers after 20 s fails a call with a 1 s deadline at
/// about 1 s, whatever the client's (longer) timeout.
#[tokio::test]
async fn the_token_fetch_ends_at_the_call_deadline() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "t", "expires_in": 3600}))
                .set_delay(Duration::from_secs(20)),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::service_account("id", "secret"))
        .timeout(Duration::from_secs(30))
        .retry(RetryConfig {
            deadline: Duration::from_secs(1),
            ..RetryConfig::default()
        })
        .build()
        .unwrap();
    let (result, took) = ends_within(
        Duration::from_secs(5),
        projects::list_groups().send(&client),
    )
    .await;
    assert!(result.is_err());
    assert!(took < Duration::from_millis(1800), "took {took:?}");
}

/// Item 2: two calls whose token Atlas rejects: one refreshes against a hung endpoint
/// while the other waits to drop the same token; both end by their deadline.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_a_rejected_token_waits_no_longer_than_the_deadline() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "t1", "expires_in": 3600})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "t2", "expires_in": 3600}))
                .set_delay(Duration::from_secs(20)),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_delay(Duration::from_millis(100)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::service_account("id", "secret"))
        .retry(RetryConfig {
            deadline: Duration::from_secs(1),
            ..RetryConfig::disabled()
        })
        .build()
        .unwrap();
    let calls = (0..2).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            let result = projects::list_groups().send(&client).await;
            (result.is_err(), started.elapsed())
        })
    });
    let (ended, _) = ends_within(
        Duration::from_secs(6),
        futures_util::future::join_all(calls),
    )
    .await;
    for call in ended {
        let (failed, took) = call.unwrap();
        assert!(failed);
        assert!(took < Duration::from_millis(1800), "took {took:?}");
    }
}

/// A transport that never answers.
#[derive(Debug)]
struct Silent;

impl Transport for Silent {
    fn exchange(&self, _: Exchange) -> TransportFuture<'_> {
        Box::pin(std::future::pending())
    }
}

/// Item 3: a custom transport is bounded by the client's timeout, and by the deadline.
#[tokio::test]
async fn a_transport_that_never_answers_is_bounded_by_the_timeout() {
    let client = Client::builder()
        .transport(Silent)
        .timeout(Duration::from_millis(300))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let (result, took) = ends_within(
        Duration::from_secs(5),
        projects::list_groups().send(&client),
    )
    .await;
    let error = result.unwrap_err();
    assert!(
        matches!(&error, Error::Transport { source, .. } if source.is_timeout()),
        "{error:?}"
    );
    assert!(took < Duration::from_secs(2), "took {took:?}");
    let client = Client::builder()
        .transport(Silent)
        .retry(RetryConfig {
            deadline: Duration::from_millis(300),
            ..RetryConfig::default()
        })
        .build()
        .unwrap();
    let (result, took) = ends_within(
        Duration::from_secs(5),
        projects::list_groups().send(&client),
    )
    .await;
    assert!(result.is_err());
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

fn cluster(state: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(
        json!({"name": "c", "groupId": GROUP, "stateName": state}).to_string(),
        CLUSTER_MEDIA,
    )
}

/// A server whose cluster read answers `responses` in turn, then the last one forever.
async fn cluster_server(responses: Vec<ResponseTemplate>) -> (MockServer, Client) {
    let server = MockServer::start().await;
    let count = responses.len();
    for (i, response) in responses.into_iter().enumerate() {
        let mock = Mock::given(method("GET")).respond_with(response);
        let mock = if i + 1 < count {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        mock.with_priority(u8::try_from(i + 1).unwrap())
            .mount(&server)
            .await;
    }
    let client = Client::builder()
        .base_url(server.uri())
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    (server, client)
}

fn poll() -> clusters::GetGroupCluster20240805 {
    clusters::get_group_cluster_2024_08_05(group(), "c")
}

/// `until_state` for cluster `c` to be `IDLE`, as a create's waiter polls it.
async fn wait_for_idle(
    client: &Client,
    config: &WaitConfig,
) -> Result<atlas_admin::models::ClusterDescription20240805, Error> {
    let poll = poll();
    until_state(
        client,
        &poll,
        "createGroupCluster",
        "/stateName",
        &["IDLE"],
        &[],
        config,
    )
    .await
}

/// Item 4: an interval too large to add to a time is a timeout, not a panic.
#[tokio::test]
async fn a_waiter_with_the_largest_interval_times_out_without_panicking() {
    let (_server, client) = cluster_server(vec![cluster("CREATING")]).await;
    let config = WaitConfig::default()
        .timeout(Duration::from_secs(1))
        .interval(Duration::MAX)
        .max_interval(Duration::MAX);
    let wait = wait_for_idle(&client, &config);
    let (result, _) = ends_within(Duration::from_secs(5), wait).await;
    assert!(matches!(result, Err(Error::Wait { .. })), "{result:?}");
}

/// Item 4: a zero interval is raised to the documented floor (one second).
#[tokio::test]
async fn a_zero_interval_polls_at_most_once_a_second() {
    let (server, client) = cluster_server(vec![cluster("CREATING")]).await;
    let config = WaitConfig::default()
        .timeout(Duration::from_millis(2500))
        .interval(Duration::ZERO)
        .max_interval(Duration::ZERO);
    let wait = wait_for_idle(&client, &config);
    let (result, _) = ends_within(Duration::from_secs(6), wait).await;
    assert!(matches!(result, Err(Error::Wait { .. })), "{result:?}");
    let polls = server.received_requests().await.unwrap().len();
    assert!(polls <= 4, "{polls} polls in 2.5 s");
}

/// Item 4: a poll that takes longer than what is left of the wait is cut off.
#[tokio::test]
async fn a_slow_poll_does_not_overrun_the_wait_timeout() {
    let (_server, client) =
        cluster_server(vec![cluster("CREATING").set_delay(Duration::from_secs(4))]).await;
    let config = WaitConfig::default()
        .timeout(Duration::from_secs(1))
        .interval(Duration::from_secs(1));
    let wait = wait_for_idle(&client, &config);
    let (result, took) = ends_within(Duration::from_secs(8), wait).await;
    assert!(matches!(result, Err(Error::Wait { .. })), "{result:?}");
    assert!(took < Duration::from_millis(1800), "took {took:?}");
    let poll = poll();
    let wait = until_status(&client, &poll, "deleteGroupCluster", 404, &config);
    let (result, took) = ends_within(Duration::from_secs(8), wait).await;
    assert!(matches!(result, Err(Error::Wait { .. })), "{result:?}");
    assert!(took < Duration::from_millis(1800), "took {took:?}");
}

/// Item 4: a 5xx or 429 while waiting for a state is waited through, as for a status.
#[tokio::test]
async fn waiting_for_a_state_keeps_polling_through_5xx_and_429() {
    let (server, client) = cluster_server(vec![
        ResponseTemplate::new(503),
        ResponseTemplate::new(429),
        ResponseTemplate::new(500),
        cluster("IDLE"),
    ])
    .await;
    let config = WaitConfig::default()
        .timeout(Duration::from_secs(20))
        .interval(Duration::from_secs(1));
    let wait = wait_for_idle(&client, &config);
    let (result, _) = ends_within(Duration::from_secs(15), wait).await;
    assert_eq!(
        result.unwrap().state_name.map(|s| s.as_str().to_owned()),
        Some("IDLE".into())
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
    // A 4xx other than 429 is an answer: it ends the wait.
    let (_server, client) = cluster_server(vec![ResponseTemplate::new(403)]).await;
    let wait = wait_for_idle(&client, &config);
    let (result, _) = ends_within(Duration::from_secs(5), wait).await;
    assert_eq!(result.unwrap_err().status(), Some(403));
}

// ---- Secrets --------------------------------------------------------------------------

/// Item 7: spellings without `://` that the url crate still reads with an authority.
#[test]
fn base_urls_with_credentials_never_echo_the_password() {
    for url in [
        "https:/user:hunter2secret@cloud.mongodb.com",
        "https:user:hunter2secret@cloud.mongodb.com",
        "https:\\\\user:hunter2secret@cloud.mongodb.com",
        "https://user:hunter2secret@cloud.mongodb.com",
        "HTTPS:/user:hunter2secret@cloud.mongodb.com/x",
        "http:user:hunter2secret@127.0.0.1:8080",
        "https:///user:hunter2secret@cloud.mongodb.com",
        "https://user:hunter2secret@[::1",
        "https://user:hunter2secret@cloud.mongodb.com?x#y",
    ] {
        let error = Client::builder().base_url(url).build().unwrap_err();
        let text = format!("{error} {error:?}");
        assert!(!text.contains("hunter2"), "{url}: {text}");
        assert!(matches!(error, Error::Config(_)), "{url}: {error:?}");
    }
}

/// Item 8: a proxy URL's password is not in the builder's `Debug`.
#[test]
fn the_builder_debug_redacts_the_proxy_password() {
    for proxy in [
        "http://u:pw-hunter2@127.0.0.1:3128",
        "http:/u:pw-hunter2@127.0.0.1:3128",
        "socks5://u:pw-hunter2@proxy",
    ] {
        let builder = Client::builder()
            .proxy(proxy)
            .credentials(Credentials::api_key("pub", "priv-hunter2"));
        let text = format!("{builder:?}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(
            text.contains("127.0.0.1") || text.contains("proxy"),
            "{text}"
        );
    }
}

/// Item 9: values with quotes, backticks and escapes never reach a decode error, for
/// numbers, ids, enums and dates.
#[tokio::test]
async fn decode_errors_keep_no_part_of_a_quoted_value() {
    let server = MockServer::start().await;
    let secrets = [
        r#""a\"s3cret""#,
        r#""a`s3cret""#,
        r#""a\\\"s3cret`\"""#,
        r#""x\", expected s3cret""#,
        r#""\u0060s3cret""#,
        r#""`s3cret`, expected `x`""#,
    ];
    let client = Client::builder()
        .base_url(server.uri())
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    for secret in secrets {
        let bodies = [
            // A number.
            (
                format!(r#"{{"results":[],"totalCount":{secret}}}"#),
                GROUPS_MEDIA,
            ),
            // An id.
            (
                format!(r#"{{"results":[{{"id":{secret},"name":"p"}}]}}"#),
                GROUPS_MEDIA,
            ),
            // A date.
            (
                format!(r#"{{"results":[{{"created":{secret},"name":"p"}}]}}"#),
                GROUPS_MEDIA,
            ),
        ];
        for (body, media) in bodies {
            server.reset().await;
            Mock::given(method("GET"))
                .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), media))
                .mount(&server)
                .await;
            let error = projects::list_groups().send(&client).await.unwrap_err();
            assert!(matches!(error, Error::Decode { .. }), "{body}: {error:?}");
            let text = format!("{error} {error:?}");
            assert!(!text.contains("s3cret"), "{body}: {text}");
        }
        // An enum read where an object is expected, with the value as a key's text.
        server.reset().await;
        let body = format!(r#"{{"name":"c","groupId":"{GROUP}","replicationSpecs":{secret}}}"#);
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), CLUSTER_MEDIA))
            .mount(&server)
            .await;
        let error = poll().send(&client).await.unwrap_err();
        let text = format!("{error} {error:?}");
        assert!(!text.contains("s3cret"), "{body}: {text}");
    }
}

/// Item 10: models that carry credentials (found by name and by the spec's `writeOnly`
/// with a description saying so) show whether they are set, never the value.
#[test]
fn models_with_credentials_redact_them_in_debug() {
    use atlas_admin::models::{self, write};
    let key: models::ApiKeyUserDetails = serde_json::from_value(json!({
        "id": GROUP,
        "publicKey": "abcdefgh",
        "privateKey": "11111111-hunter2-2222",
        "desc": "ci"
    }))
    .unwrap();
    let shown = format!("{key:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(
        shown.contains("abcdefgh"),
        "other fields still show: {shown}"
    );
    assert!(shown.contains("private_key: \"<redacted>\""), "{shown}");
    let secret: models::ServiceAccountSecret =
        serde_json::from_value(json!({"secret": "mdb_sa_sk_hunter2", "id": GROUP})).unwrap();
    assert!(!format!("{secret:?}").contains("hunter2"));
    let user = write::CloudDatabaseUserWrite::default()
        .username("alice")
        .password("hunter2-db");
    let shown = format!("{user:?}");
    assert!(
        !shown.contains("hunter2") && shown.contains("alice"),
        "{shown}"
    );
    let unset = format!("{:?}", write::CloudDatabaseUserWrite::default());
    assert!(unset.contains("password: None"), "{unset}");
}

// ---- Paths and headers ----------------------------------------------------------------

/// Item 15: spellings servers read as `..` (Tomcat's and Jetty's `..;`, full-width dots,
/// IIS's `%u002e`) are refused like `..`; nothing is sent.
#[tokio::test]
async fn path_parameters_servers_read_as_dot_segments_are_refused() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    for value in [
        "..;",
        "..;x",
        ".;",
        ";..",
        "..%3b",
        "..%3B.",
        "\u{ff0e}\u{ff0e}",
        "\u{ff0e}",
        ".\u{ff0e}",
        "%ef%bc%8e%ef%bc%8e",
        "%u002e%u002e",
        "%U002E.",
        ".%u002E",
        "%c0%ae%c0%ae",
        "\u{2024}\u{2024}",
    ] {
        let error = clusters::delete_group_cluster(group(), value)
            .send(&client)
            .await
            .expect_err(value);
        assert!(
            matches!(&error, Error::InvalidInput(m) if m.contains("clusterName")),
            "{value}: {error:?}"
        );
    }
    assert!(server.received_requests().await.unwrap().is_empty());
    // A `/` inside a parameter is one segment: sent as %2F, documented.
    clusters::delete_group_cluster(group(), "a/b")
        .send(&client)
        .await
        .unwrap();
    let sent = server.received_requests().await.unwrap();
    assert!(
        sent[0].url.path().ends_with("/clusters/a%2Fb"),
        "{}",
        sent[0].url
    );
}

/// Item 15: a caller cannot set the `Host` header of a request.
#[tokio::test]
async fn a_caller_supplied_host_header_is_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    for name in ["Host", "host", "HOST"] {
        let mut request =
            HttpRequest::new(Method::GET, "/api/atlas/v2/groups".into(), GROUPS_MEDIA);
        request.header(name, "evil.example").unwrap();
        let error = client.send("listGroups", &request).await.unwrap_err();
        assert!(
            matches!(&error, Error::InvalidInput(m) if m.contains("Host")),
            "{name}: {error:?}"
        );
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

// ---- Files ----------------------------------------------------------------------------

async fn gzip_server(length: usize, pause: Duration) -> String {
    serve(move |mut socket| async move {
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.atlas.2023-02-01+gzip\r\n\
             Content-Length: {length}\r\n\r\n"
        );
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        for _ in 0..length / 1024 {
            if socket.write_all(&[7u8; 1024]).await.is_err() {
                return;
            }
            tokio::time::sleep(pause).await;
        }
    })
    .await
}

fn log_request() -> atlas_admin::apis::monitoring_and_logs::DownloadGroupClusterLog {
    atlas_admin::apis::monitoring_and_logs::download_group_cluster_log(
        group(),
        "host-00.example.net",
        atlas_admin::models::DownloadGroupClusterLogLogName::Mongodb,
    )
}

fn part_files(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".part"))
        .collect()
}

/// Item 16: a symlink (or any file) at `<path>.part` is neither followed nor truncated.
#[cfg(unix)]
#[tokio::test]
async fn a_download_does_not_write_through_a_planted_part_file() {
    let base = gzip_server(8 * 1024, Duration::ZERO).await;
    let client = Client::builder().base_url(base).build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    let target = dir.path().join("mongodb.gz");
    std::os::unix::fs::symlink(&victim, dir.path().join("mongodb.gz.part")).unwrap();
    let written = log_request().download_to(&client, &target).await.unwrap();
    assert_eq!(written, 8 * 1024);
    assert_eq!(std::fs::read(&target).unwrap(), vec![7u8; 8 * 1024]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    // Someone else's regular file there is not truncated either.
    let other = dir.path().join("other.gz");
    let planted = dir.path().join("other.gz.part");
    std::fs::write(&planted, "not yours").unwrap();
    log_request().download_to(&client, &other).await.unwrap();
    assert_eq!(std::fs::read_to_string(&planted).unwrap(), "not yours");
}

/// Item 16: a download dropped half-way leaves no partial file behind.
#[tokio::test]
async fn a_cancelled_download_leaves_no_part_file() {
    let base = gzip_server(1024 * 1024, Duration::from_millis(5)).await;
    let client = Client::builder().base_url(base).build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("mongodb.gz");
    let request = log_request();
    let download = request.download_to(&client, &target);
    let cut = tokio::time::timeout(Duration::from_millis(400), download).await;
    assert!(cut.is_err(), "the download should still be running");
    // Give the runtime a moment: nothing may be left, now or later.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(part_files(dir.path()), Vec::<String>::new());
    assert!(!target.exists());
}

// ---- Tokens ---------------------------------------------------------------------------

/// Item 13: past the early-refresh point a failed refresh does not throw the token away:
/// calls go on with it until it expires.
#[tokio::test]
async fn a_failed_early_refresh_keeps_the_valid_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "t1", "expires_in": 10})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .respond_with(ResponseTemplate::new(503))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"results":[],"totalCount":0}"#, GROUPS_MEDIA),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::service_account("id", "secret"))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let started = Instant::now();
    projects::list_groups().send(&client).await.unwrap();
    tokio::time::sleep(Duration::from_secs(9).saturating_sub(started.elapsed())).await;
    // t = 9 s: past the refresh point (8 s), the endpoint answers 503.
    for _ in 0..3 {
        projects::list_groups()
            .send(&client)
            .await
            .expect("the token is still valid");
        assert!(started.elapsed() < Duration::from_millis(9800));
    }
    let asked = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/api/oauth/token")
        .count();
    assert!((2..=3).contains(&asked), "{asked} token requests");
    // Once it has expired, the failure is the caller's.
    tokio::time::sleep(Duration::from_secs(11).saturating_sub(started.elapsed())).await;
    assert!(projects::list_groups().send(&client).await.is_err());
}

/// Item 14: a token announced with `expires_in: 0` or `1` is still kept for the
/// documented floor, not fetched again on every call.
#[tokio::test]
async fn tiny_token_lifetimes_do_not_fetch_on_every_call() {
    for expires_in in [0, 1] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/api/oauth/token"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"access_token": "t", "expires_in": expires_in})),
            )
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(r#"{"results":[],"totalCount":0}"#, GROUPS_MEDIA),
            )
            .mount(&server)
            .await;
        let client = Client::builder()
            .base_url(server.uri())
            .credentials(Credentials::service_account("id", "secret"))
            .build()
            .unwrap();
        for _ in 0..20 {
            projects::list_groups().send(&client).await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(1100)).await;
        projects::list_groups().send(&client).await.unwrap();
        let asked = server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .filter(|r| r.url.path() == "/api/oauth/token")
            .count();
        assert_eq!(asked, 1, "expires_in {expires_in}");
    }
}

/// Item 14: `Retry-After` as an HTTP date (RFC 9110 section 10.2.3) is honoured.
#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let server = MockServer::start().await;
    let when = std::time::SystemTime::now() + Duration::from_secs(3);
    let date = chrono::DateTime::<chrono::Utc>::from(when)
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let times = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = times.clone();
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    Mock::given(method("GET"))
        .respond_with(move |_: &wiremock::Request| {
            seen.lock().unwrap().push(Instant::now());
            if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                ResponseTemplate::new(429).insert_header("Retry-After", date.as_str())
            } else {
                ResponseTemplate::new(200)
                    .set_body_raw(r#"{"results":[],"totalCount":0}"#, GROUPS_MEDIA)
            }
        })
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry(RetryConfig {
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
            ..RetryConfig::default()
        })
        .build()
        .unwrap();
    let page = projects::list_groups()
        .send_with_metadata(&client)
        .await
        .unwrap();
    assert_eq!(page.metadata.retries, 1);
    let times = times.lock().unwrap();
    let waited = times[1] - times[0];
    // The date has one-second resolution: at least two of the three seconds are waited.
    assert!(waited >= Duration::from_millis(1900), "waited {waited:?}");
}
