//! Users themselves (spec v2 §7): get_all_users, create_user, view_user, update_user,
//! delete_user.
//!
//! * Names are 1–50 characters; `email` is required on create and update; emails and
//!   `@mention` names are unique among users not deleted (400 otherwise, \[decision\]
//!   texts).
//! * A `null` optional field counts as absent (\[decision\]: HypChat sends `None`s).
//! * create_user answers 201 `{id, links}` plus the generated `password` when none was
//!   given; creating a user with a deleted user's email un-deletes that user.
//! * update_user: missing optional fields are reset ("treated as deleted"), the password
//!   is kept when absent, `presence` is accepted and ignored; guests and deleted users
//!   → 400.
//! * delete_user is a soft delete (204): reads answer 404 afterwards; get_all_users
//!   lists the user with `include-deleted=true`. The group's owner cannot be deleted
//!   (400, \[decision\]).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::user_not_found;
use crate::api::rest::{self, Call, envelope, shapes};
use crate::auth::kinds;
use crate::directory::users::{self, User};
use crate::directory::{Data, new_version};
use crate::error::ApiError;
use crate::validate::{Field, Kind};

/// The body of create_user.
pub const CREATE: &[Field] = &[
    Field::string("name", true, 1, Some(50)),
    Field::string("email", true, 1, Some(100)),
    Field::string("title", false, 0, Some(100)),
    Field::string("mention_name", false, 0, Some(50)),
    Field::boolean("is_group_admin"),
    Field::string("timezone", false, 0, Some(100)),
    Field::string("password", false, 0, Some(100)),
    Field::of("roles", false, Kind::Array),
];

/// The body of update_user: `name`, `mention_name` and `email` required.
pub const UPDATE: &[Field] = &[
    Field::string("name", true, 1, Some(50)),
    Field::string("mention_name", true, 1, Some(50)),
    Field::string("email", true, 1, Some(100)),
    Field::string("title", false, 0, Some(100)),
    Field::of("presence", false, Kind::Object),
    Field::boolean("is_group_admin"),
    Field::string("timezone", false, 0, Some(100)),
    Field::string("password", false, 0, Some(100)),
    Field::of("roles", false, Kind::Array),
];

/// get_all_users: scope view_group; G U; `start-index`, `max-results` (100),
/// `include-guests` (false), `include-deleted` (false), `expand=items` (full users).
pub fn get_all_users(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&["view_group"], kinds::GROUP_OR_USER)?;
    let paging = envelope::Paging::from_call(call, 100)?;
    let guests = envelope::boolean(call, "include-guests", false)?;
    let deleted = envelope::boolean(call, "include-deleted", false)?;
    let full = call.expands("items");
    let data = call.state.directory.lock();
    let items: Vec<Value> = data
        .users
        .values()
        .filter(|user| guests || !user.is_guest)
        .filter(|user| deleted || !user.is_deleted)
        .map(|user| {
            if full {
                shapes::user(&call.links, &data, user)
            } else {
                shapes::user_ref(&call.links, user)
            }
        })
        .collect();
    drop(data);
    Ok(rest::ok(envelope::page(call, paging, items)))
}

/// create_user: scope admin_group; G U; 201 `{"id","links":{"self"}}` (+ `password`).
pub fn create_user(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&["admin_group"], kinds::GROUP_OR_USER)?;
    let body = body(call, CREATE)?;
    let email = rest::text(&body, "email");
    let now = call.state.clock.now();
    let mut data = call.state.directory.lock();
    let id = new_user_id(&data, &email)?;
    let name = rest::text(&body, "name");
    let mention_name = match body.get("mention_name").and_then(Value::as_str) {
        Some(mention) if !mention.is_empty() => mention.to_owned(),
        _ => free_mention(&data, &users::default_mention(&name), id),
    };
    if mention_taken(&data, &mention_name, Some(id)) {
        return Err(mention_in_use());
    }
    let given = body
        .get("password")
        .and_then(Value::as_str)
        .filter(|password| !password.is_empty());
    let generated = given.is_none().then(generate_password);
    let created = data.users.get(&id).map_or(now, |previous| previous.created);
    let mut user = User::new(id, name, mention_name, created);
    user.email = Some(email);
    apply_optional(&mut user, &body);
    user.password = given.map(str::to_owned).or_else(|| generated.clone());
    data.users.insert(id, user);
    drop(data);
    let mut answer = json!({
        "id": id,
        "links": {"self": call.links.url(&shapes::user_path(id))},
    });
    if let Some(password) = generated {
        answer["password"] = json!(password);
    }
    Ok((StatusCode::CREATED, axum::Json(answer)).into_response())
}

/// view_user: scope view_group; G U; 200 §3.2.
pub fn view_user(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&["view_group"], kinds::GROUP_OR_USER)?;
    let id = super::active(call)?;
    let data = call.state.directory.lock();
    let user = data.users.get(&id).ok_or_else(user_not_found)?;
    Ok(rest::ok(shapes::user(&call.links, &data, user)))
}

