//! The durable outbox (feature `durable`): every accepted notification is a row in a
//! SQLite file until it is delivered or given up on. A backend built on the file again
//! queues the rows left, oldest first.
//!
//! Written with `journal_mode = WAL` and `synchronous = NORMAL`: a row survives the
//! process being killed as soon as `send` returns; a power cut may lose the last few.
//!
//! At least once: the row of a delivered notification is deleted just after the server's
//! answer. A crash in between (or an answer lost to a timeout or reset) means the
//! notification is sent again after restart, and arrives twice.

use std::path::Path;
use std::str::FromStr;
use std::sync::Mutex;

use rusqlite::{Connection, params};

use crate::{Color, Error, Format, Message};

pub(crate) struct Outbox {
    path: String,
    conn: Mutex<Connection>,
}

const SCHEMA: &str = "
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    CREATE TABLE IF NOT EXISTS hipchat_outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        room TEXT NOT NULL,
        body TEXT NOT NULL,
        color TEXT NOT NULL,
        format TEXT NOT NULL,
        notify INTEGER NOT NULL,
        sender TEXT,
        token TEXT,
        recipient_user TEXT,
        link TEXT,
        attach_to TEXT,
        card TEXT
    );";

impl Outbox {
    /// Opens (or creates) the file and reads the rows left, oldest first.
    pub fn open(path: &Path) -> Result<(Self, Vec<(u64, Message)>), Error> {
        let shown = path.display().to_string();
        let fail = |what: &str, e: rusqlite::Error| Error::Outbox {
            path: shown.clone(),
            reason: format!("{what}: {e}"),
        };
        let conn = Connection::open(path).map_err(|e| fail("cannot open", e))?;
        conn.execute_batch(SCHEMA)
            .map_err(|e| fail("not a hipchat outbox, or cannot be written", e))?;
        // Files written before private messages and share links lack their columns.
        if conn
            .prepare("SELECT recipient_user, link FROM hipchat_outbox LIMIT 0")
            .is_err()
        {
            conn.execute_batch(
                "ALTER TABLE hipchat_outbox ADD COLUMN recipient_user TEXT;
                 ALTER TABLE hipchat_outbox ADD COLUMN link TEXT;",
            )
            .map_err(|e| fail("cannot upgrade", e))?;
        }
        // Files written before attach_to and cards lack their columns.
        if conn
            .prepare("SELECT attach_to, card FROM hipchat_outbox LIMIT 0")
            .is_err()
        {
            conn.execute_batch(
                "ALTER TABLE hipchat_outbox ADD COLUMN attach_to TEXT;
                 ALTER TABLE hipchat_outbox ADD COLUMN card TEXT;",
            )
            .map_err(|e| fail("cannot upgrade", e))?;
        }
        let rows = {
            let mut query = conn
                .prepare(
                    "SELECT seq, room, body, color, format, notify, sender, token,
                            recipient_user, link, attach_to, card
                     FROM hipchat_outbox ORDER BY seq",
                )
                .map_err(|e| fail("cannot read", e))?;
            query
                .query_map([], |row| {
                    let text = |i: usize| row.get::<_, String>(i);
                    let mut message = Message::new(text(2)?)
                        .room(text(1)?)
                        .color(Color::from_str(&text(3)?).unwrap_or_default())
                        .format(Format::from_str(&text(4)?).unwrap_or_default())
                        .notify(row.get::<_, bool>(5)?);
                    message.from = row.get(6)?;
                    message.token = row.get(7)?;
                    message.user = row.get(8)?;
                    message.link = row.get(9)?;
                    message.attach_to = row.get(10)?;
                    // Written by `insert` from a `Card`, so it reads back; a row that
                    // does not is delivered without its card rather than never.
                    message.card = row
                        .get::<_, Option<String>>(11)?
                        .and_then(|json| serde_json::from_str(&json).ok());
                    if message.user.is_some() {
                        // Written as "" (the column is NOT NULL): a user message has none.
                        message.room = None;
                    }
                    Ok((row.get::<_, i64>(0)? as u64, message))
                })
                .and_then(Iterator::collect::<Result<Vec<_>, _>>)
                .map_err(|e| fail("cannot read", e))?
        };
        Ok((
            Self {
                path: shown,
                conn: Mutex::new(conn),
            },
            rows,
        ))
    }

