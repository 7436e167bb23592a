//! Room extensions (spec v2 §9, §6 create_room_webhook):
//! `PUT`/`GET`/`DELETE /v2/room/{room}/extension/{glance|webhook|action}/{key}`; add-on
//! callers (G R), no scope beyond the token; the room must exist. PUT stores the descriptor-shaped body (a
//! webhook's is checked as create_webhook's: `url`, `event`); at most 10 per room (an
//! 11th → 400); glance PUT → 204, action and webhook PUT → 201 `{id, links}` \[decision\].
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
    let room = call.room(&caller)?;
    let next_id = call.state.directory.lock().next_id();
    let descriptor = Value::Object(body);
    let id = call.change_room(&room, |found| {
        let same = |extension: &Extension| extension.kind == kind && extension.key == key;
        match found.extensions.iter().position(same) {
            Some(at) => {
                found.extensions[at].descriptor = descriptor;
                Ok(found.extensions[at].id)
            }
            None if found.extensions.len() >= MAX_EXTENSIONS => Err(ApiError::bad_request(
                format!("You can only create {MAX_EXTENSIONS} extensions in a room"),
            )),
            None => {
                found.extensions.push(Extension {
                    id: next_id,
                    kind,
                    key: key.clone(),
                    descriptor,
                });
                Ok(next_id)
            }
        }
    })?;
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
    let mut body = call.read_room(&room, |_, found| {
        let extension = found
            .extensions
            .iter()
            .find(|extension| extension.kind == kind && extension.key == key)
            .ok_or_else(not_found)?;
        let mut body = extension.descriptor.clone();
        body["id"] = json!(extension.id);
        Ok(body)
    })?;
    body["key"] = json!(key);
    body["links"] = json!({"self": call.links.url(&extension_path(room.id, kind, &key))});
    Ok(rest::ok(body))
}

/// `DELETE …/extension/{type}/{key}`.
pub fn delete_extension(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(&[], kinds::ADDON)?;
    let (kind, key) = kind_and_key(call)?;
    let room = call.room(&caller)?;
    call.change_room(&room, |found| {
        let same = |extension: &Extension| extension.kind == kind && extension.key == key;
        let at = found
            .extensions
            .iter()
            .position(same)
            .ok_or_else(not_found)?;
        found.extensions.remove(at);
        Ok(())
    })?;
    Ok(rest::no_content())
}
