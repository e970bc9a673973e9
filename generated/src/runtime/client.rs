//! The client: base URL, credentials, timeouts, retries; sends any [`Operation`].

use std::sync::Arc;
use std::time::Duration;

use tracing::Instrument;

use super::auth::digest::{best_challenge, Answer, DigestState};
use super::auth::oauth::TokenCache;

use super::error::api_error;
use super::retry::parse_retry_after;
use super::url::{request_target, Endpoint};
use super::{Credentials, Error, HttpRequest, Operation, RawResponse, RetryConfig};

/// Where the Atlas Administration API lives.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BaseUrl {
    /// `https://cloud.mongodb.com`
    Commercial,
    /// Atlas for Government: `https://cloud.mongodbgov.com`
    Government,
    /// Any other URL. Plain `http` is accepted only for loopback hosts (tests).
    Custom(String),
}

impl BaseUrl {
    pub const COMMERCIAL: &'static str = "https://cloud.mongodb.com";
    pub const GOVERNMENT: &'static str = "https://cloud.mongodbgov.com";

    fn resolve(&self) -> Result<Endpoint, Error> {
        Endpoint::parse(match self {
            BaseUrl::Commercial => Self::COMMERCIAL,
            BaseUrl::Government => Self::GOVERNMENT,
            BaseUrl::Custom(url) => url.as_str(),
        })
    }
}

/// Builds a [`Client`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: BaseUrl,
    credentials: Credentials,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: String,
    http: Option<reqwest::Client>,
    retry: RetryConfig,
    max_response_bytes: u64,
}

/// The default [`ClientBuilder::max_response_bytes`]: far above any JSON page Atlas sends,
/// low enough that a hostile or broken server cannot exhaust memory.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 256 << 20;

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: BaseUrl::Commercial,
            credentials: Credentials::None,
            timeout: Some(Duration::from_secs(60)),
            connect_timeout: Some(Duration::from_secs(10)),
            user_agent: concat!("atlas-admin-rust/", env!("CARGO_PKG_VERSION")).to_owned(),
            http: None,
            retry: RetryConfig::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}

impl ClientBuilder {
    /// The commercial Atlas API (the default).
    pub fn commercial(mut self) -> Self {
        self.base_url = BaseUrl::Commercial;
        self
    }

    /// Atlas for Government. Its API keys use Digest with SHA-256.
    pub fn government(mut self) -> Self {
        self.base_url = BaseUrl::Government;
        self
    }

    /// Any base URL (`https`, or `http` on a loopback host).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = BaseUrl::Custom(url.into());
        self
    }

    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// Total time for one HTTP exchange (default 60 s). Ignored with [`Self::http_client`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time to establish a connection (default 10 s). Ignored with [`Self::http_client`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Use a caller-configured `reqwest::Client` (proxies, TLS roots, pools). Configure it
    /// with `redirect(reqwest::redirect::Policy::none())` as the default client is: a
    /// followed 307 resends the body (a database user's password) to another host.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// The largest response body the client reads (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`]); a longer one is [`Error::ResponseTooLarge`] and is
    /// not read further.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.resolve()?;
        let http = match self.http {
            Some(http) => http,
            None => {
                // Redirects are never followed: see `http_client`.
                let mut builder = reqwest::Client::builder()
                    .user_agent(self.user_agent.clone())
                    .redirect(reqwest::redirect::Policy::none());
                if let Some(t) = self.timeout {
                    builder = builder.timeout(t);
                }
                if let Some(t) = self.connect_timeout {
                    builder = builder.connect_timeout(t);
                }
                builder
                    .build()
                    .map_err(|e| Error::Config(format!("HTTP client: {e}")))?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                token_url: base_url.fixed("/api/oauth/token"),
                endpoint: base_url,
                http,
                credentials: self.credentials,
                user_agent: self.user_agent,
                retry: self.retry,
                max_response_bytes: self.max_response_bytes,
                digest: DigestState::default(),
                tokens: TokenCache::default(),
            }),
        })
    }
}

/// An Atlas Administration API client. Cheap to clone; clones share connections, the
/// Digest nonce and the cached service-account token.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    endpoint: Endpoint,
    token_url: reqwest::Url,
    http: reqwest::Client,
    credentials: Credentials,
    user_agent: String,
    retry: RetryConfig,
    max_response_bytes: u64,
    digest: DigestState,
    tokens: TokenCache,
}

