//! The one error type of the crate, with variants a caller can match on.
//!
//! No variant holds a token: tokens live in [`secrecy::SecretString`] from the moment they
//! are read, and only the http backend exposes one, into an `Authorization` header.

use std::time::{Duration, SystemTime, UNIX_EPOCH};
use std::{error, fmt};

pub use hipchat_spec::{CharsetViolation, InvalidTokenName, LimitViolation, UnknownValue};

/// Anything that can go wrong between an event and HipChat.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The settings are unusable: a bad environment variable, a missing token.
    #[error("hipchat configuration: {0}")]
    Config(#[from] ConfigError),

    /// The template failed while rendering (for example a field's `Display` impl failed).
    #[error("rendering notification `{notification}` failed: {source}")]
    Render {
        /// The Rust type of the notification.
        notification: &'static str,
        /// askama's error.
        #[source]
        source: askama::Error,
    },

    /// The notification breaks one of HipChat's rules; nothing was sent.
    #[error("invalid notification: {0}")]
    Validation(#[from] ValidationError),

    /// 400: HipChat rejected the request body.
    #[error("HipChat rejected the notification (400 Bad Request): {0}")]
    BadRequest(Box<ApiError>),

    /// 401: the token is missing, invalid or of the wrong kind (a v1 token on v2).
    #[error("HipChat rejected the token (401 Unauthorized): {0}")]
    Unauthorized(Box<ApiError>),

    /// 403: the token may not do this.
    #[error("HipChat refused the request (403 Forbidden): {0}")]
    Forbidden(Box<ApiError>),

    /// 404: no such room on this server.
    #[error("room {room:?} not found (404): {api}")]
    RoomNotFound {
        /// The room id or name that was asked for.
        room: String,
        /// What the server said.
        api: Box<ApiError>,
    },

    /// 429: the per-token rate limit or the per-room flood control was exceeded.
    /// API v1 answers a rate limit with 403, which is mapped here too.
    #[error("rate limited by HipChat ({status}){}: {api}", RetryHint(*.reset), status = .api.status)]
    RateLimited {
        /// When the exhausted budget renews, from `X-Ratelimit-Reset` / `X-FloodControl-Reset`.
        reset: Option<SystemTime>,
        /// What the server said.
        api: Box<ApiError>,
    },

    /// 404 on a private message: no such user on this server.
    #[error("user {user:?} not found (404): {api}")]
    UserNotFound {
        /// The user id, email or `@mention` name that was asked for.
        user: String,
        /// What the server said.
        api: Box<ApiError>,
    },

    /// 404 on anything but a room or a user: a webhook, a message, an emoticon, a
    /// session, an extension.
    #[error("{resource} not found (404): {api}")]
    NotFound {
        /// What was asked for, as the request named it (`webhook 12 in room "Ops"`).
        resource: String,
        /// What the server said.
        api: Box<ApiError>,
    },

    /// 5xx: the server failed or is unavailable.
    #[error("HipChat server error ({status}): {api}", status = .0.status, api = .0)]
    Server(Box<ApiError>),

    /// Any other non-success status.
    #[error("unexpected HipChat response ({status}): {api}", status = .0.status, api = .0)]
    UnexpectedStatus(Box<ApiError>),

    /// The server could not be reached, or the connection failed or timed out.
    #[error("could not reach HipChat at {endpoint}: {reason}")]
    Transport {
        /// The URL that was requested (it never holds a token).
        endpoint: String,
        /// What went wrong, briefly: `timed out`, `connection failed`, `request failed`.
        reason: &'static str,
        /// The underlying I/O or HTTP error.
        #[source]
        source: Box<dyn error::Error + Send + Sync>,
    },

    /// HipChat answered with success, but the answer is not what the API documents (a
    /// body that is not the JSON of its type).
    #[error("could not read HipChat's answer from {endpoint}: {source}")]
    Decode {
        /// The URL that was requested (it never holds a token).
        endpoint: String,
        /// What did not parse.
        #[source]
        source: Box<dyn error::Error + Send + Sync>,
    },

    /// A custom backend failed.
    #[error("backend failed: {0}")]
    Backend(#[source] Box<dyn error::Error + Send + Sync>),

    /// The [`QueuedBackend`](crate::backend::QueuedBackend)'s queue is full and its
    /// policy is to fail fast ([`FullPolicy::Error`](crate::backend::queued::FullPolicy)).
    /// Nothing was queued.
    #[error("hipchat queue is full ({capacity} notifications waiting); notification not queued")]
    QueueFull {
        /// How many notifications the queue holds.
        capacity: usize,
    },

    /// The [`QueuedBackend`](crate::backend::QueuedBackend) was shut down; nothing more
    /// is accepted.
    #[error("hipchat queue is shut down; notification not queued")]
    QueueClosed,

    /// Code on the delivery path panicked (a custom backend's `send`, say). The
    /// notification it was delivering failed; the others go on.
    #[error("{during} panicked: {message}")]
    Panicked {
        /// What was being done.
        during: &'static str,
        /// The panic's message, when it had one.
        message: String,
    },

    /// The [`QueuedBackend`](crate::backend::QueuedBackend)'s durable outbox could not
    /// be opened, read or written.
    #[error("hipchat outbox {path}: {reason}")]
    Outbox {
        /// The outbox file.
        path: String,
        /// What failed.
        reason: String,
    },
}

impl Error {
    /// Wraps the error of a custom [`Backend`](crate::Backend).
    pub fn backend(source: impl Into<Box<dyn error::Error + Send + Sync>>) -> Self {
        Error::Backend(source.into())
    }

    /// A panic caught while `during`, with its message when the payload has one.
    pub(crate) fn panicked(during: &'static str, payload: &(dyn std::any::Any + Send)) -> Self {
        let message = payload
            .downcast_ref::<&str>()
            .map(|text| (*text).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".to_owned());
        Error::Panicked { during, message }
    }

    /// Whether trying again later may succeed: a rate limit (429, or 403 on API v1), a
    /// server error (5xx), a request timeout (408), or a transport failure (connection
    /// refused or reset, timeout). What a [`QueuedBackend`](crate::backend::QueuedBackend)
    /// retries, besides errors of custom backends.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimited { .. } | Error::Server(_) | Error::Transport { .. } => true,
            Error::UnexpectedStatus(api) => api.status == 408,
            _ => false,
        }
    }

    /// Whether the request timed out (the http backend's timeout, or a queued backend's
    /// per-attempt timeout). The server may have acted on it.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport { reason, .. } if *reason == TIMED_OUT)
    }

    /// The server's answer, for errors that carry one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::BadRequest(api)
            | Error::Unauthorized(api)
            | Error::Forbidden(api)
            | Error::Server(api)
            | Error::UnexpectedStatus(api)
            | Error::RoomNotFound { api, .. }
            | Error::UserNotFound { api, .. }
            | Error::NotFound { api, .. }
            | Error::RateLimited { api, .. } => Some(api),
            _ => None,
        }
    }

    /// The server's answer, mutably (to redact what a server echoed back).
    pub(crate) fn api_mut(&mut self) -> Option<&mut ApiError> {
        match self {
            Error::BadRequest(api)
            | Error::Unauthorized(api)
            | Error::Forbidden(api)
            | Error::Server(api)
            | Error::UnexpectedStatus(api)
            | Error::RoomNotFound { api, .. }
            | Error::UserNotFound { api, .. }
            | Error::NotFound { api, .. }
            | Error::RateLimited { api, .. } => Some(api),
            _ => None,
        }
    }
}

