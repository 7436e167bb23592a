//! `GET /v2/room/{room}/statistics` (get_room_statistics, spec v2 §4): scope
//! \[decision\] view_group or view_room; G R U; 200 `{messages_sent, last_active, links}`.

use axum::response::Response;

use crate::api::rest::{self, Call, shapes};
use crate::auth::kinds;
use crate::error::ApiError;

/// get_room_statistics.
pub fn get_room_statistics(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(&["view_group", "view_room"], kinds::ANY)?;
    let room = call.room(&caller)?;
    let body = call.read_room(&room, |_, room| Ok(shapes::statistics(&call.links, room)))?;
    Ok(rest::ok(body))
}
