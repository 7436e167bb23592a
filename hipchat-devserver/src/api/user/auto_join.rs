//! `GET /v2/user/{user}/preference/auto-join` (get_auto_join_rooms, spec v2 §7): scope
//! \[decision\] view_group; G U; an envelope of room references (§3.3).
//!
//! \[decision\] A user's auto-join rooms are the unarchived rooms the user owns or is a
//! member of, by id.

use axum::response::Response;
use serde_json::Value;

use crate::api::rest::{self, Call, envelope, shapes};
use crate::auth::kinds;
use crate::error::ApiError;

/// get_auto_join_rooms: `start-index`, `max-results` (100).
pub fn get_auto_join_rooms(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&["view_group"], kinds::GROUP_OR_USER)?;
    let user = super::active(call)?;
    let paging = envelope::Paging::from_call(call, 100)?;
    let data = call.state.directory.lock();
    let items: Vec<Value> = data
        .rooms
        .values()
        .filter(|room| !room.is_archived)
        .filter(|room| room.owner == user || room.members.iter().any(|m| m.user_id == user))
        .map(|room| shapes::room_ref(&call.links, room))
        .collect();
    drop(data);
    Ok(rest::ok(envelope::page(call, paging, items)))
}
