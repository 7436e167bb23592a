//! Every accepted message, in arrival order, for tests (`server.messages("Ops")`), the
//! admin API and the web page.
//!
//! In memory by default; [`Store::open`] also writes every change through to a SQLite
//! file (feature `sqlite`, see [`crate::sqlite`]) so that messages outlive a restart.
//! Reads are always served from memory.

use std::collections::VecDeque;
use std::io;
use std::path::Path;
use std::sync::Mutex;
use std::time::SystemTime;

use crate::recorded::{NewMessage, Recipient, Recorded};

/// The oldest messages are dropped past this many.
pub const DEFAULT_CAPACITY: usize = 10_000;

#[derive(Debug, Default)]
struct Inner {
    next_seq: u64,
    messages: VecDeque<Recorded>,
    #[cfg(feature = "sqlite")]
    database: Option<crate::sqlite::Database>,
}

/// The recorded messages: in memory, and in a SQLite file when opened with one.
#[derive(Debug)]
pub struct Store {
    inner: Mutex<Inner>,
    capacity: usize,
    /// The sequence number of the latest message: waiters watch it.
    latest: tokio::sync::watch::Sender<u64>,
}

impl Default for Store {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }
}

impl Store {
    /// A store keeping at most `capacity` messages, in memory only.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            inner: Mutex::default(),
            capacity: capacity.max(1),
            latest: tokio::sync::watch::Sender::new(0),
        }
    }

    /// A store keeping at most `capacity` messages, in memory and in the SQLite file at
    /// `path` (created when missing). Starts with the file's newest `capacity` messages
    /// and goes on counting sequence numbers after the file's last one.
    ///
    /// Errors name the file and the cause: a directory that does not exist, a file that
    /// cannot be written or is not a message database, or (without the `sqlite` feature)
    /// any path at all.
    pub fn open(path: &Path, capacity: usize) -> io::Result<Self> {
        #[cfg(feature = "sqlite")]
        {
            let capacity = capacity.max(1);
            let (database, loaded) = crate::sqlite::Database::open(path, capacity)?;
            tracing::info!(
                path = %database.path().display(),
                messages = loaded.messages.len(),
                "message database opened"
            );
            Ok(Self {
                inner: Mutex::new(Inner {
                    next_seq: loaded.last_seq,
                    messages: loaded.messages.into(),
                    database: Some(database),
                }),
                capacity,
                latest: tokio::sync::watch::Sender::new(loaded.last_seq),
            })
        }
        #[cfg(not(feature = "sqlite"))]
        {
            let _ = capacity;
            Err(io::Error::new(
                io::ErrorKind::Unsupported,
                format!(
                    "message database {}: this build has no SQLite support (cargo feature `sqlite`)",
                    path.display()
                ),
            ))
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// Records a message received at `now`; returns it with its sequence number and id.
    pub fn record(&self, message: NewMessage, now: SystemTime) -> Recorded {
        let mut inner = self.lock();
        inner.next_seq += 1;
        let recorded = Recorded {
            seq: inner.next_seq,
            id: uuid::Uuid::new_v4().to_string(),
            kind: message.kind,
            recipient: message.recipient,
            room_id: message.room_id,
            sender: message.sender,
            from: message.from,
            message: message.message,
            message_format: message.message_format,
            color: message.color,
            notify: message.notify,
            attach_to: message.attach_to,
            card: message.card,
            link: message.link,
            timestamp: humantime::format_rfc3339_millis(now).to_string(),
        };
        let mut dropped = None;
        while inner.messages.len() >= self.capacity {
            dropped = inner.messages.pop_front().map(|old| old.seq).or(dropped);
        }
        inner.messages.push_back(recorded.clone());
        #[cfg(feature = "sqlite")]
        if let Some(database) = &inner.database {
            let written = database.insert(&recorded).and_then(|()| match dropped {
                Some(seq) => database.delete_through(seq),
                None => Ok(()),
            });
            log_write_failure(database, "record a message", written);
        }
        #[cfg(not(feature = "sqlite"))]
        let _ = dropped;
        drop(inner);
        self.latest.send_replace(recorded.seq);
        recorded
    }

    /// Waits until `done` holds for the messages kept; checked at once, then after every
    /// message recorded.
    pub async fn wait_until(&self, done: impl Fn(&VecDeque<Recorded>) -> bool) {
        let mut latest = self.latest.subscribe();
        while !done(&self.lock().messages) {
            if latest.changed().await.is_err() {
                return;
            }
        }
    }

    /// Every message after sequence number `after` (0 for all), in order.
    pub fn since(&self, after: u64) -> Vec<Recorded> {
        self.lock()
            .messages
            .iter()
            .filter(|message| message.seq > after)
            .cloned()
            .collect()
    }

    /// The messages sent to `recipient`, in order.
    pub fn for_recipient(&self, recipient: &Recipient) -> Vec<Recorded> {
        self.lock()
            .messages
            .iter()
            .filter(|message| &message.recipient == recipient)
            .cloned()
            .collect()
    }

    /// Forgets the messages sent to `recipient`; returns how many.
    pub fn clear_recipient(&self, recipient: &Recipient) -> usize {
        let mut inner = self.lock();
        let before = inner.messages.len();
        inner
            .messages
            .retain(|message| &message.recipient != recipient);
        #[cfg(feature = "sqlite")]
        if let Some(database) = &inner.database {
            let deleted = database.delete_recipient(recipient, inner.next_seq);
            log_write_failure(database, "delete messages", deleted);
        }
        before - inner.messages.len()
    }

    /// Forgets every message (sequence numbers keep counting).
    pub fn clear(&self) -> usize {
        let mut inner = self.lock();
        let count = inner.messages.len();
        inner.messages.clear();
        #[cfg(feature = "sqlite")]
        if let Some(database) = &inner.database {
            log_write_failure(
                database,
                "delete messages",
                database.delete_all(inner.next_seq),
            );
        }
        count
    }

    /// Every recipient with at least one message, with its count, in first-seen order.
    pub fn recipients(&self) -> Vec<(Recipient, Option<u64>, usize)> {
        let inner = self.lock();
        let mut out: Vec<(Recipient, Option<u64>, usize)> = Vec::new();
        for message in &inner.messages {
            match out.iter_mut().find(|(r, _, _)| r == &message.recipient) {
                Some(entry) => entry.2 += 1,
                None => out.push((message.recipient.clone(), message.room_id, 1)),
            }
        }
        out
    }
}

/// A failed write to the file (disk full, file removed) does not refuse the request: the
/// message is kept in memory, and the log says the file misses it.
#[cfg(feature = "sqlite")]
fn log_write_failure(
    database: &crate::sqlite::Database,
    doing: &str,
    result: rusqlite::Result<()>,
) {
    if let Err(error) = result {
        tracing::error!(
            path = %database.path().display(),
            %error,
            "message database: cannot {doing}; kept in memory only"
        );
    }
}

#[cfg(all(test, feature = "sqlite"))]
mod tests {
    use super::*;
    use crate::recorded::Kind;

    fn message(text: &str) -> NewMessage {
        let ops = Recipient::Room("Ops".into());
        NewMessage::plain(Kind::Notification, ops, "Dev".into(), text.into())
    }

    #[test]
    fn the_file_keeps_only_the_newest_capacity_messages() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("m.db");
        let store = Store::open(&path, 3).expect("opens");
        for n in 1..=5 {
            store.record(message(&n.to_string()), SystemTime::UNIX_EPOCH);
        }
        drop(store);
        let store = Store::open(&path, 3).expect("opens again");
        let texts: Vec<String> = store.since(0).into_iter().map(|m| m.message).collect();
        assert_eq!(texts, ["3", "4", "5"]);
        assert_eq!(store.record(message("6"), SystemTime::UNIX_EPOCH).seq, 6);
        drop(store);
        // A smaller capacity drops the older rows from the file too.
        let store = Store::open(&path, 2).expect("opens with less room");
        drop(store);
        let store = Store::open(&path, 10).expect("opens with more room");
        let seqs: Vec<u64> = store.since(0).into_iter().map(|m| m.seq).collect();
        assert_eq!(seqs, [5, 6]);
    }

    #[test]
    fn in_memory_trimming_keeps_order() {
        let store = Store::with_capacity(2);
        for n in 1..=4 {
            store.record(message(&n.to_string()), SystemTime::UNIX_EPOCH);
        }
        let seqs: Vec<u64> = store.since(0).into_iter().map(|m| m.seq).collect();
        assert_eq!(seqs, [3, 4]);
    }
}
