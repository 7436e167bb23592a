use std::fmt;
use std::io::{self, Write};
use std::sync::{Arc, Mutex, PoisonError};

use crate::{Backend, Error, Outgoing};

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
    async fn send(&self, outgoing: &Outgoing) -> Result<(), Error> {
        let block = ConsoleBlock(outgoing).to_string();
        let mut out = self.out.lock().unwrap_or_else(PoisonError::into_inner);
        // One write per block, so blocks from concurrent sends never interleave.
        out.write_all(block.as_bytes())
            .and_then(|()| out.flush())
            .map_err(Error::backend)
    }
}

/// One notification as the console backend prints it.
struct ConsoleBlock<'a>(&'a Outgoing);

impl fmt::Display for ConsoleBlock<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut details = Vec::new();
        match self.0 {
            Outgoing::User(m) => {
                write!(f, "┌─ hipchat → user {} (private, {}", m.user(), m.format())?;
                if m.notify() {
                    f.write_str(", notify")?;
                }
            }
            Outgoing::Link(l) => {
                write!(f, "┌─ hipchat → {} (share link", l.room())?;
                details.push(format!("link: {}", l.link()));
            }
            Outgoing::Room(n) => {
                write!(
                    f,
                    "┌─ hipchat → {} ({}, {}",
                    n.room(),
                    n.color(),
                    n.format()
                )?;
                if n.notify() {
                    f.write_str(", notify")?;
                }
                if let Some(from) = n.from() {
                    details.push(format!("from: {from}"));
                }
            }
        }
        f.write_str(")\n")?;
        if let Some(token) = self.0.token() {
            details.push(format!("token: {token}"));
        }
        if let Outgoing::Room(n) = self.0 {
            if let Some(attach_to) = n.attach_to() {
                details.push(format!("attach to: {attach_to}"));
            }
            if let Some(card) = n.card() {
                details.push(format!(
                    "card: {} {:?} (id {})",
                    card.style, card.title, card.id
                ));
            }
        }
        if !details.is_empty() {
            writeln!(f, "│ {}", details.join(" · "))?;
        }
        for line in self.0.body().lines() {
            writeln!(f, "│ {line}")?;
        }
        f.write_str("└─\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Color, Message};

    async fn print(backend: &ConsoleBackend, message: Message) {
        let outgoing = Outgoing::try_from(message).unwrap();
        backend.send(&outgoing).await.unwrap();
    }

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
        print(&backend, message).await;
        print(&backend, Message::new("second").room("42")).await;
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
        print(&backend, Message::new("hi").to_user("@alice").notify(true)).await;
        let link = Message::new("the build")
            .room("Ops")
            .share_link("https://ci.example.com/1");
        print(&backend, link).await;
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
