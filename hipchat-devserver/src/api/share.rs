//! `POST /v2/room/{room}/share/link` (share_link_with_room, spec §9): 204.

use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::common::{self, Query};
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{Kind, NewMessage, Recipient};
use crate::{auth, body, rooms, validate};

/// Handles share_link_with_room.
pub async fn link(
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
        .and_then(|body| validate::validate(&body, validate::SHARE_LINK).map(|()| body))
        .map_err(|error| error.with_headers(common::peek_flood(state, &flood_key)))?;
    let flood = common::take_flood(state, &flood_key)?;
    common::record(
        state,
        NewMessage {
            kind: Kind::ShareLink,
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
            link: common::text(&body, "link"),
        },
    );
    Ok(common::empty(StatusCode::NO_CONTENT, flood))
}
