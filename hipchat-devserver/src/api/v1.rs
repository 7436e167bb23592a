//! `POST /v1/rooms/message?format=json&auth_token=…` (spec §7, deprecated API v1).
//!
//! Parameters come from the form body or the query (the body wins). Bad token → the v1
//! 401 body; over the v1 limit → **403** (not 429); bad parameters → 400 in the v2 error
//! shape; success → 200 `{"status": "sent"}`. Every answer carries the `X-Ratelimit-*`
//! headers of the token's v1 budget: counted once the token is accepted, shown uncounted
//! when it is refused, the anonymous budget's when it is missing. Answers the handler
//! never gives (unknown path, fault) get them from the API's rate-limit layer.

use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::common;
use crate::error::{ApiError, Validation};
use crate::rate_limit::Budget;
use crate::recorded::{Kind, NewMessage, Recipient};
use crate::state::AppState;
use crate::validate::{COLORS, FORMATS};
use crate::{auth, body, rooms};

const AUTH_INVALID: &str = "Auth token invalid. Please see: https://www.hipchat.com/docs/api/auth";
const RATE_LIMITED: &str =
    "You have exceeded the rate limit. See https://www.hipchat.com/docs/api/rate_limiting";

/// Handles rooms/message (route it with [`common::post_route`]).
pub fn rooms_message(state: &AppState, uri: &Uri, headers: &HeaderMap, bytes: &[u8]) -> Response {
    common::respond(handle(state, uri, headers, bytes))
}

struct Params(Vec<(String, String)>);

impl Params {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

fn handle(
    state: &AppState,
    uri: &Uri,
    _headers: &HeaderMap,
    bytes: &[u8],
) -> Result<Response, ApiError> {
    let mut pairs = body::form_pairs(bytes);
    pairs.extend(body::form_pairs(uri.query().unwrap_or_default().as_bytes()));
    let params = Params(pairs);
    let token = params.get("auth_token").filter(|token| !token.is_empty());
    let caller = auth::authenticate(state, token, &["send_notification"], 1).map_err(|_| {
        ApiError::new(StatusCode::UNAUTHORIZED, AUTH_INVALID)
            .with_headers(peek_limit(state, token.unwrap_or_default()))
    })?;
    let status = state
        .limiter
        .take(Budget::V1, &caller.token, state.clock.now());
    let limit = status.headers(Budget::V1);
    if status.exceeded {
        state.stats.rate_limited();
        return Err(ApiError::new(StatusCode::FORBIDDEN, RATE_LIMITED).with_headers(limit));
    }
    match send(state, &params, &caller) {
        Ok(mut response) => {
            response.headers_mut().extend(limit);
            Ok(response)
        }
        Err(error) => Err(error.with_headers(limit)),
    }
}

/// The `X-Ratelimit-*` headers of `token`'s v1 budget (`""`: no token), without counting
/// a request: for answers that come before the budget is drawn on.
pub fn peek_limit(state: &AppState, token: &str) -> HeaderMap {
    state
        .limiter
        .peek(Budget::V1, token, state.clock.now())
        .headers(Budget::V1)
}

/// Checks the parameters, records the message, answers 200.
fn send(state: &AppState, params: &Params, caller: &auth::Caller) -> Result<Response, ApiError> {
    let room_id = required(params, "room_id")?;
    let from = required(params, "from")?;
    let message = required(params, "message")?;
    let format = one_of(params, "message_format", FORMATS, "html")?;
    let color = one_of(params, "color", COLORS, "yellow")?;
    let notify = one_of(params, "notify", &["0", "1"], "0")?;
    let answer_format = one_of(params, "format", &["json", "xml"], "json")?;
    check_length(from, "from", 1, 15)?;
    if !from
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
    {
        return Err(invalid(
            "from",
            "pattern",
            from,
            "Field 'from' may hold only letters, digits, '-', '_' and spaces".into(),
        ));
    }
    check_length(message, "message", 1, 10_000)?;
    let room = rooms::find_or_create(state, room_id, caller.user_id)?;
    caller.check_room(&room)?;
    common::record(
        state,
        NewMessage {
            room_id: Some(room.id),
            message_format: format.to_owned(),
            color: color.to_owned(),
            notify: notify == "1",
            ..NewMessage::plain(
                Kind::V1,
                Recipient::Room(room.name.clone()),
                from.to_owned(),
                message.to_owned(),
            )
        },
    );
    Ok(if answer_format == "xml" {
        (
            [(axum::http::header::CONTENT_TYPE, "application/xml")],
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<response><status>sent</status></response>\n",
        )
            .into_response()
    } else {
        axum::Json(json!({"status": "sent"})).into_response()
    })
}

fn invalid(field: &str, check: &str, value: &str, message: String) -> ApiError {
    ApiError::invalid(
        message,
        Validation {
            field: field.into(),
            validation: check.into(),
            value: Value::String(value.into()),
            expected_type: json!("string"),
            description: None,
        },
    )
}

fn required<'a>(params: &'a Params, name: &str) -> Result<&'a str, ApiError> {
    params.get(name).ok_or_else(|| {
        ApiError::invalid(
            format!("Required field '{name}' is missing"),
            Validation {
                field: name.into(),
                validation: "required".into(),
                value: Value::Null,
                expected_type: json!("string"),
                description: None,
            },
        )
    })
}

fn one_of<'a>(
    params: &'a Params,
    name: &str,
    values: &[&str],
    default: &'a str,
) -> Result<&'a str, ApiError> {
    match params.get(name) {
        None => Ok(default),
        Some(value) if values.contains(&value) => Ok(value),
        Some(value) => Err(invalid(
            name,
            "enum",
            value,
            format!("Value {value:?} for field '{name}' is not one of {values:?}"),
        )),
    }
}

fn check_length(value: &str, name: &str, min: usize, max: usize) -> Result<(), ApiError> {
    let length = value.chars().count();
    if length < min {
        return Err(invalid(
            name,
            "minLength",
            value,
            format!("Field '{name}' must be at least {min} characters"),
        ));
    }
    if length > max {
        return Err(invalid(
            name,
            "maxLength",
            value,
            format!("Field '{name}' must be at most {max} characters"),
        ));
    }
    Ok(())
}
