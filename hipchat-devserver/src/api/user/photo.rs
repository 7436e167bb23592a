//! User photos (spec v2 §7): get_photo (`GET /user/{user}/photo/{small|big}`, scope
//! \[decision\] view_group, G U, 302 to the image, the placeholder when none was
//! uploaded), update_photo (`PUT /user/{user}/photo` `{"photo": base64}`) and
//! delete_photo (`DELETE`), both scope admin_group \[decision\], G U, 204.

use axum::response::Response;

use super::user_not_found;
use crate::api::image;
use crate::api::rest::{self, Call};
use crate::auth::kinds;
use crate::error::ApiError;
use crate::validate;

/// The photo sizes (spec v2 §7).
const SIZES: &[&str] = &["small", "big"];

/// get_photo: both sizes answer the same image \[decision\].
pub fn get_photo(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&["view_group"], kinds::GROUP_OR_USER)?;
    let id = super::active(call)?;
    let size = call.segment(5);
    if !SIZES.contains(&size.as_str()) {
        return Err(validate::not_of_type(
            "size",
            &serde_json::json!(size),
            "small|big",
        ));
    }
    let data = call.state.directory.lock();
    let user = data.users.get(&id).ok_or_else(user_not_found)?;
    Ok(image::redirect_to_file(call, &data, user.photo))
}

/// update_photo: 204; the photo replaces any earlier one.
pub fn update_photo(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&["admin_group"], kinds::GROUP_OR_USER)?;
    let id = super::active(call)?;
    let (bytes, kind) = image::upload(call, "photo")?;
    let mut data = call.state.directory.lock();
    let old = data.users.get(&id).ok_or_else(user_not_found)?.photo;
    let file = image::replace(&mut data, old, &format!("photo-{id}"), bytes, kind);
    let user = data.users.get_mut(&id).ok_or_else(user_not_found)?;
    user.photo = Some(file);
    user.touch();
    Ok(rest::no_content())
}

/// delete_photo: 204; the user has the placeholder again.
pub fn delete_photo(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&["admin_group"], kinds::GROUP_OR_USER)?;
    let id = super::active(call)?;
    let mut data = call.state.directory.lock();
    let user = data.users.get_mut(&id).ok_or_else(user_not_found)?;
    let old = user.photo.take();
    user.touch();
    if let Some(old) = old {
        data.files.remove(old);
    }
    Ok(rest::no_content())
}
