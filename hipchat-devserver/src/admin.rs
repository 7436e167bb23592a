//! The admin JSON API under `/admin`, for tests and tools (no token needed):
//!
//! | request | answer |
//! |---|---|
//! | `GET /admin/rooms` | `[{"name","id","count"}]`: the directory's rooms (configured, created, first used) and rooms with messages |
//! | `GET /admin/rooms/{room}/messages` | the room's messages in order (`{room}`: id or encoded name) |
//! | `DELETE /admin/rooms/{room}/messages` | `{"deleted": n}` |
//! | `GET`/`DELETE /admin/users/{user}/messages` | the same for private messages |
//! | `PUT /admin/rooms/{room}/participants` | `[{"id": 2, "online": true}]` → 204: who is in the room (REST get_all_participants) |
//! | `GET /admin/messages?after=N` | every message with `seq > N` |
//! | `DELETE /admin/messages` | forgets every message |
//! | `GET`/`DELETE /admin/counters` | [`Counters`](crate::stats::Counters) / reset them |
//! | `GET`/`PUT`/`DELETE /admin/faults` | [`FaultConfig`] / set it / turn faults off |
//! | `GET`/`PUT /admin/rate-limits` | [`RateLimitConfig`] |
//! | `DELETE /admin/rate-limits/windows` | forgets every open window |
//! | `/admin/addons…` | Connect add-ons: install, update, uninstall, list (see [`crate::api::connect::admin`]) |

use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};
use percent_encoding::percent_decode_str;
use serde_json::json;

use crate::api::common::raw_segment;
use crate::config::RateLimitConfig;
use crate::error::ApiError;
use crate::faults::FaultConfig;
use crate::recorded::Recipient;
use crate::rooms;
use crate::state::AppState;

/// The admin routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/rooms", get(list_rooms))
        .route(
            "/admin/rooms/{room}/messages",
            get(room_messages).delete(clear_room),
        )
        .route(
            "/admin/users/{user}/messages",
            get(user_messages).delete(clear_user),
        )
        .route(
            "/admin/rooms/{room}/participants",
            axum::routing::put(put_participants),
        )
        .route("/admin/messages", get(all_messages).delete(clear_all))
        .route("/admin/counters", get(counters).delete(reset_counters))
        .route(
            "/admin/faults",
            get(get_faults).put(put_faults).delete(clear_faults),
        )
        .route("/admin/rate-limits", get(get_limits).put(put_limits))
        .route("/admin/rate-limits/windows", delete(reset_windows))
        .merge(crate::api::connect::admin::router())
}

fn room_recipient(state: &AppState, uri: &axum::http::Uri) -> Result<Recipient, ApiError> {
    let room = rooms::resolve_segment(state, raw_segment(uri, 3))?;
    Ok(Recipient::Room(room.name))
}

fn user_recipient(uri: &axum::http::Uri) -> Recipient {
    Recipient::User(
        percent_decode_str(raw_segment(uri, 3))
            .decode_utf8_lossy()
            .into_owned(),
    )
}

async fn list_rooms(State(state): State<AppState>) -> Response {
    let mut rooms: Vec<serde_json::Value> = state
        .directory
        .lock()
        .rooms
        .values()
        .map(|room| json!({"name": room.name, "id": room.id, "count": 0}))
        .collect();
    for (recipient, id, count) in state.store.recipients() {
        let Recipient::Room(name) = recipient else {
            continue;
        };
        match rooms.iter_mut().find(|room| room["name"] == name.as_str()) {
            Some(room) => room["count"] = json!(count),
            None => rooms.push(json!({"name": name, "id": id, "count": count})),
        }
    }
    Json(rooms).into_response()
}

async fn room_messages(State(state): State<AppState>, OriginalUri(uri): OriginalUri) -> Response {
    match room_recipient(&state, &uri) {
        Ok(recipient) => Json(state.store.for_recipient(&recipient)).into_response(),
        Err(error) => error.into_response(),
    }
}

