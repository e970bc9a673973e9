//! Walking every page of a list operation as a stream of items.

use futures_core::Stream;
use futures_util::{stream, StreamExt, TryStreamExt};

use super::{Client, Error, Paginated};

/// The largest page Atlas serves.
pub const MAX_ITEMS_PER_PAGE: i32 = 500;

impl Client {
    /// Every page of a list operation, starting at the request's page (or 1).
    ///
    /// Stops after a short page, an empty page, or once `totalCount` items were seen.
    pub fn pages<O>(
        &self,
        request: O,
        items_per_page: i32,
    ) -> impl Stream<Item = Result<Vec<O::Item>, Error>> + Send + 'static
    where
        O: Paginated + Send + Sync + 'static,
        O::Output: Send,
        O::Item: Send,
    {
        let per_page = items_per_page.clamp(1, MAX_ITEMS_PER_PAGE);
        let first = request
            .page_number()
            .and_then(|p| i32::try_from(p).ok())
            .unwrap_or(1);
        let client = self.clone();
        stream::try_unfold(Some((request, first, 0i64)), move |state| {
            let client = client.clone();
            async move {
                let Some((request, page, seen)) = state else {
                    return Ok(None);
                };
                let output = client.execute(&request.with_page(page, per_page)).await?;
                let (items, total) = O::into_items(output);
                let seen = seen + items.len() as i64;
                let full = items.len() == per_page as usize;
                let more = full && total.is_none_or(|t| seen < t);
                Ok(Some((items, more.then_some((request, page + 1, seen)))))
            }
        })
    }

    /// Every item of every page of a list operation.
    pub fn paginate<O>(
        &self,
        request: O,
        items_per_page: i32,
    ) -> impl Stream<Item = Result<O::Item, Error>> + Send + 'static
    where
        O: Paginated + Send + Sync + 'static,
        O::Output: Send,
        O::Item: Send,
    {
        self.pages(request, items_per_page)
            .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}
