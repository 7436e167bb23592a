//! `PUT /v2/room/{room}/topic` (set_topic, spec v2 §4): scope admin_room; G R U; body
//! `{"topic"}` 0–250 characters; 204. Creates the room on first use in permissive mode,
//! and adds a `topic` item (from the caller's user, `message` = the new topic) to its
//! history.

use axum::response::Response;

use crate::api::rest::{self, Call, history};
use crate::auth::kinds;
use crate::directory::history::{Item, ItemKind, Sender};
use crate::error::ApiError;
use crate::state::AppState;
use crate::validate::Field;

/// The body of set_topic.
pub const RULES: &[Field] = &[Field::string("topic", true, 0, Some(250))];

/// set_topic.
pub fn set_topic(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(&["admin_room"], kinds::ANY)?;
    let body = call.json(RULES)?;
    let room = call.room_to_write(&caller)?;
    set(
        &call.state,
        room.id,
        rest::text(&body, "topic"),
        caller.user_id,
    )?;
    Ok(rest::no_content())
}

/// Sets room `room_id`'s topic (not checked here: see [`RULES`]) and adds the `topic`
/// history item from `user_id`. The page's topic form comes here too.
pub fn set(state: &AppState, room_id: u64, topic: String, user_id: u64) -> Result<(), ApiError> {
    {
        let mut data = state.directory.lock();
        let room = data
            .rooms
            .get_mut(&room_id)
            .ok_or_else(ApiError::room_not_found)?;
        room.topic = topic.clone();
        room.touch();
    }
    history::add(state, room_id, |id, date| {
        Item::new(id, date, ItemKind::Topic, Sender::User(user_id), topic)
    });
    Ok(())
}
