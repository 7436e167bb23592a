//! History (spec v2 §5, §7.1): a room's or a private chat's messages, by time window
//! ([`ViewHistory`]), the latest ones ([`LatestHistory`]), one message, and replies.
//! Rooms and private chats share the parameters, so they share the builders.

use jiff::Timestamp;
use reqwest::Method;
use serde::Serialize;

use super::rooms::RoomHandler;
use super::users::UserHandler;
use crate::Error;
use crate::error::ValidationError;
use crate::rest::Client;
use crate::rest::model::{HistoryItem, MessageEnvelope, Page, time};
use crate::rest::paging::{Paged, Paging};
use crate::rest::request::{About, Call, Request, into_call, json, nothing};
use crate::rest::url::segment;

/// A moment as history queries take it: RFC 3339 in UTC with an explicit `+00:00`
/// offset ([`time::format`]), so that no `timezone` is needed (HipChat answered 401 to
/// `timezone` with `end-date`, spec §5.2). The query encoder sends `+` as `%2B`.
fn moment(timestamp: Timestamp) -> String {
    time::format(timestamp)
}

/// "Up to now" for a history window: an hour past this machine's clock, so that a server
/// whose clock is ahead still includes its newest messages (nothing is dated after the
/// server's now).
fn latest_moment() -> Timestamp {
    Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(1))
        .unwrap_or(Timestamp::MAX)
}

/// view_room_history / view_privatechat_history: messages up to
/// [`date`](Self::date) (and from [`end_date`](Self::end_date)), newest pages first.
///
/// `.await` it for one page. Without a `date`, HipChat answers with the latest 75
/// messages in real time and does not page them (`date=recent`); a request with an
/// [`end_date`](Self::end_date) or paging, and the [`items`](Self::items) and
/// [`pages`](Self::pages) streams, therefore ask up to now when no date is set. The
/// streams go newest first (`reverse=false`, which HipChat recommends for consistent
/// paging); with [`reverse(true)`](Self::reverse) the pages still go from newest to
/// oldest, each page oldest first.
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited or streamed"]
pub struct ViewHistory<'a> {
    client: &'a Client,
    base: Result<Request, Error>,
    paging: Paging,
    date: Option<Timestamp>,
    end_date: Option<Timestamp>,
    reverse: Option<bool>,
    include_deleted: Option<bool>,
}

impl<'a> ViewHistory<'a> {
    fn new(client: &'a Client, base: Result<Request, Error>) -> Self {
        Self {
            client,
            base,
            paging: Paging::default(),
            date: None,
            end_date: None,
            reverse: None,
            include_deleted: None,
        }
    }

    /// The latest moment to read (HipChat's default: `recent`, the latest 75).
    pub fn date(mut self, date: Timestamp) -> Self {
        self.date = Some(date);
        self
    }

    /// The earliest moment to read (only with a [`date`](Self::date)).
    pub fn end_date(mut self, end_date: Timestamp) -> Self {
        self.end_date = Some(end_date);
        self
    }

    /// Oldest first within each page (HipChat's default: `true`).
    pub fn reverse(mut self, reverse: bool) -> Self {
        self.reverse = Some(reverse);
        self
    }

    /// Includes deleted messages, their body `null` (HipChat's default: `true`).
    pub fn include_deleted(mut self, include: bool) -> Self {
        self.include_deleted = Some(include);
        self
    }

    fn into_paged(mut self) -> Paged<'a, HistoryItem> {
        // `end-date` and paging mean nothing with `date=recent` (spec §5.2): a window
        // asked for without its end reaches up to now.
        let windowed = self.end_date.is_some()
            || self.paging.start_index.is_some()
            || self.paging.max_results.is_some();
        if self.date.is_none() && windowed {
            self.date = Some(latest_moment());
        }
        let request = self.base.and_then(|request| {
            let request = request
                .query_opt("date", self.date.map(moment))
                .query_opt("end-date", self.end_date.map(moment))
                .query_opt("reverse", self.reverse)
                .query_opt("include_deleted", self.include_deleted);
            self.paging.apply(request)
        });
        Paged::new(self.client, request)
    }

    /// A walk through the whole window: up to now when no date is set, newest first.
    fn for_walking(mut self) -> Self {
        if self.date.is_none() {
            self.date = Some(latest_moment());
        }
        if self.reverse.is_none() {
            self.reverse = Some(false);
        }
        self
    }
}

impl<'a> ViewHistory<'a> {
    /// Every page of the window, following `links.next` (see the type's docs for the
    /// defaults).
    pub fn pages(
        self,
    ) -> impl futures_core::Stream<Item = Result<Page<HistoryItem>, Error>> + Send + 'a {
        self.for_walking().into_paged().pages()
    }

    /// Every message of the window, newest first unless [`reverse`](Self::reverse) is
    /// set.
    pub fn items(self) -> impl futures_core::Stream<Item = Result<HistoryItem, Error>> + Send + 'a {
        self.for_walking().into_paged().items()
    }

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

    /// Sends the request for this page: the page with its rate-limit headers.
    pub async fn send(self) -> Result<crate::rest::Response<Page<HistoryItem>>, Error> {
        self.into_paged().send().await
    }
}

impl<'a> std::future::IntoFuture for ViewHistory<'a> {
    type Output = Result<Page<HistoryItem>, Error>;
    type IntoFuture = futures_util::future::BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        std::future::IntoFuture::into_future(self.into_paged())
    }
}