/// [`Error::Transport`]'s reason for a request that took too long.
pub(crate) const TIMED_OUT: &str = "timed out";

struct RetryHint(Option<SystemTime>);

impl fmt::Display for RetryHint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.map(|reset| reset.duration_since(UNIX_EPOCH)) {
            Some(Ok(since_epoch)) => write!(
                f,
                ", budget resets at {} (Unix time)",
                since_epoch.as_secs()
            ),
            _ => Ok(()),
        }
    }
}

/// Settings that cannot work. Each variant names the setting at fault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A setting has a value that does not parse.
    #[error("{setting} = {value:?} is invalid: expected {expected}")]
    InvalidValue {
        /// The setting, as its environment variable (`HIPCHAT_TIMEOUT`).
        setting: String,
        /// The value as given (never used for tokens).
        value: String,
        /// What would have been accepted.
        expected: String,
    },

    /// The server URL cannot be used as an API root.
    #[error("{setting} = {url:?} is not a usable server root: {problem}")]
    ApiUrl {
        /// The setting (`HIPCHAT_API_URL`).
        setting: &'static str,
        /// The URL, with any password removed.
        url: String,
        /// What is wrong with it.
        problem: &'static str,
    },

    /// A default room or sender breaks HipChat's limits.
    #[error("{setting}: {violation}")]
    Limit {
        /// The setting, as its environment variable (`HIPCHAT_FROM`).
        setting: &'static str,
        /// The broken limit.
        violation: LimitViolation,
    },

    /// A named token's name is malformed.
    #[error(transparent)]
    TokenName(#[from] InvalidTokenName),

    /// The http backend has no default token and the notification names none.
    #[error("no auth token for the http backend: set HIPCHAT_AUTH_TOKEN or Settings::auth_token")]
    MissingToken,

    /// A notification names a token the settings do not have.
    #[error("no token named {name:?}: set {env_var} or add it with Settings::token")]
    UnknownToken {
        /// The token's name.
        name: String,
        /// The environment variable that would provide it.
        env_var: String,
    },

    /// The HTTP client could not be built (TLS set-up).
    #[error("cannot build the HTTP client: {0}")]
    HttpClient(#[source] Box<dyn error::Error + Send + Sync>),
}

/// A rendered notification that HipChat would reject; caught before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationError {
    /// A field is too long or too short.
    #[error(transparent)]
    Limit(#[from] LimitViolation),

    /// A part of a card outside its limit. `field` is the part's path
    /// (`card.title`, `card.attributes[2].label`); `violation` holds the limit and the
    /// value's length and start.
    #[error("{}", .violation.display_as(.field))]
    Card {
        /// The part's path in the card.
        field: String,
        /// The limit broken, the value's length and its start.
        violation: LimitViolation,
    },

    /// A card part outside its closed set: a templated attribute `style` that rendered to
    /// no lozenge. `field` is the part's path (`card.attributes[2].value.style`).
    #[error("{field}: {unknown}")]
    CardValue {
        /// The part's path in the card.
        field: String,
        /// The value and the accepted ones.
        unknown: UnknownValue,
    },

    /// A card or `attach_to` on a message that cannot carry it: a private message, a
    /// shared link, or the HipChat API v1.
    #[error("{what} can only be sent with a room notification (API v2)")]
    NotApplicable {
        /// What was given (`"a card"`, `"attach_to"`).
        what: &'static str,
    },

    /// A room name that cannot be one URL path segment (`.` and `..` are rewritten by
    /// every HTTP stack, so the request would go to another endpoint).
    #[error("room {0:?} cannot be sent: `.` and `..` are not valid room names")]
    UnroutableRoom(String),

    /// A field HipChat requires has no value (update_room's owner, update_user's email:
    /// leaving them out would reset them).
    #[error("{field} is required: {hint}")]
    Required {
        /// The field (`"owner"`, `"email"`).
        field: &'static str,
        /// How to give it.
        hint: &'static str,
    },

    /// A user, key or id that cannot be one URL path segment (empty, `.` or `..`).
    #[error(
        "{what} {value:?} cannot be sent: it must be a non-empty path segment other than `.` and `..`"
    )]
    UnroutableSegment {
        /// What the segment names (`"user"`, `"webhook key"`).
        what: &'static str,
        /// The value given.
        value: String,
    },

    /// A rendered `color` block is not one of HipChat's colors.
    #[error(transparent)]
    UnknownValue(#[from] UnknownValue),

    /// No room in the notification, its template or the settings.
    #[error(
        "no room: give `room = \"...\"` in #[hipchat], a #[hipchat(room)] field, or a default room (HIPCHAT_ROOM)"
    )]
    MissingRoom,

    /// A value with a character its field does not allow, or outside its length (API v1's
    /// `from`); names the field, the rule and the value.
    #[error(transparent)]
    Charset(#[from] CharsetViolation),

    /// The backend (API v1) needs a sender and none was given.
    #[error(
        "no sender: HipChat API v1 requires `from`; give `from = \"...\"` in #[hipchat], Message::from, or a default sender (HIPCHAT_FROM)"
    )]
    MissingFrom,

    /// A message asks for something its backend cannot send.
    #[error("the {backend} backend cannot send {what}")]
    Unsupported {
        /// The backend (`"HipChat API v1"`).
        backend: &'static str,
        /// What it cannot send (`"private messages"`).
        what: &'static str,
    },

    /// A message both to a user and with a share link: links are shared with rooms.
    #[error("a link can only be shared with a room, not sent to a user")]
    ShareLinkToUser,

    /// A share link that is not an absolute http(s) URL.
    #[error("link {link:?} cannot be shared: {reason}")]
    InvalidLink {
        /// The link as given.
        link: String,
        /// Why it was refused.
        reason: String,
    },
}

