//! The durable outbox (feature `durable`): every accepted notification is a row in a
//! SQLite file until it is delivered or given up on. A backend built on the file again
//! queues the rows left, oldest first.
//!
//! SQLite is blocking I/O, so one writer thread owns the connection: `insert` hands it a
//! row and what to do once it is committed (the queue admits the notification, then the
//! waiting `send` returns: "accepted" still means "written"); removals are handed over
//! without waiting. Rows that arrive together are committed in one transaction. No async
//! task and no lock of the queue waits on the disk.
//!
//! Written with `journal_mode = WAL` and `synchronous = NORMAL`: a row survives the
//! process being killed as soon as `send` returns; a power cut may lose the last few.
//!
//! The file's format is versioned with `PRAGMA user_version` ([`FORMAT`]): older files
//! are upgraded when opened, a newer one is refused rather than misread, and a row that
//! cannot be decoded is reported and left in the file, never delivered with a default.
//!
//! At least once: the row of a delivered notification is deleted just after the server's
//! answer. A crash in between (or an answer lost to a timeout or reset) means the
//! notification is sent again after restart, and arrives twice.

use std::path::Path;
use std::str::FromStr;
use std::sync::mpsc;

use rusqlite::{Connection, Row, params};
use tokio::sync::oneshot;

use crate::card::Card;
use crate::{Color, Error, Format, Message, Outgoing};

/// The format this version writes: 1 = one row per notification, one column per field.
/// Files from before the format was versioned read 0 and are upgraded.
const FORMAT: i64 = 1;

/// Rows committed in one transaction, at most.
const MAX_BATCH: usize = 256;

pub(crate) struct Outbox {
    path: String,
    writer: mpsc::Sender<Command>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// What to do with an insert's outcome (its row id, or why it was not written); runs on
/// the writer thread, and returns a row to delete at once (its own, refused after all, or
/// one it displaced), which is deleted before any later `sync` is answered.
pub(crate) type Then = Box<dyn FnOnce(Result<u64, Error>) -> Option<u64> + Send>;

enum Command {
    Insert {
        row: Box<Columns>,
        then: Then,
    },
    Remove(u64),
    /// Answered once everything handed over before it is committed.
    Sync(oneshot::Sender<()>),
}

/// One notification as its columns. A private message has room `""` (the column is NOT
/// NULL); only room notifications fill color, sender, `attach_to` and card.
struct Columns {
    room: String,
    body: String,
    color: &'static str,
    format: &'static str,
    notify: bool,
    sender: Option<String>,
    token: Option<String>,
    user: Option<String>,
    link: Option<String>,
    attach_to: Option<String>,
    card: Option<String>,
}

impl Columns {
    fn of(outgoing: &Outgoing) -> serde_json::Result<Self> {
        let mut columns = Columns {
            room: outgoing.lane().to_owned(),
            body: outgoing.body().to_owned(),
            color: Color::default().as_str(),
            format: Format::default().as_str(),
            notify: false,
            sender: None,
            token: outgoing.token().map(str::to_owned),
            user: None,
            link: None,
            attach_to: None,
            card: None,
        };
        match outgoing {
            Outgoing::Room(n) => {
                columns.color = n.color().as_str();
                columns.format = n.format().as_str();
                columns.notify = n.notify();
                columns.sender = n.from().map(str::to_owned);
                columns.attach_to = n.attach_to().map(str::to_owned);
                columns.card = n.card().map(serde_json::to_string).transpose()?;
            }
            Outgoing::User(m) => {
                columns.format = m.format().as_str();
                columns.notify = m.notify();
                columns.user = Some(m.user().to_owned());
            }
            Outgoing::Link(l) => columns.link = Some(l.link().to_owned()),
        }
        Ok(columns)
    }
}

/// What opening an outbox found.
pub(crate) struct Recovered {
    /// Rows to deliver, oldest first.
    pub rows: Vec<(u64, Outgoing)>,
    /// Rows that could not be decoded (their `seq` as stored), with the reason; left in
    /// the file.
    pub undecodable: Vec<(i64, String)>,
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
    /// Opens (or creates) the file, upgrades an older format, reads the rows left and
    /// starts the writer thread. Blocking: called once, when the backend is built.
    pub fn open(path: &Path) -> Result<(Self, Recovered), Error> {
        let shown = path.display().to_string();
        let fail = |what: &str, e: rusqlite::Error| failure(&shown, format!("{what}: {e}"));
        let mut conn = Connection::open(path).map_err(|e| fail("cannot open", e))?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(|e| fail("not a hipchat outbox", e))?;
        if version > FORMAT {
            return Err(failure(
                &shown,
                format!(
                    "written in format {version} by a newer version of hipchat; this one reads formats up to {FORMAT}"
                ),
            ));
        }
        conn.execute_batch(SCHEMA)
            .map_err(|e| fail("not a hipchat outbox, or cannot be written", e))?;
        upgrade(&mut conn).map_err(|e| fail("cannot upgrade", e))?;
        let recovered = read_rows(&conn).map_err(|e| fail("cannot read", e))?;
        let (writer, commands) = mpsc::channel();
        let thread_path = shown.clone();
        let thread = std::thread::Builder::new()
            .name("hipchat-outbox".into())
            .spawn(move || write_rows(conn, &commands, thread_path))
            .map_err(|e| failure(&shown, format!("cannot start the writer thread: {e}")))?;
        Ok((
            Self {
                path: shown,
                writer,
                thread: Some(thread),
            },
            recovered,
        ))
    }

