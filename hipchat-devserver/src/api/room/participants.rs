//! get_all_participants (spec v2 §5.1): scope view_room or view_group; G R U;
//! `include-offline` (false), `expand=items` (full users); envelope of user references.
//! Participants are set by tests: [`DevServer::set_participants`](crate::DevServer::set_participants)
//! or `PUT /admin/rooms/{room}/participants`.

use axum::response::Response;
use serde_json::Value;

use crate::api::rest::{self, Call, envelope, shapes};
use crate::auth::kinds;
use crate::error::ApiError;

/// get_all_participants.
pub fn get_all_participants(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(&["view_room", "view_group"], kinds::ANY)?;
    let room = call.room(&caller)?;
    let paging = envelope::Paging::from_call(call, 100)?;
    let offline = envelope::boolean(call, "include-offline", false)?;
    let full = call.expands("items");
    let data = call.state.directory.lock();
    let room = data
        .rooms
        .get(&room.id)
        .ok_or_else(ApiError::room_not_found)?;
    let items: Vec<Value> = room
        .participants
        .iter()
        .filter(|(_, online)| offline || *online)
        .map(|(id, _)| {
            if full {
                shapes::user_by_id(&call.links, &data, *id)
            } else {
                shapes::user_ref_by_id(&call.links, &data, *id)
            }
        })
        .collect();
    drop(data);
    Ok(rest::ok(envelope::page(call, paging, items)))
}
