//! A mock transport for the tests of crates that call Atlas (feature `test-util`).
//!
//! It answers by operation (its `operationId`, and the API version when given), narrowed
//! by what the request holds (a path segment, a query parameter, the JSON body, or any
//! predicate), with typed values, raw bodies or recorded `.snaphost` responses, in
//! scripted sequences, and keeps a log of every request the client sent. An expectation
//! can say how often it must be called (`times`); [`MockTransport::verify`] then checks
//! every count and that no request went unanswered, naming each miss. Only the network is
//! replaced: the client still builds, checks, authenticates, retries and decodes as it
//! does against Atlas.
//!
//! ```
//! # async fn demo() -> Result<(), atlas_admin::Error> {
//! use atlas_admin::apis::projects;
//! use atlas_admin::runtime::mock::{MockResponse, MockTransport};
//!
//! let mock = MockTransport::new();
//! mock.on::<projects::ListGroups>()
//!     .respond(MockResponse::json(200, &serde_json::json!({"results": [], "totalCount": 0})));
//! let client = mock.builder().build()?;
//! let page = projects::list_groups().send(&client).await?;
//! assert_eq!(page.total_count, Some(0));
//! assert_eq!(mock.requests()[0].path, "/api/atlas/v2/groups");
//! # Ok(())
//! # }
//! ```

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use http::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;

use super::exchange::{
    api_version_of, Exchange, ExchangeResponse, Transport, TransportError, TransportErrorKind,
    TransportFuture,
};
use super::{Client, ClientBuilder, Error, Method, Operation};

/// A [`Transport`] that answers from a script. Clones share the script and the log.
#[derive(Debug, Clone, Default)]
pub struct MockTransport {
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    rules: Vec<Rule>,
    requests: Vec<RecordedRequest>,
    /// Requests no rule answered, with why each rule of their operation did not.
    unmatched: Vec<String>,
}

#[derive(Debug)]
struct Rule {
    operation: String,
    version: Option<String>,
    matchers: Vec<Matcher>,
    /// How many calls `times` expects.
    expected: Option<usize>,
    calls: usize,
    /// One per call; the last one answers every call after it.
    responses: VecDeque<MockResponse>,
}

/// A condition on a request, with the words a failure shows.
struct Matcher {
    described: String,
    test: Box<dyn Fn(&RecordedRequest) -> bool + Send + Sync>,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.described)
    }
}

impl Rule {
    fn name(&self) -> String {
        let version = self.version.as_deref().unwrap_or("any version");
        let mut name = format!("`{}` ({version})", self.operation);
        for matcher in &self.matchers {
            name.push_str(&format!(", {}", matcher.described));
        }
        name
    }

    fn accepts_operation(&self, request: &RecordedRequest) -> bool {
        self.operation == request.operation
            && (self.version.is_none() || self.version == request.version)
    }

    /// The first matcher `request` fails, if any.
    fn failed_matcher(&self, request: &RecordedRequest) -> Option<&Matcher> {
        self.matchers.iter().find(|m| !(m.test)(request))
    }
}

impl MockTransport {
    pub fn new() -> Self {
        Self::default()
    }

    /// A client builder that sends through this mock (commercial base URL, no
    /// credentials, default retries: a scripted 429 is retried as Atlas's would be).
    pub fn builder(&self) -> ClientBuilder {
        Client::builder().transport(self.clone())
    }