    /// Hands one notification to the writer thread; `then` runs there with its row id
    /// (which orders it) once committed, or with the error. Fails at once, without
    /// calling `then`, when the card cannot be encoded or the writer has stopped.
    pub fn insert(
        &self,
        outgoing: &Outgoing,
        then: impl FnOnce(Result<u64, Error>) -> Option<u64> + Send + 'static,
    ) -> Result<(), Error> {
        let row = Box::new(
            Columns::of(outgoing).map_err(|e| self.error(format!("cannot write the card: {e}")))?,
        );
        let then = Box::new(then);
        self.writer
            .send(Command::Insert { row, then })
            .map_err(|_| self.stopped())
    }

    /// Waits until every insert and removal handed over so far is committed: a flush or
    /// a shutdown that returns leaves the file as the queue is.
    pub async fn sync(&self) {
        let (done, committed) = oneshot::channel();
        if self.writer.send(Command::Sync(done)).is_ok() {
            // An error means the thread has stopped, which the inserts report.
            let _ = committed.await;
        }
    }

    /// The error of an insert whose writer thread is gone.
    pub fn stopped(&self) -> Error {
        self.error("the writer thread has stopped".into())
    }

    fn error(&self, reason: String) -> Error {
        failure(&self.path, reason)
    }

    /// Deletes a finished notification's row, without waiting. A failure is logged (the
    /// notification would be sent again after a restart, which at-least-once allows).
    pub fn remove(&self, seq: u64) {
        if self.writer.send(Command::Remove(seq)).is_err() {
            tracing::error!(path = %self.path, seq, "hipchat outbox: the writer thread has stopped; row not deleted");
        }
    }
}

/// The error for the outbox file at `path` (as shown) and what went wrong with it.
fn failure(path: &str, reason: String) -> Error {
    Error::Outbox {
        path: path.to_owned(),
        reason,
    }
}

/// Brings a file of an older format to [`FORMAT`], all or nothing.
fn upgrade(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    let has = |columns: &str| {
        tx.prepare(&format!("SELECT {columns} FROM hipchat_outbox LIMIT 0"))
            .is_ok()
    };
    // Format 0 files written before private messages and share links, or before
    // attach_to and cards, lack their columns.
    if !has("recipient_user, link") {
        tx.execute_batch(
            "ALTER TABLE hipchat_outbox ADD COLUMN recipient_user TEXT;
             ALTER TABLE hipchat_outbox ADD COLUMN link TEXT;",
        )?;
    }
    if !has("attach_to, card") {
        tx.execute_batch(
            "ALTER TABLE hipchat_outbox ADD COLUMN attach_to TEXT;
             ALTER TABLE hipchat_outbox ADD COLUMN card TEXT;",
        )?;
    }
    tx.pragma_update(None, "user_version", FORMAT)?;
    tx.commit()
}

/// Every row, oldest first: decoded, or set aside with the reason it could not be.
fn read_rows(conn: &Connection) -> rusqlite::Result<Recovered> {
    let mut query = conn.prepare(
        "SELECT seq, room, body, color, format, notify, sender, token,
                recipient_user, link, attach_to, card
         FROM hipchat_outbox ORDER BY seq",
    )?;
    let mut recovered = Recovered {
        rows: Vec::new(),
        undecodable: Vec::new(),
    };
    let mut rows = query.query([])?;
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let decoded = u64::try_from(seq)
            .map_err(|_| "its seq is negative".to_owned())
            .and_then(|seq| Ok((seq, decode(row)?)));
        match decoded {
            Ok(row) => recovered.rows.push(row),
            Err(reason) => recovered.undecodable.push((seq, reason)),
        }
    }
    Ok(recovered)
}

