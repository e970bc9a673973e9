//! Proxies from the environment (README "Security"): a client uses none unless
//! `ClientBuilder::proxy_from_env()` asks for them, and never for a loopback base, where
//! plain `http` would hand the proxy the `Authorization` header and body in clear.
//!
//! Its own test binary: it sets process-wide variables before any thread starts.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use atlas_admin::apis::projects;
use atlas_admin::runtime::RetryConfig;
use atlas_admin::{Client, Credentials};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const VARIABLES: [&str; 6] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// A listener standing in for a proxy: counts the connections and bytes it receives.
async fn proxy_listener() -> (String, Arc<AtomicUsize>, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let bytes = Arc::new(AtomicUsize::new(0));
    let (seen, read) = (connections.clone(), bytes.clone());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
            let read = read.clone();
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                while let Ok(n) = socket.read(&mut buffer).await {
                    if n == 0 {
                        break;
                    }
                    read.fetch_add(n, Ordering::SeqCst);
                }
            });
        }
    });
    (address, connections, bytes)
}

#[test]
fn environment_proxies_are_used_only_when_asked_and_never_for_loopback() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // The listener binds on a runtime thread-free executor; variables are set before
    // any client (or resolver thread) exists.
    let (proxy, connections, bytes) = runtime.block_on(proxy_listener());
    for name in VARIABLES {
        std::env::set_var(name, &proxy);
    }
    std::env::remove_var("NO_PROXY");
    std::env::remove_var("no_proxy");
    runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(
                r#"{"results":[],"totalCount":0}"#,
                "application/vnd.atlas.2023-01-01+json",
            ))
            .mount(&server)
            .await;
        for from_env in [false, true] {
            let mut builder = Client::builder()
                .base_url(server.uri())
                .credentials(Credentials::api_key("public", "private-key-hunter2"))
                .retry(RetryConfig::disabled());
            if from_env {
                builder = builder.proxy_from_env();
            }
            let client = builder.build().unwrap();
            // The loopback server answers without a challenge, so the call succeeds
            // only if it went there directly.
            projects::list_groups().send(&client).await.unwrap();
        }
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(connections.load(Ordering::SeqCst), 0, "the proxy was used");
        assert_eq!(bytes.load(Ordering::SeqCst), 0);

        // A remote base goes through the environment's proxy only when asked.
        let remote = |from_env: bool| {
            let builder = Client::builder()
                .base_url("https://atlas.example.invalid")
                .timeout(Duration::from_millis(500))
                .connect_timeout(Duration::from_millis(500))
                .retry(RetryConfig::disabled());
            if from_env {
                builder.proxy_from_env()
            } else {
                builder
            }
            .build()
            .unwrap()
        };
        let _ = projects::list_groups().send(&remote(false)).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(connections.load(Ordering::SeqCst), 0, "used without asking");
        let _ = projects::list_groups().send(&remote(true)).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(connections.load(Ordering::SeqCst), 1, "asked, not used");
    });
}