/// update_user: scope admin_group; G U; 204.
pub fn update_user(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&["admin_group"], kinds::GROUP_OR_USER)?;
    let reference = call.segment(3);
    let body = body(call, UPDATE)?;
    let mut data = call.state.directory.lock();
    let (id, is_guest, is_deleted) = data
        .users
        .values()
        .filter(|user| user.matches(&reference))
        .min_by_key(|user| user.is_deleted)
        .map(|user| (user.id, user.is_guest, user.is_deleted))
        .ok_or_else(user_not_found)?;
    if is_deleted {
        return Err(ApiError::bad_request("Deleted users cannot be updated"));
    }
    if is_guest {
        return Err(ApiError::bad_request("Guest users cannot be updated"));
    }
    let email = rest::text(&body, "email");
    if email_taken(&data, &email, Some(id)) {
        return Err(email_in_use());
    }
    let mention_name = rest::text(&body, "mention_name");
    if mention_taken(&data, &mention_name, Some(id)) {
        return Err(mention_in_use());
    }
    let user = data.users.get_mut(&id).ok_or_else(user_not_found)?;
    user.name = rest::text(&body, "name");
    user.mention_name = mention_name;
    user.email = Some(email);
    let role = if id == users::OWNER_ID {
        "owner"
    } else {
        "user"
    };
    user.title = String::new();
    user.is_group_admin = id == users::OWNER_ID;
    user.timezone = "UTC".into();
    user.roles = vec![role.into()];
    apply_optional(user, &body);
    if let Some(password) = body
        .get("password")
        .and_then(Value::as_str)
        .filter(|password| !password.is_empty())
    {
        user.password = Some(password.to_owned());
    }
    user.touch();
    Ok(rest::no_content())
}

/// delete_user: scope admin_group; G U; soft delete, 204.
pub fn delete_user(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&["admin_group"], kinds::GROUP_OR_USER)?;
    let id = super::active(call)?;
    let mut data = call.state.directory.lock();
    if id == data.group.owner {
        return Err(ApiError::bad_request("The group owner cannot be deleted"));
    }
    let user = data.users.get_mut(&id).ok_or_else(user_not_found)?;
    user.is_deleted = true;
    user.touch();
    Ok(rest::no_content())
}

/// The body without `null` members, checked against `rules`.
fn body(call: &Call, rules: &[Field]) -> Result<Map<String, Value>, ApiError> {
    let mut body = call.json(&[])?;
    body.retain(|_, value| !value.is_null());
    crate::validate::validate(&body, rules)?;
    Ok(body)
}

/// Sets `title`, `is_group_admin`, `timezone` and `roles` from the body when present.
fn apply_optional(user: &mut User, body: &Map<String, Value>) {
    if let Some(title) = body.get("title").and_then(Value::as_str) {
        user.title = title.to_owned();
    }
    if let Some(admin) = body.get("is_group_admin").and_then(Value::as_bool) {
        user.is_group_admin = admin;
    }
    if let Some(timezone) = body
        .get("timezone")
        .and_then(Value::as_str)
        .filter(|timezone| !timezone.is_empty())
    {
        user.timezone = timezone.to_owned();
    }
    if let Some(roles) = body.get("roles").and_then(Value::as_array) {
        let roles: Vec<String> = roles
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        if !roles.is_empty() {
            user.roles = roles;
        }
    }
}

fn same_email(user: &User, email: &str) -> bool {
    user.email
        .as_deref()
        .is_some_and(|known| known.eq_ignore_ascii_case(email))
}

/// Whether a user other than `except`, not deleted, has `email`.
fn email_taken(data: &Data, email: &str, except: Option<u64>) -> bool {
    data.users
        .values()
        .any(|user| !user.is_deleted && Some(user.id) != except && same_email(user, email))
}

/// Whether a user other than `except`, not deleted, is `@mention`.
fn mention_taken(data: &Data, mention: &str, except: Option<u64>) -> bool {
    data.users
        .values()
        .any(|user| !user.is_deleted && Some(user.id) != except && user.mention_name == mention)
}

/// The id a new user with `email` gets: that of a deleted user with the email (whom the
/// caller un-deletes by replacing), else the next free one; 400 when a user not
/// deleted has the email.
pub fn new_user_id(data: &Data, email: &str) -> Result<u64, ApiError> {
    if email_taken(data, email, None) {
        return Err(email_in_use());
    }
    let revived = data
        .users
        .values()
        .find(|user| user.is_deleted && same_email(user, email))
        .map(|user| user.id);
    Ok(revived.unwrap_or_else(|| data.users.keys().next_back().map_or(1, |last| last + 1)))
}

fn email_in_use() -> ApiError {
    ApiError::bad_request("A user with this email address already exists")
}

/// `wanted`, or `wanted` + user `id`'s id when another user has it.
pub fn free_mention(data: &Data, wanted: &str, id: u64) -> String {
    if mention_taken(data, wanted, Some(id)) {
        format!("{wanted}{id}")
    } else {
        wanted.to_owned()
    }
}

fn mention_in_use() -> ApiError {
    ApiError::bad_request("The mention name is already in use")
}

/// A random 16-character password from `0-9A-Z` (two versions).
fn generate_password() -> String {
    format!("{}{}", new_version(), new_version())
}
