//! Walking every page of a list operation as a stream of items.
//!
//! The walk never truncates and never loops: it continues while fewer than `totalCount`
//! items were seen (a server may cap the page size below the one asked for), or, when no
//! total is reported (`includeCount=false`), until an empty page; it stops with
//! [`Error::Pagination`] when a page repeats one already seen (a server ignoring
//! `pageNum`), and when the page count passes [`crate::ClientBuilder::max_pages`].

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

use futures_core::Stream;
use futures_util::{stream, StreamExt, TryStreamExt};
use serde::Serialize;

use super::{Client, Error, Paginated};

/// The largest page Atlas serves.
pub const MAX_ITEMS_PER_PAGE: i64 = 500;

/// Where a walk is: the next page to ask for and what was seen so far.
struct Walk<O> {
    request: O,
    page: i64,
    pages: u32,
    seen: i64,
    /// Hashes of every page's JSON, to notice a page served twice.
    fingerprints: HashSet<u64>,
}

/// A page's identity for the repeat check; `None` if it cannot be serialized (models
/// always can), which skips the check for that page.
fn fingerprint<T: Serialize>(items: &[T]) -> Option<u64> {
    let mut hasher = DefaultHasher::new();
    serde_json::to_vec(items).ok()?.hash(&mut hasher);
    Some(hasher.finish())
}

impl<O: Paginated> Walk<O>
where
    O::Item: Serialize,
{
    /// Take one page: its items, and the walk's next state if there is more.
    fn advance(
        mut self,
        items: &[O::Item],
        total: Option<i64>,
        max_pages: u32,
    ) -> Result<Option<Self>, Error> {
        let fail = |message: String| Error::Pagination {
            operation: O::OPERATION_ID,
            message,
        };
        let repeated = fingerprint(items).is_some_and(|f| !self.fingerprints.insert(f));
        if !items.is_empty() && repeated {
            return Err(fail(format!("page {} repeats an earlier page", self.page)));
        }
        self.seen += items.len() as i64;
        self.pages += 1;
        // Without a total, a short page may only mean the server caps the page size:
        // only an empty page ends the list.
        let more = match total {
            Some(total) => !items.is_empty() && self.seen < total,
            None => !items.is_empty(),
        };
        if !more {
            return Ok(None);
        }
        if self.pages >= max_pages {
            return Err(fail(format!(
                "more than {max_pages} pages (ClientBuilder::max_pages)"
            )));
        }
        self.page = self
            .page
            .checked_add(1)
            .ok_or_else(|| fail(format!("page number {} is the last there is", self.page)))?;
        Ok(Some(self))
    }
}

impl Client {
    /// Every page of a list operation, starting at the request's page (or 1).
    ///
    /// Continues while fewer than `totalCount` items were seen (or, without a total,
    /// until an empty page); see the module docs for when it stops with an error.
    pub fn pages<O>(
        &self,
        request: O,
        items_per_page: i64,
    ) -> impl Stream<Item = Result<Vec<O::Item>, Error>> + Send + Unpin + 'static
    where
        O: Paginated + Send + Sync + 'static,
        O::Output: Send,
        O::Item: Send + Serialize,
    {
        let per_page = items_per_page.clamp(1, MAX_ITEMS_PER_PAGE);
        let first = request.page_number().unwrap_or(1);
        let max_pages = self.inner.max_pages;
        let client = self.clone();
        let start = Walk {
            request,
            page: first,
            pages: 0,
            seen: 0,
            fingerprints: HashSet::new(),
        };
        stream::try_unfold(Some(start), move |state| {
            let client = client.clone();
            async move {
                let Some(walk) = state else {
                    return Ok(None);
                };
                let output = client
                    .execute(&walk.request.with_page(walk.page, per_page))
                    .await?;
                let (items, total) = O::into_items(output);
                let next = walk.advance(&items, total, max_pages)?;
                Ok(Some((items, next)))
            }
        })
        .boxed()
    }

    /// Every item of every page of a list operation.
    pub fn paginate<O>(
        &self,
        request: O,
        items_per_page: i64,
    ) -> impl Stream<Item = Result<O::Item, Error>> + Send + Unpin + 'static
    where
        O: Paginated + Send + Sync + 'static,
        O::Output: Send,
        O::Item: Send + Serialize,
    {
        self.pages(request, items_per_page)
            .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}