    /// Script the answers to one operation at its API version, e.g.
    /// `mock.on::<clusters::GetGroupCluster>()`.
    pub fn on<O: Operation>(&self) -> Expectation<'_> {
        Expectation {
            mock: self,
            operation: O::OPERATION_ID.to_owned(),
            version: api_version_of(O::ACCEPT).map(str::to_owned),
            matchers: Vec::new(),
            expected: None,
        }
    }

    /// Script the answers to an operation by its `operationId`, at any API version.
    pub fn on_operation(&self, operation_id: &str) -> Expectation<'_> {
        Expectation {
            mock: self,
            operation: operation_id.to_owned(),
            version: None,
            matchers: Vec::new(),
            expected: None,
        }
    }

    /// Every request sent so far, in order (retries and authentication rounds included).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    /// The requests sent for one `operationId`.
    pub fn requests_for(&self, operation_id: &str) -> Vec<RecordedRequest> {
        let state = self.lock();
        let sent = state.requests.iter();
        sent.filter(|r| r.operation == operation_id)
            .cloned()
            .collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A test that panicked while holding the lock left the script intact.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Every expectation given a `times` was called that often, and every request was
    /// answered: otherwise each miss, one per line.
    pub fn verify(&self) -> Result<(), String> {
        let state = self.lock();
        let mut misses: Vec<String> = state
            .rules
            .iter()
            .filter_map(|rule| {
                let expected = rule.expected?;
                (rule.calls != expected).then(|| {
                    format!(
                        "{} was expected {expected} time(s) and called {}",
                        rule.name(),
                        rule.calls
                    )
                })
            })
            .collect();
        misses.extend(state.unmatched.iter().cloned());
        if misses.is_empty() {
            Ok(())
        } else {
            Err(misses.join("\n"))
        }
    }

    fn answer(&self, exchange: Exchange) -> Result<ExchangeResponse, TransportError> {
        let request = RecordedRequest::of(exchange);
        let mut state = self.lock();
        state.requests.push(request.clone());
        let found = state.rules.iter().rposition(|rule| {
            rule.accepts_operation(&request) && rule.failed_matcher(&request).is_none()
        });
        let Some(rule) = found.and_then(|i| state.rules.get_mut(i)) else {
            let message = unmatched_message(&state.rules, &request);
            state.unmatched.push(message.clone());
            return Err(TransportError::new(TransportErrorKind::Request, message));
        };
        rule.calls += 1;
        let response = if rule.responses.len() > 1 {
            rule.responses.pop_front()
        } else {
            rule.responses.front().cloned()
        };
        drop(state);
        match response {
            Some(response) => response.into_exchange_response(),
            None => Err(TransportError::new(
                TransportErrorKind::Request,
                format!(
                    "mock: an empty sequence was scripted for `{}`",
                    request.operation
                ),
            )),
        }
    }
}

/// Why no rule answered `request`: the request, then each rule of its operation with the
/// condition it failed.
fn unmatched_message(rules: &[Rule], request: &RecordedRequest) -> String {
    let version = request.version.as_deref().unwrap_or("unversioned");
    let mut message = format!(
        "mock: no response scripted for `{}` (API version {version}): {} {}",
        request.operation, request.method, request.path
    );
    if !request.query.is_empty() {
        let query: Vec<String> = request
            .query
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        message.push_str(&format!("?{}", query.join("&")));
    }
    for rule in rules.iter().filter(|r| r.operation == request.operation) {
        let why = if !rule.accepts_operation(request) {
            "another API version".to_owned()
        } else {
            rule.failed_matcher(request)
                .map_or_else(String::new, |m| format!("not {}", m.described))
        };
        message.push_str(&format!("; {} did not match: {why}", rule.name()));
    }
    message
}

impl Transport for MockTransport {
    fn exchange(&self, exchange: Exchange) -> TransportFuture<'_> {
        Box::pin(std::future::ready(self.answer(exchange)))
    }
}

/// The answers being scripted for one operation; nothing is scripted until `respond`.
/// The conditions narrow which of its requests it answers; of the expectations that
/// accept a request, the one scripted last answers it.
#[must_use = "nothing is scripted until `respond` or `respond_in_order`"]
pub struct Expectation<'a> {
    mock: &'a MockTransport,
    operation: String,
    version: Option<String>,
    matchers: Vec<Matcher>,
    expected: Option<usize>,
}

