//! The hand-written runtime under the generated operations, its own crate: the generated
//! crates depend on it and re-export it as `runtime` (`atlas_admin::runtime`), and the
//! generator never writes here.
//!
//! Generated code calls into this module; this module knows nothing of OpenAPI or of the
//! generated models.
//!
//! No response or caller value may panic the client: outside tests, `unwrap`, `expect`,
//! `panic!` and unchecked indexing are denied; each remaining `allow` states its
//! invariant.
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod atlas_cli;
mod auth;
pub(crate) mod budget;
mod client;
// `de`, `object` and `time` are public for the generated models only: hidden from the docs
// and not part of the API a user relies on.
#[doc(hidden)]
pub mod de;
pub mod decode;
mod error;
mod exchange;
pub mod government;
mod id;
mod metadata;
/// A mock transport for the tests of crates that call Atlas.
#[cfg(feature = "test-util")]
pub mod mock;
#[doc(hidden)]
pub mod object;
mod operation;
mod options;
mod paginate;
mod redacted;
mod request;
mod retry;
mod stream;
#[doc(hidden)]
pub mod time;
mod tls;
mod transport;
mod url;
pub mod wait;
pub mod write;

pub use atlas_cli::{AtlasCliConfig, AtlasCliProfile};
pub use auth::oauth::MIN_TOKEN_LIFETIME;
pub use auth::{Credentials, SecretString};
pub use budget::MIN_DECODED_BYTES;
pub use client::{
    BaseUrl, Client, ClientBuilder, DEFAULT_MAX_PAGES, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_READ_TIMEOUT,
};
pub use error::{ApiError, BadRequestDetail, Error, FieldViolation};
pub use exchange::{
    Exchange, ExchangeResponse, Transport, TransportError, TransportErrorKind, TransportFuture,
};
pub use government::GovernmentLimit;
pub use id::{InvalidObjectId, ObjectId};
pub use metadata::{ResponseMetadata, ResponseValue};
pub use operation::{Operation, Paginated};
pub use options::CallOptions;
pub use paginate::MAX_ITEMS_PER_PAGE;
pub use redacted::{IsSet, Redacted};
pub use request::{path_segment, HttpRequest, RawResponse};
pub use retry::RetryConfig;
pub use stream::ByteStream;
pub use wait::WaitConfig;
pub use write::Nullable;

/// HTTP method of an operation.
pub use ::http::Method;
/// Response and request headers.
pub use ::http::{HeaderMap, HeaderValue};

/// `format: date-time` fields: a UTC timestamp.
pub type DateTime = chrono::DateTime<chrono::Utc>;
/// `format: date` fields: a calendar date.
pub type Date = chrono::NaiveDate;
