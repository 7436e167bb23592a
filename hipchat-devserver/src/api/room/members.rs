//! Members of private rooms (spec v2 §5.1): get_all_members (view_group or view_room),
//! add_member (admin_room; optional `{"room_roles": [...]}`, default `["room_member"]`),
//! remove_member (admin_room); G R U. Public rooms have no members: 400
//! `Room is public` (text \[unrecorded\]). Unknown users: 404 `User not found`.

use axum::response::Response;
use serde_json::Value;

use crate::api::rest::{self, Call, envelope, shapes};
use crate::auth::kinds;
use crate::directory::rooms::{Member, Privacy, Room};
use crate::error::ApiError;
use crate::validate::{self, Field, Kind};

/// The roles a member may hold.
pub const ROOM_ROLES: &[&str] = &["room_member", "room_admin"];

/// The body of add_member.
pub const ADD: &[Field] = &[Field::of("room_roles", false, Kind::Array)];

fn public_room() -> ApiError {
    ApiError::bad_request("Room is public: only private rooms have members")
}

/// 400 unless `room` is private.
fn private(room: &Room) -> Result<(), ApiError> {
    match room.privacy {
        Privacy::Private => Ok(()),
        Privacy::Public => Err(public_room()),
    }
}

/// get_all_members: envelope of user references with `room_roles`.
pub fn get_all_members(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(&["view_group", "view_room"], kinds::ANY)?;
    let room = call.room(&caller)?;
    let paging = envelope::Paging::from_call(call, 100)?;
    let items = call.read_room(&room, |data, room| {
        private(room)?;
        let member = |member: &Member| {
            let mut item = shapes::user_ref_by_id(&call.links, data, member.user_id);
            item["room_roles"] = Value::from(member.room_roles.clone());
            item
        };
        Ok(room.members.iter().map(member).collect())
    })?;
    Ok(rest::ok(envelope::page(call, paging, items)))
}

/// add_member: adds (or updates the roles of) a member; 204.
pub fn add_member(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(&["admin_room"], kinds::ANY)?;
    let room = call.room(&caller)?;
    let user_id = call.user_at(5)?;
    let body = call.json(ADD)?;
    let room_roles = match body.get("room_roles").and_then(Value::as_array) {
        None => vec!["room_member".to_owned()],
        Some(roles) => roles
            .iter()
            .map(|role| match role.as_str() {
                Some(role) if ROOM_ROLES.contains(&role) => Ok(role.to_owned()),
                _ => Err(validate::not_of_type("room_roles", role, "room role")),
            })
            .collect::<Result<_, _>>()?,
    };
    call.change_room(&room, |room| {
        private(room)?;
        match room.members.iter_mut().find(|m| m.user_id == user_id) {
            Some(member) => member.room_roles = room_roles,
            None => room.members.push(Member {
                user_id,
                room_roles,
            }),
        }
        Ok(())
    })?;
    Ok(rest::no_content())
}

/// remove_member: 204 (also when the user was no member).
pub fn remove_member(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(&["admin_room"], kinds::ANY)?;
    let room = call.room(&caller)?;
    let user_id = call.user_at(5)?;
    call.change_room(&room, |room| {
        private(room)?;
        room.members.retain(|member| member.user_id != user_id);
        Ok(())
    })?;
    Ok(rest::no_content())
}