impl Expectation<'_> {
    /// Only requests whose path has this segment, e.g. a cluster's name or a group id
    /// (compared as sent, percent-encoded).
    pub fn path_segment(self, segment: &str) -> Self {
        let wanted = segment.to_owned();
        self.when(format!("path segment `{segment}`"), move |r| {
            r.path.split('/').any(|s| s == wanted)
        })
    }

    /// Only requests with this query parameter value (decoded).
    pub fn query(self, name: &str, value: &str) -> Self {
        let (key, wanted) = (name.to_owned(), value.to_owned());
        self.when(format!("query `{name}={value}`"), move |r| {
            r.query.iter().any(|(k, v)| *k == key && *v == wanted)
        })
    }

    /// Only requests whose body is this JSON value (a typed write model or any
    /// `Serialize`), compared as JSON, so key order and spacing do not matter.
    pub fn json_body(self, value: &impl Serialize) -> Self {
        let wanted = serde_json::to_value(value).ok();
        let shown = wanted
            .as_ref()
            .map_or_else(|| "an unserializable value".to_owned(), ToString::to_string);
        self.when(format!("body {shown}"), move |r| {
            wanted.is_some() && r.json() == wanted
        })
    }

    /// Only requests `predicate` accepts; `described` names it in failures.
    pub fn when(
        mut self,
        described: impl Into<String>,
        predicate: impl Fn(&RecordedRequest) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.matchers.push(Matcher {
            described: described.into(),
            test: Box::new(predicate),
        });
        self
    }

    /// Expect exactly `n` calls; [`MockTransport::verify`] checks it.
    pub fn times(mut self, n: usize) -> Self {
        self.expected = Some(n);
        self
    }

    /// Answer every call with `response`. A later script for the same requests wins.
    pub fn respond(self, response: MockResponse) {
        self.respond_in_order([response]);
    }

    /// Answer one call with each response in turn (`CREATING`, `CREATING`, `IDLE`); the
    /// last answers every call after it.
    pub fn respond_in_order(self, responses: impl IntoIterator<Item = MockResponse>) {
        let rule = Rule {
            operation: self.operation,
            version: self.version,
            matchers: self.matchers,
            expected: self.expected,
            calls: 0,
            responses: responses.into_iter().collect(),
        };
        self.mock.lock().rules.push(rule);
    }
}

/// One scripted answer: a status, headers and a body, or a failed connection.
#[derive(Debug, Clone, PartialEq)]
pub struct MockResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    fails: Option<TransportErrorKind>,
}

impl MockResponse {
    /// A JSON body: a typed model (`models::ClusterDescription20240805 { .. }`) or any
    /// `Serialize` value. A value that cannot be serialized answers 500 saying so.
    pub fn json(status: u16, value: &impl Serialize) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Self::body(status, "application/json", body),
            Err(e) => Self::body(
                500,
                "text/plain",
                format!("mock: the scripted value cannot be serialized: {e}"),
            ),
        }
    }

    /// A status with no body (`204`, or a `404` after a delete).
    pub fn status(status: u16) -> Self {
        MockResponse {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            fails: None,
        }
    }

    /// Any body with its media type (`text/csv`, `application/gzip`, ...).
    pub fn body(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self::status(status)
            .header("content-type", content_type)
            .with_body(body)
    }

    /// No response: the connection is refused (a retried, unsent request).
    pub fn connection_refused() -> Self {
        MockResponse {
            fails: Some(TransportErrorKind::Connect),
            ..Self::status(0)
        }
    }

    /// Add a header, e.g. `Retry-After` or `RateLimit-Remaining`. A name or value that
    /// is not valid HTTP fails the call that receives it, naming the header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Replace the body.
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// A recorded response: status line, headers, a blank line, the body.
    pub fn from_snaphost(text: &[u8]) -> Result<Self, Error> {
        let bad = |what: String| Error::InvalidInput(format!("snaphost: {what}"));
        let (head, body) =
            split_head(text).ok_or_else(|| bad("no blank line after the headers".into()))?;
        let head = std::str::from_utf8(head).map_err(|_| bad("headers are not UTF-8".into()))?;
        let mut lines = head.lines();
        let status_line = lines.next().unwrap_or_default();
        let status = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse::<u16>().ok())
            .ok_or_else(|| bad(format!("line 1 is not a status line: `{status_line}`")))?;
        let mut response = Self::status(status).with_body(body);
        for (number, line) in lines.enumerate() {
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| bad(format!("line {} is not a header: `{line}`", number + 2)))?;
            response = response.header(name.trim(), value.trim());
        }
        Ok(response)
    }

    /// [`MockResponse::from_snaphost`] of a file; errors name the file.
    pub fn from_snaphost_file(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let text =
            std::fs::read(path).map_err(|e| Error::Config(format!("{}: {e}", path.display())))?;
        Self::from_snaphost(&text).map_err(|e| Error::Config(format!("{}: {e}", path.display())))
    }

    fn into_exchange_response(self) -> Result<ExchangeResponse, TransportError> {
        if let Some(kind) = self.fails {
            return Err(TransportError::new(kind, "mock: connection refused"));
        }
        let mut headers = HeaderMap::new();
        for (name, value) in &self.headers {
            let invalid = || {
                TransportError::new(
                    TransportErrorKind::Request,
                    format!("mock: `{name}: {value}` is not a valid header"),
                )
            };
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
            let value = HeaderValue::from_str(value).map_err(|_| invalid())?;
            headers.append(name, value);
        }
        Ok(ExchangeResponse::new(self.status, headers, self.body))
    }
}

