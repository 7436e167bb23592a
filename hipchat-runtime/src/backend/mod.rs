//! Where messages go: the [`Backend`] trait and the built-in backends.
//!
//! A backend receives a [`Message`] whose defaults are filled and whose limits are checked;
//! it only delivers. The HipChat wire format lives in [`http`] and nowhere else.

use std::future::Future;
use std::pin::Pin;

use crate::{Error, Message};

mod console;
mod disabled;
pub mod http;
mod memory;

pub use console::ConsoleBackend;
pub use disabled::DisabledBackend;
pub use http::HttpBackend;
pub use memory::{MemoryBackend, Outbox};

/// Delivers validated messages. Implement it with a plain `async fn`:
///
/// ```
/// use hipchat_runtime::{Backend, Error, Message};
///
/// struct Audit;
///
/// impl Backend for Audit {
///     async fn send(&self, message: &Message) -> Result<(), Error> {
///         println!("{}: {}", message.room_or_empty(), message.body);
///         Ok(())
///     }
/// }
/// ```
///
/// A [`Notifier`](crate::Notifier) holds any backend behind one pointer, chosen at run time.
pub trait Backend: Send + Sync + 'static {
    /// Delivers one message. Return [`Error::backend`] for failures of your own.
    fn send(&self, message: &Message) -> impl Future<Output = Result<(), Error>> + Send;
}

/// A boxed future, as returned through [`DynBackend`].
pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The dyn-compatible face of [`Backend`], so a notifier can hold any backend.
pub(crate) trait DynBackend: Send + Sync + 'static {
    fn send_boxed<'a>(&'a self, message: &'a Message) -> BoxFuture<'a, Result<(), Error>>;
}

impl<B: Backend> DynBackend for B {
    fn send_boxed<'a>(&'a self, message: &'a Message) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(self.send(message))
    }
}
