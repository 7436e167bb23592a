//! The group (spec v2 §3.6, §8): view_group (`GET /group/{group_id}`), group_statistics
//! (`…/statistics` → `{"users": n}`, users not deleted), the avatar (GET 302, PUT
//! `{"avatar": base64}` 204, DELETE 204). Reads need view_group, avatar writes
//! admin_group; G U. A group id other than the token's group → 403 \[emulator\].

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::image;
use super::rest::{self, Call, shapes};
use crate::auth::kinds;
use crate::error::ApiError;

/// The path of group `id`.
pub fn group_path(id: u64) -> String {
    format!("/v2/group/{id}")
}

/// view_group: `{id, name, domain, subdomain, created, avatar_url, plan{id,type},
/// owner, links.self}`.
pub fn view_group(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&["view_group"], kinds::GROUP_OR_USER)?;
    let data = call.state.directory.lock();
    let group = &data.group;
    check_group(call, group.id)?;
    let path = group_path(group.id);
    Ok(rest::ok(json!({
        "id": group.id,
        "name": group.name,
        "domain": null,
        "subdomain": group.subdomain,
        "created": shapes::iso_seconds(group.created),
        "avatar_url": group.avatar.map(|_| call.links.url(&format!("{path}/avatar"))),
        "plan": {"id": 1, "type": group.plan},
        "owner": shapes::user_ref_by_id(&call.links, &data, group.owner),
        "links": {"self": call.links.url(&path)},
    })))
}

/// group_statistics: `{"users": n}`.
pub fn group_statistics(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&["view_group"], kinds::GROUP_OR_USER)?;
    let data = call.state.directory.lock();
    check_group(call, data.group.id)?;
    let users = data.users.values().filter(|user| !user.is_deleted).count();
    Ok(rest::ok(json!({ "users": users })))
}

/// get_group_avatar: 302 to the avatar (the placeholder when none was uploaded).
pub fn get_group_avatar(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&["view_group"], kinds::GROUP_OR_USER)?;
    let data = call.state.directory.lock();
    check_group(call, data.group.id)?;
    Ok(image::redirect_to_file(call, &data, data.group.avatar))
}

/// update_group_avatar: 204.
pub fn update_group_avatar(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&["admin_group"], kinds::GROUP_OR_USER)?;
    check_group(call, call.state.directory.lock().group.id)?;
    let (bytes, kind) = image::upload(call, "avatar")?;
    let mut data = call.state.directory.lock();
    let old = data.group.avatar;
    let file = image::replace(&mut data, old, "group-avatar", bytes, kind);
    data.group.avatar = Some(file);
    Ok(rest::no_content())
}

/// delete_group_avatar: 204.
pub fn delete_group_avatar(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&["admin_group"], kinds::GROUP_OR_USER)?;
    let mut data = call.state.directory.lock();
    check_group(call, data.group.id)?;
    if let Some(old) = data.group.avatar.take() {
        data.files.remove(old);
    }
    Ok(rest::no_content())
}

/// 403 unless path segment 3 is `group_id` (404 `Group not found` when not a number).
fn check_group(call: &Call, group_id: u64) -> Result<(), ApiError> {
    match call.segment(3).parse::<u64>() {
        Ok(id) if id == group_id => Ok(()),
        Ok(_) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "This token is not valid for this group",
        )),
        Err(_) => Err(rest::not_found("Group not found")),
    }
}
