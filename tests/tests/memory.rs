//! What a response may cost in memory (README "Security"): a body that decodes into far
//! more than it weighs on the wire (`[{},{},…]`) stops at the decoding budget, and
//! reading a body never holds twice the limit while its buffer grows. A counting
//! allocator measures the heap; the tests take turns so one's peak is not another's.

mod support;

use std::sync::atomic::Ordering;
use std::time::Duration;

use atlas_admin::apis::clusters;
use atlas_admin::models::PaginatedClusterDescription20240805;
use atlas_admin::runtime::{HttpRequest, Method, RetryConfig};
use atlas_admin::{Client, Error, ObjectId};
use support::{HELD, PEAK};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[global_allocator]
static ALLOCATOR: support::Counting = support::Counting;

/// One test at a time: each measures the heap's peak over its own call.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const MIB: usize = 1 << 20;
const CLUSTERS_MEDIA: &str = "application/vnd.atlas.2024-08-05+json";

/// A server answering every request with `{"results":[{},{},…]}` of about `size` bytes,
/// written in pieces (it never holds the body), with or without `Content-Length`.
async fn empty_objects_server(size: usize, announce: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if socket.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let (open, close) = (&b"{\"results\":["[..], &b"{}]}"[..]);
                let elements = (size - open.len() - close.len()) / 3;
                let length = open.len() + 3 * elements + close.len();
                let framing = if announce {
                    format!("Content-Length: {length}\r\n")
                } else {
                    "Connection: close\r\n".to_owned()
                };
                let head =
                    format!("HTTP/1.1 200 OK\r\nContent-Type: {CLUSTERS_MEDIA}\r\n{framing}\r\n");
                let block = b"{},".repeat(MIB / 3);
                let mut sent = 0;
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(open).await;
                while sent < elements {
                    let n = (elements - sent).min(MIB / 3);
                    if socket.write_all(&block[..3 * n]).await.is_err() {
                        return;
                    }
                    sent += n;
                }
                let _ = socket.write_all(close).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    format!("http://{address}")
}

/// The most the heap held above where it was while `call` ran.
async fn peak_growth<T>(call: impl std::future::Future<Output = T>) -> (T, usize) {
    let before = HELD.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let value = call.await;
    (value, PEAK.load(Ordering::SeqCst).saturating_sub(before))
}

/// The error of a call that must be refused as too large (never the decoded page: its
/// `Debug` would be gigabytes).
fn refused(result: Result<PaginatedClusterDescription20240805, Error>) -> Error {
    match result {
        Ok(page) => panic!("decoded {} clusters", page.results.map_or(0, |r| r.len())),
        Err(error @ Error::ResponseTooLarge { .. }) => error,
        Err(other) => panic!("{other:?}"),
    }
}

fn list_clusters() -> clusters::ListGroupClusters {
    clusters::list_group_clusters("5e2211c17a3e5a48f5497de3".parse::<ObjectId>().unwrap())
}

/// Item 5, as measured from outside: 4 MiB of `{}`s with `max_response_bytes(4 MiB)`
/// took 1.2 GB; it stops at the decoding budget now.
#[tokio::test]
async fn four_mebibytes_of_empty_objects_stop_at_the_decoding_budget() {
    let _turn = TURN.lock().await;
    let base = empty_objects_server(4 * MIB, true).await;
    let client = Client::builder()
        .base_url(base)
        .max_response_bytes(4 * MIB as u64)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let (result, grew) = peak_growth(list_clusters().send(&client)).await;
    eprintln!(
        "4 MiB of empty objects: heap grew by {} MiB at most",
        grew / MIB
    );
    let error = refused(result);
    assert!(error.to_string().contains("once decoded"), "{error}");
    assert!(grew < 256 * MIB, "the heap grew by {} MiB", grew / MIB);
}

/// Item 5: 256 MiB of `{}`s at the default limit leaves the heap and the process's peak
/// RSS under 1 GB.
#[tokio::test]
async fn a_default_limit_body_of_empty_objects_stays_under_a_gigabyte() {
    let _turn = TURN.lock().await;
    let base = empty_objects_server(256 * MIB, true).await;
    let client = Client::builder()
        .base_url(base)
        .timeout(Duration::from_secs(120))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let (result, grew) = peak_growth(list_clusters().send(&client)).await;
    eprintln!(
        "256 MiB of empty objects: heap grew by {} MiB at most",
        grew / MIB
    );
    refused(result);
    assert!(grew < 1000 * MIB, "the heap grew by {} MiB", grew / MIB);
    if let Some(peak) = peak_rss() {
        eprintln!("peak RSS of the test process: {} MiB", peak / MIB);
        assert!(peak < 1000 * MIB, "peak RSS {} MiB", peak / MIB);
    }
}

/// `VmHWM` of this process, where the system reports it.
fn peak_rss() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Item 6: a body just under a limit that is not a power of two is read without the
/// buffer and its move ever holding twice the limit. Its announced length makes the
/// buffer start at 8 MiB, so a plain doubling would move 32 MiB into 64 MiB.
#[tokio::test]
async fn reading_a_body_never_holds_twice_the_limit() {
    let _turn = TURN.lock().await;
    let limit = 40 * MIB;
    let base = empty_objects_server(limit - 16, true).await;
    let client = Client::builder()
        .base_url(base)
        .max_response_bytes(limit as u64)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let request = HttpRequest::new(
        Method::GET,
        "/api/atlas/v2/groups/5e2211c17a3e5a48f5497de3/clusters".into(),
        CLUSTERS_MEDIA,
    );
    let (result, grew) = peak_growth(client.send("listGroupClusters", &request)).await;
    let raw = result.unwrap();
    assert!(raw.body.len() > limit - 64, "{} bytes", raw.body.len());
    eprintln!(
        "a {} MiB body under a {} MiB limit: heap grew by {} MiB at most (capacity {})",
        raw.body.len() / MIB,
        limit / MIB,
        grew / MIB,
        raw.body.capacity()
    );
    assert!(grew < 2 * limit, "the heap grew by {} MiB", grew / MIB);
}
