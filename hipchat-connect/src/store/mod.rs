//! Where installations are kept: one trait, [`InstallationStore`], and its
//! implementations: [`MemoryStore`] (tests, one process), [`SqliteStore`] (the embedded
//! default, one file; feature `sqlite`), `PostgresStore` (one database shared by several
//! instances; feature `postgres`), and [`EncryptedStore`], which seals the secrets of any
//! of them.
//!
//! Every lookup goes to the store: no instance keeps a cache that would go on accepting
//! the JWTs of an installation another instance removed.

use std::future::Future;
use std::pin::Pin;

use crate::installation::Installation;

mod encrypted;
mod memory;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

pub use encrypted::{EncryptedStore, SecretKey};
pub use memory::MemoryStore;
#[cfg(feature = "postgres")]
pub use postgres::PostgresStore;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;

/// The future a store answers with.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// Keeps installations by `oauthId`. Dyn-compatible: the add-on holds one as
/// `Arc<dyn InstallationStore>`.
pub trait InstallationStore: Send + Sync + 'static {
    /// The installation with this `oauthId`, if any.
    fn get<'a>(&'a self, oauth_id: &'a str) -> StoreFuture<'a, Option<Installation>>;

    /// Stores `installation`, replacing any with the same `oauthId` (spec §2.1 f).
    fn put(&self, installation: Installation) -> StoreFuture<'_, ()>;

    /// Removes the installation with this `oauthId`; whether there was one.
    fn delete<'a>(&'a self, oauth_id: &'a str) -> StoreFuture<'a, bool>;

    /// Every installation.
    fn list(&self) -> StoreFuture<'_, Vec<Installation>>;
}

/// A store shared with other code (`Arc<SqliteStore>`, `Arc<dyn InstallationStore>`).
impl<T: InstallationStore + ?Sized> InstallationStore for std::sync::Arc<T> {
    fn get<'a>(&'a self, oauth_id: &'a str) -> StoreFuture<'a, Option<Installation>> {
        (**self).get(oauth_id)
    }

    fn put(&self, installation: Installation) -> StoreFuture<'_, ()> {
        (**self).put(installation)
    }

    fn delete<'a>(&'a self, oauth_id: &'a str) -> StoreFuture<'a, bool> {
        (**self).delete(oauth_id)
    }

    fn list(&self) -> StoreFuture<'_, Vec<Installation>> {
        (**self).list()
    }
}

/// A store failed: its database could not be opened, read or written.
#[derive(Debug, thiserror::Error)]
#[error("installation store: {what}: {source}")]
pub struct StoreError {
    /// What the store was doing.
    pub what: &'static str,
    /// Why it failed.
    #[source]
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl StoreError {
    /// An error of a store (yours too) doing `what` (`"read an installation"`).
    pub fn new(
        what: &'static str,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            what,
            source: source.into(),
        }
    }
}
