//! One REST request, from its description to the value it answers with: [`Request`] (what
//! to send), [`Call`] (an `IntoFuture` request builders end in) and [`Response`] (a value
//! with the rate-limit headers it came with). Sending, retrying and pacing are the
//! client's ([`Client::execute`](super::Client)).

use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;

use futures_util::future::BoxFuture;
use reqwest::Method;
use reqwest::header::HeaderMap;
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use super::Client;
use super::response::{REDACTED, Subject};
use super::url::encoded;
use crate::{Error, RateLimit};
use secrecy::{ExposeSecret, SecretString};

/// What a request is about, owned: a 404 names it ([`Subject`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum About {
    Room(String),
    User(String),
    RoomAndUser { room: String, user: String },
    Other(String),
}

impl About {
    pub(crate) fn subject(&self) -> Subject<'_> {
        match self {
            About::Room(room) => Subject::Room(room),
            About::User(user) => Subject::User(user),
            About::RoomAndUser { room, user } => Subject::RoomAndUser { room, user },
            About::Other(what) => Subject::Other(what),
        }
    }
}

/// A request, ready to send as many times as retries need. Its `Debug` shows the
/// method and the URL as it may be shown, never the body (passwords) or a path secret.
#[derive(Clone)]
pub(crate) struct Request {
    pub(crate) method: Method,
    pub(crate) url: Url,
    /// A JSON body (shared, not copied, by the attempts of a retry).
    pub(crate) body: Option<bytes::Bytes>,
    pub(crate) about: About,
    /// The room whose flood control a message-sending request counts against.
    pub(crate) flood_room: Option<String>,
    /// A redirect is the answer (avatars and photos), not something to follow.
    pub(crate) redirect_is_answer: bool,
    /// A secret in the path (an OAuth session's token), redacted wherever the request is
    /// shown.
    pub(crate) secret: Option<SecretString>,
}

impl Request {
    /// A request to `url` (built by [`Client::endpoint`](super::Client)).
    pub(crate) fn new(method: Method, url: Url, about: About) -> Self {
        Self {
            method,
            url,
            body: None,
            about,
            flood_room: None,
            redirect_is_answer: false,
            secret: None,
        }
    }

    /// The URL as errors and logs may show it: a secret in the path redacted.
    pub(crate) fn shown(&self) -> String {
        let url = self.url.to_string();
        match &self.secret {
            Some(secret) => {
                let encoded = encoded(secret.expose_secret()).to_string();
                url.replace(&encoded, REDACTED)
            }
            None => url,
        }
    }

    /// Marks `secret`, a value in the path, to be redacted wherever the request is shown.
    pub(crate) fn secret_in_path(mut self, secret: SecretString) -> Self {
        self.secret = Some(secret);
        self
    }

    /// Adds `key=value` to the query (form-encoded: a `+` is sent as `%2B`).
    pub(crate) fn query(mut self, key: &str, value: impl fmt::Display) -> Self {
        self.url
            .query_pairs_mut()
            .append_pair(key, &value.to_string());
        self
    }

    /// Adds `key=value` when there is a value.
    pub(crate) fn query_opt(self, key: &str, value: Option<impl fmt::Display>) -> Self {
        match value {
            Some(value) => self.query(key, value),
            None => self,
        }
    }

    /// Sets `key` in the query, replacing any value it had (paging).
    pub(crate) fn set_query(mut self, key: &str, value: impl fmt::Display) -> Self {
        let kept: Vec<(String, String)> = self
            .url
            .query_pairs()
            .filter(|(name, _)| name != key)
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        self.url.set_query(None);
        {
            let mut pairs = self.url.query_pairs_mut();
            pairs.extend_pairs(kept);
            pairs.append_pair(key, &value.to_string());
        }
        self
    }

    /// Sends `body` as JSON.
    pub(crate) fn json(mut self, body: &impl Serialize) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::backend(format!("could not encode the request body: {e}")))?;
        self.body = Some(bytes.into());
        Ok(self)
    }

    /// Counts against `room`'s flood control (message-sending calls).
    pub(crate) fn flood(mut self, room: &str) -> Self {
        self.flood_room = Some(room.to_owned());
        self
    }

    /// Counts against `user`'s flood control (private messages: flood control is per
    /// recipient room or user, base spec §8). The key cannot be a room's name.
    pub(crate) fn flood_user(mut self, user: &str) -> Self {
        self.flood_room = Some(format!("\u{0}user:{user}"));
        self
    }

    /// Answers with a redirect's `Location` instead of following it.
    pub(crate) fn redirect_is_answer(mut self) -> Self {
        self.redirect_is_answer = true;
        self
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.shown())
            .field("has_body", &self.body.is_some())
            .finish_non_exhaustive()
    }
}

