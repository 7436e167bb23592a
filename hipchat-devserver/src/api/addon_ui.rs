//! addon_ui_update (spec v2 §9, connect §6): `POST /v2/addon/ui/room/{room}` with
//! `{"glance": [{"key", "content"}]}`; scope view_room; add-on callers (G R); 204. The
//! content is kept on the room by glance key (`DevServer::room_glances`). The group and
//! user variants (`/addon/ui`, `/addon/ui/user/{user}`, ...) are not here yet.

use axum::Router;
use axum::response::Response;
use serde_json::Value;

use super::rest::{self, Call};
use crate::auth::kinds;
use crate::error::ApiError;
use crate::state::AppState;
use crate::validate::{self, Field, Kind};

/// The body of addon_ui_update.
pub const RULES: &[Field] = &[Field::of("glance", true, Kind::Array)];

/// The add-on UI routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/v2/addon/ui/room/{room}", rest::post(update_room_ui))
}

/// `POST /v2/addon/ui/room/{room}`.
pub fn update_room_ui(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(&["view_room"], kinds::ADDON)?;
    let body = call.json(RULES)?;
    let mut updates = Vec::new();
    for glance in body["glance"].as_array().into_iter().flatten() {
        let key = glance
            .get("key")
            .and_then(Value::as_str)
            .ok_or_else(|| validate::not_of_type("glance", glance, "glance update"))?;
        let content = glance.get("content").cloned().unwrap_or(Value::Null);
        updates.push((key.to_owned(), content));
    }
    let room = call.room_to_write_at(&caller, 5)?;
    let mut data = call.state.directory.lock();
    let room = data
        .rooms
        .get_mut(&room.id)
        .ok_or_else(ApiError::room_not_found)?;
    room.glances.extend(updates);
    room.touch();
    Ok(rest::no_content())
}
