//! Shared pieces of the runtime tests: a Digest server on the independent verifier's
//! pieces (`atlas_admin_tests::digest`), a raw loopback server, a counting
//! allocator for the memory tests, and small builders.

#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// A loopback server answering each connection with `respond`, after reading its
/// request head; returns its base URL.
pub async fn serve<F, Fut>(respond: F) -> String
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                if socket.read(&mut byte).await.unwrap_or(0) == 0 {
                    break;
                }
                head.push(byte[0]);
            }
            tokio::spawn(respond(socket));
        }
    });
    format!("http://{address}")
}

/// Counts the bytes a test binary holds on the heap and the most it held; install it
/// with `#[global_allocator] static A: support::Counting = support::Counting;`. A
/// reallocation counts both blocks until the move ends, as the allocator holds them.
pub struct Counting;

pub static HELD: AtomicUsize = AtomicUsize::new(0);
pub static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let held = HELD.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(held, Ordering::Relaxed);
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let held = HELD.fetch_add(new_size, Ordering::Relaxed) + new_size;
        PEAK.fetch_max(held, Ordering::Relaxed);
        let moved = System.realloc(ptr, layout, new_size);
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        moved
    }
}

pub use atlas_admin_tests::digest::{parse_digest, Algorithm, PASSWORD, REALM, USER};

/// A Digest server: challenges unauthenticated requests, verifies answers itself, checks
/// that `nc` increases for a reused nonce, and can mark the first reuse of a nonce stale.
pub struct DigestServer {
    pub algorithms: Vec<Algorithm>,
    pub password: String,
    pub requests: Arc<AtomicUsize>,
    pub stale_after: Option<usize>,
    /// Whether the rotation after `stale_after` says `stale=true` (servers may not).
    pub announce_stale: bool,
    /// Spell challenges as some servers do: `digest`, `algorithm="sha-256"`, extra
    /// parameters a strict parser rejects.
    pub loose_spelling: bool,
    /// The algorithm of every accepted answer.
    pub accepted_with: Arc<Mutex<Vec<Algorithm>>>,
    /// The body of every accepted request, as received.
    pub accepted_bodies: Arc<Mutex<Vec<Vec<u8>>>>,
    state: Mutex<ServerState>,
}

#[derive(Default)]
struct ServerState {
    nonce: u32,
    last_nc: u32,
    accepted: usize,
    stale_sent: bool,
}

impl DigestServer {
    pub fn new(algorithms: Vec<Algorithm>) -> Self {
        DigestServer {
            algorithms,
            password: PASSWORD.to_owned(),
            requests: Arc::new(AtomicUsize::new(0)),
            stale_after: None,
            announce_stale: true,
            loose_spelling: false,
            accepted_with: Arc::default(),
            accepted_bodies: Arc::default(),
            state: Mutex::new(ServerState::default()),
        }
    }

    fn challenge(&self, nonce: &str, stale: bool) -> ResponseTemplate {
        let mut response = ResponseTemplate::new(401).set_body_raw(
            r#"{"error":401,"errorCode":"NOT_AUTHORIZED","detail":"Digest authentication required.","reason":"Unauthorized","parameters":[]}"#,
            "application/json",
        );
        for algorithm in &self.algorithms {
            let stale = if stale { ", stale=true" } else { "" };
            let header = if self.loose_spelling {
                format!(
                    r#"digest realm="{REALM}", nonce="{nonce}", algorithm="{}", qop="auth,auth-conf", charset=utf-8, userhash=false, x-ext="1"{stale}"#,
                    algorithm.name().to_lowercase()
                )
            } else {
                format!(
                    r#"Digest realm="{REALM}", domain="", nonce="{nonce}", algorithm={}, qop="auth"{stale}"#,
                    algorithm.name()
                )
            };
            response = response.append_header("WWW-Authenticate", header);
        }
        response
    }
}

impl Respond for DigestServer {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let mut state = self.state.lock().unwrap();
        let nonce = format!("nonce-{}", state.nonce);
        let Some(header) = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
        else {
            return self.challenge(&nonce, false);
        };
        let fields = parse_digest(header);
        let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
        let algorithm = match get("algorithm").as_str() {
            "SHA-256" => Algorithm::Sha256,
            "MD5" | "" => Algorithm::Md5,
            _ => return ResponseTemplate::new(400),
        };
        if !self.algorithms.contains(&algorithm)
            || get("nonce") != nonce
            || get("realm") != REALM
            || get("qop") != "auth"
        {
            return self.challenge(&nonce, false);
        }
        let nc = u32::from_str_radix(&get("nc"), 16).unwrap_or(0);
        let uri = request.url.path().to_owned()
            + &request
                .url
                .query()
                .map(|q| format!("?{q}"))
                .unwrap_or_default();
        let ha1 = algorithm.hash(&format!("{}:{REALM}:{}", get("username"), self.password));
        let ha2 = algorithm.hash(&format!("{}:{uri}", request.method));
        let expected = algorithm.hash(&format!(
            "{ha1}:{nonce}:{}:{}:auth:{ha2}",
            get("nc"),
            get("cnonce")
        ));
        if get("username") != USER
            || get("uri") != uri
            || get("response") != expected
            || nc <= state.last_nc
        {
            return self.challenge(&nonce, false);
        }
        if let Some(after) = self.stale_after {
            if state.accepted == after && !state.stale_sent {
                state.stale_sent = true;
                state.nonce += 1;
                state.last_nc = 0;
                let fresh = format!("nonce-{}", state.nonce);
                return self.challenge(&fresh, self.announce_stale);
            }
        }
        state.last_nc = nc;
        state.accepted += 1;
        self.accepted_with.lock().unwrap().push(algorithm);
        self.accepted_bodies
            .lock()
            .unwrap()
            .push(request.body.clone());
        ResponseTemplate::new(200).set_body_raw(
            r#"{"results":[],"totalCount":0}"#,
            "application/vnd.atlas.2023-01-01+json",
        )
    }
}

/// What a mounted [`DigestServer`] reports: requests received, and the algorithm of every
/// accepted answer.
pub struct DigestCounters {
    pub requests: Arc<AtomicUsize>,
    pub accepted_with: Arc<Mutex<Vec<Algorithm>>>,
}

impl DigestCounters {
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    pub fn accepted_with(&self) -> Vec<Algorithm> {
        self.accepted_with.lock().unwrap().clone()
    }
}

/// Answer every GET on `server` with a Digest verifier offering `algorithms`.
pub async fn mount_digest(server: &MockServer, algorithms: Vec<Algorithm>) -> DigestCounters {
    let responder = DigestServer::new(algorithms);
    let counters = DigestCounters {
        requests: responder.requests.clone(),
        accepted_with: responder.accepted_with.clone(),
    };
    Mock::given(method("GET"))
        .respond_with(responder)
        .mount(server)
        .await;
    counters
}
