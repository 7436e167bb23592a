//! Lists as streams (spec v2 §2): follow `links.next` while the server sends one; without
//! it, a full page means there may be more, so ask at `start-index` + the items read,
//! until a page comes back short or empty.

use std::collections::HashSet;
use std::fmt;

use futures_core::Stream;
use futures_util::{TryStreamExt, stream};
use serde::de::DeserializeOwned;
use url::Url;

use super::Client;
use super::model::Page;
use super::request::{Call, Request, Response, json};
use super::url::is_under;
use crate::Error;
use crate::error::ValidationError;

/// `start-index` and `max-results` of a list request.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Paging {
    pub(crate) start_index: Option<u64>,
    pub(crate) max_results: Option<u64>,
}

impl Paging {
    /// Puts the parameters that were set on `request`; `max-results` beyond HipChat's
    /// cap (1,000) is a typed error naming it, not a 400 from the server.
    pub(crate) fn apply(self, request: Request) -> Result<Request, Error> {
        if let Some(max) = self.max_results {
            let count = usize::try_from(max).unwrap_or(usize::MAX);
            hipchat_spec::MAX_RESULTS
                .check_count(count)
                .map_err(ValidationError::from)?;
        }
        Ok(request
            .query_opt("start-index", self.start_index)
            .query_opt("max-results", self.max_results))
    }
}

/// A list request: `.await` it for its first page, or walk every item with
/// [`items`](Self::items) (or every page with [`pages`](Self::pages)).
#[must_use = "a request does nothing until it is awaited or streamed"]
pub struct Paged<'a, T> {
    client: &'a Client,
    request: Result<Request, Error>,
    _item: std::marker::PhantomData<fn() -> T>,
}

impl<'a, T: DeserializeOwned + Send + 'a> Paged<'a, T> {
    pub(crate) fn new(client: &'a Client, request: Result<Request, Error>) -> Self {
        Self {
            client,
            request,
            _item: std::marker::PhantomData,
        }
    }

    /// Sends the request for the first page: the page with its rate-limit headers.
    pub async fn send(self) -> Result<Response<Page<T>>, Error> {
        Call::new(self.client, self.request, json::<Page<T>>)
            .send()
            .await
    }

    /// Every page, from the requested one on, until the list is exhausted. A rate-limited
    /// page is waited for as the client's retry policy says; any other error ends the
    /// stream after it is yielded.
    pub fn pages(self) -> impl Stream<Item = Result<Page<T>, Error>> + Send + 'a {
        let client = self.client;
        let first = self.request.map(Cursor::first);
        stream::try_unfold(Some(first), move |cursor| async move {
            let Some(cursor) = cursor else {
                return Ok(None);
            };
            let cursor = cursor?;
            let answer = client.execute(&cursor.request).await?;
            let page: Page<T> = json(&answer)?;
            if !cursor.answered_by(&page) {
                return Ok(None);
            }
            let next = cursor.next(client.server(), &page).map(Ok);
            Ok(Some((page, next)))
        })
    }

    /// Every item of every page, in the server's order.
    pub fn items(self) -> impl Stream<Item = Result<T, Error>> + Send + 'a {
        self.pages()
            .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
            .try_flatten()
    }
}

impl<'a, T: DeserializeOwned + Send + 'a> std::future::IntoFuture for Paged<'a, T> {
    type Output = Result<Page<T>, Error>;
    type IntoFuture = futures_util::future::BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.send().await.map(Response::into_value) })
    }
}

impl<T> fmt::Debug for Paged<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paged")
            .field("url", &self.request.as_ref().map(Request::shown))
            .finish_non_exhaustive()
    }
}

/// The request for a page, the offset it starts at, and every URL asked for so far: a
/// server that sends a page twice (a `next` cycle, a `start-index` it ignores) ends the
/// walk instead of repeating it for ever.
struct Cursor {
    request: Request,
    start: u64,
    asked: HashSet<Url>,
}

impl Cursor {
    fn first(request: Request) -> Self {
        let start = start_index(&request.url).unwrap_or(0);
        let asked = HashSet::from([request.url.clone()]);
        Self {
            request,
            start,
            asked,
        }
    }

    /// Whether `page` is the one asked for: a server that answers another offset than
    /// the `start-index` sent (it ignores the parameter) would repeat pages.
    fn answered_by<T>(&self, page: &Page<T>) -> bool {
        let answered = self.start == 0 || page.start_index == self.start;
        if !answered {
            tracing::warn!(
                asked = self.start,
                answered = page.start_index,
                "HipChat answered another offset than the one asked for; stopping"
            );
        }
        answered
    }

