//! Installations in PostgreSQL: one database shared by several add-on instances behind a
//! load balancer (feature `postgres`).
//!
//! Every call reads or writes the database (no cache): an installation removed through
//! one instance is refused by every other at once. Each record is one row of
//! `hipchat_connect_installations`, its fields as JSONB; the schema is versioned in
//! `hipchat_connect_schema` and created or upgraded by [`PostgresStore::connect`] under
//! an advisory lock, so instances starting together migrate once.
//!
//! TLS is not supported: a URL with `sslmode=require` is refused (the default, `prefer`,
//! connects without TLS). Reach the server over a private network or a local TLS proxy.

use std::fmt;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use secrecy::{ExposeSecret, SecretString};
use tokio_postgres::NoTls;
use tokio_postgres::config::SslMode;

use super::{InstallationStore, StoreError, StoreFuture};
use crate::installation::Installation;

/// The schema this code writes; older databases are upgraded, newer ones refused.
const FORMAT: i32 = 1;

/// The advisory lock migrations hold (any instance, any schema): `"hipchat!"` as an
/// integer.
const MIGRATION_LOCK: i64 = 0x6869_7063_6861_7421;

/// Connections each store keeps open at most.
const POOL_SIZE: usize = 4;

/// How long connecting, or waiting for a free connection, may take.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Installations in a PostgreSQL database, shared by every instance that connects to it.
#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
    /// `"schema".` or empty (the connection's `search_path`).
    prefix: String,
    redactor: Redactor,
}

impl fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresStore")
            .field("url", &self.redactor.url)
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/database`,
    /// or `postgresql://`) and creates or upgrades its tables, in the connection's
    /// `search_path` (usually `public`). Errors never contain the password.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::open(url, None).await
    }

    /// Like [`connect`](Self::connect), with the tables in `schema` (created if missing):
    /// several add-ons, or tests, can share one database. `schema` is an SQL identifier:
    /// ASCII letters, digits and `_`, not starting with a digit, at most 63 bytes.
    pub async fn connect_in_schema(url: &str, schema: &str) -> Result<Self, StoreError> {
        let valid = !schema.is_empty()
            && schema.len() <= 63
            && !schema.starts_with(|c: char| c.is_ascii_digit())
            && schema
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(StoreError::new(
                "connect",
                format!(
                    "schema {schema:?}: expected ASCII letters, digits and `_`, not starting with a digit, at most 63 bytes"
                ),
            ));
        }
        Self::open(url, Some(schema)).await
    }

    async fn open(url: &str, schema: Option<&str>) -> Result<Self, StoreError> {
        let redactor = Redactor::new(url)?;
        let mut config: tokio_postgres::Config = url.parse().map_err(|error| {
            StoreError::new(
                "connect",
                format!("{}: {}", redactor.url, redactor.scrub(&error)),
            )
        })?;
        if !matches!(config.get_ssl_mode(), SslMode::Disable | SslMode::Prefer) {
            return Err(StoreError::new(
                "connect",
                format!(
                    "{}: sslmode=require: this store has no TLS support; use sslmode=disable or prefer (a private network or a local TLS proxy)",
                    redactor.url
                ),
            ));
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(TIMEOUT);
        }
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .create_timeout(Some(TIMEOUT))
            .wait_timeout(Some(TIMEOUT))
            .build()
            .map_err(|error| redactor.error("connect", &error))?;
        let store = Self {
            pool,
            prefix: schema.map(|s| format!("\"{s}\".")).unwrap_or_default(),
            redactor,
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Creates or upgrades the tables, one instance at a time.
    async fn migrate(&self) -> Result<(), StoreError> {
        const WHAT: &str = "create the schema";
        let p = &self.prefix;
        let mut client = self.client(WHAT).await?;
        let transaction = client
            .transaction()
            .await
            .map_err(|e| self.redactor.error(WHAT, &e))?;
        let run = async {
            transaction
                .execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
                .await?;
            if let Some(schema) = p.strip_suffix('.') {
                transaction
                    .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
                    .await?;
            }
            transaction
                .batch_execute(&format!(
                    "CREATE TABLE IF NOT EXISTS {p}hipchat_connect_schema (version INTEGER NOT NULL)"
                ))
                .await?;
            let version: Option<i32> = transaction
                .query_one(
                    &format!("SELECT max(version) FROM {p}hipchat_connect_schema"),
                    &[],
                )
                .await?
                .try_get(0)?;
            Ok::<_, tokio_postgres::Error>(version.unwrap_or(0))
        };
        let version = run.await.map_err(|e| self.redactor.error(WHAT, &e))?;
        if version > FORMAT {
            return Err(StoreError::new(
                "open",
                format!(
                    "{} was written by a newer version (format {version}, this one reads {FORMAT})",
                    self.redactor.url
                ),
            ));
        }
        if version < 1 {
            transaction
                .batch_execute(&format!(
                    "CREATE TABLE IF NOT EXISTS {p}hipchat_connect_installations (
                         oauth_id TEXT PRIMARY KEY,
                         record JSONB NOT NULL,
                         updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
                     );
                     INSERT INTO {p}hipchat_connect_schema (version) VALUES (1);"
                ))
                .await
                .map_err(|e| self.redactor.error(WHAT, &e))?;
        }
        transaction
            .commit()
            .await
            .map_err(|e| self.redactor.error(WHAT, &e))
    }

    /// A connection from the pool.
    async fn client(&self, what: &'static str) -> Result<deadpool_postgres::Client, StoreError> {
        self.pool
            .get()
            .await
            .map_err(|error| self.redactor.error(what, &error))
    }

    /// `sql` prepared on `client`, once per connection.
    async fn prepare(
        &self,
        client: &deadpool_postgres::Client,
        what: &'static str,
        sql: &str,
    ) -> Result<tokio_postgres::Statement, StoreError> {
        client
            .prepare_cached(sql)
            .await
            .map_err(|e| self.redactor.error(what, &e))
    }

    /// The installations table, qualified.
    fn table(&self) -> String {
        format!("{}hipchat_connect_installations", self.prefix)
    }
}

