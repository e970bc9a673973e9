//! The loopback HTTP/1.1 server the calls go to (hyper, on a runtime of its own): each
//! route answers a recorded body, optionally behind the Digest tests' verifier, and
//! optionally holding every answer until a number of requests are in flight.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use atlas_admin_tests::digest::ReplayVerifier;
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::sync::watch;

/// One path and the recorded answer it gets.
pub struct Route {
    pub path: String,
    pub content_type: String,
    pub body: Bytes,
}

/// What the server checks and counts.
pub struct Behaviour {
    pub routes: Vec<Route>,
    pub digest: Option<Arc<ReplayVerifier>>,
    /// Hold every answer until this many requests arrived (calls in flight together).
    pub gate: Option<usize>,
}

pub struct Server {
    pub address: SocketAddr,
    pub requests: Arc<AtomicUsize>,
    _runtime: tokio::runtime::Runtime,
}

impl Server {
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }
}

struct Shared {
    behaviour: Behaviour,
    requests: Arc<AtomicUsize>,
    open: watch::Sender<bool>,
}

/// Start serving on 127.0.0.1 with one worker thread.
pub fn start(behaviour: Behaviour) -> Result<Server, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| format!("server runtime: {e}"))?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .map_err(|e| format!("bind: {e}"))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let requests = Arc::new(AtomicUsize::new(0));
    let shared = Arc::new(Shared {
        open: watch::Sender::new(behaviour.gate.is_none()),
        behaviour,
        requests: requests.clone(),
    });
    runtime.spawn(accept(listener, shared));
    Ok(Server {
        address,
        requests,
        _runtime: runtime,
    })
}

async fn accept(listener: tokio::net::TcpListener, shared: Arc<Shared>) {
    while let Ok((stream, _)) = listener.accept().await {
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let shared = shared.clone();
                async move { Ok::<_, std::convert::Infallible>(respond(&shared, request).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn respond(shared: &Shared, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let arrived = shared.requests.fetch_add(1, Ordering::SeqCst) + 1;
    if let Some(gate) = shared.behaviour.gate {
        if arrived >= gate {
            shared.open.send_replace(true);
        }
        let mut open = shared.open.subscribe();
        let _ = open.wait_for(|o| *o).await;
    }
    let uri = request.uri().path_and_query().map_or("", |p| p.as_str());
    if let Some(verifier) = &shared.behaviour.digest {
        let authorization = request
            .headers()
            .get(hyper::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        if let Err(challenge) = verifier.answer(request.method().as_str(), uri, authorization) {
            return answer(401, "application/json", Bytes::new(), Some(challenge));
        }
    }
    let path = request.uri().path();
    match shared.behaviour.routes.iter().find(|r| r.path == path) {
        Some(route) => answer(200, &route.content_type, route.body.clone(), None),
        None => answer(404, "application/json", Bytes::new(), None),
    }
}

fn answer(
    status: u16,
    content_type: &str,
    body: Bytes,
    challenge: Option<String>,
) -> Response<Full<Bytes>> {
    let mut builder = Response::builder()
        .status(status)
        .header(hyper::header::CONTENT_TYPE, content_type);
    if let Some(challenge) = challenge {
        builder = builder.header(hyper::header::WWW_AUTHENTICATE, challenge);
    }
    builder
        .body(Full::new(body))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}
