//! The client: base URL, credentials, timeouts, retries; sends any [`Operation`].

use std::sync::Arc;
use std::time::Duration;

use super::auth::digest::DigestState;
use super::auth::oauth::TokenCache;

use super::exchange::{Backend, Transport};
use super::url::Endpoint;
use super::{
    ByteStream, CallOptions, Credentials, Error, Operation, RawResponse, ResponseValue, RetryConfig,
};

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

/// Builds a [`Client`]. Its `Debug` shows no secret: credentials are redacted, and so is
/// the userinfo of the base and proxy URLs.
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: BaseUrl,
    credentials: Credentials,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    read_timeout: Duration,
    user_agent: String,
    proxy: Option<String>,
    proxy_from_env: bool,
    root_certificates: Vec<Vec<u8>>,
    backend: Option<Backend>,
    retry: RetryConfig,
    max_response_bytes: u64,
    max_pages: u32,
}

/// The default [`ClientBuilder::max_pages`]: 5,000,000 items at 500 per page.
pub const DEFAULT_MAX_PAGES: u32 = 10_000;

/// The default [`ClientBuilder::read_timeout`].
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);

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
            read_timeout: DEFAULT_READ_TIMEOUT,
            user_agent: concat!("atlas-admin-rust/", env!("CARGO_PKG_VERSION")).to_owned(),
            proxy: None,
            proxy_from_env: false,
            root_certificates: Vec::new(),
            backend: None,
            retry: RetryConfig::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_pages: DEFAULT_MAX_PAGES,
        }
    }
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let base_url = match &self.base_url {
            BaseUrl::Custom(url) => BaseUrl::Custom(super::url::redact(url)),
            other => other.clone(),
        };
        f.debug_struct("ClientBuilder")
            .field("base_url", &base_url)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("user_agent", &self.user_agent)
            .field("proxy", &self.proxy.as_deref().map(super::url::redact))
            .field("proxy_from_env", &self.proxy_from_env)
            .field("root_certificates", &self.root_certificates.len())
            .field("backend", &self.backend)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("max_pages", &self.max_pages)
            .finish()
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

    /// Total time for one HTTP exchange (default 60 s), also for the service-account
    /// token request; cut to what is left of
    /// [`RetryConfig::deadline`]. A streamed body (`send_stream`, `download_to`) is not
    /// bound by it: only the wait for its headers is, and then
    /// [`Self::read_timeout`] for each read.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The longest wait for the next bytes of a streamed body (default
    /// [`DEFAULT_READ_TIMEOUT`]): a download may take hours as long as data keeps coming.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Time to establish a connection (default 10 s). Ignored with [`Self::transport`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Send every request through this HTTP proxy (`http://host:port`, credentials in
    /// the URL if it needs them); `HTTPS` requests tunnel through it with `CONNECT`.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Also use the proxies the environment names (`HTTPS_PROXY`, `HTTP_PROXY`,
    /// `ALL_PROXY`, with `NO_PROXY`), as curl does. Off by default: a variable set for
    /// other programs would otherwise receive every request, and for a plain-`http`
    /// loopback base its `Authorization` header and body in clear. A loopback base
    /// never goes through an environment proxy. [`Self::proxy`] wins over both.
    pub fn proxy_from_env(mut self) -> Self {
        self.proxy_from_env = true;
        self
    }

    /// Also trust this root certificate (DER), beside the Mozilla roots the client
    /// ships with: a TLS-inspecting corporate proxy, or a test server.
    pub fn add_root_certificate_der(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(der.into());
        self
    }

    /// Send every exchange through `transport` instead of reqwest: a test double (see
    /// the `mock` module of the `test-util` feature) or another HTTP stack.
    /// Authentication, retries, timeouts and decoding stay the client's: an exchange the
    /// transport has not answered within [`Self::timeout`] (cut to the call's deadline)
    /// is dropped and is a timeout, whatever the transport does.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.backend = Some(Backend::Custom(std::sync::Arc::new(transport)));
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

    /// The most pages [`Client::pages`] and [`Client::paginate`] fetch for one stream
    /// (default [`DEFAULT_MAX_PAGES`]); more is [`Error::Pagination`].
    pub fn max_pages(mut self, limit: u32) -> Self {
        self.max_pages = limit;
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.resolve()?;
        let user_agent = http::HeaderValue::from_str(&self.user_agent)
            .map_err(|_| Error::Config("the user agent is not a valid header value".into()))?;
        let backend = match &self.backend {
            Some(backend) => backend.clone(),
            None => Backend::Reqwest(self.reqwest_client(base_url.is_loopback())?),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                token_url: base_url.fixed("/api/oauth/token"),
                endpoint: base_url,
                backend,
                credentials: self.credentials,
                user_agent,
                retry: self.retry,
                timeout: self.timeout,
                read_timeout: self.read_timeout,
                max_response_bytes: self.max_response_bytes,
                max_pages: self.max_pages,
                digest: DigestState::default(),
                tokens: TokenCache::default(),
            }),
            options: Arc::new(CallOptions::default()),
        })
    }
}