impl ValidationError {
    /// A card part at `field` outside its limit.
    pub fn card(field: impl Into<String>, violation: LimitViolation) -> Self {
        ValidationError::Card {
            field: field.into(),
            violation,
        }
    }
}

/// What HipChat answered to a failed request.
///
/// Parsed leniently from `{"error": {"code", "type", "message", ...}}`; a body that is not
/// JSON is kept in [`body`](Self::body) and summarised in [`message`](Self::message).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status code.
    pub status: u16,
    /// `error.type`, the reason phrase (`"Bad Request"`).
    pub kind: Option<String>,
    /// `error.message`; the status line when the body has none.
    pub message: String,
    /// `error.field`: the request field that failed validation (400 only).
    pub field: Option<String>,
    /// `error.validation`: the check that failed (`"type"`, `"maxLength"`).
    pub validation: Option<String>,
    /// `error.value`: the value the server rejected.
    pub value: Option<serde_json::Value>,
    /// The rate-limit headers of the response.
    pub rate_limit: RateLimit,
    /// The raw response body.
    pub body: String,
}

impl ApiError {
    /// The scopes a 403 says the token lacks, one of which would do: HipChat answers
    /// `This action requires one of the following scopes: [u'view_group', u'view_room']`
    /// (a Python list). Empty when the message names none.
    ///
    /// ```
    /// use hipchat_runtime::ApiError;
    ///
    /// let mut api = ApiError::default();
    /// api.message = "This action requires one of the following scopes: \
    ///                [u'view_group', u'view_room']".into();
    /// assert_eq!(api.required_scopes(), ["view_group", "view_room"]);
    /// ```
    pub fn required_scopes(&self) -> Vec<&str> {
        let Some(list) = self
            .message
            .split_once("scopes:")
            .and_then(|(_, rest)| rest.trim().strip_prefix('['))
            .and_then(|rest| rest.split_once(']'))
            .map(|(list, _)| list)
        else {
            return Vec::new();
        };
        list.split(',')
            .map(|scope| {
                let scope = scope.trim();
                // Python 2's unicode prefix: `u'view_group'`.
                let scope = match scope.strip_prefix('u') {
                    Some(quoted) if quoted.starts_with(['\'', '"']) => quoted,
                    _ => scope,
                };
                scope.trim_matches(|c| c == '\'' || c == '"')
            })
            .filter(|scope| !scope.is_empty())
            .collect()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        match (&self.field, &self.validation) {
            (Some(field), Some(check)) => write!(f, " (field `{field}` failed `{check}`)"),
            (Some(field), None) => write!(f, " (field `{field}`)"),
            _ => Ok(()),
        }
    }
}

