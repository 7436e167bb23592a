//! [`Client`]: a server root, a token source, and the one loop every REST request goes
//! through (token → pacing → send → read → retry).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use secrecy::ExposeSecret;
use tokio::time::Instant;
use url::Url;

use super::request::{About, Answer, Request};
use super::response::{self, error_from, transport_error};
use super::token::{StaticToken, TokenSource};
use super::url::{api_root, endpoint};
use crate::error::ConfigError;
use crate::limits::pacing::Pacer;
use crate::limits::retry::Class;
use crate::limits::{Pacing, RetryPolicy, WallClock};
use crate::settings::parse_api_url;
use crate::{Error, Settings};

/// A successful answer larger than this is refused: a page of 1,000 history items with
/// cards is a few MiB; a server (or proxy) sending more is not HipChat.
const MAX_BODY: usize = 64 * 1024 * 1024;

/// The `reqwest` client of every request to HipChat: `timeout` per request, no
/// redirects (a redirected POST becomes a GET without a body; avatars answer with one),
/// the crate's `User-Agent`. For callers that share one connection pool between clients.
pub fn http_client(timeout: Duration) -> Result<reqwest::Client, ConfigError> {
    reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("hipchat-rs/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| ConfigError::HttpClient(Box::new(e)))
}

/// A client of the HipChat REST API v2: rooms, history, members, webhooks, users,
/// emoticons, the group, sessions and add-on UI, typed and paged.
///
/// Cheap to clone (one `Arc`). Every request carries `Authorization: Bearer` from the
/// client's [`TokenSource`] (never `auth_token` in a URL), reads HipChat's error bodies
/// into [`Error`] (the type the notifier uses), exposes the rate-limit headers of every
/// answer ([`Call::send`](super::Call::send)), and by default tries a rate-limited
/// request again after the announced reset, at most 3 attempts within 60 s (spec §8);
/// 5xx answers and timeouts are tried again for `GET`s only: a write may have been
/// acted on. Client-side pacing is off unless [`ClientBuilder::pacing`] is set.
///
/// ```no_run
/// use hipchat_runtime::rest::Client;
///
/// # async fn run() -> Result<(), hipchat_runtime::Error> {
/// let client = Client::new("https://hipchat.example.com", "a-token")?;
/// let room = client.room("Ops").get().await?;
/// println!("{} is {}", room.name, room.topic);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    api_root: Url,
    token: Arc<dyn TokenSource>,
    retry: RetryPolicy,
    pacing: Pacing,
    pacer: Option<Pacer>,
    wall: WallClock,
}

impl Client {
    /// A client of the server at `server` (its root, as in `HIPCHAT_API_URL`; a trailing
    /// `/v2` is tolerated) calling with `token`.
    pub fn new(server: &str, token: impl Into<String>) -> Result<Self, ConfigError> {
        Self::builder(server, StaticToken::new(token)).build()
    }

    /// A client with the settings' server URL, default token and timeout
    /// (`HIPCHAT_API_URL`, `HIPCHAT_AUTH_TOKEN`, `HIPCHAT_TIMEOUT`).
    ///
    /// Fails with [`ConfigError::MissingToken`] when the settings hold no default token.
    pub fn from_settings(settings: &Settings) -> Result<Self, ConfigError> {
        let token = settings
            .default_token()
            .cloned()
            .ok_or(ConfigError::MissingToken)?;
        Self::builder(
            settings.get_api_url(),
            StaticToken::from_secret("default", token),
        )
        .timeout(settings.get_timeout())
        .build()
    }

    /// A client of the server at `server` with the tokens of `token`, to configure
    /// further.
    pub fn builder(server: &str, token: impl TokenSource) -> ClientBuilder {
        ClientBuilder {
            server: server.to_owned(),
            token: Arc::new(token),
            http: None,
            timeout: crate::settings::DEFAULT_TIMEOUT,
            retry: Self::default_retry(),
            pacing: None,
            wall: WallClock::system(),
        }
    }

    /// The default [`RetryPolicy`] of a client: 3 attempts within 60 s (spec §8).
    pub fn default_retry() -> RetryPolicy {
        RetryPolicy::default()
            .max_attempts(3)
            .deadline(Duration::from_secs(60))
    }

    /// The `reqwest` client requests go through.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The server root requests go under (`https://host/prefix`, no `/v2`).
    pub fn server(&self) -> &Url {
        &self.inner.api_root
    }

    /// A request to `{server}/v2{path}`: `path` holds segments encoded with
    /// [`segment`](super::url::segment).
    pub(crate) fn request(
        &self,
        method: reqwest::Method,
        about: About,
        path: fmt::Arguments<'_>,
    ) -> Request {
        let url = endpoint(&self.inner.api_root, format_args!("/v2{path}"));
        Request::new(method, url, about)
    }

