//! The transport seam: one HTTP exchange, as the client hands it to whatever sends it.
//!
//! reqwest sends by default. A [`Transport`] (the mock of the `test-util` feature, or a
//! custom HTTP stack) can answer instead; authentication, retries and decoding stay in
//! the client, so a call answered by a transport runs the same code as a real one.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderMap;

use super::{ByteStream, Error, Method};

/// One request as it goes on the wire.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Exchange {
    /// The spec's `operationId` (`oauthToken` for a service-account token request).
    pub operation: &'static str,
    pub method: Method,
    /// The absolute URL, e.g. `https://cloud.mongodb.com/api/atlas/v2/groups?pageNum=2`.
    pub url: url::Url,
    /// Every header the client sends: `Accept` (the exact versioned media type),
    /// `User-Agent`, `Content-Type` with a body, `Authorization` (marked sensitive) and
    /// the operation's header parameters.
    pub headers: HeaderMap,
    pub body: Option<Vec<u8>>,
    /// Time allowed for the whole exchange: the client's timeout, cut to what is left of
    /// the call's retry deadline.
    pub timeout: Duration,
}

impl Exchange {
    /// The API version the call asks for, from its `Accept` header: `2024-08-05`,
    /// `preview`, or `None` for a plain media type.
    pub fn api_version(&self) -> Option<&str> {
        api_version_of(self.headers.get(http::header::ACCEPT)?.to_str().ok()?)
    }
}

/// `2024-08-05` from `application/vnd.atlas.2024-08-05+json`.
pub(crate) fn api_version_of(accept: &str) -> Option<&str> {
    let rest = accept.strip_prefix("application/vnd.atlas.")?;
    rest.split_once('+').map(|(version, _)| version)
}

/// What came back from one exchange, whatever its status.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ExchangeResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl ExchangeResponse {
    pub fn new(status: u16, headers: HeaderMap, body: Vec<u8>) -> Self {
        ExchangeResponse {
            status,
            headers,
            body,
        }
    }
}

/// What [`Transport::exchange`] returns.
pub type TransportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<ExchangeResponse, TransportError>> + Send + 'a>>;

/// Something that sends one HTTP exchange: set it with
/// [`ClientBuilder::transport`](super::ClientBuilder::transport).
pub trait Transport: Send + Sync + fmt::Debug + 'static {
    fn exchange(&self, exchange: Exchange) -> TransportFuture<'_>;
}

/// How an exchange failed before a response arrived; retries depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection was made: the request did not reach the server (retried).
    Connect,
    /// The exchange took longer than its timeout; the request may have arrived.
    Timeout,
    /// The request cannot be sent as built; another attempt would fail the same way.
    Request,
    /// Anything else after the request may have been written (a dropped connection).
    Other,
}

/// Why no response arrived. The source is the transport's own error (a `reqwest::Error`
/// by default).
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl TransportError {
    pub fn new(
        kind: TransportErrorKind,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        TransportError {
            kind,
            source: source.into(),
        }
    }

    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }

    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }

    pub(crate) fn from_reqwest(error: reqwest::Error) -> Self {
        let kind = if error.is_connect() {
            TransportErrorKind::Connect
        } else if error.is_timeout() {
            TransportErrorKind::Timeout
        } else if error.is_builder() {
            TransportErrorKind::Request
        } else {
            TransportErrorKind::Other
        };
        TransportError::new(kind, error)
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.source, f)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// How a call wants its body: read into memory (bounded), or streamed when it succeeds.
#[derive(Debug, Clone, Copy)]
pub(crate) enum BodyMode {
    /// Read it all; a longer body than `limit` is [`Error::ResponseTooLarge`].
    Buffer { limit: u64 },
    /// A 2xx body is handed over unread, each read waiting at most `read_timeout`; any
    /// other status is read like [`BodyMode::Buffer`] (an error body is small).
    Stream { limit: u64, read_timeout: Duration },
}

impl BodyMode {
    fn limit(self) -> u64 {
        match self {
            BodyMode::Buffer { limit } | BodyMode::Stream { limit, .. } => limit,
        }
    }

    /// The read timeout when a response of this status is streamed.
    fn streams(self, status: u16) -> Option<Duration> {
        match self {
            BodyMode::Stream { read_timeout, .. } if (200..300).contains(&status) => {
                Some(read_timeout)
            }
            _ => None,
        }
    }
}

/// One exchange's response: the body is in `response` unless it is `stream`.
pub(crate) struct Delivered {
    pub(crate) response: ExchangeResponse,
    pub(crate) stream: Option<ByteStream>,
}

/// What sends a client's exchanges: reqwest (no boxing on this path), or a transport.
#[derive(Clone, Debug)]
pub(crate) enum Backend {
    Reqwest(reqwest::Client),
    Custom(Arc<dyn Transport>),
}

