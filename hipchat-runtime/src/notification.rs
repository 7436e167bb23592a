//! The trait `#[hipchat]` implements, and the `.notify()` request it returns.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::backend::BoxFuture;
use crate::{Error, Message, Notifier, default_notifier};

/// An event that renders to a HipChat [`Message`]. `#[hipchat]` implements it.
pub trait Notification {
    /// Renders the message: body from the template, and room, color, sender, format, notify
    /// and token from the attribute, the template's blocks or the struct's fields. Settings
    /// defaults are not applied yet: they belong to the [`Notifier`].
    fn render(&self) -> Result<Message, Error>;

    /// Sends this notification when awaited: through the default notifier, or through the
    /// one given with [`Notify::via`].
    ///
    /// ```
    /// # use hipchat_runtime::{Error, Message, Notification, Notifier, Settings, BackendKind};
    /// struct Ping;
    /// impl Notification for Ping {
    ///     fn render(&self) -> Result<Message, Error> {
    ///         Ok(Message::new("ping").room("Ops"))
    ///     }
    /// }
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let notifier = Notifier::from_settings(Settings::new().backend(BackendKind::Memory))?;
    /// Ping.notify().via(&notifier).await?;
    /// assert_eq!(notifier.outbox().unwrap().len(), 1);
    /// # Ok::<(), Error>(())
    /// # }).unwrap();
    /// ```
    fn notify(&self) -> Notify<'_, Self>
    where
        Self: Sized,
    {
        Notify {
            event: self,
            notifier: None,
        }
    }
}

/// A notification about to be sent; sent when awaited.
#[must_use = "a notification is sent only when `.await`ed"]
pub struct Notify<'a, N> {
    event: &'a N,
    notifier: Option<&'a Notifier>,
}

impl<'a, N: Notification> Notify<'a, N> {
    /// Sends through `notifier` instead of the default one (an axum `State`, a test's
    /// memory notifier).
    pub fn via(mut self, notifier: &'a Notifier) -> Self {
        self.notifier = Some(notifier);
        self
    }
}

impl<N: Notification> IntoFuture for Notify<'_, N> {
    type Output = Result<(), Error>;
    type IntoFuture = Delivery;

    /// Renders now (the event is borrowed only until here), then delivers asynchronously.
    fn into_future(self) -> Delivery {
        let notifier = match self.notifier {
            Some(notifier) => notifier.clone(),
            None => match default_notifier() {
                Ok(notifier) => notifier,
                Err(error) => return Delivery(Box::pin(std::future::ready(Err(error)))),
            },
        };
        Delivery(notifier.deliver(self.event.render(), std::any::type_name::<N>()))
    }
}

/// The future of an awaited [`Notify`]. It owns everything it needs (`'static`), so it can
/// be spawned.
#[must_use = "futures do nothing unless polled"]
pub struct Delivery(BoxFuture<'static, Result<(), Error>>);

impl Future for Delivery {
    type Output = Result<(), Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.0.as_mut().poll(cx)
    }
}