    /// Writes one notification; its row id orders it.
    pub fn insert(&self, message: &Message) -> Result<u64, Error> {
        let card = message
            .card
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| Error::Outbox {
                path: self.path.clone(),
                reason: format!("cannot write the card: {e}"),
            })?;
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        conn.prepare_cached(
            "INSERT INTO hipchat_outbox
                (room, body, color, format, notify, sender, token, recipient_user, link,
                 attach_to, card)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )
        .and_then(|mut insert| {
            insert.execute(params![
                message.room_or_empty(),
                message.body,
                message.color.as_str(),
                message.format.as_str(),
                message.notify,
                message.from,
                message.token,
                message.user,
                message.link,
                message.attach_to,
                card,
            ])
        })
        .map(|_| conn.last_insert_rowid() as u64)
        .map_err(|e| Error::Outbox {
            path: self.path.clone(),
            reason: format!("cannot write: {e}"),
        })
    }

    /// Deletes a finished notification's row; a failure is logged (the notification
    /// would be sent again after a restart, which at-least-once allows).
    pub fn remove(&self, seq: u64) {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let result = conn
            .prepare_cached("DELETE FROM hipchat_outbox WHERE seq = ?1")
            .and_then(|mut delete| delete.execute([seq as i64]));
        if let Err(error) = result {
            tracing::error!(path = %self.path, %error, "hipchat outbox: cannot delete a delivered notification");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Color;

    #[test]
    fn rows_survive_reopening_in_order_until_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.db");
        let (outbox, rows) = Outbox::open(&path).unwrap();
        assert!(rows.is_empty());
        let a = Message::new("a").room("Ops").color(Color::Red).notify(true);
        let mut b = Message::new("b").room("Dev").format(Format::Text);
        b.from = Some("ci".into());
        b.token = Some("deploys".into());
        let user = Message::new("u").to_user("@alice");
        let link = Message::new("l")
            .room("Ops")
            .share_link("https://example.com/");
        let a =
            a.attach_to("m-1")
                .card(crate::Card::application("c", "Card").attribute(
                    crate::card::Attribute::new("v").style(crate::card::Lozenge::Moved),
                ));
        let seq_user = outbox.insert(&user).unwrap();
        let seq_link = outbox.insert(&link).unwrap();
        let (_, rows) = Outbox::open(&path).unwrap();
        assert_eq!(rows, vec![(seq_user, user), (seq_link, link)]);
        outbox.remove(seq_user);
        outbox.remove(seq_link);
        let seq_a = outbox.insert(&a).unwrap();
        let seq_b = outbox.insert(&b).unwrap();
        assert!(seq_b > seq_a);
        drop(outbox);
        let (outbox, rows) = Outbox::open(&path).unwrap();
        assert_eq!(rows, vec![(seq_a, a), (seq_b, b.clone())]);
        outbox.remove(seq_a);
        drop(outbox);
        let (outbox, rows) = Outbox::open(&path).unwrap();
        assert_eq!(rows, vec![(seq_b, b)]);
        outbox.remove(seq_b);
        // Row ids are never reused, so order holds across restarts.
        assert!(outbox.insert(&Message::new("c").room("Ops")).unwrap() > seq_b);
    }

    #[test]
    fn a_file_that_is_not_an_outbox_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("not-a-db");
        std::fs::write(&path, "hello, this is text and not SQLite at all......").unwrap();
        let Err(error) = Outbox::open(&path) else {
            panic!("opened a text file")
        };
        assert!(error.to_string().contains("not-a-db"), "{error}");
    }
}