    /// The request for the page after `page`, if there may be one.
    fn next<T>(mut self, server: &Url, page: &Page<T>) -> Option<Cursor> {
        if page.items.is_empty() {
            return None;
        }
        let read = u64::try_from(page.items.len()).unwrap_or(u64::MAX);
        let after = self.start.saturating_add(read);
        let link = page.links.next.as_deref();
        let (url, start) = match link.map(|link| (link, followable(server, link))) {
            Some((_, Some(url))) => {
                let start = start_index(&url).unwrap_or(after);
                (url, start)
            }
            Some((link, None)) => {
                tracing::warn!(
                    link,
                    "ignoring a next link outside the server (the token is only sent there)"
                );
                self.after_full_page(page, read, after)?
            }
            // No `next`: a page as full as asked for may be followed by more (spec §2,
            // private history stopped sending `next` at 1,000).
            None => self.after_full_page(page, read, after)?,
        };
        if start <= self.start || !self.asked.insert(url.clone()) {
            tracing::warn!(%url, "HipChat sent a page already read as the next one; stopping");
            return None;
        }
        self.request.url = url;
        self.start = start;
        Some(self)
    }

    /// The next page by `start-index`, when `page` was full.
    fn after_full_page<T>(&self, page: &Page<T>, read: u64, after: u64) -> Option<(Url, u64)> {
        let asked = if page.max_results > 0 {
            page.max_results
        } else {
            self.page_size()
        };
        (asked > 0 && read >= asked).then(|| {
            let request = self.request.clone().set_query("start-index", after);
            (request.url, after)
        })
    }

    /// The page size this request asked for (HipChat's default, 100, when none).
    fn page_size(&self) -> u64 {
        query_number(&self.request.url, "max-results").unwrap_or(100)
    }
}

/// `link` as a URL the token may be sent to: under the server root, without any
/// `auth_token` (the token goes in the header only).
fn followable(server: &Url, link: &str) -> Option<Url> {
    let mut url = Url::parse(link).ok().filter(|url| is_under(server, url))?;
    if url.query_pairs().any(|(key, _)| key == "auth_token") {
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(key, _)| key != "auth_token")
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    Some(url)
}

fn start_index(url: &Url) -> Option<u64> {
    query_number(url, "start-index")
}

fn query_number(url: &Url, key: &str) -> Option<u64> {
    url.query_pairs()
        .find(|(name, _)| name == key)
        .and_then(|(_, value)| value.parse().ok())
}

/// List builders: paging parameters, `.await` for the first page, `items()` and
/// `pages()` streams. The builder has a `paging: Paging` field and an
/// `into_paged(self) -> Paged<'a, $item>`.
macro_rules! paged {
    ($builder:ident => $item:ty) => {
        impl<'a> $builder<'a> {
            /// The offset of the first item (default 0).
            pub fn start_index(mut self, start: u64) -> Self {
                self.paging.start_index = Some(start);
                self
            }

            /// The page size: at most 1,000 (HipChat's default: 100).
            pub fn max_results(mut self, max: u64) -> Self {
                self.paging.max_results = Some(max);
                self
            }

            /// Every page from this one on, following `links.next`.
            pub fn pages(
                self,
            ) -> impl ::futures_core::Stream<
                Item = Result<$crate::rest::model::Page<$item>, $crate::Error>,
            > + Send
            + 'a {
                self.into_paged().pages()
            }

            /// Every item from this page on, following `links.next`.
            pub fn items(
                self,
            ) -> impl ::futures_core::Stream<Item = Result<$item, $crate::Error>> + Send + 'a {
                self.into_paged().items()
            }

            /// Sends the request for this page: the page with its rate-limit headers.
            pub async fn send(
                self,
            ) -> Result<$crate::rest::Response<$crate::rest::model::Page<$item>>, $crate::Error>
            {
                self.into_paged().send().await
            }
        }

        impl<'a> ::std::future::IntoFuture for $builder<'a> {
            type Output = Result<$crate::rest::model::Page<$item>, $crate::Error>;
            type IntoFuture = ::futures_util::future::BoxFuture<'a, Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                ::std::future::IntoFuture::into_future(self.into_paged())
            }
        }
    };
}
pub(crate) use paged;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_links_are_followed_only_under_the_server_and_without_a_query_token() {
        let server = Url::parse("http://127.0.0.1:9/chat").unwrap();
        let url = followable(
            &server,
            "http://127.0.0.1:9/chat/v2/room?start-index=100&auth_token=s3cr3t&max-results=100",
        )
        .unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/chat/v2/room?start-index=100&max-results=100"
        );
        assert_eq!(start_index(&url), Some(100));
        assert!(followable(&server, "http://elsewhere.example/chat/v2/room").is_none());
        assert!(
            followable(&server, "n").is_none(),
            "an opaque test-double link"
        );
    }

    #[test]
    fn max_results_beyond_the_cap_is_a_typed_error() {
        let request = Request::new(
            reqwest::Method::GET,
            Url::parse("http://h/v2/room").unwrap(),
            super::super::request::About::Other("rooms".into()),
        );
        let paging = Paging {
            start_index: None,
            max_results: Some(1001),
        };
        let error = paging.apply(request).unwrap_err();
        let shown = error.to_string();
        assert!(
            shown.contains("max-results") && shown.contains("1000"),
            "{shown}"
        );
    }
}
