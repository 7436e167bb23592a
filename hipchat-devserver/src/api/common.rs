//! Helpers every endpoint uses: the query string, raw path segments, flood control,
//! recording, and turning a result into a response.

use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::rate_limit::Budget;
use crate::state::AppState;
use crate::store::{NewMessage, Recorded};

/// Decoded query parameters (first value wins).
#[derive(Debug, Default, Clone)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// Parses a request's query string.
    pub fn from_uri(uri: &Uri) -> Self {
        Self(crate::body::form_pairs(
            uri.query().unwrap_or_default().as_bytes(),
        ))
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// `auth_test=true` (spec §3).
    pub fn auth_test(&self) -> bool {
        self.get("auth_test")
            .is_some_and(|value| value.eq_ignore_ascii_case("true"))
    }
}

/// The `index`th segment of the path, still percent-encoded (`/v2/room/{room}/…` → 3).
pub fn raw_segment(uri: &Uri, index: usize) -> &str {
    uri.path().split('/').nth(index).unwrap_or_default()
}

/// The 202 answer to `auth_test=true`.
pub fn auth_test_response(headers: HeaderMap) -> Response {
    let body = serde_json::json!({"success": {
        "code": 202,
        "type": "Accepted",
        "message": "This auth_token has access to use this method."
    }});
    let mut response = (StatusCode::ACCEPTED, axum::Json(body)).into_response();
    response.headers_mut().extend(headers);
    response
}

/// Counts one message against `key`'s flood budget: its headers, or the 429.
pub fn take_flood(state: &AppState, key: &str) -> Result<HeaderMap, ApiError> {
    let status = state.limiter.take(Budget::Flood, key, state.clock.now());
    let headers = status.headers(Budget::Flood);
    if status.exceeded {
        state.stats.rate_limited();
        return Err(ApiError::rate_limited().with_headers(headers));
    }
    Ok(headers)
}

/// The flood headers without counting a message.
pub fn peek_flood(state: &AppState, key: &str) -> HeaderMap {
    state
        .limiter
        .peek(Budget::Flood, key, state.clock.now())
        .headers(Budget::Flood)
}

/// Records an accepted message.
pub fn record(state: &AppState, message: NewMessage) -> Recorded {
    state.stats.accepted();
    let recorded = state.store.record(message, state.clock.now());
    tracing::info!(
        seq = recorded.seq,
        recipient = ?recorded.recipient,
        "message recorded"
    );
    recorded
}

/// A string field of a validated body.
pub fn text(body: &Map<String, Value>, name: &str) -> Option<String> {
    body.get(name).and_then(Value::as_str).map(str::to_owned)
}

/// Either response.
pub fn respond(result: Result<Response, ApiError>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

/// `status` with headers and no body.
pub fn empty(status: StatusCode, headers: HeaderMap) -> Response {
    let mut response = status.into_response();
    response.headers_mut().extend(headers);
    response
}
