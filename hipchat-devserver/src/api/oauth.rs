//! OAuth sessions (spec v2 §9): get_session (`GET /v2/oauth/token/{access_token}`) and
//! delete_session (`DELETE …`, 204, revokes the token: afterwards every request with it
//! gets 401 `Invalid OAuth session`). Any valid token may call them (no scope, any
//! caller kind); hipchat-rb asks about the token it authenticates with.
//!
//! A session is a configured v2 token in strict mode, any token not revoked in
//! permissive mode, and in both an unexpired token issued to a Connect add-on (its
//! `client` is the installation: the add-on's name, the descriptor's scopes, the room of
//! a room install; `scopes` the granted ones). \[decision\] An unknown or revoked `{access_token}` → 404
//! `Session not found` (the path names a resource; 401 stays for the caller's own
//! token). Tokens are never logged.

use axum::response::Response;
use serde_json::{Value, json};

use super::capabilities::SCOPES;
use super::rest::{self, Call};
use crate::auth::{self, kinds};
use crate::error::ApiError;

/// get_session: `{"client":{"allowed_scopes","name","room"},"scopes"}`; `room` is
/// `{id, name}` for a room-bound token, else null; a token configured without scopes has
/// every scope.
pub fn get_session(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&[], kinds::ANY)?;
    session(call).map(rest::ok)
}

/// delete_session: 204.
pub fn delete_session(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&[], kinds::ANY)?;
    session(call)?;
    let token = call.segment(4);
    call.state.directory.lock().revoked.insert(token);
    Ok(rest::no_content())
}

/// The session of the path's token (segment 4), or 404.
fn session(call: &Call) -> Result<Value, ApiError> {
    let token = call.segment(4);
    let missing = || rest::not_found("Session not found");
    let data = call.state.directory.lock();
    if token.is_empty() || data.revoked.contains(&token) {
        return Err(missing());
    }
    if let Some((installation, issued)) = data.installations.token(&token, call.state.clock.now()) {
        let room = installation
            .room_id
            .and_then(|id| data.rooms.get(&id))
            .map_or(
                Value::Null,
                |room| json!({"id": room.id, "name": room.name}),
            );
        let mut answer = body(&installation.name, &installation.scopes, room);
        answer["scopes"] = json!(issued.scopes);
        return Ok(answer);
    }
    let every: Vec<String> = SCOPES.iter().map(|(id, _, _)| (*id).to_owned()).collect();
    let default_label = call
        .state
        .config
        .default_label
        .clone()
        .unwrap_or_else(|| auth::DEFAULT_LABEL.to_owned());
    if !call.state.config.strict {
        return Ok(body(&default_label, &every, Value::Null));
    }
    let known = call
        .state
        .config
        .tokens
        .iter()
        .find(|known| known.token == token && known.version == 2)
        .ok_or_else(missing)?;
    let scopes = if known.scopes.is_empty() {
        every
    } else {
        known.scopes.clone()
    };
    let room = known
        .room
        .as_deref()
        .map_or(Value::Null, |reference| match data.room(reference) {
            Some(room) => json!({"id": room.id, "name": room.name}),
            None => json!({"id": null, "name": reference}),
        });
    let name = known.label.as_deref().unwrap_or(&default_label);
    Ok(body(name, &scopes, room))
}

fn body(name: &str, scopes: &[String], room: Value) -> Value {
    json!({
        "client": {"allowed_scopes": scopes, "name": name, "room": room},
        "scopes": scopes,
    })
}
