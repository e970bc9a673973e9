//! One error type for every call: API errors, transport, decoding, input and setup.

use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use super::{ResponseMetadata, TransportError};

/// The error body Atlas sends with 4xx/5xx responses.
///
/// Every field is optional: Atlas documents `error` and `errorCode` as required, but the
/// client must still report an error whose body is partial or not JSON at all.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status code Atlas reports in the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<i64>,
    /// Application error code, e.g. `GROUP_NOT_FOUND`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// Human-readable explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// HTTP reason phrase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Values substituted into `detail`. The spec says objects; Atlas sends strings (and
    /// sometimes `null`, read as empty).
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub parameters: Vec<Value>,
    /// Field-level validation details for 400 responses
    /// (`#/components/schemas/BadRequestDetail`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bad_request_detail: Option<BadRequestDetail>,
    /// Every other member, kept verbatim: some operations document richer error bodies
    /// (resource-policy validation sends `errorType` and `invalidPolicies`).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, Value>,
}

/// Which fields of a request Atlas rejected (`#/components/schemas/BadRequestDetail`; the
/// runtime mirrors it because `ApiError` exists whatever features are enabled, and
/// `tests/tests/models.rs` checks the mirror against the spec).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[non_exhaustive]
pub struct BadRequestDetail {
    /// Every violation in the request.
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub fields: Vec<FieldViolation>,
}

/// One rejected request element (`#/components/schemas/FieldViolation`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[non_exhaustive]
pub struct FieldViolation {
    /// Why the element is bad.
    #[serde(default)]
    pub description: String,
    /// The path to the field in the request body.
    #[serde(default)]
    pub field: String,
}

fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

impl ApiError {
    /// The application error code, e.g. `CLUSTER_NOT_FOUND`.
    pub fn error_code(&self) -> Option<&str> {
        self.error_code.as_deref()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.error_code, &self.detail) {
            (Some(code), Some(detail)) => write!(f, "{code}: {detail}"),
            (Some(code), None) => f.write_str(code),
            (None, Some(detail)) => f.write_str(detail),
            (None, None) => f.write_str(self.reason.as_deref().unwrap_or("no error details")),
        }
    }
}

/// Everything a call can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Atlas answered with a non-success status.
    #[error("{operation}: Atlas answered HTTP {status}: {body}")]
    Api {
        operation: &'static str,
        status: u16,
        body: Box<ApiError>,
        /// The response's headers (`Retry-After`, rate limits) and how many retries it took.
        metadata: Box<ResponseMetadata>,
    },
    /// The request could not be sent or the response not received.
    #[error("{operation}: transport error: {source}")]
    Transport {
        operation: &'static str,
        #[source]
        source: TransportError,
    },
    /// A success response did not match the operation's model. The body is not kept: it
    /// may carry secrets (`createOrgApiKey` returns a private key).
    #[error("{operation}: cannot decode HTTP {status} response at `{path}`: {message}")]
    Decode {
        operation: &'static str,
        status: u16,
        /// JSON field path of the failure, e.g. `results[3].providerSettings.regionName`.
        path: String,
        message: String,
    },
    /// The response body exceeded [`crate::ClientBuilder::max_response_bytes`] (it was
    /// not read further), or its models would take more than `limit` bytes of memory
    /// once decoded (`max_response_bytes`, at least
    /// [`MIN_DECODED_BYTES`](crate::MIN_DECODED_BYTES); decoding stopped there).
    #[error("{operation}: response larger than {limit} bytes, on the wire or once decoded (see ClientBuilder::max_response_bytes)")]
    ResponseTooLarge { operation: &'static str, limit: u64 },
    /// A list could not be walked to its end: a page repeated, or there were more pages
    /// than [`crate::ClientBuilder::max_pages`].
    #[error("{operation}: pagination stopped: {message}")]
    Pagination {
        operation: &'static str,
        message: String,
    },
    /// A waiter gave up: it timed out, or the resource reached a failure state.
    #[error("{operation}: waiting failed: {message}")]
    Wait {
        operation: &'static str,
        message: String,
    },
    /// The operation (or this API version of it) is gone from the Atlas Admin API: the
    /// document of `document` dropped it, and the crate keeps it, deprecated, until its
    /// next major release. Nothing was sent.
    #[error("{operation}: removed from the Atlas Admin API in the {document} document; nothing was sent")]
    Removed {
        operation: &'static str,
        /// The date of the document that dropped it (`YYYY-MM-DD`).
        document: &'static str,
    },
    /// A client built for Atlas for Government refused a call that cannot work there
    /// (`spec/government.yaml` lists what it does not offer). Nothing was sent.
    #[error("{operation}: not available in Atlas for Government: {limit}{}; nothing was sent", field.as_ref().map(|f| format!(" ({f})")).unwrap_or_default())]
    NotInGovernment {
        operation: &'static str,
        /// What Atlas for Government does not offer.
        limit: &'static str,
        /// The refused value and where: `body /replicationSpecs/0/regionConfigs/0/providerName
        /// is "GCP"`, `path parameter cloudProvider is "AZURE"`; none when the whole
        /// operation is unavailable.
        field: Option<String>,
    },
    /// Writing a streamed body failed ([`crate::ByteStream::download_to`],
    /// [`crate::ByteStream::write_to`]).
    #[error("{operation}: writing the body{}: {source}", path.as_ref().map(|p| format!(" to {}", p.display())).unwrap_or_default())]
    Io {
        operation: &'static str,
        /// The file written, for `download_to`.
        path: Option<std::path::PathBuf>,
        #[source]
        source: std::io::Error,
    },
    /// A value given to a request builder cannot be sent.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The client configuration is unusable (missing variable, bad base URL).
    #[error("configuration: {0}")]
    Config(String),
    /// Authentication failed before Atlas could answer the call.
    #[error("authentication: {0}")]
    Auth(String),
}

