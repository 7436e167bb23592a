//! invite_user (spec v2 §5.1): `POST /v2/room/{room}/invite/{user}`; scope \[decision\]
//! admin_room; **U only**; public rooms (private → 400); body `{"reason"}` 1–250; 204.
//! The invitation is kept on the room (`DevServer::room_invites`).

use axum::response::Response;

use crate::api::rest::{self, Call};
use crate::auth::kinds;
use crate::directory::rooms::Privacy;
use crate::error::ApiError;
use crate::validate::Field;

/// The body of invite_user.
pub const RULES: &[Field] = &[Field::string("reason", true, 1, Some(250))];

/// invite_user.
pub fn invite_user(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(&["admin_room"], kinds::USER)?;
    let room = call.room(&caller)?;
    let user_id = call.user_at(5)?;
    let body = call.json(RULES)?;
    let reason = rest::text(&body, "reason");
    call.change_room(&room, |room| {
        if room.privacy == Privacy::Private {
            return Err(ApiError::bad_request(
                "Room is private: add members instead of inviting",
            ));
        }
        room.invites.push((user_id, reason));
        Ok(())
    })?;
    Ok(rest::no_content())
}
