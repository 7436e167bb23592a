//! `GET /v2/capabilities` (get_capabilities, base spec §9, v2 §8): no token; HipChat's
//! capabilities document (as in the spec's `fixtures/connect/hipchat-server-capabilities.json`)
//! with this server's URLs, built from the request's `Host`: `links.self`, `links.api`,
//! `hipchatApiProvider.url` (`{host}/v2/`), `oauth2Provider.tokenUrl`
//! (`{host}/v2/oauth/token`) and `authorizationUrl` (`{host}/users/authorize`).

use axum::response::Response;
use serde_json::{Map, json};

use super::rest::{self, Call};
use crate::error::ApiError;

/// The scopes HipChat offered: (id, name, description), as recorded.
pub const SCOPES: &[(&str, &str, &str)] = &[
    (
        "admin_group",
        "Administer Group",
        "Perform group administrative tasks. Note that this scope is restricted from updating the group owner's profile.",
    ),
    (
        "admin_room",
        "Administer Room",
        "Perform room administrative tasks",
    ),
    (
        "import_data",
        "Import Data",
        "Import users, rooms, and chat history. Only available for select add-ons.",
    ),
    (
        "manage_rooms",
        "Manage Rooms",
        "Create, update, and remove rooms",
    ),
    (
        "send_message",
        "Send Message",
        "Send private one-on-one messages",
    ),
    (
        "send_notification",
        "Send Notification",
        "Send room notifications",
    ),
    (
        "view_group",
        "View Group",
        "View users, rooms, and other group information",
    ),
    (
        "view_messages",
        "View Messages",
        "View messages from chat rooms and private chats you have access to",
    ),
    (
        "view_room",
        "View Room",
        "View room information and participants, but not history",
    ),
];

/// get_capabilities.
pub fn get_capabilities(call: &Call) -> Result<Response, ApiError> {
    let scopes: Map<String, serde_json::Value> = SCOPES
        .iter()
        .map(|(id, name, description)| {
            (
                (*id).to_owned(),
                json!({"description": description, "id": id, "name": name}),
            )
        })
        .collect();
    Ok(rest::ok(json!({
        "capabilities": {
            "hipchatApiProvider": {
                "availableScopes": scopes,
                "url": call.links.url("/v2/"),
            },
            "oauth2Provider": {
                "authorizationUrl": call.links.url("/users/authorize"),
                "tokenUrl": call.links.url("/v2/oauth/token"),
            },
        },
        "connect_server_api_version": 1,
        "description": "Group chat and IM built for teams",
        "key": "hipchat",
        "links": {
            "api": call.links.url("/v2"),
            "homepage": call.links.url("/"),
            "self": call.links.url("/v2/capabilities"),
            "subdomain": call.links.url("/"),
        },
        "name": "HipChat",
        "vendor": {"name": "Atlassian", "url": "http://atlassian.com"},
    })))
}
