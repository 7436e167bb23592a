//! Global extensions (spec v2 §9): `GET/PUT/DELETE /v2/extension/action/{key}`, G only,
//! no scope. PUT takes a descriptor-shaped module (a JSON object) and answers 201
//! `{"id","links":{"self"}}` (a new key, or a replaced one keeping its id); at most
//! [`MAX_GLOBAL_ACTIONS`] keys (400 beyond). GET answers the descriptor as put, with
//! `key` and `links.self`; DELETE 204. Unknown key → 404 `Extension not found`.

use axum::response::Response;
use serde_json::{Value, json};

use super::rest::{self, Call};
use crate::auth::kinds;
use crate::directory::addon::{Action, MAX_GLOBAL_ACTIONS};
use crate::error::ApiError;

/// get_global_action.
pub fn get_action(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&[], kinds::GROUP)?;
    let key = call.segment(4);
    let data = call.state.directory.lock();
    let action = data.addon.actions.get(&key).ok_or_else(not_found)?;
    let mut body = action.descriptor.clone();
    body["key"] = json!(key);
    body["links"] = json!({"self": call.links.url(&path(&key))});
    Ok(rest::ok(body))
}

/// create_global_action.
pub fn put_action(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&[], kinds::GROUP)?;
    let key = call.segment(4);
    let descriptor = Value::Object(call.json(&[])?);
    let mut data = call.state.directory.lock();
    let id = match data.addon.actions.get(&key) {
        Some(action) => action.id,
        None if data.addon.actions.len() >= MAX_GLOBAL_ACTIONS => {
            return Err(ApiError::bad_request(format!(
                "You can only create {MAX_GLOBAL_ACTIONS} global actions"
            )));
        }
        None => data.next_id(),
    };
    data.addon
        .actions
        .insert(key.clone(), Action { id, descriptor });
    drop(data);
    Ok(rest::created(id, call.links.url(&path(&key))))
}

/// delete_global_action.
pub fn delete_action(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&[], kinds::GROUP)?;
    let key = call.segment(4);
    match call.state.directory.lock().addon.actions.remove(&key) {
        Some(_) => Ok(rest::no_content()),
        None => Err(not_found()),
    }
}

fn path(key: &str) -> String {
    let key: String = url::form_urlencoded::byte_serialize(key.as_bytes()).collect();
    format!("/v2/extension/action/{key}")
}

fn not_found() -> ApiError {
    rest::not_found("Extension not found")
}
