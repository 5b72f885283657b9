//! Every page of a list operation as a lazy stream, following the page token.

use super::error::Error;
use futures_core::Stream;
use futures_util::stream::{self, TryStreamExt};
use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;

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

/// Pages, one request each, fetched as the stream is polled. Ends after a page with no token or
/// an empty one. A token that comes back after it was followed would loop forever: the page that
/// brought it is yielded, then the stream ends with [`Error::Protocol`].
pub fn pages<P: Paginated + Clone + 'static>(request: P) -> BoxStream<'static, Result<P::Page, Error>> {
    enum State<P> {
        Next(P, HashSet<String>),
        Loop(String, usize),
        Done,
    }
    let pages = stream::try_unfold(State::Next(request, HashSet::new()), |state| async move {
        let (request, mut followed) = match state {
            State::Next(request, followed) => (request, followed),
            State::Loop(token, pages) => {
                return Err(Error::Protocol(format!(
                    "the page token {token:?} came back after {pages} pages; following it would loop"
                )))
            }
            State::Done => return Ok(None),
        };
        let page = request.clone().page().await?;
        let state = match P::next_token(&page).filter(|token| !token.is_empty()) {
            None => State::Done,
            Some(token) if followed.contains(token) => State::Loop(token.to_owned(), followed.len() + 1),
            Some(token) => {
                followed.insert(token.to_owned());
                State::Next(request.with_token(token.to_owned()), followed)
            }
        };
        Ok(Some((page, state)))
    });
    Box::pin(pages)
}

/// Every item of every page, in order.
pub fn items<P: Paginated + Clone + 'static>(request: P) -> BoxStream<'static, Result<P::Item, Error>> {
    Box::pin(pages(request).map_ok(|page| stream::iter(P::into_items(page).into_iter().map(Ok))).try_flatten())
}

/// A boxed stream: `Unpin`, so `while let Some(x) = stream.try_next().await?` needs no `pin!`,
/// and `Send`, so it can move to another task.
pub type BoxStream<'a, T> = Pin<Box<dyn Stream<Item = T> + Send + 'a>>;
