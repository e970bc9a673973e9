//! Sending one request: retries within the deadline, authentication (Digest or a bearer
//! token), then one exchange through the client's backend (`exchange.rs`).

use std::time::{Duration, Instant};

use tracing::Instrument;

use http::{HeaderMap, HeaderName, HeaderValue};

use super::auth::digest::{best_challenge, Answer, Signed};
use super::auth::oauth::TokenSource;
use super::exchange::{BodyMode, Exchange};
use super::retry::{parse_retry_after, Attempt};
use super::url::request_target;
use super::{ByteStream, Client, Credentials, Error, HttpRequest, RawResponse};

/// `now + span`, or a year from now when that overflows (`Duration::MAX` means "none").
pub(crate) fn deadline_after(span: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(span)
        .or_else(|| now.checked_add(Duration::from_secs(365 * 24 * 3600)))
        .unwrap_or(now)
}

/// One call in flight: what every attempt of it shares.
struct Call<'a> {
    operation: &'static str,
    request: &'a HttpRequest,
    url: reqwest::Url,
    deadline: Instant,
    mode: BodyMode,
    /// The call options' extra headers, checked before anything is sent.
    extra_headers: Vec<(HeaderName, HeaderValue)>,
}

/// Parts of a response the client itself needs besides the body.
struct Received {
    /// The body is empty when it is `stream`.
    raw: RawResponse,
    stream: Option<ByteStream>,
    challenges: Vec<String>,
    retry_after: Option<Duration>,
}

/// How often a rejected Digest answer is answered again (see `reanswer_digest`).
const MAX_DIGEST_REANSWERS: usize = 3;

/// How taking the first Digest challenge ended.
enum Primed {
    /// This task sent the call and the server needed no answer (or gave no challenge).
    Answered(Box<Received>),
    /// This task answered the challenge it took, with this answer.
    Signed(Box<Received>, Signed),
    /// Another task took the challenge meanwhile: answer with the shared nonce.
    Ready,
}

impl Client {
    /// Send a prepared request with authentication and retries; any status is returned.
    ///
    /// `request.path` must be a plain absolute path (`/api/atlas/v2/...`): the scheme,
    /// host and port are always the base URL's, so a path such as `@host/x` or one with a
    /// `..` segment is [`Error::InvalidInput`] and nothing is sent.
    pub async fn send(
        &self,
        operation: &'static str,
        request: &HttpRequest,
    ) -> Result<RawResponse, Error> {
        let limit = self.inner.max_response_bytes;
        let mode = BodyMode::Buffer { limit };
        Ok(self.dispatch(operation, request, mode).await?.0)
    }

    /// [`Client::send`], with a 2xx body left unread as a stream (`raw.body` is then
    /// empty); other statuses are read whole, as errors are.
    pub(crate) async fn send_streaming(
        &self,
        operation: &'static str,
        request: &HttpRequest,
    ) -> Result<(RawResponse, Option<ByteStream>), Error> {
        let limit = self.inner.max_response_bytes;
        let read_timeout = self.inner.read_timeout;
        let mode = BodyMode::Stream {
            limit,
            read_timeout,
        };
        self.dispatch(operation, request, mode).await
    }

    async fn dispatch(
        &self,
        operation: &'static str,
        request: &HttpRequest,
        mode: BodyMode,
    ) -> Result<(RawResponse, Option<ByteStream>), Error> {
        let span = tracing::debug_span!("atlas_request", operation, method = %request.method, path = %request.path);
        async {
            let call = Call {
                operation,
                request,
                url: self.inner.endpoint.request_url(request)?,
                deadline: deadline_after(self.retry_config().deadline),
                mode,
                extra_headers: self.options.checked_headers()?,
            };
            let received = self.send_with_retries(&call).await?;
            Ok((received.raw, received.stream))
        }
        .instrument(span)
        .await
    }

