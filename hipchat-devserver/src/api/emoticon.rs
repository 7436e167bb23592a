//! Emoticons (spec v2 §8): get_all_emoticons (`GET /emoticon`, `type`
//! global|group|all (all), paging; items `{id, url, shortcut, links.self}`) and
//! get_emoticon (`GET /emoticon/{id_or_shortcut}`, adds `width`, `height`, `creator`).
//! Scope view_group; G R U.

use axum::response::Response;
use serde_json::{Value, json};

use super::rest::{self, Call, envelope, shapes};
use crate::auth::kinds;
use crate::directory::Data;
use crate::directory::emoticons::Emoticon;
use crate::error::ApiError;
use crate::validate;

const TYPES: &[&str] = &["global", "group", "all"];

/// get_all_emoticons.
pub fn get_all_emoticons(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&["view_group"], kinds::ANY)?;
    let paging = envelope::Paging::from_call(call, 100)?;
    let kind = call.query.get("type").unwrap_or("all");
    if !TYPES.contains(&kind) {
        return Err(validate::not_of_type(
            "type",
            &json!(kind),
            "global|group|all",
        ));
    }
    let data = call.state.directory.lock();
    let items: Vec<Value> = data
        .emoticons
        .values()
        .filter(|emoticon| match kind {
            "global" => emoticon.global,
            "group" => !emoticon.global,
            _ => true,
        })
        .map(|emoticon| item(call, &data, emoticon))
        .collect();
    drop(data);
    Ok(rest::ok(envelope::page(call, paging, items)))
}

/// get_emoticon: by id (digits) or shortcut; 404 `Emoticon not found`.
pub fn get_emoticon(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&["view_group"], kinds::ANY)?;
    let reference = call.segment(3);
    let data = call.state.directory.lock();
    let emoticon = data
        .emoticons
        .values()
        .find(|emoticon| {
            emoticon.shortcut == reference || reference.parse::<u64>().ok() == Some(emoticon.id)
        })
        .ok_or_else(|| rest::not_found("Emoticon not found"))?;
    let mut body = item(call, &data, emoticon);
    body["width"] = json!(emoticon.width);
    body["height"] = json!(emoticon.height);
    body["creator"] = emoticon.creator.map_or(Value::Null, |id| {
        shapes::user_ref_by_id(&call.links, &data, id)
    });
    Ok(rest::ok(body))
}

/// A list item: `{id, url, shortcut, links.self}`.
fn item(call: &Call, data: &Data, emoticon: &Emoticon) -> Value {
    let url = data
        .files
        .get(emoticon.file)
        .map(|file| call.links.url(&file.path()));
    json!({
        "id": emoticon.id,
        "url": url,
        "shortcut": emoticon.shortcut,
        "links": {"self": call.links.url(&format!("/v2/emoticon/{}", emoticon.id))},
    })
}
