//! Add-on UI and integration links (spec v2 §9).
//!
//! * addon_ui_update: `POST /v2/addon/ui` (the group; G), `/v2/addon/ui/user/{user}`
//!   (G), `/v2/addon/ui/room/{room}/user/{user}` (G R, the room checked against a
//!   room-bound token); scope view_group; body `{"glance":[{"key","content"}]}` (each
//!   content kept by scope and key; a `null` content removes it); 204.
//!   `/v2/addon/ui/room/{room}` (G R, scope view_room) keeps the content on the room
//!   (`DevServer::room_glances`).
//! * create_integration_link: `POST /v2/addon/link` `{"target" (req, string), "ttl"
//!   (req, integer ≥ 1, seconds)}` → 200 \[decision: the body is unrecorded\]
//!   `{"token", "target", "ttl", "expires"}` (`expires` ISO as §1.1); G R, no scope.
//! * delete_integration_link: `DELETE /v2/addon/link/{token}` → 204; unknown → 404
//!   `Link not found`.

use axum::response::Response;
use serde_json::{Value, json};

use super::rest::{self, Call, shapes};
use crate::auth::kinds;
use crate::directory::addon::{GlanceScope, Link};
use crate::error::ApiError;
use crate::validate::{self, Field, Kind};

/// The body of addon_ui_update.
pub const UI: &[Field] = &[Field::of("glance", true, Kind::Array)];

/// The body of create_integration_link (`ttl` must also be an integer ≥ 1).
pub const LINK: &[Field] = &[
    Field::string("target", true, 1, None),
    Field::of("ttl", true, Kind::IdOrName),
];

/// The `(key, content)` pairs of an addon_ui_update body: 400 (`glance`) unless every
/// entry is an object with a non-empty string `key` and a `content`.
pub fn glances(call: &Call) -> Result<Vec<(String, Value)>, ApiError> {
    let body = call.json(UI)?;
    let list = body.get("glance").and_then(Value::as_array).cloned();
    let mut out = Vec::new();
    for entry in list.unwrap_or_default() {
        let key = entry.get("key").and_then(Value::as_str).unwrap_or_default();
        match entry.get("content") {
            Some(content) if !key.is_empty() => out.push((key.to_owned(), content.clone())),
            _ => return Err(validate::not_of_type("glance", &entry, "glance update")),
        }
    }
    Ok(out)
}

/// `POST /v2/addon/ui`: group glances.
pub fn update_group_ui(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&["view_group"], kinds::GROUP)?;
    store(call, GlanceScope::Group)
}

/// `POST /v2/addon/ui/room/{room}`: one room's glances, kept on the room.
pub fn update_room_ui(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(&["view_room"], kinds::ADDON)?;
    let updates = glances(call)?;
    let room = call.room_at(&caller, 5)?;
    call.change_room(&room, |found| {
        found.glances.extend(updates);
        Ok(())
    })?;
    Ok(rest::no_content())
}

/// `POST /v2/addon/ui/user/{user}`: one user's glances.
pub fn update_user_ui(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&["view_group"], kinds::GROUP)?;
    let user = super::user::active_at(call, 5)?;
    store(call, GlanceScope::User(user))
}

/// `POST /v2/addon/ui/room/{room}/user/{user}`: one user's glances in one room.
pub fn update_room_user_ui(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(&["view_group"], kinds::ADDON)?;
    // The room is path segment 5 (`Call::room` reads segment 3).
    let room = crate::rooms::resolve_segment(&call.state, call.raw_segment(5))?;
    caller.check_room(&room)?;
    let user = super::user::active_at(call, 7)?;
    store(call, GlanceScope::RoomUser(room.id, user))
}

fn store(call: &Call, scope: GlanceScope) -> Result<Response, ApiError> {
    let updates = glances(call)?;
    let mut data = call.state.directory.lock();
    for (key, content) in updates {
        let slot = (scope.clone(), key);
        if content.is_null() {
            data.addon.glances.remove(&slot);
        } else {
            data.addon.glances.insert(slot, content);
        }
    }
    Ok(rest::no_content())
}

/// create_integration_link.
pub fn create_link(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&[], kinds::ADDON)?;
    let body = call.json(LINK)?;
    let sent = body.get("ttl").cloned().unwrap_or(Value::Null);
    let ttl = sent
        .as_u64()
        .filter(|ttl| *ttl >= 1)
        .ok_or_else(|| validate::not_of_type("ttl", &sent, "integer"))?;
    let now = call.state.clock.now();
    let link = Link {
        token: uuid::Uuid::new_v4().simple().to_string(),
        target: rest::text(&body, "target"),
        ttl,
        created: now,
    };
    let expires = now + std::time::Duration::from_secs(ttl);
    let answer = json!({
        "token": link.token,
        "target": link.target,
        "ttl": ttl,
        "expires": shapes::iso_seconds(expires),
    });
    call.state
        .directory
        .lock()
        .addon
        .links
        .insert(link.token.clone(), link);
    Ok(rest::ok(answer))
}

/// delete_integration_link.
pub fn delete_link(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&[], kinds::ADDON)?;
    let token = call.segment(4);
    match call.state.directory.lock().addon.links.remove(&token) {
        Some(_) => Ok(rest::no_content()),
        None => Err(rest::not_found("Link not found")),
    }
}
