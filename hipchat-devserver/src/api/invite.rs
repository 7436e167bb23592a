//! `POST /v2/invite/user` (invite_user_to_group, spec v2 §8): scope admin_group; G U;
//! body `email` (req), `name` (req, 1–50), `title`; 200 with the invited user as
//! view_user shows it (§3.2) \[decision: the response "extends User"\]. The invited user
//! joins the group at once; an email a user (not deleted) has → 400; a deleted user's
//! email un-deletes that user, as create_user does.

use axum::response::Response;
use serde_json::Value;

use super::rest::{self, Call, shapes};
use super::user::crud;
use crate::auth::kinds;
use crate::directory::users::{self, User};
use crate::error::ApiError;
use crate::validate::Field;

/// The body of invite_user_to_group.
pub const RULES: &[Field] = &[
    Field::string("email", true, 1, Some(100)),
    Field::string("name", true, 1, Some(50)),
    Field::string("title", false, 0, Some(100)),
];

/// invite_user_to_group.
pub fn invite_user_to_group(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&["admin_group"], kinds::GROUP_OR_USER)?;
    let body = call.json(RULES)?;
    let email = rest::text(&body, "email");
    let name = rest::text(&body, "name");
    let now = call.state.clock.now();
    let mut data = call.state.directory.lock();
    let id = crud::new_user_id(&data, &email)?;
    let mention = crud::free_mention(&data, &users::default_mention(&name), id);
    let mut user = User::new(id, name, mention, now);
    user.email = Some(email);
    user.title = body
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    data.users.insert(id, user);
    let user = data
        .users
        .get(&id)
        .ok_or_else(super::user::user_not_found)?;
    Ok(rest::ok(shapes::user(&call.links, &data, user)))
}
