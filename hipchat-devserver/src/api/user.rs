//! `POST /v2/user/{id_or_email}/message` (private_message_user, spec §9): 204. Flood
//! control counts per recipient user.

use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use percent_encoding::percent_decode_str;
use serde_json::Value;

use super::common::{self, Query};
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{Kind, NewMessage, Recipient};
use crate::{auth, body, validate};

/// Handles private_message_user.
pub async fn private_message(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    common::respond(handle(&state, &uri, &headers, &bytes))
}

fn handle(
    state: &AppState,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    bytes: &[u8],
) -> Result<Response, ApiError> {
    let query = Query::from_uri(uri);
    let caller = auth::authenticate(state, auth::token(headers, &query), "send_message", 2)?;
    let user = percent_decode_str(common::raw_segment(uri, 3))
        .decode_utf8()
        .map_err(|_| ApiError::new(StatusCode::NOT_FOUND, "User not found"))?
        .into_owned();
    let flood_key = format!("user:{user}");
    if query.auth_test() {
        return Ok(common::auth_test_response(common::peek_flood(
            state, &flood_key,
        )));
    }
    let body = body::parse(headers, bytes)
        .and_then(|body| validate::validate(&body, validate::PRIVATE_MESSAGE).map(|()| body))
        .map_err(|error| error.with_headers(common::peek_flood(state, &flood_key)))?;
    let flood = common::take_flood(state, &flood_key)?;
    common::record(
        state,
        NewMessage {
            kind: Kind::PrivateMessage,
            recipient: Recipient::User(user),
            room_id: None,
            sender: caller.label,
            from: None,
            message: common::text(&body, "message").unwrap_or_default(),
            message_format: common::text(&body, "message_format").unwrap_or_else(|| "text".into()),
            color: "gray".into(),
            notify: body.get("notify").and_then(Value::as_bool).unwrap_or(false),
            attach_to: None,
            card: None,
            link: None,
        },
    );
    Ok(common::empty(StatusCode::NO_CONTENT, flood))
}