/// HipChat's rate-limit headers: the 5-minute per-token budget (`X-Ratelimit-*`) and the
/// per-room flood control (`X-FloodControl-*`). Resets are Unix timestamps in seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// `X-Ratelimit-Limit`.
    pub limit: Option<u64>,
    /// `X-Ratelimit-Remaining`.
    pub remaining: Option<u64>,
    /// `X-Ratelimit-Reset`.
    pub reset: Option<u64>,
    /// `X-FloodControl-Limit`.
    pub flood_limit: Option<u64>,
    /// `X-FloodControl-Remaining`.
    pub flood_remaining: Option<u64>,
    /// `X-FloodControl-Reset`.
    pub flood_reset: Option<u64>,
}

impl RateLimit {
    /// When the exhausted budget renews: the flood-control reset if the room's budget is
    /// spent, else the token's, else the later of the two known resets.
    pub fn reset_time(&self) -> Option<SystemTime> {
        self.reset_time_at(SystemTime::now())
    }

    /// [`reset_time`](Self::reset_time) read at `now` (a small reset is seconds from
    /// `now`): for clients whose clock is injected.
    pub(crate) fn reset_time_at(&self, now: SystemTime) -> Option<SystemTime> {
        let exhausted =
            |remaining: Option<u64>, reset: Option<u64>| reset.filter(|_| remaining == Some(0));
        exhausted(self.flood_remaining, self.flood_reset)
            .or_else(|| exhausted(self.remaining, self.reset))
            .or(self.flood_reset.max(self.reset))
            .map(|reset| reset_at(reset, now))
    }
}

