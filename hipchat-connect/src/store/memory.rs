//! Installations in memory: for tests and a single process that may forget them.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

use super::{InstallationStore, StoreFuture};
use crate::installation::Installation;

/// Installations in a map, lost when the process ends.
#[derive(Debug, Default)]
pub struct MemoryStore {
    installations: RwLock<HashMap<String, Installation>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl InstallationStore for MemoryStore {
    fn get<'a>(&'a self, oauth_id: &'a str) -> StoreFuture<'a, Option<Installation>> {
        let found = self
            .installations
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(oauth_id)
            .cloned();
        Box::pin(async move { Ok(found) })
    }

    fn put(&self, installation: Installation) -> StoreFuture<'_, ()> {
        self.installations
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(installation.oauth_id.clone(), installation);
        Box::pin(async { Ok(()) })
    }

    fn delete<'a>(&'a self, oauth_id: &'a str) -> StoreFuture<'a, bool> {
        let removed = self
            .installations
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(oauth_id)
            .is_some();
        Box::pin(async move { Ok(removed) })
    }

    fn list(&self) -> StoreFuture<'_, Vec<Installation>> {
        let all = self
            .installations
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect();
        Box::pin(async move { Ok(all) })
    }
}
