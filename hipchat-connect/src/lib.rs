//! HipChat Connect add-ons: an [`Addon`] declared in typed Rust serves its descriptor,
//! accepts installations into rooms or whole groups, proves who is calling it (signed
//! requests), and acts as each installation (add-on tokens, notifications, the REST API).
//!
//! Protocol: `shared/spec/hipchat-connect.md` §1–§4.

#![warn(missing_docs)]

pub mod addon;
pub mod descriptor;
pub mod events;
mod install;
pub mod installation;
pub mod jwt;
mod runtime;
mod signed;
pub mod store;
pub mod token;

pub use addon::{Addon, AddonBuilder, AddonError, Problem};
pub use events::{Delivery, RoomEvent};
pub use installation::{InstallKind, Installation};
pub use runtime::{AddonRuntime, AddonRuntimeBuilder, Installed};
pub use signed::{SignedRequest, SignedRequestRejection};
#[cfg(feature = "postgres")]
pub use store::PostgresStore;
#[cfg(feature = "sqlite")]
pub use store::SqliteStore;
pub use store::{InstallationStore, MemoryStore, StoreError};
