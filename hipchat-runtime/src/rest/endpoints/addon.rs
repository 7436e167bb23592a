//! What an add-on pushes to HipChat (spec v2 §9, connect §6): glance updates for the
//! group, a room, a user or a user in a room; integration links; global actions.

use reqwest::Method;
use secrecy::SecretString;
use serde::Serialize;

use super::webhooks::ExtensionHandler;
use crate::Error;
use crate::rest::Client;
use crate::rest::request::{About, Call, Request, json_if_any, nothing};
use crate::rest::url::segment;

/// One glance's new content, as `addon_ui_update` takes it: `{"key", "content"}` with
/// the glance data (`label`, `status`, `metadata`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct GlanceUpdate {
    /// The glance's key, as declared.
    pub key: String,
    /// The glance data.
    pub content: serde_json::Value,
}

impl GlanceUpdate {
    /// The new `content` of the glance `key`.
    pub fn new(key: impl Into<String>, content: serde_json::Value) -> Self {
        Self {
            key: key.into(),
            content,
        }
    }
}

/// Where an add-on's glance update applies.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GlanceScope {
    /// Every room of the group (`POST /v2/addon/ui`).
    Group,
    /// One room (`/v2/addon/ui/room/{room}`).
    Room(String),
    /// One user, everywhere (`/v2/addon/ui/user/{user}`).
    User(String),
    /// One user in one room (`/v2/addon/ui/room/{room}/user/{user}`).
    RoomUser {
        /// The room.
        room: String,
        /// The user.
        user: String,
    },
}

/// The add-on API: `client.addon()`.
#[derive(Debug, Clone, Copy)]
pub struct AddonHandler<'a> {
    client: &'a Client,
}

impl<'a> AddonHandler<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// addon_ui_update: pushes new glance content to `scope`.
    pub fn update_glances(self, scope: GlanceScope, glances: Vec<GlanceUpdate>) -> Call<'a, ()> {
        #[derive(Serialize)]
        struct Body {
            glance: Vec<GlanceUpdate>,
        }
        let request = glance_request(self.client, &scope)
            .and_then(|request| request.json(&Body { glance: glances }));
        Call::new(self.client, request, nothing)
    }

    /// create_integration_link: `POST /v2/addon/link` (`target`, `ttl` in seconds);
    /// HipChat's answer is unrecorded, so it is kept as JSON (`None` without a body).
    pub fn create_link(
        self,
        target: impl Into<String>,
        ttl_seconds: u64,
    ) -> Call<'a, Option<serde_json::Value>> {
        #[derive(Serialize)]
        struct Body {
            target: String,
            ttl: u64,
        }
        let request = self
            .client
            .request(
                Method::POST,
                About::Other("integration links".into()),
                format_args!("/addon/link"),
            )
            .json(&Body {
                target: target.into(),
                ttl: ttl_seconds,
            });
        Call::new(self.client, request, json_if_any)
    }

    /// delete_integration_link: `DELETE /v2/addon/link/{token}` (the token is redacted
    /// wherever the request is shown).
    pub fn delete_link(self, token: &str) -> Call<'a, ()> {
        let request = segment("link token", token).map(|encoded| {
            self.client
                .request(
                    Method::DELETE,
                    About::Other("the integration link".into()),
                    format_args!("/addon/link/{encoded}"),
                )
                .secret_in_path(SecretString::from(token.to_owned()))
        });
        Call::new(self.client, request.map_err(Into::into), nothing)
    }

    /// A global action of the add-on: `/v2/extension/action/{key}` (group clients; at
    /// most 10).
    pub fn global_action(self, key: &str) -> ExtensionHandler<'a> {
        ExtensionHandler::new(self.client, |method| {
            let encoded = segment("key", key)?;
            Ok(self.client.request(
                method,
                About::Other(format!("global action {key:?}")),
                format_args!("/extension/action/{encoded}"),
            ))
        })
    }
}

fn glance_request(client: &Client, scope: &GlanceScope) -> Result<Request, Error> {
    Ok(match scope {
        GlanceScope::Group => client.request(
            Method::POST,
            About::Other("the add-on's glances".into()),
            format_args!("/addon/ui"),
        ),
        GlanceScope::Room(room) => {
            let room_segment = segment("room", room)?;
            client.request(
                Method::POST,
                About::Room(room.clone()),
                format_args!("/addon/ui/room/{room_segment}"),
            )
        }
        GlanceScope::User(user) => {
            let user_segment = segment("user", user)?;
            client.request(
                Method::POST,
                About::User(user.clone()),
                format_args!("/addon/ui/user/{user_segment}"),
            )
        }
        GlanceScope::RoomUser { room, user } => {
            let (room_segment, user_segment) = (segment("room", room)?, segment("user", user)?);
            let about = About::RoomAndUser {
                room: room.clone(),
                user: user.clone(),
            };
            client.request(
                Method::POST,
                about,
                format_args!("/addon/ui/room/{room_segment}/user/{user_segment}"),
            )
        }
    })
}
