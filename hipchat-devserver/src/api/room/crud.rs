//! Rooms themselves (spec v2 §4): get_all_rooms, create_room, get_room, update_room,
//! delete_room.
//!
//! * Names are 1–50 characters on create and update; another room with the name → 400
//!   `Another room exists with that name.` (recorded text).
//! * An owner (`owner_user_id` on create, `owner.id` on update) is a user id, email or
//!   `@mention`; an unknown one → 400 naming the field.
//! * Every write changes the room's `version`; deleted rooms' ids and names 404.

use axum::response::Response;
use serde_json::{Map, Value};

use crate::api::rest::{self, Call, envelope, shapes};
use crate::auth::kinds;
use crate::directory::Data;
use crate::directory::rooms::Privacy;
use crate::error::ApiError;
use crate::state::AppState;
use crate::validate::{self, Field, Kind};

const PRIVACY: &[&str] = &["public", "private"];

/// The body of create_room.
pub const CREATE: &[Field] = &[
    Field::string("name", true, 1, Some(50)),
    Field::one_of("privacy", PRIVACY),
    Field::string("topic", false, 0, Some(250)),
    Field::boolean("guest_access"),
    Field::of("owner_user_id", false, Kind::IdOrName),
    Field::boolean("delegate_admin_visibility"),
];

/// The body of update_room: every field but `delegate_admin_visibility` required.
pub const UPDATE: &[Field] = &[
    Field::string("name", true, 1, Some(50)),
    Field::required_one_of("privacy", PRIVACY),
    Field::required_boolean("is_archived"),
    Field::required_boolean("is_guest_accessible"),
    Field::string("topic", true, 0, Some(250)),
    Field::of("owner", true, Kind::Object),
    Field::boolean("delegate_admin_visibility"),
];

/// get_all_rooms: scope view_group; G U; `start-index`, `max-results` (100),
/// `include-private` (true), `include-archived` (false), `expand=items` (full rooms).
pub fn get_all_rooms(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&["view_group"], kinds::GROUP_OR_USER)?;
    let paging = envelope::Paging::from_call(call, 100)?;
    let private = envelope::boolean(call, "include-private", true)?;
    let archived = envelope::boolean(call, "include-archived", false)?;
    let full = call.expands("items");
    let data = call.state.directory.lock();
    let items: Vec<Value> = data
        .rooms
        .values()
        .filter(|room| private || room.privacy == Privacy::Public)
        .filter(|room| archived || !room.is_archived)
        .map(|room| {
            if full {
                shapes::room(&call.links, &data, room, &[])
            } else {
                shapes::room_ref(&call.links, room)
            }
        })
        .collect();
    drop(data);
    Ok(rest::ok(envelope::page(call, paging, items)))
}

/// create_room: scope manage_rooms; G U; 201 `{"id","links":{"self"}}`.
pub fn create_room(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(&["manage_rooms"], kinds::GROUP_OR_USER)?;
    let body = call.json(&[])?;
    let id = create(&call.state, &body, caller.user_id)?;
    Ok(rest::created(id, call.links.url(&shapes::room_path(id))))
}

/// Creates a room from a [`CREATE`] body (checked here), owned by `owner_user_id` or
/// else `caller_user`; answers its id. The page's "new room" form comes here too.
pub fn create(
    state: &AppState,
    body: &Map<String, Value>,
    caller_user: u64,
) -> Result<u64, ApiError> {
    validate::validate(body, CREATE)?;
    let name = rest::text(body, "name");
    let mut data = state.directory.lock();
    if data.name_taken(&name, None) {
        return Err(duplicate_name());
    }
    let owner = match body.get("owner_user_id") {
        Some(reference) => user_id(&data, "owner_user_id", reference)?,
        None => caller_user,
    };
    let room = data.add_room(None, name, owner, state.clock.now());
    if let Some(privacy) = body.get("privacy").and_then(Value::as_str) {
        room.privacy = Privacy::parse(privacy).unwrap_or(Privacy::Public);
    }
    room.topic = rest::text(body, "topic");
    room.is_guest_accessible = flag(body, "guest_access").unwrap_or(false);
    room.delegate_admin_visibility = flag(body, "delegate_admin_visibility");
    Ok(room.id)
}

/// get_room: scope view_group or view_room; G R U; `expand` participants / owner.
pub fn get_room(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(&["view_group", "view_room"], kinds::ANY)?;
    let room = call.room(&caller)?;
    let expand = call.expand();
    let data = call.state.directory.lock();
    let room = data
        .rooms
        .get(&room.id)
        .ok_or_else(ApiError::room_not_found)?;
    Ok(rest::ok(shapes::room(&call.links, &data, room, &expand)))
}

/// update_room: scope admin_room or manage_rooms; G U; all fields required; 204.
/// Archiving is this call with `is_archived`.
pub fn update_room(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(&["admin_room", "manage_rooms"], kinds::GROUP_OR_USER)?;
    let room = call.room(&caller)?;
    let body = call.json(UPDATE)?;
    let name = rest::text(&body, "name");
    let mut data = call.state.directory.lock();
    if data.name_taken(&name, Some(room.id)) {
        return Err(duplicate_name());
    }
    let owner_id = body
        .get("owner")
        .and_then(|owner| owner.get("id"))
        .ok_or_else(|| validate::not_of_type("owner", &body["owner"], "user reference"))?;
    let owner = user_id(&data, "owner", owner_id)?;
    let room = data
        .rooms
        .get_mut(&room.id)
        .ok_or_else(ApiError::room_not_found)?;
    room.name = name;
    room.privacy = Privacy::parse(&rest::text(&body, "privacy")).unwrap_or(Privacy::Public);
    room.is_archived = flag(&body, "is_archived").unwrap_or(false);
    room.is_guest_accessible = flag(&body, "is_guest_accessible").unwrap_or(false);
    room.topic = rest::text(&body, "topic");
    room.owner = owner;
    if body.contains_key("delegate_admin_visibility") {
        room.delegate_admin_visibility = flag(&body, "delegate_admin_visibility");
    }
    room.touch();
    Ok(rest::no_content())
}

/// delete_room: scope manage_rooms; G U; 204.
pub fn delete_room(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(&["manage_rooms"], kinds::GROUP_OR_USER)?;
    let room = call.room(&caller)?;
    call.state.directory.lock().rooms.remove(&room.id);
    Ok(rest::no_content())
}

fn duplicate_name() -> ApiError {
    ApiError::bad_request("Another room exists with that name.")
}

fn flag(body: &Map<String, Value>, name: &str) -> Option<bool> {
    body.get(name).and_then(Value::as_bool)
}

/// The id of the user `reference` (a number or an id/email/@mention string) names:
/// 400 naming `field` when there is none.
fn user_id(data: &Data, field: &str, reference: &Value) -> Result<u64, ApiError> {
    let text = match reference {
        Value::Number(number) => number.to_string(),
        Value::String(text) => text.clone(),
        _ => String::new(),
    };
    data.user(&text)
        .map(|user| user.id)
        .ok_or_else(|| validate::not_of_type(field, reference, "user"))
}