/// One row as a notification, checked as when it was accepted; `Err` says what does not
/// decode (a column of the wrong type, a color, a format, a card, a limit).
fn decode(row: &Row<'_>) -> Result<Outgoing, String> {
    fn column<T: rusqlite::types::FromSql>(
        row: &Row<'_>,
        name: &str,
        i: usize,
    ) -> Result<T, String> {
        row.get(i).map_err(|e| format!("column {name}: {e}"))
    }
    let color: String = column(row, "color", 3)?;
    let color =
        Color::from_str(&color).map_err(|_| format!("color {color:?} is not a HipChat color"))?;
    let format: String = column(row, "format", 4)?;
    let format = Format::from_str(&format)
        .map_err(|_| format!("format {format:?} is not a HipChat format"))?;
    let card = match column::<Option<String>>(row, "card", 11)? {
        None => None,
        Some(json) => Some(
            serde_json::from_str::<Card>(&json)
                .map_err(|e| format!("card does not decode: {e}"))?,
        ),
    };
    let mut message = Message::new(column::<String>(row, "body", 2)?)
        .color(color)
        .format(format)
        .notify(column(row, "notify", 5)?);
    message.from = column(row, "sender", 6)?;
    message.token = column(row, "token", 7)?;
    message.user = column(row, "recipient_user", 8)?;
    message.link = column(row, "link", 9)?;
    message.attach_to = column(row, "attach_to", 10)?;
    message.card = card;
    // A user message is written with room "" (the column is NOT NULL): it has none.
    if message.user.is_none() {
        message.room = Some(column(row, "room", 1)?);
    }
    Outgoing::try_from(message).map_err(|e| format!("not a valid notification: {e}"))
}

/// The writer thread: takes what is waiting (at most [`MAX_BATCH`]), commits it in one
/// transaction, runs each insert's `then`, deletes the rows those give back, and only
/// then answers the `sync`s. Ends when the outbox is dropped.
fn write_rows(mut conn: Connection, commands: &mpsc::Receiver<Command>, path: String) {
    while let Ok(first) = commands.recv() {
        let mut inserts = Vec::new();
        let mut removals = Vec::new();
        let mut syncs = Vec::new();
        for command in std::iter::once(first).chain(commands.try_iter().take(MAX_BATCH - 1)) {
            match command {
                Command::Insert { row, then } => inserts.push((row, then)),
                Command::Remove(seq) => removals.push(seq),
                Command::Sync(done) => syncs.push(done),
            }
        }
        let (rows, thens): (Vec<_>, Vec<_>) = inserts.into_iter().unzip();
        let written = write_batch(&mut conn, &rows, &removals, &path);
        let retracted: Vec<u64> = thens
            .into_iter()
            .zip(written)
            .filter_map(|(then, written)| then(written.map_err(|reason| failure(&path, reason))))
            .collect();
        if !retracted.is_empty() {
            write_batch(&mut conn, &[], &retracted, &path);
        }
        for done in syncs {
            let _ = done.send(());
        }
    }
}

/// Inserts `rows` and deletes `removals` in one transaction; the outcome of each insert.
/// A failed deletion is logged (the notification would be sent again after a restart,
/// which at-least-once allows); if the transaction cannot begin or commit, or SQLite
/// abandons it (a full disk), every insert of the batch fails.
fn write_batch(
    conn: &mut Connection,
    rows: &[Box<Columns>],
    removals: &[u64],
    path: &str,
) -> Vec<Result<u64, String>> {
    let fail_all = |reason: String| rows.iter().map(|_| Err(reason.clone())).collect();
    let tx = match conn.transaction() {
        Ok(tx) => tx,
        Err(e) => {
            tracing::error!(path, error = %e, removals = removals.len(), "hipchat outbox: cannot begin a transaction");
            return fail_all(format!("cannot begin a transaction: {e}"));
        }
    };
    let mut written = Vec::with_capacity(rows.len());
    for row in rows {
        let inserted = insert_row(&tx, row).map_err(|e| format!("cannot write: {e}"));
        // SQLite rolls a transaction back by itself on some errors (a full disk): what
        // follows would be written outside it, so the batch ends here.
        if let Err(reason) = &inserted
            && tx.is_autocommit()
        {
            return fail_all(format!("the transaction was rolled back: {reason}"));
        }
        written.push(inserted);
    }
    for &seq in removals {
        let deleted = i64::try_from(seq)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
            .and_then(|seq| {
                tx.prepare_cached("DELETE FROM hipchat_outbox WHERE seq = ?1")
                    .and_then(|mut delete| delete.execute([seq]))
            });
        if let Err(error) = deleted {
            tracing::error!(path, seq, %error, "hipchat outbox: cannot delete a finished notification");
        }
    }
    match tx.commit() {
        Ok(()) => written,
        Err(e) => {
            tracing::error!(path, error = %e, "hipchat outbox: cannot commit");
            fail_all(format!("cannot commit: {e}"))
        }
    }
}