fn decode(record: &str) -> Result<Installation, StoreError> {
    serde_json::from_str(record).map_err(|e| StoreError::new("read an installation", e))
}

impl InstallationStore for PostgresStore {
    fn get<'a>(&'a self, oauth_id: &'a str) -> StoreFuture<'a, Option<Installation>> {
        Box::pin(async move {
            const WHAT: &str = "read an installation";
            let client = self.client(WHAT).await?;
            let sql = format!(
                "SELECT record::text FROM {} WHERE oauth_id = $1",
                self.table()
            );
            let sql = self.prepare(&client, WHAT, &sql).await?;
            let row = client
                .query_opt(&sql, &[&oauth_id])
                .await
                .map_err(|e| self.redactor.error(WHAT, &e))?;
            let record: Option<String> = row
                .map(|row| row.try_get(0))
                .transpose()
                .map_err(|e| self.redactor.error(WHAT, &e))?;
            record.as_deref().map(decode).transpose()
        })
    }

    fn put(&self, installation: Installation) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            const WHAT: &str = "write an installation";
            let record =
                serde_json::to_string(&installation).map_err(|e| StoreError::new(WHAT, e))?;
            let client = self.client(WHAT).await?;
            let sql = format!(
                "INSERT INTO {} (oauth_id, record) VALUES ($1, $2::text::jsonb)
                 ON CONFLICT (oauth_id) DO UPDATE SET record = excluded.record, updated_at = now()",
                self.table()
            );
            let sql = self.prepare(&client, WHAT, &sql).await?;
            client
                .execute(&sql, &[&installation.oauth_id, &record])
                .await
                .map_err(|e| self.redactor.error(WHAT, &e))?;
            Ok(())
        })
    }

    fn delete<'a>(&'a self, oauth_id: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            const WHAT: &str = "delete an installation";
            let client = self.client(WHAT).await?;
            let sql = format!("DELETE FROM {} WHERE oauth_id = $1", self.table());
            let sql = self.prepare(&client, WHAT, &sql).await?;
            let deleted = client
                .execute(&sql, &[&oauth_id])
                .await
                .map_err(|e| self.redactor.error(WHAT, &e))?;
            Ok(deleted > 0)
        })
    }

    fn list(&self) -> StoreFuture<'_, Vec<Installation>> {
        Box::pin(async move {
            const WHAT: &str = "list installations";
            let client = self.client(WHAT).await?;
            let sql = format!(
                "SELECT record::text FROM {} ORDER BY oauth_id",
                self.table()
            );
            let sql = self.prepare(&client, WHAT, &sql).await?;
            let rows = client
                .query(&sql, &[])
                .await
                .map_err(|e| self.redactor.error(WHAT, &e))?;
            rows.iter()
                .map(|row| {
                    let record: String =
                        row.try_get(0).map_err(|e| self.redactor.error(WHAT, &e))?;
                    decode(&record)
                })
                .collect()
        })
    }
}

