//! Installations in a SQLite file: the embedded default (no server; SQLite compiled in).
//! A restart with the same file keeps every installation. Each record is one row, its
//! fields as JSON; the schema is versioned with `PRAGMA user_version`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};

use super::{InstallationStore, StoreError, StoreFuture};
use crate::installation::Installation;

/// The schema this code writes; older files are upgraded, newer ones refused.
const FORMAT: i64 = 1;

/// Installations in a SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    path: PathBuf,
    connection: Arc<Mutex<Connection>>,
}

impl SqliteStore {
    /// Opens (or creates) the store at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref().to_owned();
        let connection = Connection::open(&path).map_err(|e| StoreError::new("open", e))?;
        // The file holds the installations' secrets: its owner only.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| StoreError::new("restrict the file to its owner", e))?;
        }
        // Several processes may share the file: wait for a writer rather than fail.
        connection
            .busy_timeout(Duration::from_secs(5))
            .map_err(|e| StoreError::new("open", e))?;
        let version: i64 = connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| StoreError::new("read the schema version", e))?;
        if version > FORMAT {
            return Err(StoreError::new(
                "open",
                format!(
                    "{} was written by a newer version (format {version}, this one reads {FORMAT})",
                    path.display()
                ),
            ));
        }
        if version < FORMAT {
            connection
                .execute_batch(
                    "BEGIN;
                     CREATE TABLE IF NOT EXISTS installations (
                         oauth_id TEXT PRIMARY KEY,
                         record TEXT NOT NULL
                     );
                     PRAGMA user_version = 1;
                     COMMIT;",
                )
                .map_err(|e| StoreError::new("create the schema", e))?;
        }
        Ok(Self {
            path,
            connection: Arc::new(Mutex::new(connection)),
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `work` on the connection off the async executor.
    fn blocking<T: Send + 'static>(
        &self,
        what: &'static str,
        work: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> StoreFuture<'_, T> {
        let connection = Arc::clone(&self.connection);
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                let connection = connection.lock().unwrap_or_else(PoisonError::into_inner);
                work(&connection)
            })
            .await
            .map_err(|e| StoreError::new(what, e))?
        })
    }
}

fn decode(record: &str) -> Result<Installation, StoreError> {
    serde_json::from_str(record).map_err(|e| StoreError::new("read an installation", e))
}

impl InstallationStore for SqliteStore {
    fn get<'a>(&'a self, oauth_id: &'a str) -> StoreFuture<'a, Option<Installation>> {
        let oauth_id = oauth_id.to_owned();
        self.blocking("read an installation", move |connection| {
            let record: Option<String> = connection
                .query_row(
                    "SELECT record FROM installations WHERE oauth_id = ?1",
                    params![oauth_id],
                    |row| row.get(0),
                )
                .optional()
                .map_err(|e| StoreError::new("read an installation", e))?;
            record.as_deref().map(decode).transpose()
        })
    }

    fn put(&self, installation: Installation) -> StoreFuture<'_, ()> {
        self.blocking("write an installation", move |connection| {
            let record = serde_json::to_string(&installation)
                .map_err(|e| StoreError::new("write an installation", e))?;
            connection
                .execute(
                    "INSERT INTO installations (oauth_id, record) VALUES (?1, ?2)
                     ON CONFLICT (oauth_id) DO UPDATE SET record = excluded.record",
                    params![installation.oauth_id, record],
                )
                .map_err(|e| StoreError::new("write an installation", e))?;
            Ok(())
        })
    }

    fn delete<'a>(&'a self, oauth_id: &'a str) -> StoreFuture<'a, bool> {
        let oauth_id = oauth_id.to_owned();
        self.blocking("delete an installation", move |connection| {
            let deleted = connection
                .execute(
                    "DELETE FROM installations WHERE oauth_id = ?1",
                    params![oauth_id],
                )
                .map_err(|e| StoreError::new("delete an installation", e))?;
            Ok(deleted > 0)
        })
    }

    fn list(&self) -> StoreFuture<'_, Vec<Installation>> {
        self.blocking("list installations", |connection| {
            let mut statement = connection
                .prepare("SELECT record FROM installations ORDER BY oauth_id")
                .map_err(|e| StoreError::new("list installations", e))?;
            let records = statement
                .query_map([], |row| row.get::<_, String>(0))
                .map_err(|e| StoreError::new("list installations", e))?
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| StoreError::new("list installations", e))?;
            records.iter().map(|record| decode(record)).collect()
        })
    }
}
