//! Streaming downloads (`send_stream`, `download_to`) against a loopback server: memory
//! stays flat for a 1 GiB body, the timeout is per read, a failed download leaves no
//! file, and an error status is still a typed error.

mod support;

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Duration;

use atlas_admin::apis::monitoring_and_logs::download_group_cluster_log;
use atlas_admin::models::DownloadGroupClusterLogLogName;
use atlas_admin::runtime::RetryConfig;
use atlas_admin::{Client, Error};
use futures_util::StreamExt;
use support::{serve, HELD, PEAK};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

#[global_allocator]
static ALLOCATOR: support::Counting = support::Counting;

const GIB: u64 = 1 << 30;
const CHUNK: usize = 64 << 10;

/// The byte at `offset` of every body these servers send.
fn pattern(offset: u64) -> u8 {
    (offset % 251) as u8
}

/// `length` bytes of [`pattern`]: announced, then written `CHUNK` bytes at a time, with
/// `pause` between writes; the connection closes after `send` bytes.
async fn write_body(socket: &mut TcpStream, length: u64, send: u64, pause: Duration) {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.atlas.2023-02-01+gzip\r\n\
         Content-Length: {length}\r\n\r\n"
    );
    if socket.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    // One period of the pattern is 251 bytes: a buffer of whole periods plus one chunk
    // lets every write start at its offset's place in the pattern.
    let block: Vec<u8> = (0..(CHUNK as u64 + 251)).map(pattern).collect();
    let mut offset = 0u64;
    while offset < send {
        let n = (send - offset).min(CHUNK as u64) as usize;
        let start = (offset % 251) as usize;
        if socket.write_all(&block[start..start + n]).await.is_err() {
            return;
        }
        offset += n as u64;
        if !pause.is_zero() {
            tokio::time::sleep(pause).await;
        }
    }
    let _ = socket.flush().await;
}

fn builder(base: &str) -> atlas_admin::ClientBuilder {
    Client::builder()
        .base_url(base)
        .retry(RetryConfig::disabled())
}

fn log_request() -> atlas_admin::apis::monitoring_and_logs::DownloadGroupClusterLog {
    download_group_cluster_log(
        "5e2211c17a3e5a48f5497de3"
            .parse::<atlas_admin::ObjectId>()
            .unwrap(),
        "host-00.example.net",
        DownloadGroupClusterLogLogName::Mongodb,
    )
}

/// A new directory that is deleted when the test ends, passed or failed.
fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("atlas-admin-streaming-")
        .tempdir()
        .unwrap()
}

#[tokio::test]
async fn a_gibibyte_body_streams_in_flat_memory() {
    let base =
        serve(|mut socket| async move { write_body(&mut socket, GIB, GIB, Duration::ZERO).await })
            .await;
    // A buffered read of the same body would be refused: the stream is not bound by it.
    let client = builder(&base).max_response_bytes(1 << 20).build().unwrap();
    assert!(matches!(
        log_request().send(&client).await,
        Err(Error::ResponseTooLarge { .. })
    ));

    let mut body = log_request().send_stream(&client).await.unwrap();
    assert_eq!(body.status(), 200);
    let before = HELD.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let mut received = 0u64;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.unwrap();
        let last = received + chunk.len() as u64 - 1;
        assert_eq!(chunk.first(), Some(&pattern(received)), "at {received}");
        assert_eq!(chunk.last(), Some(&pattern(last)), "at {last}");
        received += chunk.len() as u64;
    }
    let growth = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    assert_eq!(received, GIB);
    assert!(
        growth < 16 << 20,
        "streaming 1 GiB held {growth} more bytes at its peak"
    );
}

#[tokio::test]
async fn download_to_writes_the_whole_file_or_none() {
    let length = 3 * CHUNK as u64 + 17;
    let base = serve(move |mut socket| async move {
        write_body(&mut socket, length, length, Duration::ZERO).await
    })
    .await;
    let client = builder(&base).build().unwrap();
    let dir = scratch();
    let path = dir.path().join("mongodb.gz");
    let written = log_request().download_to(&client, &path).await.unwrap();
    assert_eq!(written, length);
    let file = std::fs::read(&path).unwrap();
    assert_eq!(file.len() as u64, length);
    assert!(file
        .iter()
        .enumerate()
        .all(|(i, b)| *b == pattern(i as u64)));

    // The server announces more than it sends, then hangs up.
    let short = serve(move |mut socket| async move {
        write_body(&mut socket, length, CHUNK as u64, Duration::ZERO).await
    })
    .await;
    let client = builder(&short).build().unwrap();
    let path = dir.path().join("truncated.gz");
    let error = log_request().download_to(&client, &path).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(!path.exists(), "a failed download leaves no file");
    let mut part = path.into_os_string();
    part.push(".part");
    assert!(!PathBuf::from(part).exists(), "nor its partial file");
}

#[tokio::test]
async fn the_timeout_is_per_read_not_for_the_download() {
    // Ten chunks 60 ms apart: longer than the 200 ms exchange timeout in all, each read
    // far within the read timeout.
    let length = 10 * CHUNK as u64;
    let slow = serve(move |mut socket| async move {
        write_body(&mut socket, length, length, Duration::from_millis(60)).await
    })
    .await;
    let client = builder(&slow)
        .timeout(Duration::from_millis(200))
        .read_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let body = log_request().send_stream(&client).await.unwrap();
    assert_eq!(
        body.into_inner().collect(u64::MAX).await.unwrap().len() as u64,
        length
    );

    // One chunk, then silence while the connection stays open.
    let stalled = serve(move |mut socket| async move {
        write_body(&mut socket, length, CHUNK as u64, Duration::ZERO).await;
        // The connection stays open: only the read timeout can end the wait.
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(socket);
    })
    .await;
    let client = builder(&stalled)
        .read_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let mut body = log_request().send_stream(&client).await.unwrap();
    let mut received = 0;
    let failure = loop {
        match body.next().await {
            Some(Ok(chunk)) => received += chunk.len(),
            other => break other,
        }
    };
    assert_eq!(
        received, CHUNK,
        "everything sent arrives before the timeout"
    );
    match failure {
        Some(Err(Error::Transport { source, .. })) => assert!(source.is_timeout(), "{source}"),
        other => panic!("expected a read timeout, got {other:?}"),
    }
    assert!(
        body.next().await.is_none(),
        "the stream ends after its error"
    );
}

#[tokio::test]
async fn an_error_status_is_a_typed_error_not_a_stream() {
    let base = serve(|mut socket| async move {
        let body = r#"{"error":404,"errorCode":"CLUSTER_NOT_FOUND","detail":"No cluster."}"#;
        let response = format!(
            "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let _ = socket.write_all(response.as_bytes()).await;
    })
    .await;
    let client = builder(&base).build().unwrap();
    let error = log_request().send_stream(&client).await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(error.error_code(), Some("CLUSTER_NOT_FOUND"));
}
