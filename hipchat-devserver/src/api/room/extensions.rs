//! Room extensions (spec v2 §9, §6 create_room_webhook):
//! `PUT`/`GET`/`DELETE /v2/room/{room}/extension/{glance|webhook|action}/{key}`; add-on
//! callers (G R), no scope beyond the token. PUT stores the descriptor-shaped body (a
//! webhook's is checked as create_webhook's: `url`, `event`); at most 10 per room (an
//! 11th → 400); glance PUT → 204, action and webhook PUT → 201 `{id, links}` [decision].
//! GET → the descriptor with `key`, `id` and `links.self`; DELETE → 204; unknown → 404
//! `Extension not found`.

use axum::response::Response;
use serde_json::{Value, json};

use super::webhooks;
use crate::api::rest::{self, Call, shapes};
use crate::auth::kinds;
use crate::directory::rooms::{Extension, ExtensionKind, MAX_EXTENSIONS};
use crate::error::ApiError;

fn not_found() -> ApiError {
    rest::not_found("Extension not found")
}

/// The `{type}` and `{key}` segments.
fn kind_and_key(call: &Call) -> Result<(ExtensionKind, String), ApiError> {
    let kind = ExtensionKind::parse(&call.segment(5)).ok_or_else(not_found)?;
    Ok((kind, call.segment(6)))
}

fn extension_path(room_id: u64, kind: ExtensionKind, key: &str) -> String {
    let key = percent_encoding::utf8_percent_encode(key, percent_encoding::NON_ALPHANUMERIC);
    format!(
        "{}/extension/{}/{key}",
        shapes::room_path(room_id),
        kind.as_str()
    )
}

/// `PUT …/extension/{type}/{key}`.
pub fn put_extension(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(&[], kinds::ADDON)?;
    let (kind, key) = kind_and_key(call)?;
    let rules = match kind {
        ExtensionKind::Webhook => webhooks::CREATE,
        ExtensionKind::Glance | ExtensionKind::Action => &[],
    };
    let body = call.json(rules)?;
    let room = call.room_to_write(&caller)?;
    let mut data = call.state.directory.lock();
    let next_id = data.next_id();
    let room = data
        .rooms
        .get_mut(&room.id)
        .ok_or_else(ApiError::room_not_found)?;
    let descriptor = Value::Object(body);
    let existing = room
        .extensions
        .iter()
        .position(|extension| extension.kind == kind && extension.key == key);
    let id = match existing {
        Some(at) => {
            room.extensions[at].descriptor = descriptor;
            room.extensions[at].id
        }
        None if room.extensions.len() >= MAX_EXTENSIONS => {
            return Err(ApiError::bad_request(format!(
                "You can only create {MAX_EXTENSIONS} extensions in a room"
            )));
        }
        None => {
            room.extensions.push(Extension {
                id: next_id,
                kind,
                key: key.clone(),
                descriptor,
            });
            next_id
        }
    };
    room.touch();
    let url = call.links.url(&extension_path(room.id, kind, &key));
    Ok(match kind {
        ExtensionKind::Glance => rest::no_content(),
        ExtensionKind::Webhook | ExtensionKind::Action => rest::created(id, url),
    })
}

/// `GET …/extension/{type}/{key}`.
pub fn get_extension(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(&[], kinds::ADDON)?;
    let (kind, key) = kind_and_key(call)?;
    let room = call.room(&caller)?;
    let data = call.state.directory.lock();
    let room = data
        .rooms
        .get(&room.id)
        .ok_or_else(ApiError::room_not_found)?;
    let extension = room
        .extensions
        .iter()
        .find(|extension| extension.kind == kind && extension.key == key)
        .ok_or_else(not_found)?;
    let mut body = extension.descriptor.clone();
    body["key"] = json!(key);
    body["id"] = json!(extension.id);
    body["links"] = json!({"self": call.links.url(&extension_path(room.id, kind, &key))});
    Ok(rest::ok(body))
}

/// `DELETE …/extension/{type}/{key}`.
pub fn delete_extension(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(&[], kinds::ADDON)?;
    let (kind, key) = kind_and_key(call)?;
    let room = call.room(&caller)?;
    let mut data = call.state.directory.lock();
    let room = data
        .rooms
        .get_mut(&room.id)
        .ok_or_else(ApiError::room_not_found)?;
    let before = room.extensions.len();
    room.extensions
        .retain(|extension| !(extension.kind == kind && extension.key == key));
    if room.extensions.len() == before {
        return Err(not_found());
    }
    room.touch();
    Ok(rest::no_content())
}
