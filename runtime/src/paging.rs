//! Paging through a collection: the first page from a request, each next one from its
//! `@odata.nextLink`, as [`Pages`] or, flattened, as [`Items`]. Both own a clone of the client, so
//! they are `Send + 'static` and can be moved into a spawned task.

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::client::{Client, Outgoing, Payload};
use crate::error::Error;
use crate::request::decode_json;
use crate::request::{Method, Request};
use crate::response::Collection;

type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Collection<T>, Error>> + Send>>;

/// The pages of a collection, as a [`Stream`](futures_util::Stream). Next pages are asked for with
/// the first request's headers (`ConsistencyLevel`, `Prefer: odata.maxpagesize=…`), never its body.
/// A `nextLink` seen before ends the stream with [`Error::Protocol`] instead of paging forever.
pub struct Pages<T> {
    client: Client,
    headers: Vec<(String, String)>,
    template: String,
    first: Option<Request<Collection<T>>>,
    pending: Option<PageFuture<T>>,
    followed: HashSet<String>,
    next_link: Option<String>,
    delta_link: Option<String>,
    done: bool,
}

// Nothing in a `Pages` is pinned structurally (its future is boxed), so it moves freely.
impl<T> Unpin for Pages<T> {}

impl<T> std::fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("next_link", &self.next_link)
            .field("delta_link", &self.delta_link)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<T: serde::de::DeserializeOwned + Send + 'static> Pages<T> {
    pub(crate) fn new(client: Client, request: Request<Collection<T>>) -> Self {
        Pages {
            client,
            headers: request.headers.clone(),
            template: request.template.clone(),
            first: Some(request),
            pending: None,
            followed: HashSet::new(),
            next_link: None,
            delta_link: None,
            done: false,
        }
    }

    /// The `@odata.deltaLink` of the last page, once it has been read: where the next delta query
    /// starts.
    pub fn delta_link(&self) -> Option<&str> {
        self.delta_link.as_deref()
    }

    /// The request for the next page, or `None` at the end.
    fn next_request(&mut self) -> Option<Result<PageFuture<T>, Error>> {
        if let Some(first) = self.first.take() {
            let client = self.client.clone();
            return Some(Ok(Box::pin(async move { client.send(first).await })));
        }
        let link = self.next_link.take()?;
        // Links from the service are followed only on the client's own host, the only one that
        // gets its token.
        if !self.client.is_own_host(&link) {
            return Some(Err(Error::InvalidRequest(format!("nextLink {link} leaves {}", self.client.base_url))));
        }
        if !self.followed.insert(link.clone()) {
            return Some(Err(Error::Protocol(format!("the service sent nextLink {link} twice"))));
        }
        let (client, headers, template) = (self.client.clone(), self.headers.clone(), self.template.clone());
        Some(Ok(Box::pin(async move {
            let outgoing = Outgoing {
                method: Method::Get,
                url: link,
                template: &template,
                headers: &headers,
                body: Payload::Empty,
                authorize: true,
            };
            let (_, body) = client.exchange(outgoing).await?;
            decode_json(body)
        })))
    }
}

impl<T: serde::de::DeserializeOwned + Send + 'static> futures_util::Stream for Pages<T> {
    type Item = Result<Collection<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        if this.pending.is_none() {
            match this.next_request() {
                None => {
                    this.done = true;
                    return Poll::Ready(None);
                }
                Some(Err(error)) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
                Some(Ok(future)) => this.pending = Some(future),
            }
        }
        let Some(pending) = this.pending.as_mut() else { return Poll::Ready(None) };
        match pending.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(outcome) => {
                this.pending = None;
                match outcome {
                    Ok(page) => {
                        this.next_link = page.next_link.clone();
                        if page.delta_link.is_some() {
                            this.delta_link = page.delta_link.clone();
                        }
                        Poll::Ready(Some(Ok(page)))
                    }
                    Err(error) => {
                        this.done = true;
                        Poll::Ready(Some(Err(error)))
                    }
                }
            }
        }
    }
}

/// The items of a collection, page after page (an empty page with a `nextLink` is paged past).
pub struct Items<T> {
    pages: Pages<T>,
    current: VecDeque<T>,
}

impl<T> Unpin for Items<T> {}

impl<T> std::fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items").field("pages", &self.pages).finish_non_exhaustive()
    }
}

impl<T: serde::de::DeserializeOwned + Send + 'static> Items<T> {
    /// The `@odata.deltaLink` of the last page, once every item has been read.
    pub fn delta_link(&self) -> Option<&str> {
        self.pages.delta_link()
    }
}

impl<T: serde::de::DeserializeOwned + Send + 'static> futures_util::Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.current.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Ready(Some(Ok(page))) => this.current = page.value.into(),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl Client {
    /// The pages of a collection: the first from `request`, the rest from each `@odata.nextLink`.
    /// The last page carries the `@odata.deltaLink` of a delta query.
    pub fn pages<T: serde::de::DeserializeOwned + Send + 'static>(&self, request: Request<Collection<T>>) -> Pages<T> {
        Pages::new(self.clone(), request)
    }

    /// The items of a collection, page after page.
    pub fn items<T: serde::de::DeserializeOwned + Send + 'static>(&self, request: Request<Collection<T>>) -> Items<T> {
        Items { pages: self.pages(request), current: VecDeque::new() }
    }
}
