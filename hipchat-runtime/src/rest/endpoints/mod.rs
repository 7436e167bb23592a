//! The endpoints, grouped as the API reference groups them; each handler borrows the
//! [`Client`] and builds requests that `.await` (or stream) through it.

use reqwest::Method;

use super::Client;
use super::model::FileUrl;
use super::request::{About, Call, json};
use super::url::segment;

pub mod addon;
pub mod emoticons;
pub mod group;
pub mod history;
pub mod members;
pub mod notifications;
pub mod oauth;
pub mod rooms;
pub mod sessions;
pub mod users;
pub mod webhooks;

impl Client {
    /// The group's rooms: list them, create one.
    pub fn rooms(&self) -> rooms::RoomsHandler<'_> {
        rooms::RoomsHandler::new(self)
    }

    /// One room by id or name: get, update, archive, delete, topic, statistics, avatar,
    /// history, members, participants, invitations, webhooks and extensions.
    pub fn room(&self, room: impl Into<String>) -> rooms::RoomHandler<'_> {
        rooms::RoomHandler::new(self, room.into())
    }

    /// The group's users: list them, create one.
    pub fn users(&self) -> users::UsersHandler<'_> {
        users::UsersHandler::new(self)
    }

    /// One user by id, email or `@mention` name: view, update, delete, photo,
    /// auto-join rooms, private messages and history.
    pub fn user(&self, user: impl Into<String>) -> users::UserHandler<'_> {
        users::UserHandler::new(self, user.into())
    }

    /// The emoticons.
    pub fn emoticons(&self) -> emoticons::EmoticonsHandler<'_> {
        emoticons::EmoticonsHandler::new(self)
    }

    /// The group with this id: view, statistics, avatar.
    pub fn group(&self, id: u64) -> group::GroupHandler<'_> {
        group::GroupHandler::new(self, id)
    }

    /// invite_user_to_group: `POST /v2/invite/user`: emails `email` an invitation to the
    /// group under `name` (1–50 characters).
    pub fn invite_to_group(
        &self,
        email: impl Into<String>,
        name: impl Into<String>,
    ) -> group::InviteToGroup<'_> {
        group::InviteToGroup {
            client: self,
            body: group::InviteBody {
                email: email.into(),
                name: name.into(),
                title: None,
            },
        }
    }

    /// OAuth sessions: inspect or revoke a token.
    pub fn sessions(&self) -> sessions::SessionsHandler<'_> {
        sessions::SessionsHandler::new(self)
    }

    /// What an add-on pushes: glance updates, integration links, global actions.
    pub fn addon(&self) -> addon::AddonHandler<'_> {
        addon::AddonHandler::new(self)
    }

    /// get_capabilities: `GET /v2/capabilities`, the server's capabilities document
    /// (API and token URLs, scopes), as JSON.
    pub fn capabilities(&self) -> Call<'_, serde_json::Value> {
        let request = self.request(
            Method::GET,
            About::Other("the capabilities document".into()),
            format_args!("/capabilities"),
        );
        Call::new(self, Ok(request), json)
    }

    /// `GET /v2/file/{id}`: a temporary URL for an `authenticated_file` of the history
    /// (user tokens).
    pub fn file(&self, id: &str) -> Call<'_, FileUrl> {
        let request = segment("file id", id).map(|encoded| {
            self.request(
                Method::GET,
                About::Other(format!("file {id:?}")),
                format_args!("/file/{encoded}"),
            )
        });
        Call::new(self, request.map_err(Into::into), json)
    }
}