/// Keeps the URL's password out of every message: the URL shown with `***` for it, and
/// any error text with the password (raw or as written in the URL) replaced.
#[derive(Clone)]
struct Redactor {
    /// The URL without its password.
    url: String,
    /// The password as written in the URL and decoded; empty ones are left out.
    passwords: Vec<SecretString>,
}

impl Redactor {
    fn new(url: &str) -> Result<Self, StoreError> {
        let refuse = |why: &str| {
            StoreError::new(
                "connect",
                format!(
                    "{why}: expected postgres://user:password@host:port/database (or postgresql://)"
                ),
            )
        };
        let mut parsed = url::Url::parse(url).map_err(|e| refuse(&format!("not a URL ({e})")))?;
        if !matches!(parsed.scheme(), "postgres" | "postgresql") {
            return Err(refuse(&format!("scheme {:?}", parsed.scheme())));
        }
        let mut passwords = Vec::new();
        if let Some(written) = parsed.password().map(str::to_owned) {
            let decoded = percent_decode(&written);
            passwords.push(SecretString::from(written));
            if let Some(decoded) = decoded {
                passwords.push(SecretString::from(decoded));
            }
            // A URL with a host always accepts a password.
            let _ = parsed.set_password(Some("***"));
        }
        // Longest first, so a password containing another is replaced whole.
        passwords.retain(|p| !p.expose_secret().is_empty());
        passwords.sort_by_key(|p| std::cmp::Reverse(p.expose_secret().len()));
        Ok(Self {
            url: parsed.to_string(),
            passwords,
        })
    }

    /// `error` and its sources, without the password.
    fn scrub(&self, error: &(dyn std::error::Error + 'static)) -> String {
        let mut text = error.to_string();
        let mut source = error.source();
        while let Some(cause) = source {
            let shown = cause.to_string();
            if !text.contains(&shown) {
                text.push_str(": ");
                text.push_str(&shown);
            }
            source = cause.source();
        }
        for password in &self.passwords {
            text = text.replace(password.expose_secret(), "***");
        }
        text
    }

    /// A store error doing `what`, naming the database (not the password).
    fn error(&self, what: &'static str, error: &(dyn std::error::Error + 'static)) -> StoreError {
        StoreError::new(what, format!("{}: {}", self.url, self.scrub(error)))
    }
}

/// `%XX` decoded, if it is UTF-8 and differs from `written`.
fn percent_decode(written: &str) -> Option<String> {
    let bytes = written.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes.get(i), bytes.get(i + 1), bytes.get(i + 2)) {
            (Some(b'%'), Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let value = hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0);
                out.push(u8::try_from(value).unwrap_or(b'?'));
                i += 3;
            }
            (Some(&b), _, _) => {
                out.push(b);
                i += 1;
            }
            _ => break,
        }
    }
    String::from_utf8(out).ok().filter(|d| d != written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_never_shown() {
        let redactor =
            Redactor::new("postgres://hipchat:s%40cret@db.example:5432/hipchat").unwrap();
        assert_eq!(
            redactor.url,
            "postgres://hipchat:***@db.example:5432/hipchat"
        );
        let error = std::io::Error::other("auth failed for s@cret and s%40cret");
        assert_eq!(redactor.scrub(&error), "auth failed for *** and ***");
    }

    #[test]
    fn only_postgres_urls_are_accepted() {
        for url in ["mysql://u:p@h/db", "host=localhost user=u password=p", ""] {
            let error = Redactor::new(url).err().unwrap().to_string();
            assert!(error.contains("expected postgres://"), "{error}");
            assert!(!error.contains("=p") && !error.contains(":p@"), "{error}");
        }
        assert!(Redactor::new("postgresql://u@h/db").is_ok());
    }

    #[tokio::test]
    async fn refusals_name_the_database_not_the_password() {
        for (url, expected) in [
            (
                "postgres://u:hunter2@127.0.0.1:1/db?sslmode=require",
                "sslmode=require",
            ),
            (
                "postgres://u:hunter2@127.0.0.1:1/db?connect_timeout=2",
                "127.0.0.1:1/db",
            ),
        ] {
            let error = PostgresStore::connect(url).await.unwrap_err().to_string();
            assert!(error.contains(expected), "{error}");
            assert!(!error.contains("hunter2"), "{error}");
        }
    }

    #[tokio::test]
    async fn a_bad_schema_name_is_refused() {
        let error = PostgresStore::connect_in_schema("postgres://u@127.0.0.1:1/db", "a\"; DROP")
            .await
            .unwrap_err()
            .to_string();
        assert!(error.contains("schema"), "{error}");
    }
}
