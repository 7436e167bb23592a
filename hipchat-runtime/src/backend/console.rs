use std::fmt;
use std::io::{self, Write};
use std::sync::{Arc, Mutex, PoisonError};

use crate::{Backend, Error, Message, Target};

/// Prints a readable block per message instead of sending it: the default in debug builds,
/// so development shows exactly what would have been sent.
///
/// ```text
/// ┌─ hipchat → Ops (red, html, notify)
/// │ from: deploy-bot · token: deploys
/// │ Deploy of <b>billing</b> 1.4.2 failed
/// └─
/// ```
#[derive(Clone)]
pub struct ConsoleBackend {
    out: Arc<Mutex<dyn Write + Send>>,
}

impl ConsoleBackend {
    /// Prints to standard output.
    pub fn stdout() -> Self {
        Self::to_writer(io::stdout())
    }

    /// Prints to any writer (a file, a buffer in tests).
    pub fn to_writer(out: impl Write + Send + 'static) -> Self {
        Self {
            out: Arc::new(Mutex::new(out)),
        }
    }
}

impl Default for ConsoleBackend {
    fn default() -> Self {
        Self::stdout()
    }
}

impl fmt::Debug for ConsoleBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConsoleBackend").finish_non_exhaustive()
    }
}

impl Backend for ConsoleBackend {
    async fn send(&self, message: &Message) -> Result<(), Error> {
        let block = ConsoleBlock(message).to_string();
        let mut out = self.out.lock().unwrap_or_else(PoisonError::into_inner);
        // One write per block, so blocks from concurrent sends never interleave.
        out.write_all(block.as_bytes())
            .and_then(|()| out.flush())
            .map_err(Error::backend)
    }
}

/// One message as the console backend prints it.
struct ConsoleBlock<'a>(&'a Message);

impl fmt::Display for ConsoleBlock<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = self.0;
        match message.target() {
            Target::User(user) => {
                write!(f, "┌─ hipchat → user {user} (private, {}", message.format)?
            }
            Target::ShareLink { room, .. } => write!(f, "┌─ hipchat → {room} (share link")?,
            Target::Room(room) => write!(
                f,
                "┌─ hipchat → {room} ({}, {}",
                message.color, message.format
            )?,
        }
        if message.notify {
            f.write_str(", notify")?;
        }
        f.write_str(")\n")?;
        let mut details = Vec::new();
        if let Some(link) = &message.link {
            details.push(format!("link: {link}"));
        }
        if let Some(from) = &message.from {
            details.push(format!("from: {from}"));
        }
        if let Some(token) = &message.token {
            details.push(format!("token: {token}"));
        }
        if let Some(attach_to) = &message.attach_to {
            details.push(format!("attach to: {attach_to}"));
        }
        if let Some(card) = &message.card {
            details.push(format!(
                "card: {} {:?} (id {})",
                card.style, card.title, card.id
            ));
        }
        if !details.is_empty() {
            writeln!(f, "│ {}", details.join(" · "))?;
        }
        for line in message.body.lines() {
            writeln!(f, "│ {line}")?;
        }
        f.write_str("└─\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Color;

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().write(buf)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn prints_one_readable_block_per_message() {
        let buffer = Shared::default();
        let backend = ConsoleBackend::to_writer(buffer.clone());
        let message = Message::new("Deploy of <b>billing</b> failed\nsee logs")
            .room("Ops")
            .color(Color::Red)
            .notify(true)
            .from("deploy-bot")
            .token("deploys");
        backend.send(&message).await.unwrap();
        backend
            .send(&Message::new("second").room("42"))
            .await
            .unwrap();
        let printed = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        assert_eq!(
            printed,
            "┌─ hipchat → Ops (red, html, notify)\n\
             │ from: deploy-bot · token: deploys\n\
             │ Deploy of <b>billing</b> failed\n\
             │ see logs\n\
             └─\n\
             ┌─ hipchat → 42 (yellow, html)\n\
             │ second\n\
             └─\n"
        );
    }

    #[tokio::test]
    async fn shows_private_messages_and_share_links() {
        let buffer = Shared::default();
        let backend = ConsoleBackend::to_writer(buffer.clone());
        backend
            .send(&Message::new("hi").to_user("@alice").notify(true))
            .await
            .unwrap();
        backend
            .send(
                &Message::new("the build")
                    .room("Ops")
                    .share_link("https://ci.example.com/1"),
            )
            .await
            .unwrap();
        let printed = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        assert_eq!(
            printed,
            "┌─ hipchat → user @alice (private, html, notify)\n\
             │ hi\n\
             └─\n\
             ┌─ hipchat → Ops (share link)\n\
             │ link: https://ci.example.com/1\n\
             │ the build\n\
             └─\n"
        );
    }
}