impl ClientBuilder {
    /// The default HTTP stack. Redirects are never followed: a followed 307 would resend
    /// the body (a database user's password) to another host. No client-wide timeout:
    /// each exchange sets its own, and a streamed body has none for the whole download.
    fn reqwest_client(&self, loopback: bool) -> Result<reqwest::Client, Error> {
        let config = |what: &str, e: &dyn std::fmt::Display| Error::Config(format!("{what}: {e}"));
        let mut builder = reqwest::Client::builder()
            .user_agent(self.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .tls_backend_preconfigured(super::tls::client_config(&self.root_certificates)?);
        if let Some(t) = self.connect_timeout {
            builder = builder.connect_timeout(t);
        }
        if let Some(url) = &self.proxy {
            let proxy = reqwest::Proxy::all(url)
                .map_err(|e| config(&format!("proxy URL `{}`", super::url::redact(url)), &e))?;
            builder = builder.proxy(proxy);
        } else if !self.proxy_from_env || loopback {
            // reqwest reads the environment's proxies unless told not to.
            builder = builder.no_proxy();
        }
        builder.build().map_err(|e| config("HTTP client", &e))
    }
}

/// An Atlas Administration API client. Cheap to clone; clones share connections, the
/// Digest nonce and the cached service-account token.
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
    /// What calls sent through this handle do differently (see [`Client::with_options`]).
    pub(super) options: Arc<CallOptions>,
}