/// The latest reset read as a time: 9999-12-31T23:59:59Z. A server (or a proxy) may send
/// any number; a larger one is read as this, and the retry deadline then decides.
const LATEST_RESET: u64 = 253_402_300_799;

/// Resets below this are not Unix timestamps (it is 2001-09-09) but seconds from now: a
/// 2018 capture of a 429 shows `X-Ratelimit-Reset: 60` (REST v2 §10, base §8 decision).
const RELATIVE_RESET_BELOW: u64 = 1_000_000_000;

/// When a reset header's value `reset` falls, read at `now`: a Unix timestamp, or for a
/// small value, seconds from `now`.
pub(crate) fn reset_at(reset: u64, now: SystemTime) -> SystemTime {
    if reset < RELATIVE_RESET_BELOW {
        now.checked_add(Duration::from_secs(reset))
            .unwrap_or_else(|| unix_time(u64::MAX))
    } else {
        unix_time(reset)
    }
}

/// A Unix timestamp in seconds as a [`SystemTime`], saturating at [`LATEST_RESET`]
/// (`UNIX_EPOCH + u64::MAX` seconds does not fit a `SystemTime`).
pub(crate) fn unix_time(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs.min(LATEST_RESET))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_reset_is_seconds_from_now() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(reset_at(60, now), now + Duration::from_secs(60));
        assert_eq!(
            reset_at(1_700_000_300, now),
            UNIX_EPOCH + Duration::from_secs(1_700_000_300)
        );
        let limit = RateLimit {
            reset: Some(60),
            remaining: Some(0),
            ..RateLimit::default()
        };
        let reset = limit.reset_time().unwrap();
        let left = reset.duration_since(SystemTime::now()).unwrap();
        assert!(left <= Duration::from_secs(60) && left > Duration::from_secs(50));
    }

    #[test]
    fn reset_time_prefers_the_exhausted_budget() {
        let limit = RateLimit {
            reset: Some(1_500_000_300),
            remaining: Some(40),
            flood_reset: Some(1_500_000_060),
            flood_remaining: Some(0),
            ..RateLimit::default()
        };
        assert_eq!(
            limit.reset_time(),
            Some(UNIX_EPOCH + Duration::from_secs(1_500_000_060))
        );
        let token_spent = RateLimit {
            remaining: Some(0),
            flood_remaining: Some(3),
            ..limit
        };
        assert_eq!(
            token_spent.reset_time(),
            Some(UNIX_EPOCH + Duration::from_secs(1_500_000_300))
        );
        assert_eq!(RateLimit::default().reset_time(), None);
    }

    #[test]
    fn a_reset_beyond_any_date_saturates_instead_of_overflowing() {
        let far = RateLimit {
            reset: Some(u64::MAX),
            flood_reset: Some(u64::MAX - 1),
            ..RateLimit::default()
        };
        let latest = UNIX_EPOCH + Duration::from_secs(LATEST_RESET);
        assert_eq!(far.reset_time(), Some(latest));
        let error = Error::RateLimited {
            reset: far.reset_time(),
            api: Box::default(),
        };
        assert!(error.to_string().contains("253402300799"), "{error}");
    }

    #[test]
    fn rate_limited_display_names_the_reset() {
        let error = Error::RateLimited {
            reset: Some(UNIX_EPOCH + Duration::from_secs(1_500_000_060)),
            api: Box::new(ApiError {
                status: 429,
                message: "Rate Limit exceeded".into(),
                ..ApiError::default()
            }),
        };
        assert_eq!(
            error.to_string(),
            "rate limited by HipChat (429), budget resets at 1500000060 (Unix time): Rate Limit exceeded"
        );
    }
}