/// Lets generated `send` methods take `&Client` or `&Arc<Client>` alike.
impl AsRef<Client> for Client {
    fn as_ref(&self) -> &Client {
        self
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.endpoint.as_str())
            .field("credentials", &self.inner.credentials)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// Environment variables read by [`Client::from_env`] (the names the Atlas CLI uses).
pub mod env {
    pub const PUBLIC_API_KEY: &str = "MONGODB_ATLAS_PUBLIC_API_KEY";
    pub const PRIVATE_API_KEY: &str = "MONGODB_ATLAS_PRIVATE_API_KEY";
    pub const CLIENT_ID: &str = "MONGODB_ATLAS_CLIENT_ID";
    pub const CLIENT_SECRET: &str = "MONGODB_ATLAS_CLIENT_SECRET";
    /// Base URL, e.g. `https://cloud.mongodbgov.com/` for Atlas for Government.
    pub const BASE_URL: &str = "MONGODB_ATLAS_BASE_URL";
    /// The Atlas CLI's name for the base URL; read when `BASE_URL` is unset.
    pub const OPS_MANAGER_URL: &str = "MONGODB_ATLAS_OPS_MANAGER_URL";
}

/// How taking the first Digest challenge ended.
enum Primed {
    /// This task sent the call (answered, or the server needed no answer).
    Answered(Received),
    /// Another task took the challenge meanwhile: answer with the shared nonce.
    Ready,
}

/// Parts of a response the client itself needs besides the body.
struct Received {
    raw: RawResponse,
    challenges: Vec<String>,
    retry_after: Option<Duration>,
}

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment: a service account
    /// (`MONGODB_ATLAS_CLIENT_ID`/`MONGODB_ATLAS_CLIENT_SECRET`) or an API key
    /// (`MONGODB_ATLAS_PUBLIC_API_KEY`/`MONGODB_ATLAS_PRIVATE_API_KEY`), and
    /// `MONGODB_ATLAS_BASE_URL` (default: commercial Atlas).
    pub fn from_env() -> Result<Client, Error> {
        Self::builder_from(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))?.build()
    }

    /// [`Client::from_env`] over any variable lookup (for tests and custom sources).
    pub fn builder_from(lookup: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder, Error> {
        let pair = |a: &str, b: &str| match (lookup(a), lookup(b)) {
            (Some(x), Some(y)) => Ok(Some((x, y))),
            (None, None) => Ok(None),
            (Some(_), None) => Err(Error::Config(format!("{a} is set but {b} is missing"))),
            (None, Some(_)) => Err(Error::Config(format!("{b} is set but {a} is missing"))),
        };
        let credentials = match (
            pair(env::CLIENT_ID, env::CLIENT_SECRET)?,
            pair(env::PUBLIC_API_KEY, env::PRIVATE_API_KEY)?,
        ) {
            (Some((id, secret)), _) => Credentials::service_account(id, secret),
            (None, Some((public, private))) => Credentials::api_key(public, private),
            (None, None) => {
                return Err(Error::Config(format!(
                    "no credentials: set {} and {}, or {} and {}",
                    env::CLIENT_ID,
                    env::CLIENT_SECRET,
                    env::PUBLIC_API_KEY,
                    env::PRIVATE_API_KEY
                )))
            }
        };
        let mut builder = Client::builder().credentials(credentials);
        if let Some(url) = lookup(env::BASE_URL).or_else(|| lookup(env::OPS_MANAGER_URL)) {
            builder = builder.base_url(url);
        }
        Ok(builder)
    }

    /// The base URL requests go to, e.g. `https://cloud.mongodb.com`.
    pub fn base_url(&self) -> &str {
        self.inner.endpoint.as_str()
    }

    /// Send an operation and decode its response. Any 2xx decodes with the operation's
    /// documented success schema; anything else is [`Error::Api`].
    pub async fn execute<O: Operation>(&self, operation: &O) -> Result<O::Output, Error> {
        let request = operation.to_request()?;
        let raw = self.send(O::OPERATION_ID, &request).await?;
        if (200..300).contains(&raw.status) {
            O::decode(raw)
        } else {
            Err(Error::Api {
                operation: O::OPERATION_ID,
                status: raw.status,
                body: Box::new(api_error(raw.status, &raw.body)),
            })
        }
    }

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
        let span = tracing::debug_span!("atlas_request", operation, method = %request.method, path = %request.path);
        async {
            let url = self.inner.endpoint.request_url(request)?;
            let retry = &self.inner.retry;
            let mut attempt = 0;
            loop {
                let result = self.send_authenticated(operation, request, &url).await;
                let (retryable, retry_after) = match &result {
                    Ok(r) => (matches!(r.raw.status, 429 | 503), r.retry_after),
                    Err(Error::Transport { source, .. }) => {
                        (source.is_connect() || source.is_timeout(), None)
                    }
                    Err(_) => (false, None),
                };
                if !retryable || attempt >= retry.max_retries || !retry.allows(&request.method) {
                    return result.map(|r| r.raw);
                }
                let delay = retry.delay(attempt, retry_after);
                tracing::debug!(attempt, ?delay, "retrying");
                tokio::time::sleep(delay).await;
                attempt += 1;
            }
        }
        .instrument(span)
        .await
    }

    async fn send_authenticated(
        &self,
        operation: &'static str,
        request: &HttpRequest,
        url: &reqwest::Url,
    ) -> Result<Received, Error> {
        let inner = &self.inner;
        match &inner.credentials {
            Credentials::None => self.send_once(operation, request, url, None).await,
            Credentials::ApiKey {
                public_key,
                private_key,
            } => {
                let answer = Answer {
                    username: public_key,
                    password: private_key.expose(),
                    request,
                    target: request_target(url),
                };
                self.send_digest(operation, &answer, url).await
            }
            Credentials::ServiceAccount {
                client_id,
                client_secret,
            } => {
                let token = inner
                    .tokens
                    .token(&inner.http, &inner.token_url, client_id, client_secret)
                    .await?;
                let received = self
                    .send_once(
                        operation,
                        request,
                        url,
                        Some(format!("Bearer {}", token.expose())),
                    )
                    .await?;
                if received.raw.status != 401 {
                    return Ok(received);
                }
                // The token may have been revoked or expired early: refresh once.
                inner.tokens.invalidate(&token).await;
                let token = inner
                    .tokens
                    .token(&inner.http, &inner.token_url, client_id, client_secret)
                    .await?;
                self.send_once(
                    operation,
                    request,
                    url,
                    Some(format!("Bearer {}", token.expose())),
                )
                .await
            }
        }
    }

    /// One Digest call: answer with the shared nonce (taking the first challenge if there
    /// is none), and when that answer is rejected, retry once on the fresh challenge.
    async fn send_digest(
        &self,
        operation: &'static str,
        answer: &Answer<'_>,
        url: &reqwest::Url,
    ) -> Result<Received, Error> {
        let digest = &self.inner.digest;
        let (received, used) = match digest.answer(answer)? {
            Some(signed) => {
                let received = self
                    .send_once(operation, answer.request, url, Some(signed.header))
                    .await?;
                (received, Some(signed.nonce))
            }
            None => match self.prime_digest(operation, answer, url).await? {
                Primed::Answered(received) => return Ok(received),
                Primed::Ready => return Box::pin(self.send_digest(operation, answer, url)).await,
            },
        };
        if received.raw.status != 401 {
            return Ok(received);
        }
        let Some(mut fresh) = best_challenge(received.challenges.iter().map(String::as_str))?
        else {
            return Ok(received);
        };
        let rejected = used.unwrap_or_default();
        if fresh.nonce == rejected {
            // The same nonce again: a wrong key, or an `nc` the server saw out of order.
            // The shared counter moves on; one more answer decides.
            let Some(signed) = digest.answer(answer)? else {
                return Ok(received);
            };
            return self
                .send_once(operation, answer.request, url, Some(signed.header))
                .await;
        }
        // Stale, rotated, or a fresh nonce for an answer that was overtaken: answer this
        // challenge alone, then share it if it worked and nobody moved on already.
        let signed = DigestState::answer_privately(&mut fresh, answer)?;
        let retried = self
            .send_once(operation, answer.request, url, Some(signed.header))
            .await?;
        if retried.raw.status != 401 {
            digest.replace(&rejected, fresh);
        }
        Ok(retried)
    }

    /// No nonce yet: one task sends unauthenticated to take the challenge while the
    /// others wait for it.
    async fn prime_digest(
        &self,
        operation: &'static str,
        answer: &Answer<'_>,
        url: &reqwest::Url,
    ) -> Result<Primed, Error> {
        let digest = &self.inner.digest;
        let _priming = digest.priming.lock().await;
        if digest.nonce().is_some() {
            return Ok(Primed::Ready);
        }
        let received = self.send_once(operation, answer.request, url, None).await?;
        if received.raw.status != 401 {
            return Ok(Primed::Answered(received));
        }
        let Some(challenge) = best_challenge(received.challenges.iter().map(String::as_str))?
        else {
            return Ok(Primed::Answered(received));
        };
        digest.adopt(challenge);
        let Some(signed) = digest.answer(answer)? else {
            return Ok(Primed::Answered(received));
        };
        // The answer right after a fresh challenge decides: a 401 now is a wrong key.
        let answered = self
            .send_once(operation, answer.request, url, Some(signed.header))
            .await?;
        Ok(Primed::Answered(answered))
    }

    async fn send_once(
        &self,
        operation: &'static str,
        request: &HttpRequest,
        url: &reqwest::Url,
        authorization: Option<String>,
    ) -> Result<Received, Error> {
        let inner = &self.inner;
        let mut builder = inner
            .http
            .request(request.method.clone(), url.clone())
            .header(reqwest::header::ACCEPT, request.accept)
            .header(reqwest::header::USER_AGENT, inner.user_agent.as_str());
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if let Some(body) = &request.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, body.content_type)
                .body(body.bytes.clone());
        }
        if let Some(authorization) = authorization {
            let mut value =
                reqwest::header::HeaderValue::from_str(&authorization).map_err(|_| {
                    Error::Auth("credentials contain characters not allowed in a header".into())
                })?;
            value.set_sensitive(true);
            builder = builder.header(reqwest::header::AUTHORIZATION, value);
        }
        let transport = |source| Error::Transport { operation, source };
        let response = builder.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        let headers = response.headers();
        let content_type = headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let challenges = headers
            .get_all(reqwest::header::WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_owned)
            .collect();
        let retry_after = headers
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let body = read_body(response, inner.max_response_bytes, operation).await?;
        tracing::debug!(status, bytes = body.len(), "response");
        Ok(Received {
            raw: RawResponse {
                status,
                content_type,
                body,
            },
            challenges,
            retry_after,
        })
    }
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
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|source| Error::Transport { operation, source })?
    {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