/// What every clone of a client shares; `transport` sends with it.
pub(super) struct Inner {
    pub(super) endpoint: Endpoint,
    pub(super) token_url: reqwest::Url,
    pub(super) backend: Backend,
    pub(super) credentials: Credentials,
    pub(super) user_agent: http::HeaderValue,
    pub(super) retry: RetryConfig,
    /// Per attempt, whatever HTTP client is used (cut to the retry deadline).
    pub(super) timeout: Option<Duration>,
    pub(super) read_timeout: Duration,
    pub(super) max_response_bytes: u64,
    pub(super) max_pages: u32,
    pub(super) digest: DigestState,
    pub(super) tokens: TokenCache,
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
            .field("retry", self.retry_config())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// A variable of this process, unset when empty (as the Atlas CLI reads them).
pub(crate) fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
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

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment: a service account
    /// (`MONGODB_ATLAS_CLIENT_ID`/`MONGODB_ATLAS_CLIENT_SECRET`) or an API key
    /// (`MONGODB_ATLAS_PUBLIC_API_KEY`/`MONGODB_ATLAS_PRIVATE_API_KEY`), and
    /// `MONGODB_ATLAS_BASE_URL` (default: commercial Atlas).
    pub fn from_env() -> Result<Client, Error> {
        Self::builder_from(process_env)?.build()
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

    /// This client with other settings for the calls sent through what it returns: a
    /// timeout, a retry policy, extra headers. The result shares this client's
    /// connections, Digest nonce and service-account token (it is not a second client);
    /// options given again replace these, headers add to them.
    ///
    /// ```
    /// # use atlas_admin::runtime::{CallOptions, Client, RetryConfig};
    /// # use std::time::Duration;
    /// # fn demo(client: &Client) {
    /// let patient = client.with_options(
    ///     CallOptions::new()
    ///         .timeout(Duration::from_secs(300))
    ///         .retry(RetryConfig { max_retries: 0, ..RetryConfig::default() })
    ///         .header("X-Request-Id", "nightly-inventory"),
    /// );
    /// // e.g. `ListGroupClusters::builder().group_id(id).build()?.send(&patient).await?`
    /// # let _ = patient;
    /// # }
    /// ```
    pub fn with_options(&self, options: CallOptions) -> Client {
        let mut merged = (*self.options).clone();
        merged.timeout = options.timeout.or(merged.timeout);
        merged.retry = options.retry.or(merged.retry);
        merged.headers.extend(options.headers);
        Client {
            inner: self.inner.clone(),
            options: Arc::new(merged),
        }
    }

    /// The retry policy of calls sent through this handle.
    pub(super) fn retry_config(&self) -> &RetryConfig {
        self.options.retry.as_ref().unwrap_or(&self.inner.retry)
    }

    /// The per-exchange timeout of calls sent through this handle.
    pub(super) fn exchange_timeout(&self) -> Option<Duration> {
        self.options.timeout.or(self.inner.timeout)
    }

    /// The base URL requests go to, e.g. `https://cloud.mongodb.com`.
    pub fn base_url(&self) -> &str {
        self.inner.endpoint.as_str()
    }

    /// Send an operation and decode its response. Any 2xx decodes with the operation's
    /// documented success schema; anything else is [`Error::Api`].
    pub async fn execute<O: Operation>(&self, operation: &O) -> Result<O::Output, Error> {
        let raw = self.execute_raw(operation).await?;
        O::decode(raw)
    }

    /// [`Client::execute`], with the response's status, headers and retry count.
    pub async fn execute_with_metadata<O: Operation>(
        &self,
        operation: &O,
    ) -> Result<ResponseValue<O::Output>, Error> {
        let raw = self.execute_raw(operation).await?;
        let metadata = raw.metadata();
        Ok(ResponseValue::new(O::decode(raw)?, metadata))
    }

    /// Send an operation and ignore the body of its success response: what `send` does
    /// where the released crate returned `()` and a later document gave the response a
    /// body (README "Releasing", deprecate first). [`Client::execute`] decodes it.
    pub async fn execute_ignoring_body<O: Operation>(&self, operation: &O) -> Result<(), Error> {
        self.execute_raw(operation).await.map(drop)
    }

    /// [`Client::execute_ignoring_body`], with the response's status, headers and retry
    /// count.
    pub async fn execute_ignoring_body_with_metadata<O: Operation>(
        &self,
        operation: &O,
    ) -> Result<ResponseValue<()>, Error> {
        let raw = self.execute_raw(operation).await?;
        Ok(ResponseValue::new((), raw.metadata()))
    }

    /// Send an operation and return its body unread, as it arrives: a download of any
    /// size in constant memory, each read bounded by [`ClientBuilder::read_timeout`]
    /// rather than the whole body by [`ClientBuilder::timeout`];
    /// [`ClientBuilder::max_response_bytes`] does not apply. A non-success status is
    /// [`Error::Api`], as with [`Client::execute`].
    pub async fn execute_stream<O: Operation>(
        &self,
        operation: &O,
    ) -> Result<ResponseValue<ByteStream>, Error> {
        let request = self.admit(operation)?;
        let (raw, stream) = self.send_streaming(O::OPERATION_ID, &request).await?;
        if !(200..300).contains(&raw.status) {
            return Err(Error::api(O::OPERATION_ID, &raw));
        }
        let metadata = raw.metadata();
        let stream = stream.unwrap_or_else(|| ByteStream::from_bytes(O::OPERATION_ID, raw.body));
        Ok(ResponseValue::new(stream, metadata))
    }

    /// Send an operation; a non-success status is [`Error::Api`].
    async fn execute_raw<O: Operation>(&self, operation: &O) -> Result<RawResponse, Error> {
        let request = self.admit(operation)?;
        let raw = self.send(O::OPERATION_ID, &request).await?;
        if (200..300).contains(&raw.status) {
            Ok(raw)
        } else {
            Err(Error::api(O::OPERATION_ID, &raw))
        }
    }

    /// The request of `operation`, unless this client talks to Atlas for Government and
    /// the operation's limits rule it out ([`Error::NotInGovernment`], nothing sent).
    fn admit<O: Operation>(&self, operation: &O) -> Result<super::HttpRequest, Error> {
        let limits = O::GOVERNMENT_LIMITS;
        let government = !limits.is_empty() && self.inner.endpoint.is_government();
        if government {
            super::government::available(O::OPERATION_ID, limits)?;
        }
        let request = operation.to_request()?;
        if government {
            let template = O::PATH_TEMPLATE;
            super::government::admit(O::OPERATION_ID, template, limits, &request)?;
        }
        Ok(request)
    }
}