impl Error {
    /// The decoded Atlas error, when Atlas answered with one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The HTTP status Atlas answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The Atlas application error code, e.g. `GROUP_NOT_FOUND`.
    pub fn error_code(&self) -> Option<&str> {
        self.api_error().and_then(ApiError::error_code)
    }

    /// Whether Atlas answered 404.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404) && matches!(self, Error::Api { .. })
    }

    /// Whether Atlas answered 401 (bad or expired credentials).
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401) && matches!(self, Error::Api { .. })
    }

    /// Whether Atlas rate-limited the call (429).
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(429) && matches!(self, Error::Api { .. })
    }

    /// How long Atlas asked to wait before trying again (`Retry-After` of a 429 or 503,
    /// seconds or an HTTP date), as a wait from now: [`ResponseMetadata::retry_after`].
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.metadata()?.retry_after()
    }

    /// `RateLimit-Limit` of the response Atlas answered with.
    pub fn rate_limit_limit(&self) -> Option<u64> {
        self.metadata()?.rate_limit_limit()
    }

    /// `RateLimit-Remaining` of the response Atlas answered with.
    pub fn rate_limit_remaining(&self) -> Option<u64> {
        self.metadata()?.rate_limit_remaining()
    }

    /// The status, headers and retry count of the response Atlas answered with.
    pub fn metadata(&self) -> Option<&ResponseMetadata> {
        match self {
            Error::Api { metadata, .. } => Some(metadata),
            _ => None,
        }
    }

    /// The non-success `raw` response of `operation` as [`Error::Api`].
    pub(crate) fn api(operation: &'static str, raw: &super::RawResponse) -> Self {
        Error::Api {
            operation,
            status: raw.status,
            body: Box::new(api_error(raw.status, &raw.body)),
            metadata: Box::new(raw.metadata()),
        }
    }
}

/// At most this many bytes of a body are kept in errors.
pub(crate) const EXCERPT_BYTES: usize = 256;

pub(crate) fn excerpt(body: &[u8]) -> String {
    let end = body.len().min(EXCERPT_BYTES);
    let mut text = String::from_utf8_lossy(body.get(..end).unwrap_or(body)).into_owned();
    if body.len() > end {
        text.push('…');
    }
    text
}

/// Error bodies longer than this are not decoded (Atlas sends a few hundred bytes): their
/// excerpt is kept, so a hostile error body costs no more memory than it took to read.
pub(crate) const MAX_DECODED_ERROR_BODY: usize = 64 << 10;

/// Decode an error body into `ApiError`, keeping whatever is there when it is not JSON.
pub(crate) fn api_error(status: u16, body: &[u8]) -> ApiError {
    let decoded = (body.len() <= MAX_DECODED_ERROR_BODY)
        .then(|| serde_json::from_slice::<ApiError>(body).ok())
        .flatten();
    decoded.unwrap_or_else(|| ApiError {
        error: Some(i64::from(status)),
        detail: (!body.is_empty()).then(|| excerpt(body)),
        ..ApiError::default()
    })
}
