//! The contract between generated request types and the client.

use super::decode::Decode;
use super::{Error, HttpRequest, Method, RawResponse};

/// One (operation, API version) pair: how to build its request and decode its response.
pub trait Operation {
    /// What a successful call returns.
    type Output;
    /// How a success body becomes [`Self::Output`] (one of the types in [`super::decode`]).
    type Decoder: Decode<Output = Self::Output>;
    /// The spec's `operationId`.
    const OPERATION_ID: &'static str;
    const METHOD: Method;
    /// The spec path, e.g. `/api/atlas/v2/groups/{groupId}/clusters`.
    const PATH_TEMPLATE: &'static str;
    /// The exact versioned media type, e.g. `application/vnd.atlas.2024-08-05+json`.
    const ACCEPT: &'static str;
    /// What Atlas for Government does not offer for this operation: a government client
    /// refuses, before sending, a call these rule out (see [`super::government`]).
    const GOVERNMENT_LIMITS: &'static [super::GovernmentLimit] = &[];

    /// Build the HTTP request (no I/O).
    fn to_request(&self) -> Result<HttpRequest, Error>;

    /// Decode a success (2xx) response.
    ///
    /// Provided, not generated: a provided method is compiled for an operation only when
    /// something calls it, so a crate that calls ten operations compiles ten decoders, not
    /// six hundred.
    fn decode(response: RawResponse) -> Result<Self::Output, Error> {
        Self::Decoder::decode(Self::OPERATION_ID, response)
    }
}

/// A list operation whose response is a page of `results` with a `totalCount`.
pub trait Paginated: Operation + Clone {
    /// One element of `results`.
    type Item;

    /// This request for another page.
    fn with_page(&self, page_num: i64, items_per_page: i64) -> Self;

    /// The page this request asks for, when set.
    fn page_number(&self) -> Option<i64>;

    /// The items of a page and the total count Atlas reports.
    fn into_items(page: Self::Output) -> (Vec<Self::Item>, Option<i64>);
}