fn insert_row(conn: &Connection, row: &Columns) -> rusqlite::Result<u64> {
    conn.prepare_cached(
        "INSERT INTO hipchat_outbox
            (room, body, color, format, notify, sender, token, recipient_user, link,
             attach_to, card)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        row.room,
        row.body,
        row.color,
        row.format,
        row.notify,
        row.sender,
        row.token,
        row.user,
        row.link,
        row.attach_to,
        row.card,
    ])?;
    let id = conn.last_insert_rowid();
    u64::try_from(id).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(0, id))
}

impl Drop for Outbox {
    /// Lets the writer thread commit what it was handed, and waits for it (outside a
    /// runtime; inside one, on a blocking task), so that the file is complete when the
    /// queue is gone.
    fn drop(&mut self) {
        let (closed, _) = mpsc::channel();
        drop(std::mem::replace(&mut self.writer, closed));
        let Some(thread) = self.thread.take() else {
            return;
        };
        // The last reference may go on the writer thread itself (an admission it ran):
        // it ends by itself once it returns, and cannot wait for itself.
        if thread.thread().id() == std::thread::current().id() {
            return;
        }
        let path = self.path.clone();
        let join = move || {
            if thread.join().is_err() {
                tracing::error!(path, "hipchat outbox: the writer thread panicked");
            }
        };
        // Never block an async executor on the disk: there, the wait is a blocking task.
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => drop(runtime.spawn_blocking(join)),
            Err(_) => join(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Color;

    /// Inserts and waits for the commit, as the queue's admission does.
    /// Checks and inserts, and waits for the commit, as the queue's admission does.
    async fn insert(outbox: &Outbox, message: &Message) -> Result<u64, Error> {
        let outgoing = Outgoing::try_from(message.clone()).unwrap();
        let (done, written) = tokio::sync::oneshot::channel();
        outbox.insert(&outgoing, move |seq| {
            let _ = done.send(seq);
            None
        })?;
        written.await.unwrap()
    }

    fn rows(path: &Path) -> Vec<(u64, Message)> {
        let (_, recovered) = Outbox::open(path).unwrap();
        assert!(recovered.undecodable.is_empty());
        let drafts = recovered.rows.into_iter();
        drafts
            .map(|(seq, outgoing)| (seq, outgoing.into()))
            .collect()
    }

    #[tokio::test]
    async fn rows_survive_reopening_in_order_until_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.db");
        let (outbox, recovered) = Outbox::open(&path).unwrap();
        assert!(recovered.rows.is_empty());
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
        let seq_user = insert(&outbox, &user).await.unwrap();
        let seq_link = insert(&outbox, &link).await.unwrap();
        assert_eq!(rows(&path), vec![(seq_user, user), (seq_link, link)]);
        outbox.remove(seq_user);
        outbox.remove(seq_link);
        let seq_a = insert(&outbox, &a).await.unwrap();
        let seq_b = insert(&outbox, &b).await.unwrap();
        assert!(seq_b > seq_a);
        // Removals are not waited for, but the writer keeps the order it was given.
        assert_eq!(rows(&path), vec![(seq_a, a), (seq_b, b.clone())]);
        outbox.remove(seq_a);
        let seq_c = insert(&outbox, &Message::new("c").room("Ops"))
            .await
            .unwrap();
        // Row ids are never reused, so order holds across restarts.
        assert!(seq_c > seq_b);
        let left: Vec<u64> = rows(&path).iter().map(|(seq, _)| *seq).collect();
        assert_eq!(left, [seq_b, seq_c]);
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

    #[test]
    fn a_file_of_a_newer_format_is_refused_not_misread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.db");
        drop(Outbox::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", FORMAT + 1)
            .unwrap();
        drop(conn);
        let Err(error) = Outbox::open(&path) else {
            panic!("opened a file of a newer format")
        };
        let shown = error.to_string();
        assert!(
            shown.contains("outbox.db") && shown.contains("format 2"),
            "{shown}"
        );
    }

    #[test]
    fn an_unversioned_file_is_upgraded_and_its_rows_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.db");
        let conn = Connection::open(&path).unwrap();
        // The first released layout: no private messages, links, attach_to or cards.
        conn.execute_batch(
            "CREATE TABLE hipchat_outbox (
                seq INTEGER PRIMARY KEY AUTOINCREMENT, room TEXT NOT NULL,
                body TEXT NOT NULL, color TEXT NOT NULL, format TEXT NOT NULL,
                notify INTEGER NOT NULL, sender TEXT, token TEXT);
             INSERT INTO hipchat_outbox (room, body, color, format, notify)
                VALUES ('Ops', 'old', 'green', 'text', 1);",
        )
        .unwrap();
        drop(conn);
        let expected = Message::new("old")
            .room("Ops")
            .color(Color::Green)
            .format(Format::Text)
            .notify(true);
        assert_eq!(rows(&path), vec![(1, expected)]);
        let conn = Connection::open(&path).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap();
        assert_eq!(version, FORMAT);
    }

