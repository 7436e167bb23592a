//! The HipChat REST API v2: a typed client for rooms, history, members, webhooks, users,
//! emoticons, the group, OAuth sessions and add-on UI.
//!
//! This module is the one place that knows HipChat's wire: URLs and path encoding
//! (`url.rs`), authorization and the request loop with retries and pacing (`client.rs`),
//! error bodies and rate-limit headers (`response.rs`), paging (`paging.rs`). The
//! notification [`HttpBackend`](crate::backend::HttpBackend) uses the same pieces.
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! use hipchat_runtime::rest::Client;
//!
//! # async fn run() -> Result<(), hipchat_runtime::Error> {
//! let client = Client::new("http://127.0.0.1:8080", "a-token")?;
//! let created = client.rooms().create("Deploys").topic("Green builds only").await?;
//! client.room("Deploys").send_message("hello").await?;
//! let latest = client.room("Deploys").latest().max_results(10).await?;
//! let users: Vec<_> = client.users().list().items().try_collect().await?;
//! # Ok(()) }
//! ```

pub(crate) mod client;
pub mod endpoints;
pub mod model;
pub(crate) mod paging;
mod request;
pub(crate) mod response;
mod token;
pub(crate) mod url;

pub use client::{Client, ClientBuilder, http_client};
pub use endpoints::addon::{AddonHandler, GlanceScope, GlanceUpdate};
pub use endpoints::emoticons::{EmoticonsHandler, ListEmoticons};
pub use endpoints::group::{GroupHandler, InviteToGroup};
pub use endpoints::history::{LatestHistory, ViewHistory};
pub use endpoints::members::{AddMember, ListMembers, ListParticipants};
pub use endpoints::oauth::client_credentials_token;
pub use endpoints::rooms::{
    CreateRoom, ListRooms, RoomHandler, RoomUpdate, RoomsHandler, SentMessage,
};
pub use endpoints::sessions::SessionsHandler;
pub use endpoints::users::{
    CreateUser, ListAutoJoin, ListUsers, PhotoSize, UserHandler, UserUpdate, UsersHandler,
};
pub use endpoints::webhooks::{CreateWebhook, ExtensionHandler, ExtensionKind, ListWebhooks};
pub use paging::Paged;
pub use request::{Call, Response};
/// The secret type of tokens (sessions, [`TokenSource`]): `secrecy`'s, re-exported.
pub use secrecy::SecretString;
pub use token::{StaticToken, TokenFuture, TokenSource};
pub use url::encode_segment;
