//! Room history (spec v2 §5.1, §5.2): view_room_history, view_recent_room_history,
//! get_room_message (scope view_messages; G R U) and reply_to_message (send_message; U
//! only; `parentMessageId`, also `parent_message_id`; 204).

use axum::response::Response;
use serde_json::json;

use crate::api::common;
use crate::api::rest::{self, Call, history, shapes};
use crate::auth::kinds;
use crate::directory::history::Item;
use crate::error::ApiError;
use crate::recorded::{Kind, NewMessage, Recipient};
use crate::validate::{self, Field};

const SCOPES: &[&str] = &["view_messages"];

/// The history of the room the call names, copied out of the directory.
fn items(call: &Call) -> Result<Vec<Item>, ApiError> {
    let caller = call.authorize(SCOPES, kinds::ANY)?;
    let room = call.room(&caller)?;
    call.read_room(&room, |_, room| Ok(room.history.clone()))
}

/// view_room_history: §5.2 parameters, the \[emulator\] window semantics.
pub fn view_room_history(call: &Call) -> Result<Response, ApiError> {
    let items = items(call)?;
    Ok(rest::ok(history::window(call, &items)?))
}

/// view_recent_room_history: the latest `max-results` (75), oldest first.
pub fn view_recent_room_history(call: &Call) -> Result<Response, ApiError> {
    let items = items(call)?;
    Ok(rest::ok(history::latest(call, &items)?))
}

/// get_room_message: `{"message": item}`; 404 `Message not found`.
pub fn get_room_message(call: &Call) -> Result<Response, ApiError> {
    let items = items(call)?;
    let id = call.segment(5);
    let include_deleted = rest::envelope::boolean(call, "include_deleted", true)?;
    let item = items
        .iter()
        .find(|item| item.id == id && (include_deleted || !item.deleted))
        .ok_or_else(|| rest::not_found("Message not found"))?;
    let data = call.state.directory.lock();
    Ok(rest::ok(
        json!({"message": shapes::history_item(&call.links, &data, item)}),
    ))
}

/// The body of reply_to_message (the parent id is checked by hand: two spellings).
pub const REPLY: &[Field] = &[
    Field::string("message", true, 1, Some(1_000)),
    Field::string("parentMessageId", false, 1, None),
    Field::string("parent_message_id", false, 1, None),
];

/// reply_to_message: a `message` item from the caller's user under the parent.
pub fn reply_to_message(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(&["send_message"], kinds::USER)?;
    let room = call.room(&caller)?;
    let body = call.json(REPLY)?;
    let parent = common::text(&body, "parentMessageId")
        .or_else(|| common::text(&body, "parent_message_id"))
        .ok_or_else(|| validate::required(&Field::string("parentMessageId", true, 1, None)))?;
    call.read_room(&room, |_, room| {
        match room.history.iter().any(|item| item.id == parent) {
            true => Ok(()),
            false => Err(rest::not_found("Message not found")),
        }
    })?;
    let flood = common::take_flood(&call.state, &format!("room:{}", room.name))?;
    let message = NewMessage {
        room_id: Some(room.id),
        user_id: Some(caller.user_id),
        ..NewMessage::plain(
            Kind::Message,
            Recipient::Room(room.name.clone()),
            caller.label.clone(),
            rest::text(&body, "message"),
        )
    };
    let recorded = common::record(&call.state, message);
    if let Some(room) = call.state.directory.lock().rooms.get_mut(&room.id)
        && let Some(item) = room.history.iter_mut().find(|item| item.id == recorded.id)
    {
        item.parent_id = Some(parent);
    }
    let mut response = rest::no_content();
    response.headers_mut().extend(flood);
    Ok(response)
}
