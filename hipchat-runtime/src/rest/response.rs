//! HipChat's answers: error bodies turned into [`Error`] variants (with any echoed token
//! redacted), and the rate-limit headers of every answer.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName};
use serde::Deserialize;

use crate::error::{ApiError, RateLimit};
use secrecy::{ExposeSecret, SecretString};

use super::url::encoded;

use crate::{Error, Target};

/// What a request was about, so that a 404 says what was not found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Subject<'a> {
    /// A room, by id or name: 404 is [`Error::RoomNotFound`].
    Room(&'a str),
    /// A user, by id, email or `@mention`: 404 is [`Error::UserNotFound`].
    User(&'a str),
    /// A user in a room (members, invitations): 404 is [`Error::UserNotFound`] when the
    /// server says the user is missing (`User not found`), else [`Error::RoomNotFound`].
    RoomAndUser {
        /// The room.
        room: &'a str,
        /// The user.
        user: &'a str,
    },
    /// Anything else (`webhook 12 in room Ops`): 404 is [`Error::NotFound`].
    Other(&'a str),
}

impl<'a> From<Target<'a>> for Subject<'a> {
    fn from(target: Target<'a>) -> Self {
        match target {
            Target::User(user) => Subject::User(user),
            Target::Room(room) | Target::ShareLink { room, .. } => Subject::Room(room),
        }
    }
}

/// Turns a non-success answer into the error it means: body read (capped), any echo of
/// `token` redacted. `rate_limited` says whether this status is a spent rate limit (429;
/// on API v1 also 403).
pub(crate) async fn error_from(
    response: reqwest::Response,
    subject: Subject<'_>,
    rate_limited: bool,
    token: &SecretString,
) -> Error {
    let status = response.status();
    let headers = response.headers().clone();
    let body = read_error_body(response).await;
    let mut error = redact(
        error_for_status(status, &headers, body, subject, rate_limited),
        token,
    );
    if let Some(api) = error.api_mut() {
        cap_error_body(&mut api.body);
    }
    error
}

/// Reads a success answer's body, at most `limit` bytes: a larger one is
/// [`Error::Decode`] (not HipChat's), a broken one [`Error::Transport`]. `shown` is the
/// endpoint as errors may show it, built only when one is.
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    limit: usize,
    shown: impl Fn() -> String,
) -> Result<Vec<u8>, Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|source| transport_error(source, shown()))?
    {
        if body.len() + chunk.len() > limit {
            return Err(Error::Decode {
                endpoint: shown(),
                source: format!("the answer is larger than {} KiB", limit / 1024).into(),
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A request that got no answer: the endpoint as it may be shown (the caller's to say:
/// a v1 URL holds the token) and the underlying error stripped of its URL.
pub(crate) fn transport_error(source: reqwest::Error, endpoint: String) -> Error {
    let reason = if source.is_timeout() {
        crate::error::TIMED_OUT
    } else if source.is_connect() {
        "connection failed"
    } else {
        "request failed"
    };
    Error::Transport {
        endpoint,
        reason,
        source: Box::new(source.without_url()),
    }
}

/// Maps a non-success response to its variant. Branches on the status only: HipChat's
/// messages changed over the years (`Room not found` became `Room <name> not found`).
fn error_for_status(
    status: StatusCode,
    headers: &HeaderMap,
    body: String,
    subject: Subject<'_>,
    rate_limited: bool,
) -> Error {
    let api = Box::new(api_error(status, headers, body));
    if rate_limited {
        return Error::RateLimited {
            reset: api.rate_limit.reset_time(),
            api,
        };
    }
    match status.as_u16() {
        400 => Error::BadRequest(api),
        401 => Error::Unauthorized(api),
        403 => Error::Forbidden(api),
        404 => match subject {
            Subject::User(user) => Error::UserNotFound {
                user: user.to_owned(),
                api,
            },
            Subject::Room(room) => Error::RoomNotFound {
                room: room.to_owned(),
                api,
            },
            Subject::RoomAndUser { room, user } => {
                if api
                    .message
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("user")
                {
                    Error::UserNotFound {
                        user: user.to_owned(),
                        api,
                    }
                } else {
                    Error::RoomNotFound {
                        room: room.to_owned(),
                        api,
                    }
                }
            }
            Subject::Other(resource) => Error::NotFound {
                resource: resource.to_owned(),
                api,
            },
        },
        500..=599 => Error::Server(api),
        _ => Error::UnexpectedStatus(api),
    }
}

/// HipChat's error bodies are small JSON documents; a proxy's error page can be anything.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Read beyond [`MAX_ERROR_BODY`], so that a token echoed across the cap is whole when it
/// is redacted; cut off after ([`cap_error_body`]).
const READ_PAST_CAP: usize = 4 * 1024;

/// Reads at most [`MAX_ERROR_BODY`] (plus [`READ_PAST_CAP`]) bytes of an error response.
/// A body that cannot be read still leaves the status to report.
async fn read_error_body(mut response: reqwest::Response) -> String {
    let limit = MAX_ERROR_BODY + READ_PAST_CAP;
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        let room = limit - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() == limit {
            break;
        }
    }
    String::from_utf8_lossy(&body).into_owned()
}

/// Cuts a (redacted) error body to [`MAX_ERROR_BODY`] bytes, at a character boundary.
fn cap_error_body(body: &mut String) {
    if body.len() > MAX_ERROR_BODY {
        let end = (0..=MAX_ERROR_BODY)
            .rev()
            .find(|&i| body.is_char_boundary(i))
            .unwrap_or(0);
        body.truncate(end);
    }
}

#[derive(Deserialize)]
struct Envelope {
    error: Body,
}

#[derive(Deserialize)]
struct Body {
    #[serde(rename = "type")]
    kind: Option<String>,
    message: Option<String>,
    field: Option<String>,
    validation: Option<String>,
    value: Option<serde_json::Value>,
}

fn api_error(status: StatusCode, headers: &HeaderMap, body: String) -> ApiError {
    let parsed = serde_json::from_str::<Envelope>(&body)
        .ok()
        .map(|envelope| envelope.error);
    let status_line = || {
        status
            .canonical_reason()
            .unwrap_or("no reason phrase")
            .to_owned()
    };
    let (kind, message, field, validation, value) = match parsed {
        Some(error) => (
            error.kind,
            error.message.unwrap_or_else(status_line),
            error.field,
            error.validation,
            error.value,
        ),
        None => (None, status_line(), None, None, None),
    };
    ApiError {
        status: status.as_u16(),
        kind,
        message,
        field,
        validation,
        value,
        rate_limit: rate_limit(headers),
        body,
    }
}

/// Reads `X-Ratelimit-*` and `X-FloodControl-*` (header names are case-insensitive).
pub(crate) fn rate_limit(headers: &HeaderMap) -> RateLimit {
    // Names built at compile time: a `&str` name is parsed again on every lookup.
    const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
    const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
    const RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");
    const FLOOD_LIMIT: HeaderName = HeaderName::from_static("x-floodcontrol-limit");
    const FLOOD_REMAINING: HeaderName = HeaderName::from_static("x-floodcontrol-remaining");
    const FLOOD_RESET: HeaderName = HeaderName::from_static("x-floodcontrol-reset");
    let number = |name: HeaderName| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse().ok())
    };
    RateLimit {
        limit: number(LIMIT),
        remaining: number(REMAINING),
        reset: number(RESET),
        flood_limit: number(FLOOD_LIMIT),
        flood_remaining: number(FLOOD_REMAINING),
        flood_reset: number(FLOOD_RESET),
    }
}

/// What replaces the token wherever it would be shown.
pub(crate) const REDACTED: &str = "<redacted>";

/// Replaces `token` wherever a server's answer echoed it: a proxy's error page quoting a
/// v1 URL, or a debugging endpoint echoing the request's `Authorization` header. Every
/// version: what a server sends back is not ours to trust.
pub(crate) fn redact(mut error: Error, token: &SecretString) -> Error {
    let secret = token.expose_secret();
    let Some(api) = error.api_mut().filter(|_| !secret.is_empty()) else {
        return error;
    };
    // As sent and as it appears percent-encoded in a path the server echoes.
    let encoded = encoded(secret).to_string();
    let forms = [secret, encoded.as_str()];
    let hide = |text: &mut String| {
        for form in forms {
            if text.contains(form) {
                *text = text.replace(form, REDACTED);
            }
        }
    };
    hide(&mut api.body);
    hide(&mut api.message);
    for text in [&mut api.kind, &mut api.field, &mut api.validation]
        .into_iter()
        .flatten()
    {
        hide(text);
    }
    if let Some(value) = &api.value {
        let mut text = value.to_string();
        if forms.iter().any(|form| text.contains(form)) {
            hide(&mut text);
            api.value = Some(serde_json::Value::String(text));
        }
    }
    error
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    #[test]
    fn redacts_echoed_tokens_from_every_part_of_an_answer() {
        let token = SecretString::from("s3cr3t");
        let error = Error::BadRequest(Box::new(ApiError {
            status: 400,
            message: "bad request for /v1/rooms/message?auth_token=s3cr3t".into(),
            field: Some("Authorization: Bearer s3cr3t".into()),
            value: Some(serde_json::json!({"headers": {"authorization": "Bearer s3cr3t"}})),
            body: "<p>Authorization: Bearer s3cr3t</p>".into(),
            ..ApiError::default()
        }));
        let error = redact(error, &token);
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("auth_token=<redacted>"), "{shown}");
        assert!(shown.contains("Bearer <redacted>"), "{shown}");
    }

    #[test]
    fn an_error_body_is_cut_at_the_cap_on_a_character_boundary() {
        let mut body = format!("{}é and more", "x".repeat(MAX_ERROR_BODY - 1));
        cap_error_body(&mut body);
        assert_eq!(body.len(), MAX_ERROR_BODY - 1, "é does not fit whole");
        let mut short = "short".to_owned();
        cap_error_body(&mut short);
        assert_eq!(short, "short");
    }

    #[test]
    fn survives_bodies_that_are_not_json() {
        let error = error_for_status(
            StatusCode::BAD_GATEWAY,
            &HeaderMap::new(),
            "<html>upstream down</html>".into(),
            Subject::Room("Ops"),
            false,
        );
        let Error::Server(api) = error else {
            panic!("expected Server, got {error:?}")
        };
        assert_eq!(api.status, 502);
        assert_eq!(api.message, "Bad Gateway");
        assert_eq!(api.body, "<html>upstream down</html>");
    }

    #[test]
    fn a_403_is_a_rate_limit_only_when_the_wire_says_so() {
        let body = r#"{"error":{"code":403,"type":"Forbidden","message":"You have exceeded the rate limit."}}"#;
        let map = |rate_limited| {
            error_for_status(
                StatusCode::FORBIDDEN,
                &HeaderMap::new(),
                body.into(),
                Subject::Room("Ops"),
                rate_limited,
            )
        };
        assert!(matches!(map(true), Error::RateLimited { .. }));
        assert!(matches!(map(false), Error::Forbidden(_)));
        let error = error_for_status(
            StatusCode::NOT_FOUND,
            &HeaderMap::new(),
            String::new(),
            Subject::Other("webhook 7 in room Ops"),
            false,
        );
        assert!(
            matches!(error, Error::NotFound { ref resource, .. } if resource == "webhook 7 in room Ops")
        );
        let error = error_for_status(
            StatusCode::NOT_FOUND,
            &HeaderMap::new(),
            String::new(),
            Subject::User("@alice"),
            false,
        );
        assert!(matches!(error, Error::UserNotFound { ref user, .. } if user == "@alice"));
    }

    #[test]
    fn reads_rate_limit_headers_in_any_case() {
        let mut headers = HeaderMap::new();
        headers.insert("X-Ratelimit-Remaining", HeaderValue::from_static("0"));
        headers.insert("X-Ratelimit-Reset", HeaderValue::from_static("1500000300"));
        headers.insert("X-Floodcontrol-Remaining", HeaderValue::from_static(" 12 "));
        headers.insert(
            "X-FloodControl-Limit",
            HeaderValue::from_static("not a number"),
        );
        let limit = rate_limit(&headers);
        assert_eq!(limit.remaining, Some(0));
        assert_eq!(limit.reset, Some(1_500_000_300));
        assert_eq!(limit.flood_remaining, Some(12));
        assert_eq!(limit.flood_limit, None);
    }
}

/// Whatever a server sends back, the parser answers with a typed error and never panics.
#[cfg(test)]
mod fuzz {
    use proptest::prelude::*;
    use reqwest::header::{HeaderName, HeaderValue};

    use super::*;

    const RATE_LIMIT_HEADERS: [&str; 6] = [
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
        "x-floodcontrol-limit",
        "x-floodcontrol-remaining",
        "x-floodcontrol-reset",
    ];

    /// Header values as servers write them: numbers of any size and sign, garbage, and
    /// arbitrary visible bytes.
    fn header_value() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<u64>().prop_map(|n| n.to_string()),
            any::<i64>().prop_map(|n| n.to_string()),
            Just("18446744073709551616".to_owned()),
            Just(" 12 ".to_owned()),
            "[ -~]{0,40}",
        ]
    }

    fn body() -> impl Strategy<Value = String> {
        prop_oneof![
            ".{0,200}",
            (any::<u16>(), ".{0,40}", ".{0,40}").prop_map(|(code, kind, message)| {
                serde_json::json!({"error": {"code": code, "type": kind, "message": message}})
                    .to_string()
            }),
            Just(r#"{"error": null}"#.to_owned()),
            Just(r#"{"error": {"message": 5, "field": []}}"#.to_owned()),
        ]
    }

    proptest! {
        #[test]
        fn any_answer_maps_to_a_typed_error(
            status in 100u16..=999,
            values in proptest::collection::vec(header_value(), 6),
            body in body(),
            v1 in any::<bool>(),
        ) {
            let mut headers = HeaderMap::new();
            for (name, value) in RATE_LIMIT_HEADERS.iter().zip(&values) {
                if let Ok(value) = HeaderValue::from_str(value) {
                    headers.insert(HeaderName::from_static(name), value);
                }
            }
            let limits = rate_limit(&headers);
            // A header is read only when it is a whole number that fits.
            for (read, value) in [limits.limit, limits.remaining, limits.reset]
                .into_iter()
                .zip(&values)
            {
                prop_assert_eq!(read, value.trim().parse::<u64>().ok());
            }
            let _ = limits.reset_time();
            let status = StatusCode::from_u16(status).unwrap();
            let error = error_for_status(status, &headers, body.clone(), Subject::Room("Ops"), v1);
            let api = error.api().expect("every status error carries the answer");
            prop_assert_eq!(api.status, status.as_u16());
            prop_assert_eq!(&api.body, &body);
            let _ = (error.to_string(), format!("{error:?}"), error.is_retryable());
        }
    }
}
