//! Compile-time checked HipChat notifications.
//!
//! Annotate an event struct; the compiler checks its template, room, color and sender;
//! `event.notify().await` renders it and delivers it.
//!
//! ```no_run
//! use hipchat::prelude::*;
//!
//! #[hipchat(room = "Ops", color = "red", message = "Deploy of <b>{{ service }}</b> {{ version }} failed")]
//! struct DeployFailed {
//!     service: String,
//!     version: String,
//! }
//!
//! # async fn run() -> Result<(), hipchat::Error> {
//! DeployFailed { service: "billing".into(), version: "1.4.2".into() }.notify().await?;
//! # Ok(())
//! # }
//! ```
//!
//! See the README for templates, settings and backends. The rest of HipChat's REST API
//! (rooms, history, members, webhooks, users, ...) is [`Client`]: typed, paged as
//! streams, rate-limit aware.

#![warn(missing_docs)]

#[doc(inline)]
pub use hipchat_macros::hipchat;
/// The REST API v2 client: [`rest::Client`].
#[doc(inline)]
pub use hipchat_runtime::rest::Client;
#[doc(inline)]
pub use hipchat_runtime::{
    ApiError, ApiVersion, Backend, BackendKind, Card, Color, ConfigError, Delivery, Error, Format,
    LongMessage, Message, Notification, Notifier, Notify, Outgoing, PrivateMessage, RateLimit,
    RoomNotification, Settings, SharedLink, Target, ValidationError, backend, card,
    default_notifier, error, filters, limits, long_message, rest, set_default, settings,
};

/// HipChat Connect add-ons: descriptor, installations, add-on tokens, signed requests
/// (feature `connect`).
#[cfg(feature = "connect")]
#[doc(inline)]
pub use hipchat_connect as connect;

#[doc(hidden)]
pub use hipchat_runtime::__private;

/// Everything needed to declare notifications and call `.render()` and `.notify()`.
pub mod prelude {
    pub use crate::{Notification, hipchat};
}