    #[tokio::test]
    async fn rows_that_do_not_decode_are_reported_and_kept_never_defaulted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.db");
        let (outbox, _) = Outbox::open(&path).unwrap();
        let good = Message::new("good").room("Ops");
        let seq_good = insert(&outbox, &good).await.unwrap();
        let seq_color = insert(&outbox, &Message::new("c").room("Ops"))
            .await
            .unwrap();
        let seq_card = insert(&outbox, &Message::new("k").room("Ops"))
            .await
            .unwrap();
        let seq_typed = insert(&outbox, &Message::new("t").room("Ops"))
            .await
            .unwrap();
        drop(outbox);
        let conn = Connection::open(&path).unwrap();
        conn.execute(
            "UPDATE hipchat_outbox SET color = 'grey' WHERE seq = ?1",
            [seq_color as i64],
        )
        .unwrap();
        conn.execute(
            "UPDATE hipchat_outbox SET card = '{\"style\":' WHERE seq = ?1",
            [seq_card as i64],
        )
        .unwrap();
        conn.execute(
            "UPDATE hipchat_outbox SET notify = 'maybe' WHERE seq = ?1",
            [seq_typed as i64],
        )
        .unwrap();
        drop(conn);
        for _ in 0..2 {
            let (_, recovered) = Outbox::open(&path).unwrap();
            let expected = Outgoing::try_from(good.clone()).unwrap();
            assert_eq!(recovered.rows, vec![(seq_good, expected)]);
            let reasons: Vec<_> = recovered.undecodable.iter().map(|(seq, _)| *seq).collect();
            let expected = [seq_color, seq_card, seq_typed].map(|seq| i64::try_from(seq).unwrap());
            assert_eq!(reasons, expected, "reported at every start");
            assert!(
                recovered.undecodable[0].1.contains("\"grey\""),
                "{:?}",
                recovered.undecodable
            );
            assert!(
                recovered.undecodable[2].1.contains("column notify"),
                "{:?}",
                recovered.undecodable
            );
            assert!(
                recovered.undecodable[1].1.contains("card"),
                "{:?}",
                recovered.undecodable
            );
        }
    }

    #[tokio::test]
    async fn a_row_given_back_by_its_admission_is_deleted_before_the_next_sync() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.db");
        let (outbox, _) = Outbox::open(&path).unwrap();
        let outgoing = Outgoing::try_from(Message::new("refused").room("Ops")).unwrap();
        outbox
            .insert(&outgoing, |written| Some(written.expect("written")))
            .unwrap();
        outbox.sync().await;
        assert_eq!(rows(&path), vec![]);
    }

    #[tokio::test]
    async fn a_write_that_fails_is_answered_with_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.db");
        let (outbox, _) = Outbox::open(&path).unwrap();
        Connection::open(&path)
            .unwrap()
            .execute_batch("DROP TABLE hipchat_outbox")
            .unwrap();
        let Err(error) = insert(&outbox, &Message::new("x").room("Ops")).await else {
            panic!("written to a dropped table")
        };
        let shown = error.to_string();
        assert!(
            shown.contains("outbox.db") && shown.contains("cannot write"),
            "{shown}"
        );
        // The writer goes on: a later sync is answered.
        outbox.sync().await;
    }
}
