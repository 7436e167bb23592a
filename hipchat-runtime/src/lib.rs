//! The runtime of [`hipchat`](https://docs.rs/hipchat): settings, the message model, and
//! async backends.
//!
//! Most applications depend on `hipchat` and never name this crate. The path of one
//! notification:
//!
//! 1. a `#[hipchat]` struct renders to a [`Message`] ([`Notification::render`]);
//! 2. a [`Notifier`] fills the default room and sender, applies the long-message policy and
//!    checks HipChat's limits, which turns it into an [`Outgoing`];
//! 3. a [`Backend`] delivers that: [`HttpBackend`](backend::HttpBackend) (HipChat REST API v2, or v1),
//!    [`ConsoleBackend`](backend::ConsoleBackend), [`DisabledBackend`](backend::DisabledBackend),
//!    [`MemoryBackend`](backend::MemoryBackend), or your own.

#![warn(missing_docs)]

pub mod backend;
pub mod card;
mod default_notifier;
pub mod error;
#[allow(missing_docs)] // `filter_fn` generates builder types and methods without docs.
pub mod filters;
pub mod limits;
pub mod long_message;
mod message;
mod notification;
mod notifier;
mod outgoing;
pub mod rest;
pub mod settings;

#[doc(hidden)]
pub mod __private;

pub use backend::Backend;
pub use card::Card;
pub use default_notifier::{default_notifier, set_default};
pub use error::{ApiError, ConfigError, Error, RateLimit, ValidationError};
pub use hipchat_spec::{Color, Format};
pub use long_message::LongMessage;
pub use message::Message;
pub use notification::{Delivery, Notification, Notify};
pub use notifier::Notifier;
pub use outgoing::{Outgoing, PrivateMessage, RoomNotification, SharedLink, Target};
pub use settings::{ApiVersion, BackendKind, Settings};
