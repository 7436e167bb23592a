//! `POST /v2/room/{room_id_or_name}/notification` (spec §4).
//!
//! Order: token (401), room (404), room binding (401), `auth_test` (202, no flood
//! allowance used), body checks (400), flood control (429), record → 204. The token's
//! own budget is counted by the v2 layer before this handler runs.

use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::Value;

use super::common::{self, Query};
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{Kind, NewMessage, Recipient};
use crate::{auth, body, rooms, validate};

/// Handles send_room_notification.
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
    let caller = auth::authenticate(state, auth::token(headers, &query), "send_notification", 2)?;
    let room = rooms::resolve_segment(state, common::raw_segment(uri, 3))?;
    caller.check_room(&room)?;
    let flood_key = format!("room:{}", room.name);
    if query.auth_test() {
        return Ok(common::auth_test_response(common::peek_flood(
            state, &flood_key,
        )));
    }
    let checked = body::parse(headers, bytes)
        .and_then(|body| validate::validate(&body, validate::NOTIFICATION).map(|()| body));
    let body =
        checked.map_err(|error| error.with_headers(common::peek_flood(state, &flood_key)))?;
    let flood = common::take_flood(state, &flood_key)?;
    common::record(
        state,
        NewMessage {
            kind: Kind::Notification,
            recipient: Recipient::Room(room.name.clone()),
            room_id: room.id,
            sender: caller.label,
            from: common::text(&body, "from"),
            message: common::text(&body, "message").unwrap_or_default(),
            message_format: common::text(&body, "message_format").unwrap_or_else(|| "html".into()),
            color: common::text(&body, "color").unwrap_or_else(|| "yellow".into()),
            notify: body.get("notify").and_then(Value::as_bool).unwrap_or(false),
            attach_to: common::text(&body, "attach_to"),
            card: body.get("card").filter(|card| !card.is_null()).cloned(),
            link: None,
        },
    );
    Ok(common::empty(StatusCode::NO_CONTENT, flood))
}
