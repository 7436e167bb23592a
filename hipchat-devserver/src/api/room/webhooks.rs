//! Room webhooks (spec v2 §6): create_webhook (201 `{id, links}`), get_all_webhooks
//! (envelope of `{id, name, event, pattern, url, key?, links}`), get_webhook (adds `room`,
//! `creator`, `created`, `authentication`), delete_webhook (204). Scope admin_room;
//! G R U. Unknown event → 400 `enum`; unknown id → 404 `Webhook not found`.
//! Events are not delivered.

use axum::response::Response;
use serde_json::{Value, json};

use crate::api::rest::{self, Call, envelope, shapes};
use crate::auth::kinds;
use crate::directory::rooms::{EVENTS, Webhook};
use crate::error::ApiError;
use crate::validate::Field;

/// `jwt` or `none`.
pub const AUTHENTICATION: &[&str] = &["jwt", "none"];

/// The body of create_webhook (and of an extension webhook's PUT).
pub const CREATE: &[Field] = &[
    Field::string("url", true, 1, None),
    Field::required_one_of("event", EVENTS),
    Field::string("pattern", false, 0, None),
    Field::string("name", false, 0, None),
    Field::string("key", false, 0, None),
    Field::one_of("authentication", AUTHENTICATION),
];

const SCOPES: &[&str] = &["admin_room"];

fn webhook_path(room_id: u64, id: u64) -> String {
    format!("{}/webhook/{id}", shapes::room_path(room_id))
}

/// A webhook from a validated [`CREATE`] body.
pub fn from_body(
    id: u64,
    body: &serde_json::Map<String, Value>,
    creator: u64,
    now: std::time::SystemTime,
) -> Webhook {
    let optional = |name: &str| crate::api::common::text(body, name);
    Webhook {
        id,
        name: optional("name"),
        event: rest::text(body, "event"),
        pattern: optional("pattern"),
        url: rest::text(body, "url"),
        key: optional("key"),
        authentication: optional("authentication").unwrap_or_else(|| "none".into()),
        creator: Some(creator),
        created: now,
    }
}

fn list_item(call: &Call, room_id: u64, hook: &Webhook) -> Value {
    let mut item = json!({
        "id": hook.id,
        "name": hook.name,
        "event": hook.event,
        "pattern": hook.pattern,
        "url": hook.url,
        "links": {"self": call.links.url(&webhook_path(room_id, hook.id))},
    });
    if let Some(key) = &hook.key {
        item["key"] = json!(key);
    }
    item
}

/// create_webhook.
pub fn create_webhook(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(SCOPES, kinds::ANY)?;
    let room = call.room(&caller)?;
    let body = call.json(CREATE)?;
    let now = call.state.clock.now();
    let mut data = call.state.directory.lock();
    let id = data.next_id();
    let room = data
        .rooms
        .get_mut(&room.id)
        .ok_or_else(ApiError::room_not_found)?;
    room.webhooks
        .push(from_body(id, &body, caller.user_id, now));
    room.touch();
    Ok(rest::created(
        id,
        call.links.url(&webhook_path(room.id, id)),
    ))
}

/// get_all_webhooks.
pub fn get_all_webhooks(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(SCOPES, kinds::ANY)?;
    let room = call.room(&caller)?;
    let paging = envelope::Paging::from_call(call, 100)?;
    let data = call.state.directory.lock();
    let room = data
        .rooms
        .get(&room.id)
        .ok_or_else(ApiError::room_not_found)?;
    let items: Vec<Value> = room
        .webhooks
        .iter()
        .map(|hook| list_item(call, room.id, hook))
        .collect();
    drop(data);
    Ok(rest::ok(envelope::page(call, paging, items)))
}

fn webhook_id(call: &Call) -> Result<u64, ApiError> {
    call.segment(5)
        .parse()
        .map_err(|_| rest::not_found("Webhook not found"))
}

/// get_webhook.
pub fn get_webhook(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(SCOPES, kinds::ANY)?;
    let room = call.room(&caller)?;
    let id = webhook_id(call)?;
    let data = call.state.directory.lock();
    let room = data
        .rooms
        .get(&room.id)
        .ok_or_else(ApiError::room_not_found)?;
    let hook = room
        .webhooks
        .iter()
        .find(|hook| hook.id == id)
        .ok_or_else(|| rest::not_found("Webhook not found"))?;
    let mut body = list_item(call, room.id, hook);
    body["room"] = shapes::room_ref(&call.links, room);
    body["creator"] = hook.creator.map_or(Value::Null, |id| {
        shapes::user_ref_by_id(&call.links, &data, id)
    });
    body["created"] = json!(shapes::iso_seconds(hook.created));
    body["authentication"] = json!(hook.authentication);
    Ok(rest::ok(body))
}

/// delete_webhook.
pub fn delete_webhook(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(SCOPES, kinds::ANY)?;
    let room = call.room(&caller)?;
    let id = webhook_id(call)?;
    let mut data = call.state.directory.lock();
    let room = data
        .rooms
        .get_mut(&room.id)
        .ok_or_else(ApiError::room_not_found)?;
    let before = room.webhooks.len();
    room.webhooks.retain(|hook| hook.id != id);
    if room.webhooks.len() == before {
        return Err(rest::not_found("Webhook not found"));
    }
    room.touch();
    Ok(rest::no_content())
}