/// A successful answer, read whole.
#[derive(Debug)]
pub(crate) struct Answer<'r> {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    pub(crate) rate_limit: RateLimit,
    /// The request it answers (for errors about the answer: its URL as it may be shown).
    pub(crate) request: &'r Request,
}

/// Turns a successful answer into the value of a request.
pub(crate) type Decode<T> = fn(&Answer<'_>) -> Result<T, Error>;

/// The body as JSON of type `T`; an answer that does not parse is [`Error::Decode`].
pub(crate) fn json<T: DeserializeOwned>(answer: &Answer<'_>) -> Result<T, Error> {
    serde_json::from_slice(&answer.body).map_err(|source| Error::Decode {
        endpoint: answer.request.shown(),
        source: Box::new(source),
    })
}

/// The body as JSON of type `T` when there is one: writes whose answer is documented
/// with a body may still answer any 2xx without one (spec v2 §1: "accept any 2xx, parse
/// a body only if present"); `None` then, and the write succeeded all the same.
pub(crate) fn json_if_any<T: DeserializeOwned>(answer: &Answer<'_>) -> Result<Option<T>, Error> {
    if answer.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    json(answer).map(Some)
}

/// Nothing to read (204, or a 2xx whose body we do not use).
pub(crate) fn nothing(_: &Answer<'_>) -> Result<(), Error> {
    Ok(())
}

/// A redirect's `Location` (avatars, photos): `None` when the server sent none.
pub(crate) fn location(answer: &Answer<'_>) -> Result<Option<String>, Error> {
    Ok(answer
        .headers
        .get(reqwest::header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned))
}

/// A value and the rate-limit headers of the answer it came in: what
/// [`Call::send`] resolves to, for callers that pace themselves.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Response<T> {
    /// The value.
    pub value: T,
    /// `X-Ratelimit-*` and `X-FloodControl-*` of the answer.
    pub rate_limit: RateLimit,
    /// The HTTP status (200, 201, 204, 302).
    pub status: u16,
}

impl<T> Response<T> {
    /// The value, without the headers.
    pub fn into_value(self) -> T {
        self.value
    }
}

/// A request without optional parameters: `.await` it for the value, or
/// [`send`](Self::send) it for the value with its rate-limit headers. Every request
/// builder of the client ends in one.
#[must_use = "a request does nothing until it is awaited"]
pub struct Call<'a, T> {
    client: &'a Client,
    request: Result<Request, Error>,
    decode: Decode<T>,
    _value: PhantomData<fn() -> T>,
}

impl<'a, T> Call<'a, T> {
    pub(crate) fn new(
        client: &'a Client,
        request: Result<Request, Error>,
        decode: Decode<T>,
    ) -> Self {
        Self {
            client,
            request,
            decode,
            _value: PhantomData,
        }
    }

    /// Sends the request: the value with the rate-limit headers of its answer.
    pub async fn send(self) -> Result<Response<T>, Error> {
        let request = self.request?;
        let answer = self.client.execute(&request).await?;
        Ok(Response {
            value: (self.decode)(&answer)?,
            rate_limit: answer.rate_limit,
            status: answer.status,
        })
    }
}

impl<'a, T: Send + 'a> IntoFuture for Call<'a, T> {
    type Output = Result<T, Error>;
    type IntoFuture = BoxFuture<'a, Result<T, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.send().await.map(Response::into_value) })
    }
}

impl<T> fmt::Debug for Call<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Call");
        match &self.request {
            Ok(request) => debug
                .field("method", &request.method)
                .field("url", &request.shown()),
            Err(error) => debug.field("error", error),
        };
        debug.finish_non_exhaustive()
    }
}

/// Builders with optional parameters: `.await` ends them in a [`Call`], and so does
/// `send`.
macro_rules! into_call {
    ($builder:ident => $value:ty) => {
        impl<'a> $builder<'a> {
            /// Sends the request: the value with the rate-limit headers of its answer.
            pub async fn send(self) -> Result<$crate::rest::Response<$value>, $crate::Error> {
                self.into_call().send().await
            }
        }

        impl<'a> ::std::future::IntoFuture for $builder<'a> {
            type Output = Result<$value, $crate::Error>;
            type IntoFuture = ::futures_util::future::BoxFuture<'a, Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                ::std::future::IntoFuture::into_future(self.into_call())
            }
        }
    };
}
pub(crate) use into_call;