/// The headers and the body of a recording, split at the first blank line.
fn split_head(text: &[u8]) -> Option<(&[u8], &[u8])> {
    for (separator, skip) in [(&b"\r\n\r\n"[..], 4), (&b"\n\n"[..], 2)] {
        if let Some(at) = text.windows(separator.len()).position(|w| w == separator) {
            return Some((text.get(..at)?, text.get(at + skip..)?));
        }
    }
    None
}

/// One request the client sent through the mock.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The `operationId` (`oauthToken` for a service-account token request).
    pub operation: &'static str,
    /// The API version from `Accept`, e.g. `2024-08-05`.
    pub version: Option<String>,
    pub method: Method,
    /// The path as sent (percent-encoded), e.g. `/api/atlas/v2/groups/5e../clusters`.
    pub path: String,
    /// Query parameters, decoded, in order.
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Option<Vec<u8>>,
}

impl RecordedRequest {
    fn of(exchange: Exchange) -> Self {
        RecordedRequest {
            operation: exchange.operation,
            version: exchange.api_version().map(str::to_owned),
            path: exchange.url.path().to_owned(),
            query: exchange.url.query_pairs().into_owned().collect(),
            method: exchange.method,
            headers: exchange.headers,
            body: exchange.body,
        }
    }

    /// The body as JSON, when there is one and it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(self.body.as_deref()?).ok()
    }

    /// The first value of a query parameter.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        let (_, value) = self.query.iter().find(|(k, _)| k == name)?;
        Some(value)
    }

    /// A header's value, when present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snaphost_parses_status_headers_and_body() {
        let text = b"HTTP/2.0 404 Not Found\nContent-Type: application/json\nRatelimit-Remaining: 9\n\n{\"errorCode\":\"X\"}";
        let response = MockResponse::from_snaphost(text).unwrap();
        let exchanged = response.into_exchange_response().unwrap();
        assert_eq!(exchanged.status, 404);
        assert_eq!(exchanged.headers["ratelimit-remaining"], "9");
        assert_eq!(exchanged.body, b"{\"errorCode\":\"X\"}");
    }

    #[test]
    fn malformed_snaphost_names_the_line() {
        let err = MockResponse::from_snaphost(b"HTTP/2.0 200 OK\nno colon\n\n{}").unwrap_err();
        assert!(err.to_string().contains("line 2 is not a header"), "{err}");
        let err = MockResponse::from_snaphost(b"garbage\n\n").unwrap_err();
        assert!(
            err.to_string().contains("line 1 is not a status line"),
            "{err}"
        );
        let err = MockResponse::from_snaphost(b"HTTP/2.0 200 OK").unwrap_err();
        assert!(err.to_string().contains("no blank line"), "{err}");
    }
}