    async fn send_with_retries(&self, call: &Call<'_>) -> Result<Received, Error> {
        let retry = self.retry_config();
        let mut attempt = 0;
        loop {
            let result = self.send_authenticated(call).await;
            let (outcome, retry_after) = match &result {
                Ok(r) => (Attempt::Status(r.raw.status), r.retry_after),
                Err(e) => (Attempt::of_error(e), None),
            };
            let counted = |mut received: Received| {
                received.raw.retries = attempt;
                received
            };
            if attempt >= retry.max_retries || !retry.retries(&call.request.method, outcome) {
                return result.map(counted);
            }
            let delay = retry.delay(attempt, retry_after);
            if deadline_after(delay) >= call.deadline {
                tracing::debug!(attempt, ?delay, "no retry: it would pass the deadline");
                return result.map(counted);
            }
            tracing::debug!(attempt, ?delay, ?outcome, "retrying");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    async fn send_authenticated(&self, call: &Call<'_>) -> Result<Received, Error> {
        let inner = &self.inner;
        match &inner.credentials {
            Credentials::None => self.send_once(call, None).await,
            Credentials::ApiKey {
                public_key,
                private_key,
            } => {
                let answer = Answer {
                    username: public_key,
                    password: private_key.expose(),
                    request: call.request,
                    target: request_target(&call.url),
                };
                self.send_digest(call, &answer).await
            }
            Credentials::ServiceAccount {
                client_id,
                client_secret,
            } => {
                let source = TokenSource {
                    backend: &inner.backend,
                    url: &inner.token_url,
                    client_id,
                    client_secret,
                    retry: self.retry_config(),
                    // Cut to what is left of this call's deadline, like every exchange.
                    timeout: self.exchange_timeout().unwrap_or(Duration::from_secs(60)),
                };
                let token = inner.tokens.token(&source, call.deadline).await?;
                let bearer = |t: &super::SecretString| Some(format!("Bearer {}", t.expose()));
                let received = self.send_once(call, bearer(&token)).await?;
                if received.raw.status != 401 {
                    return Ok(received);
                }
                // The token may have been revoked or expired early: refresh once.
                inner.tokens.invalidate(&token, call.deadline).await?;
                let token = inner.tokens.token(&source, call.deadline).await?;
                self.send_once(call, bearer(&token)).await
            }
        }
    }

    /// One Digest call: answer with the shared nonce (taking the first challenge if there
    /// is none), then recover from a rejection that was not the key's fault.
    async fn send_digest(&self, call: &Call<'_>, answer: &Answer<'_>) -> Result<Received, Error> {
        let digest = &self.inner.digest;
        let (received, signed) = match digest.answer(answer)? {
            Some(signed) => (
                self.send_once(call, Some(signed.header.clone())).await?,
                signed,
            ),
            None => match self.prime_digest(call, answer).await? {
                Primed::Answered(received) => return Ok(*received),
                Primed::Signed(received, signed) => (*received, signed),
                Primed::Ready => return Box::pin(self.send_digest(call, answer)).await,
            },
        };
        self.reanswer_digest(call, answer, received, signed).await
    }

    /// A 401 to a signed answer. When its challenge brings another nonce (stale, rotated,
    /// or fresh per challenge), or the same one while a later `nc` of it was signed (the
    /// answer may have been overtaken), answer that challenge with its nonce's next `nc`,
    /// one task at a time, within the deadline; a few times at most. The same nonce with
    /// nothing signed after it is a wrong key: the 401 is the answer.
    async fn reanswer_digest(
        &self,
        call: &Call<'_>,
        answer: &Answer<'_>,
        mut received: Received,
        mut last: Signed,
    ) -> Result<Received, Error> {
        let digest = &self.inner.digest;
        for _ in 0..MAX_DIGEST_REANSWERS {
            if received.raw.status != 401 {
                break;
            }
            let challenges = received.challenges.iter().map(String::as_str);
            let Some(mut fresh) = best_challenge(challenges)? else {
                break;
            };
            if fresh.nonce == last.nonce && !digest.overtakable(&last) {
                break;
            }
            let turn = tokio::time::timeout_at(call.deadline.into(), digest.recovering.lock());
            let Ok(_turn) = turn.await else {
                break;
            };
            digest.replace(&last.nonce, fresh.clone());
            let signed = digest.answer_to(&mut fresh, answer)?;
            received = self.send_once(call, Some(signed.header.clone())).await?;
            last = signed;
        }
        Ok(received)
    }

    /// No nonce yet: one task sends unauthenticated to take the challenge while the
    /// others wait for it (within their deadline). When a priming ended without a nonce
    /// (the server answered something else), waiters go ahead on their own instead of
    /// queueing behind each other.
    async fn prime_digest(&self, call: &Call<'_>, answer: &Answer<'_>) -> Result<Primed, Error> {
        let digest = &self.inner.digest;
        let attempts = digest.primings();
        let lock = tokio::time::timeout_at(call.deadline.into(), digest.priming.lock());
        let Ok(priming) = lock.await else {
            return Err(Error::Auth(
                "timed out waiting for another call to take the Digest challenge".into(),
            ));
        };
        if digest.nonce().is_some() {
            return Ok(Primed::Ready);
        }
        let guard = if digest.primings() != attempts {
            drop(priming);
            None
        } else {
            Some(priming)
        };
        let received = self.send_once(call, None).await;
        digest.primed();
        let received = received?;
        if received.raw.status != 401 {
            return Ok(Primed::Answered(Box::new(received)));
        }
        let Some(challenge) = best_challenge(received.challenges.iter().map(String::as_str))?
        else {
            return Ok(Primed::Answered(Box::new(received)));
        };
        digest.adopt(challenge);
        // Waiters can answer with the nonce now.
        drop(guard);
        let Some(signed) = digest.answer(answer)? else {
            return Ok(Primed::Answered(Box::new(received)));
        };
        let answered = self.send_once(call, Some(signed.header.clone())).await?;
        Ok(Primed::Signed(Box::new(answered), signed))
    }

    /// The client's (or the call's) timeout, cut to what is left of the call's deadline.
    fn attempt_timeout(&self, call: &Call<'_>) -> Duration {
        let left = call.deadline.saturating_duration_since(Instant::now());
        self.exchange_timeout().map_or(left, |t| t.min(left))
    }

    async fn send_once(
        &self,
        call: &Call<'_>,
        authorization: Option<String>,
    ) -> Result<Received, Error> {
        let inner = &self.inner;
        let exchange = Exchange {
            operation: call.operation,
            method: call.request.method.clone(),
            url: call.url.clone(),
            headers: request_headers(call, &inner.user_agent, authorization)?,
            body: call.request.body.as_ref().map(|b| b.bytes.clone()),
            timeout: self.attempt_timeout(call),
        };
        let delivered = inner.backend.exchange(exchange, call.mode).await?;
        let response = delivered.response;
        let headers = &response.headers;
        let challenges = headers
            .get_all(http::header::WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_owned)
            .collect();
        let retry_after = headers
            .get(http::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        tracing::debug!(
            status = response.status,
            bytes = response.body.len(),
            streamed = delivered.stream.is_some(),
            "response"
        );
        let mut raw = RawResponse::new(response.status, response.headers, response.body);
        raw.decoded_limit = super::budget::decoded_limit(inner.max_response_bytes);
        Ok(Received {
            raw,
            stream: delivered.stream,
            challenges,
            retry_after,
        })
    }
}

/// Headers a caller may not set: `Host` would send the request to another virtual host
/// than the base URL names, and the framing headers would let the body be read as more
/// than one request.
const RESERVED_HEADERS: [HeaderName; 4] = [
    http::header::HOST,
    http::header::CONTENT_LENGTH,
    http::header::TRANSFER_ENCODING,
    http::header::CONNECTION,
];

/// The headers of one attempt: the exact `Accept`, `User-Agent`, the body's media type,
/// the operation's header parameters, the call options' headers and the (sensitive)
/// `Authorization`.
fn request_headers(
    call: &Call<'_>,
    user_agent: &HeaderValue,
    authorization: Option<String>,
) -> Result<HeaderMap, Error> {
    let request = call.request;
    let value = |what: &str, text: &str| {
        HeaderValue::from_str(text)
            .map_err(|_| Error::InvalidInput(format!("{what} is not a valid header value")))
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        http::header::ACCEPT,
        value("the Accept media type", request.accept)?,
    );
    headers.insert(http::header::USER_AGENT, user_agent.clone());
    if let Some(body) = &request.body {
        headers.insert(
            http::header::CONTENT_TYPE,
            value("the body's media type", body.content_type)?,
        );
    }
    for (name, text) in &request.headers {
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::InvalidInput(format!("`{name}` is not a valid header name")))?;
        if RESERVED_HEADERS.contains(&header) {
            return Err(Error::InvalidInput(format!(
                "header `{name}` is the client's to set: Host comes from the base URL, the \
                 body's framing from the body"
            )));
        }
        headers.append(header, value(&format!("header parameter `{name}`"), text)?);
    }
    for (name, text) in &call.extra_headers {
        if name == http::header::USER_AGENT {
            headers.insert(name.clone(), text.clone());
        } else {
            headers.append(name.clone(), text.clone());
        }
    }
    if let Some(authorization) = authorization {
        let mut value = HeaderValue::from_str(&authorization).map_err(|_| {
            Error::Auth("credentials contain characters not allowed in a header".into())
        })?;
        value.set_sensitive(true);
        headers.insert(http::header::AUTHORIZATION, value);
    }
    Ok(headers)
}