    /// Sends `request`, trying again as the retry policy says; a success answer is read
    /// whole.
    pub(crate) async fn execute<'r>(&self, request: &'r Request) -> Result<Answer<'r>, Error> {
        let inner = &*self.inner;
        let mut retries = inner.retry.start(Instant::now());
        let mut renewed = false;
        loop {
            let attempt = retries.begin_attempt();
            let error = match self.attempt(request).await {
                Ok(answer) => return Ok(answer),
                Err(Failed::Renewed(error)) if !renewed => {
                    // The source has a new token for a rejected one: once, at once.
                    tracing::debug!(error = %error, "hipchat token renewed; trying again");
                    renewed = true;
                    continue;
                }
                Err(Failed::Renewed(error) | Failed::Error(error)) => error,
            };
            let error = self.with_reset_read_now(error);
            let class = match inner.retry.classify(&error) {
                // A write that failed on the way may have been acted on: creating a room
                // or sending a message twice, or a DELETE retried into a 404, is worse
                // than reporting the failure (base spec §8: retry 429s). A 429 was not
                // acted on.
                Class::Transient if request.method != reqwest::Method::GET => Class::Permanent,
                class => class,
            };
            let Some(wait) =
                retries.wait_after(class, &inner.pacing, Instant::now(), inner.wall.now())
            else {
                return Err(error);
            };
            tracing::debug!(
                method = %request.method,
                url = %request.shown(),
                attempt,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                error = %error,
                "hipchat request failed; trying again"
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// A 429's reset read against the client's wall clock (a small `X-Ratelimit-Reset`
    /// is seconds from now), so that waits agree with the clock tests inject.
    fn with_reset_read_now(&self, mut error: Error) -> Error {
        if let Error::RateLimited { reset, api } = &mut error {
            *reset = api.rate_limit.reset_time_at(self.inner.wall.now());
        }
        error
    }

    /// One attempt: token, pacing, send, read.
    async fn attempt<'r>(&self, request: &'r Request) -> Result<Answer<'r>, Failed> {
        let inner = &*self.inner;
        let token = inner.token.token().await?;
        let reservation = match &inner.pacer {
            Some(pacer) => Some((
                pacer,
                pacer
                    .acquire(
                        inner.token.name(),
                        request.flood_room.as_deref().unwrap_or_default(),
                    )
                    .await,
            )),
            None => None,
        };
        let mut builder = inner
            .http
            .request(request.method.clone(), request.url.clone())
            .bearer_auth(token.expose_secret());
        if let Some(body) = &request.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        let sent = builder.send().await;
        let rate_limit = sent
            .as_ref()
            .map(|response| response::rate_limit(response.headers()))
            .ok();
        if let Some((pacer, reservation)) = reservation {
            pacer.complete(reservation, rate_limit.as_ref());
        }
        let mut answer = sent.map_err(|source| transport_error(source, request.shown()))?;
        let status = answer.status();
        let wanted = status.is_success() || (request.redirect_is_answer && status.is_redirection());
        if !wanted {
            let renewed = status == StatusCode::UNAUTHORIZED && inner.token.rejected(&token);
            let rate_limited = status == StatusCode::TOO_MANY_REQUESTS;
            let error = error_from(answer, request.about.subject(), rate_limited, &token).await;
            let error = match &request.secret {
                Some(secret) => response::redact(error, secret),
                None => error,
            };
            return Err(if renewed {
                Failed::Renewed(error)
            } else {
                Failed::Error(error)
            });
        }
        let headers = std::mem::take(answer.headers_mut());
        let body = response::read_capped(answer, MAX_BODY, || request.shown()).await?;
        Ok(Answer {
            status: status.as_u16(),
            rate_limit: response::rate_limit(&headers),
            headers,
            body,
            request,
        })
    }
}

/// How an attempt failed.
enum Failed {
    /// The server refused the token (401) and the source has a new one.
    Renewed(Error),
    /// Anything else.
    Error(Error),
}

impl From<Error> for Failed {
    fn from(error: Error) -> Self {
        Failed::Error(error)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("server", &self.inner.api_root.as_str())
            .field("token", &self.inner.token)
            .field("retry", &self.inner.retry)
            .field(
                "pacing",
                &self.inner.pacer.as_ref().map(|_| &self.inner.pacing),
            )
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]: from [`Client::builder`].
#[must_use]
pub struct ClientBuilder {
    server: String,
    token: Arc<dyn TokenSource>,
    http: Option<reqwest::Client>,
    timeout: Duration,
    retry: RetryPolicy,
    pacing: Option<Pacing>,
    wall: WallClock,
}

impl ClientBuilder {
    /// The timeout of each attempt (default 10 s, as `HIPCHAT_TIMEOUT`).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Your own `reqwest::Client` (custom CA roots, proxies); its timeout and redirect
    /// policy apply instead of [`timeout`](Self::timeout). Build it with
    /// `redirect::Policy::none()`: avatars and photos answer with a redirect.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// When failed requests are tried again ([`Client::default_retry`] by default;
    /// [`RetryPolicy::never`] to handle every error yourself). The queued backend's
    /// policy type: 429s wait for the announced reset, 5xx and timeouts back off (for
    /// `GET`s only). Its `attempt_timeout` is the queue's; the client's per-attempt
    /// timeout is [`timeout`](Self::timeout).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Paces requests within `pacing` before sending them (off by default): per token,
    /// and per room for the calls that send messages, learning from the rate-limit
    /// headers of every answer. The queued backend's pacing type.
    pub fn pacing(mut self, pacing: Pacing) -> Self {
        self.pacing = Some(pacing);
        self
    }

    /// The wall clock against which announced resets are read (tests).
    pub fn wall_clock(mut self, clock: WallClock) -> Self {
        self.wall = clock;
        self
    }

    /// The client; fails when the server URL is not a plain http(s) URL.
    pub fn build(self) -> Result<Client, ConfigError> {
        let api_root = api_root(&parse_api_url(&self.server)?);
        let http = match self.http {
            Some(http) => http,
            None => http_client(self.timeout)?,
        };
        let pacer = self
            .pacing
            .clone()
            .map(|pacing| Pacer::new(pacing, self.wall.clone()));
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                api_root,
                token: self.token,
                retry: self.retry,
                pacing: self.pacing.unwrap_or_else(Pacing::unlimited),
                pacer,
                wall: self.wall,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("server", &self.server)
            .field("token", &self.token)
            .finish_non_exhaustive()
    }
}
