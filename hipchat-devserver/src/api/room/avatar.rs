//! The room avatar (spec v2 §4): GET → 302 to the image (served at
//! `/web/avatar/room/{id}`: the upload, or a default SVG), scope \[decision\] view_group or
//! view_room; PUT `{"avatar": base64 PNG/JPEG/GIF, no data: prefix}` → 204 and DELETE →
//! 204, scope admin_room; G R U.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::api::rest::{self, Call};
use crate::auth::kinds;
use crate::error::ApiError;
use crate::validate::{self, Field};

/// The body of update_room_avatar.
pub const RULES: &[Field] = &[Field::string("avatar", true, 1, None)];

/// The page path serving room `id`'s avatar.
pub fn image_path(id: u64) -> String {
    format!("/web/avatar/room/{id}")
}

/// get_room_avatar: 302.
pub fn get_room_avatar(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(&["view_group", "view_room"], kinds::ANY)?;
    let room = call.room(&caller)?;
    let location = call.links.url(&image_path(room.id));
    Ok((StatusCode::FOUND, [(header::LOCATION, location)]).into_response())
}

/// update_room_avatar: 204; 400 (`avatar`, `type`) unless base64 of a PNG, JPEG or GIF.
pub fn update_room_avatar(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(&["admin_room"], kinds::ANY)?;
    let room = call.room(&caller)?;
    let body = call.json(RULES)?;
    let avatar = rest::text(&body, "avatar");
    let image = crate::base64::decode(&avatar)
        .filter(|bytes| crate::base64::image_type(bytes).is_some())
        .ok_or_else(|| validate::not_of_type("avatar", &json!(avatar), "base64 image"))?;
    call.change_room(&room, |found| {
        found.avatar = Some(image);
        Ok(())
    })?;
    Ok(rest::no_content())
}

/// delete_room_avatar: 204.
pub fn delete_room_avatar(call: &Call) -> Result<Response, ApiError> {
    let caller = call.authorize(&["admin_room"], kinds::ANY)?;
    let room = call.room(&caller)?;
    call.change_room(&room, |found| {
        found.avatar = None;
        Ok(())
    })?;
    Ok(rest::no_content())
}
