//! `POST /v2/room/{room}/message` (send_message, spec §9): posts as the token's user and
//! answers 201 `{"id": <uuid>, "timestamp": <ISO 8601>}`.

use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::common::{self, Query};
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{Kind, NewMessage, Recipient};
use crate::{auth, body, rooms, validate};

/// Handles send_message.
pub async fn send(
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
    let room = rooms::resolve_segment(state, common::raw_segment(uri, 3))?;
    caller.check_room(&room)?;
    let flood_key = format!("room:{}", room.name);
    if query.auth_test() {
        return Ok(common::auth_test_response(common::peek_flood(
            state, &flood_key,
        )));
    }
    let body = body::parse(headers, bytes)
        .and_then(|body| validate::validate(&body, validate::ROOM_MESSAGE).map(|()| body))
        .map_err(|error| error.with_headers(common::peek_flood(state, &flood_key)))?;
    let flood = common::take_flood(state, &flood_key)?;
    let recorded = common::record(
        state,
        NewMessage {
            kind: Kind::Message,
            recipient: Recipient::Room(room.name.clone()),
            room_id: room.id,
            sender: caller.label,
            from: None,
            message: common::text(&body, "message").unwrap_or_default(),
            message_format: "text".into(),
            color: "gray".into(),
            notify: false,
            attach_to: None,
            card: None,
            link: None,
        },
    );
    let answer = serde_json::json!({"id": recorded.id, "timestamp": recorded.timestamp});
    let mut response = (StatusCode::CREATED, axum::Json(answer)).into_response();
    response.headers_mut().extend(flood);
    Ok(response)
}