/// view_recent_room_history / view_recent_privatechat_history: the latest messages,
/// oldest first (HipChat's default page: 75).
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited"]
pub struct LatestHistory<'a> {
    client: &'a Client,
    base: Result<Request, Error>,
    max_results: Option<u64>,
    not_before: Option<String>,
    include_deleted: Option<bool>,
}

impl<'a> LatestHistory<'a> {
    fn new(client: &'a Client, base: Result<Request, Error>) -> Self {
        Self {
            client,
            base,
            max_results: None,
            not_before: None,
            include_deleted: None,
        }
    }

    /// At most this many messages (at most 1,000; HipChat's default: 75).
    pub fn max_results(mut self, max: u64) -> Self {
        self.max_results = Some(max);
        self
    }

    /// Only messages after this one (its id): what a poller has already seen.
    pub fn not_before(mut self, message_id: impl Into<String>) -> Self {
        self.not_before = Some(message_id.into());
        self
    }

    /// Includes deleted messages, their body `null` (HipChat's default: `true`).
    pub fn include_deleted(mut self, include: bool) -> Self {
        self.include_deleted = Some(include);
        self
    }

    fn into_call(self) -> Call<'a, Page<HistoryItem>> {
        let paging = Paging {
            start_index: None,
            max_results: self.max_results,
        };
        let request = self.base.and_then(|request| {
            paging.apply(
                request
                    .query_opt("not-before", self.not_before.as_deref())
                    .query_opt("include_deleted", self.include_deleted),
            )
        });
        Call::new(self.client, request, json)
    }
}

into_call!(LatestHistory => Page<HistoryItem>);

/// get_room_message / get_privatechat_message: `{"message": item}`, unwrapped.
fn message_item(answer: &crate::rest::request::Answer<'_>) -> Result<HistoryItem, Error> {
    json::<MessageEnvelope>(answer).map(|envelope| envelope.message)
}

/// A message id as a path segment, and what a 404 about it says.
fn message_path(id: &str, within: &str) -> Result<(String, About), Error> {
    let segment = segment("message id", id)?;
    Ok((
        format!("/history/{segment}"),
        About::Other(format!("message {id:?} in {within}")),
    ))
}

impl<'a> RoomHandler<'a> {
    /// view_room_history: `GET /v2/room/{room}/history`.
    ///
    /// ```no_run
    /// # async fn run(client: hipchat_runtime::rest::Client) -> Result<(), hipchat_runtime::Error> {
    /// use futures_util::TryStreamExt;
    ///
    /// let week_ago = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * 7);
    /// let messages: Vec<_> = client
    ///     .room("Ops")
    ///     .history()
    ///     .end_date(week_ago)
    ///     .items()
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn history(&self) -> ViewHistory<'a> {
        ViewHistory::new(self.client, self.request(Method::GET, "/history"))
    }

    /// view_recent_room_history: `GET /v2/room/{room}/history/latest`.
    pub fn latest(&self) -> LatestHistory<'a> {
        LatestHistory::new(self.client, self.request(Method::GET, "/history/latest"))
    }

    /// get_room_message: `GET /v2/room/{room}/history/{id}`.
    pub fn message(&self, id: &str) -> Call<'a, HistoryItem> {
        let request = message_path(id, &format!("room {:?}", self.room))
            .and_then(|(tail, about)| self.request_about(Method::GET, &tail, about));
        Call::new(self.client, request, message_item)
    }

    /// reply_to_message: `POST /v2/room/{room}/reply`, a message from the token's user
    /// (user tokens only) under the message `parent_id`.
    pub fn reply(&self, parent_id: impl Into<String>, message: impl Into<String>) -> Call<'a, ()> {
        #[derive(Serialize)]
        struct Body {
            #[serde(rename = "parentMessageId")]
            parent_message_id: String,
            message: String,
        }
        let body = Body {
            parent_message_id: parent_id.into(),
            message: message.into(),
        };
        let request = hipchat_spec::ROOM_MESSAGE
            .check(&body.message)
            .map_err(|violation| Error::from(ValidationError::from(violation)))
            .and_then(|()| {
                self.request(Method::POST, "/reply")?
                    .flood(&self.room)
                    .json(&body)
            });
        Call::new(self.client, request, nothing)
    }
}

impl<'a> UserHandler<'a> {
    /// view_privatechat_history: `GET /v2/user/{user}/history` (user tokens only).
    pub fn history(&self) -> ViewHistory<'a> {
        ViewHistory::new(self.client, self.request(Method::GET, "/history"))
    }

    /// view_recent_privatechat_history: `GET /v2/user/{user}/history/latest`.
    pub fn latest(&self) -> LatestHistory<'a> {
        LatestHistory::new(self.client, self.request(Method::GET, "/history/latest"))
    }

    /// get_privatechat_message: `GET /v2/user/{user}/history/{id}`.
    pub fn message(&self, id: &str) -> Call<'a, HistoryItem> {
        let request = message_path(id, &format!("the private chat with {:?}", self.user))
            .and_then(|(tail, about)| self.request_about(Method::GET, &tail, about));
        Call::new(self.client, request, message_item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_are_utc_with_an_explicit_offset() {
        let timestamp: Timestamp = "2018-01-04T10:16:02.809766Z".parse().unwrap();
        assert_eq!(moment(timestamp), "2018-01-04T10:16:02.809766+00:00");
        let whole: Timestamp = "2018-01-04T10:16:02Z".parse().unwrap();
        assert_eq!(moment(whole), "2018-01-04T10:16:02+00:00");
    }
}
