//! The optional SQLite file behind the message store (`crate::store`; cargo feature
//! `sqlite`, on by default): every recorded message is written through to it, and a
//! server started on the same file again finds its messages, in order, and goes on
//! counting sequence numbers where it stopped.
//!
//! Reads never touch the file: the store keeps the newest messages in memory, as it does
//! without a file. SQLite itself is compiled in (rusqlite's `bundled` feature).
//!
//! One table, `messages`, a column per [`Recorded`] field (the card as JSON text), and a
//! `meta` table holding the next sequence number across clears. `PRAGMA user_version`
//! is the schema's version.

use std::io;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::Value;

use crate::recorded::{Kind, Recipient, Recorded};

/// The schema this code reads and writes.
const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    recipient_type TEXT NOT NULL,
    recipient TEXT NOT NULL,
    room_id INTEGER,
    sender TEXT NOT NULL,
    from_label TEXT,
    message TEXT NOT NULL,
    message_format TEXT NOT NULL,
    color TEXT NOT NULL,
    notify INTEGER NOT NULL,
    attach_to TEXT,
    card TEXT,
    link TEXT,
    timestamp TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
";

const COLUMNS: &str = "seq, id, kind, recipient_type, recipient, room_id, sender, from_label, \
                       message, message_format, color, notify, attach_to, card, link, timestamp";

/// An open message database.
#[derive(Debug)]
pub struct Database {
    connection: Connection,
    path: PathBuf,
}

/// What a database held when it was opened.
#[derive(Debug)]
pub struct Loaded {
    /// The newest messages (at most the store's capacity), oldest first.
    pub messages: Vec<Recorded>,
    /// The last sequence number handed out (0 for a new file).
    pub last_seq: u64,
}

/// An error about the file at `path`, saying what was being done.
fn error(path: &Path, doing: &str, cause: impl std::fmt::Display) -> io::Error {
    io::Error::other(format!(
        "message database {}: cannot {doing}: {cause}",
        path.display()
    ))
}

impl Database {
    /// Opens (or creates) the file at `path`, checks that it is a message database this
    /// version can write, and loads its newest `capacity` messages.
    ///
    /// A path that cannot be created or written, a file that is not SQLite, or a
    /// database of another schema is an error that names the file and the cause.
    pub fn open(path: &Path, capacity: usize) -> io::Result<(Self, Loaded)> {
        let connection = Connection::open(path).map_err(|e| error(path, "open", e))?;
        connection
            .busy_timeout(std::time::Duration::from_secs(5))
            .map_err(|e| error(path, "open", e))?;
        let database = Self {
            connection,
            path: path.to_owned(),
        };
        // Reads the header: a file that is not SQLite fails here.
        let version: i64 = database
            .connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| error(path, "read", e))?;
        if version > SCHEMA_VERSION {
            return Err(error(
                path,
                "use",
                format!(
                    "its schema version {version} is newer than this server's ({SCHEMA_VERSION})"
                ),
            ));
        }
        database
            .prepare()
            .map_err(|e| error(path, "set up the schema", e))?;
        let loaded = database.load(capacity)?;
        Ok((database, loaded))
    }

    fn prepare(&self) -> rusqlite::Result<()> {
        let connection = &self.connection;
        // WAL with NORMAL sync: a write is an append, not an fsync per message.
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.execute_batch(SCHEMA)?;
        connection.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        Ok(())
    }

    fn load(&self, capacity: usize) -> io::Result<Loaded> {
        let path = &self.path;
        let read = |e: rusqlite::Error| error(path, "read messages", e);
        let limit = i64::try_from(capacity).unwrap_or(i64::MAX);
        let mut statement = self
            .connection
            .prepare(&format!(
                "SELECT {COLUMNS} FROM messages ORDER BY seq DESC LIMIT ?1"
            ))
            .map_err(read)?;
        let rows = statement
            .query_map([limit], from_row)
            .map_err(read)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(read)?;
        let mut messages = rows
            .into_iter()
            .collect::<Result<Vec<_>, String>>()
            .map_err(|e| error(path, "read messages", e))?;
        messages.reverse();
        let saved: Option<i64> = self
            .connection
            .query_row("SELECT value FROM meta WHERE key = 'last_seq'", [], |row| {
                row.get(0)
            })
            .optional()
            .map_err(read)?;
        let last_seq = messages
            .last()
            .map(|message| message.seq)
            .unwrap_or(0)
            .max(saved.and_then(|seq| u64::try_from(seq).ok()).unwrap_or(0));
        // Older rows than the store keeps (a file written with a larger capacity).
        if let Some(oldest) = messages.first() {
            self.delete_through(oldest.seq.saturating_sub(1))
                .map_err(|e| error(path, "trim old messages", e))?;
        }
        Ok(Loaded { messages, last_seq })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes one message.
    pub fn insert(&self, message: &Recorded) -> rusqlite::Result<()> {
        let (recipient_type, recipient) = match &message.recipient {
            Recipient::Room(name) => ("room", name),
            Recipient::User(user) => ("user", user),
        };
        let card = message.card.as_ref().map(Value::to_string);
        self.connection
            .prepare_cached(&format!(
                "INSERT INTO messages ({COLUMNS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
            ))?
            .execute(params![
                seq_to_sql(message.seq),
                message.id,
                kind_name(message.kind),
                recipient_type,
                recipient,
                // Bit for bit: room ids above i64::MAX come back as they went in.
                message.room_id.map(|id| id as i64),
                message.sender,
                message.from,
                message.message,
                message.message_format,
                message.color,
                message.notify,
                message.attach_to,
                card,
                message.link,
                message.timestamp,
            ])?;
        Ok(())
    }

    /// Deletes every message up to and including `seq`.
    pub fn delete_through(&self, seq: u64) -> rusqlite::Result<()> {
        self.connection
            .prepare_cached("DELETE FROM messages WHERE seq <= ?1")?
            .execute([seq_to_sql(seq)])?;
        Ok(())
    }

    /// Deletes the messages sent to `recipient`.
    pub fn delete_recipient(&self, recipient: &Recipient, last_seq: u64) -> rusqlite::Result<()> {
        let (recipient_type, name) = match recipient {
            Recipient::Room(name) => ("room", name),
            Recipient::User(user) => ("user", user),
        };
        self.save_last_seq(last_seq)?;
        self.connection
            .prepare_cached("DELETE FROM messages WHERE recipient_type = ?1 AND recipient = ?2")?
            .execute(params![recipient_type, name])?;
        Ok(())
    }

    /// Deletes every message; sequence numbers go on from `last_seq`.
    pub fn delete_all(&self, last_seq: u64) -> rusqlite::Result<()> {
        self.save_last_seq(last_seq)?;
        self.connection.execute("DELETE FROM messages", [])?;
        Ok(())
    }

    fn save_last_seq(&self, last_seq: u64) -> rusqlite::Result<()> {
        self.connection
            .prepare_cached("INSERT OR REPLACE INTO meta (key, value) VALUES ('last_seq', ?1)")?
            .execute([seq_to_sql(last_seq)])?;
        Ok(())
    }
}