async fn clear_room(State(state): State<AppState>, OriginalUri(uri): OriginalUri) -> Response {
    match room_recipient(&state, &uri) {
        Ok(recipient) => {
            Json(json!({"deleted": state.store.clear_recipient(&recipient)})).into_response()
        }
        Err(error) => error.into_response(),
    }
}

/// One participant in `PUT /admin/rooms/{room}/participants`.
#[derive(serde::Deserialize)]
struct Participant {
    id: u64,
    #[serde(default = "online")]
    online: bool,
}

fn online() -> bool {
    true
}

async fn put_participants(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    body: axum::body::Bytes,
) -> Response {
    let participants: Vec<Participant> = match serde_json::from_slice(&body) {
        Ok(participants) => participants,
        Err(error) => {
            return ApiError::bad_request(format!("Invalid participants: {error}")).into_response();
        }
    };
    let room = match rooms::resolve_segment(&state, raw_segment(&uri, 3)) {
        Ok(room) => room,
        Err(error) => return error.into_response(),
    };
    let mut data = state.directory.lock();
    if let Some(room) = data.rooms.get_mut(&room.id) {
        room.participants = participants.iter().map(|p| (p.id, p.online)).collect();
        room.touch();
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn user_messages(State(state): State<AppState>, OriginalUri(uri): OriginalUri) -> Response {
    Json(state.store.for_recipient(&user_recipient(&uri))).into_response()
}

async fn clear_user(State(state): State<AppState>, OriginalUri(uri): OriginalUri) -> Response {
    Json(json!({"deleted": state.store.clear_recipient(&user_recipient(&uri))})).into_response()
}

/// `?after=N` (0 when absent or not a number).
pub fn after(uri: &axum::http::Uri) -> u64 {
    crate::api::common::Query::from_uri(uri)
        .get("after")
        .and_then(|after| after.parse().ok())
        .unwrap_or(0)
}

async fn all_messages(State(state): State<AppState>, OriginalUri(uri): OriginalUri) -> Response {
    let after = after(&uri);
    Json(state.store.since(after)).into_response()
}

async fn clear_all(State(state): State<AppState>) -> Response {
    Json(json!({"deleted": state.store.clear()})).into_response()
}

async fn counters(State(state): State<AppState>) -> Response {
    Json(state.stats.snapshot()).into_response()
}

async fn reset_counters(State(state): State<AppState>) -> Response {
    state.stats.reset();
    StatusCode::NO_CONTENT.into_response()
}

async fn get_faults(State(state): State<AppState>) -> Response {
    Json(state.faults.config()).into_response()
}

async fn put_faults(State(state): State<AppState>, body: axum::body::Bytes) -> Response {
    let config: FaultConfig = match serde_json::from_slice(&body) {
        Ok(config) => config,
        Err(error) => {
            return ApiError::bad_request(format!("Invalid fault config: {error}")).into_response();
        }
    };
    match state.faults.set(config) {
        Ok(()) => Json(state.faults.config()).into_response(),
        Err(message) => ApiError::bad_request(message).into_response(),
    }
}

async fn clear_faults(State(state): State<AppState>) -> Response {
    // Turning faults off always passes the checks.
    let _ = state.faults.set(FaultConfig::default());
    StatusCode::NO_CONTENT.into_response()
}

async fn get_limits(State(state): State<AppState>) -> Response {
    Json(state.limiter.config()).into_response()
}

async fn put_limits(State(state): State<AppState>, body: axum::body::Bytes) -> Response {
    match serde_json::from_slice::<RateLimitConfig>(&body) {
        Ok(config) => {
            state.limiter.set_config(config);
            Json(config).into_response()
        }
        Err(error) => {
            ApiError::bad_request(format!("Invalid rate-limit config: {error}")).into_response()
        }
    }
}

async fn reset_windows(State(state): State<AppState>) -> Response {
    state.limiter.reset();
    StatusCode::NO_CONTENT.into_response()
}