impl Backend {
    /// Send one exchange and take its body as `mode` says.
    pub(crate) async fn exchange(
        &self,
        exchange: Exchange,
        mode: BodyMode,
    ) -> Result<Delivered, Error> {
        let operation = exchange.operation;
        match self {
            Backend::Reqwest(http) => reqwest_exchange(http, exchange, mode).await,
            Backend::Custom(transport) => {
                // A transport is bounded like reqwest: the exchange's timeout covers it.
                let timeout = exchange.timeout;
                let mut response = tokio::time::timeout(timeout, transport.exchange(exchange))
                    .await
                    .map_err(|_| timed_out(operation, timeout, "no response"))?
                    .map_err(|source| Error::Transport { operation, source })?;
                if mode.streams(response.status).is_some() {
                    // A transport answers whole bodies: stream the one it has.
                    let body = std::mem::take(&mut response.body);
                    let stream = Some(ByteStream::from_bytes(operation, body));
                    return Ok(Delivered { response, stream });
                }
                if response.body.len() as u64 > mode.limit() {
                    let limit = mode.limit();
                    return Err(Error::ResponseTooLarge { operation, limit });
                }
                Ok(Delivered {
                    response,
                    stream: None,
                })
            }
        }
    }
}

async fn reqwest_exchange(
    http: &reqwest::Client,
    exchange: Exchange,
    mode: BodyMode,
) -> Result<Delivered, Error> {
    let operation = exchange.operation;
    let transport = |source| Error::Transport { operation, source };
    let timeout = exchange.timeout;
    // One deadline for the headers and, unless a 2xx body is streamed, the whole body:
    // an error body that stalls ends with the exchange.
    let until = tokio::time::Instant::now()
        .checked_add(timeout)
        .unwrap_or_else(far_future);
    let mut builder = http
        .request(exchange.method, exchange.url)
        .headers(exchange.headers);
    if let Some(body) = exchange.body {
        builder = builder.body(body);
    }
    let response = tokio::time::timeout_at(until, builder.send())
        .await
        .map_err(|_| timed_out(operation, timeout, "no response headers"))?
        .map_err(|e| transport(TransportError::from_reqwest(e)))?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    if let Some(read_timeout) = mode.streams(status) {
        let stream = ByteStream::from_reqwest(operation, response, read_timeout);
        let response = ExchangeResponse::new(status, headers, Vec::new());
        let stream = Some(stream);
        return Ok(Delivered { response, stream });
    }
    let body = tokio::time::timeout_at(until, read_body(response, mode.limit(), operation))
        .await
        .map_err(|_| timed_out(operation, timeout, "the body did not arrive"))??;
    Ok(Delivered {
        response: ExchangeResponse::new(status, headers, body),
        stream: None,
    })
}

/// An exchange that passed its timeout.
fn timed_out(operation: &'static str, timeout: Duration, what: &str) -> Error {
    Error::Transport {
        operation,
        source: TransportError::new(
            TransportErrorKind::Timeout,
            format!("{what} within {timeout:?}"),
        ),
    }
}

/// A year from now: what a timeout too large to add to the clock means.
pub(crate) fn far_future() -> tokio::time::Instant {
    let now = tokio::time::Instant::now();
    now.checked_add(Duration::from_secs(365 * 24 * 3600))
        .unwrap_or(now)
}

/// The body, read chunk by chunk into one buffer, refused as soon as it exceeds `limit`
/// (before reading anything when the announced length already does).
async fn read_body(
    mut response: reqwest::Response,
    limit: u64,
    operation: &'static str,
) -> Result<Vec<u8>, Error> {
    let too_large = || Error::ResponseTooLarge { operation, limit };
    let announced = response.content_length();
    if announced.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    // Preallocate what was announced, but never trust it for more than 8 MiB.
    let capacity = announced.unwrap_or(0).min(8 << 20);
    let mut body = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    while let Some(chunk) = response.chunk().await.map_err(|source| Error::Transport {
        operation,
        source: TransportError::from_reqwest(source),
    })? {
        let needed = body.len() + chunk.len();
        if needed as u64 > limit {
            return Err(too_large());
        }
        grow_within(&mut body, needed, limit);
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Make room for `needed` bytes, doubling as `Vec` does but never past `limit`: the
/// buffer and the one it moves into hold less than twice the limit together, where a
/// plain doubling reaches three times (64 MiB moved into 128 MiB for a 65 MiB limit).
fn grow_within(body: &mut Vec<u8>, needed: usize, limit: u64) {
    if needed <= body.capacity() {
        return;
    }
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let target = body
        .capacity()
        .saturating_mul(2)
        .max(needed)
        .min(limit.max(needed));
    body.reserve_exact(target - body.len());
}