fn seq_to_sql(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Notification => "notification",
        Kind::Message => "message",
        Kind::ShareLink => "share_link",
        Kind::PrivateMessage => "private_message",
        Kind::V1 => "v1",
    }
}

fn kind_of(name: &str) -> Option<Kind> {
    [
        Kind::Notification,
        Kind::Message,
        Kind::ShareLink,
        Kind::PrivateMessage,
        Kind::V1,
    ]
    .into_iter()
    .find(|kind| kind_name(*kind) == name)
}

/// A row as a message; the inner error says which value a row of another writer got wrong.
fn from_row(row: &Row<'_>) -> rusqlite::Result<Result<Recorded, String>> {
    let seq: i64 = row.get("seq")?;
    let kind: String = row.get("kind")?;
    let recipient_type: String = row.get("recipient_type")?;
    let recipient: String = row.get("recipient")?;
    let card: Option<String> = row.get("card")?;
    let room_id: Option<i64> = row.get("room_id")?;
    let bad = |what: &str| Err(format!("message {seq}: {what}"));
    let Ok(seq_number) = u64::try_from(seq) else {
        return Ok(bad("negative sequence number"));
    };
    let Some(kind) = kind_of(&kind) else {
        return Ok(bad(&format!("unknown kind {kind:?}")));
    };
    let recipient = match recipient_type.as_str() {
        "room" => Recipient::Room(recipient),
        "user" => Recipient::User(recipient),
        other => return Ok(bad(&format!("unknown recipient type {other:?}"))),
    };
    let card = match card.map(|text| serde_json::from_str::<Value>(&text)) {
        None => None,
        Some(Ok(card)) => Some(card),
        Some(Err(e)) => return Ok(bad(&format!("card is not JSON: {e}"))),
    };
    Ok(Ok(Recorded {
        seq: seq_number,
        id: row.get("id")?,
        kind,
        recipient,
        room_id: room_id.map(|id| id as u64),
        sender: row.get("sender")?,
        from: row.get("from_label")?,
        message: row.get("message")?,
        message_format: row.get("message_format")?,
        color: row.get("color")?,
        notify: row.get("notify")?,
        attach_to: row.get("attach_to")?,
        card,
        link: row.get("link")?,
        timestamp: row.get("timestamp")?,
    }))
}
