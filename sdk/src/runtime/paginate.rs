//! Every page of a list operation as a lazy stream, following the page token.

use super::error::Error;
use futures_core::Stream;
use futures_util::stream::{self, TryStreamExt};
use std::future::Future;

/// Implemented by the generated request builder of each paginated operation.
pub trait Paginated: Sized + Send {
    type Page: Send;
    type Item: Send;

    /// The same request, asking for the page after `token`.
    fn with_token(self, token: String) -> Self;
    /// Sends the request for one page.
    fn page(self) -> impl Future<Output = Result<Self::Page, Error>> + Send;
    /// The token of the next page, if any.
    fn next_token(page: &Self::Page) -> Option<&str>;
    fn into_items(page: Self::Page) -> Vec<Self::Item>;
}

/// Pages, one request each, fetched as the stream is polled. Ends after a page with no token,
/// an empty token, or the token it was asked with (a server bug that would loop forever).
pub fn pages<P: Paginated + Clone>(request: P) -> impl Stream<Item = Result<P::Page, Error>> {
    stream::try_unfold(Some((request, None::<String>)), |state| async move {
        let Some((request, asked_with)) = state else { return Ok(None) };
        let page = request.clone().page().await?;
        let next = P::next_token(&page)
            .filter(|token| !token.is_empty() && Some(*token) != asked_with.as_deref())
            .map(str::to_owned);
        let state = next.map(|token| (request.with_token(token.clone()), Some(token)));
        Ok(Some((page, state)))
    })
}

/// Every item of every page, in order.
pub fn items<P: Paginated + Clone>(request: P) -> impl Stream<Item = Result<P::Item, Error>> {
    pages(request).map_ok(|page| stream::iter(P::into_items(page).into_iter().map(Ok))).try_flatten()
}
