//! The handle that fills defaults, checks limits and hands messages to a backend.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::backend::{
    BoxFuture, ConsoleBackend, DisabledBackend, DynBackend, FlushReport, HttpBackend,
    MemoryBackend, Outbox, QueueMetrics, QueuedBackend,
};
use crate::{ApiVersion, Backend, BackendKind, Error, Message, Outgoing, Settings};

/// A cheap-to-clone handle over a backend and the default room and sender.
///
/// Build one per application (from the environment, from [`Settings`], or around your own
/// [`Backend`]) and share it: clones share one backend and one connection pool.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use hipchat_runtime::{BackendKind, Message, Notifier, Settings};
///
/// let notifier = Notifier::from_settings(Settings::new().backend(BackendKind::Disabled).room("Ops"))?;
/// notifier.send(Message::new("Backup finished")).await?;
/// # Ok::<(), hipchat_runtime::Error>(())
/// # }).unwrap();
/// ```
#[derive(Clone)]
pub struct Notifier {
    inner: Arc<Inner>,
}

struct Inner {
    backend: Box<dyn DynBackend>,
    backend_name: &'static str,
    room: Option<String>,
    from: Option<String>,
    fail_silently: bool,
    outbox: Option<Outbox>,
}

impl Notifier {
    /// Builds the notifier the environment describes (see [`Settings::from_vars`]).
    pub fn from_env() -> Result<Self, Error> {
        Self::from_settings(Settings::from_env()?)
    }

    /// Builds the built-in backend the settings name, with their defaults.
    pub fn from_settings(settings: Settings) -> Result<Self, Error> {
        let kind = settings.get_backend();
        let v1 = settings.get_api_version() == ApiVersion::V1;
        match kind {
            BackendKind::Http => {
                let backend = HttpBackend::from_settings(&settings)?;
                let name = if v1 { "http (API v1)" } else { kind.as_str() };
                Self::build(settings, name, backend, None)
            }
            BackendKind::Console => {
                Self::build(settings, kind.as_str(), ConsoleBackend::stdout(), None)
            }
            BackendKind::Disabled => Self::build(settings, kind.as_str(), DisabledBackend, None),
            BackendKind::Memory => {
                let backend = MemoryBackend::new();
                let outbox = Some(backend.outbox());
                Self::build(settings, kind.as_str(), backend, outbox)
            }
            BackendKind::Queued => {
                let http = HttpBackend::from_settings(&settings)?;
                let backend = QueuedBackend::builder(http)
                    .config(settings.queue_config()?)
                    .build()?;
                let name = if v1 { "queued (API v1)" } else { kind.as_str() };
                Self::build(settings, name, backend, None)
            }
        }
    }

    /// A notifier over a [`MemoryBackend`], and its outbox: what tests read to see what
    /// was sent. Defaults (room, sender, fail silently) come from `settings`.
    ///
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// use hipchat_runtime::{Message, Notifier, Settings};
    ///
    /// let (notifier, outbox) = Notifier::memory(Settings::new().room("Ops"))?;
    /// notifier.send(Message::new("Backup finished")).await?;
    /// assert_eq!(outbox.messages()[0].room(), Some("Ops"));
    /// # Ok::<(), hipchat_runtime::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn memory(settings: Settings) -> Result<(Self, Outbox), Error> {
        let backend = MemoryBackend::new();
        let outbox = backend.outbox();
        let notifier = Self::build(
            settings,
            BackendKind::Memory.as_str(),
            backend,
            Some(outbox.clone()),
        )?;
        Ok((notifier, outbox))
    }

    /// Wraps your own backend, with defaults (room, sender, fail silently) from `settings`.
    /// The settings' backend kind, tokens, URL and timeout are for built-in backends and
    /// are not used here.
    pub fn with_backend(settings: Settings, backend: impl Backend) -> Result<Self, Error> {
        Self::build(settings, "custom", backend, None)
    }

    fn build(
        settings: Settings,
        backend_name: &'static str,
        backend: impl Backend,
        outbox: Option<Outbox>,
    ) -> Result<Self, Error> {
        settings.validate()?;
        Ok(Self {
            inner: Arc::new(Inner {
                backend: Box::new(backend),
                backend_name,
                room: settings.get_room().map(str::to_owned),
                from: settings.get_from().map(str::to_owned),
                fail_silently: settings.get_fail_silently(),
                outbox,
            }),
        })
    }

    /// The outbox, when the backend is the built-in `memory` one chosen by settings
    /// (`HIPCHAT_BACKEND=memory`); a notifier built in code comes with its outbox from
    /// [`Notifier::memory`].
    pub fn outbox(&self) -> Option<&Outbox> {
        self.inner.outbox.as_ref()
    }

    /// Waits until every notification accepted so far is delivered or given up on, and
    /// returns those given up on (they were also logged). Only a queued backend has
    /// anything to wait for; for the others this returns an empty report at once.
    ///
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
    /// use hipchat_runtime::backend::{MemoryBackend, QueuedBackend};
    /// use hipchat_runtime::{Message, Notifier, Settings};
    ///
    /// let memory = MemoryBackend::new();
    /// let sent = memory.outbox();
    /// let notifier = Notifier::with_backend(Settings::new().room("Ops"), QueuedBackend::new(memory))?;
    /// notifier.send(Message::new("one")).await?;
    /// assert!(notifier.flush().await.is_complete());
    /// assert_eq!(sent.len(), 1);
    /// # Ok::<(), hipchat_runtime::Error>(())
    /// # }).unwrap();
    /// ```
    pub async fn flush(&self) -> FlushReport {
        self.inner.backend.flush_boxed().await
    }

    /// Stops accepting notifications (later sends fail with [`Error::QueueClosed`]),
    /// delivers what is queued within `deadline`, and returns (and logs) what could not be
    /// delivered. Call it before the process exits. A no-op for backends that do not queue.
    pub async fn shutdown(&self, deadline: Duration) -> FlushReport {
        self.inner.backend.shutdown_boxed(deadline).await
    }

    /// The delivery counters of a queued backend (`None` for the others).
    pub fn metrics(&self) -> Option<QueueMetrics> {
        self.inner.backend.metrics_dyn()
    }

    /// Waits until a queued backend's counters satisfy `done`, and returns them (`None`
    /// at once for backends without counters). For tests and health checks that wait for
    /// deliveries or retries instead of polling; bound it with a timeout.
    ///
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
    /// use hipchat_runtime::backend::{MemoryBackend, QueuedBackend};
    /// use hipchat_runtime::{Message, Notifier, Settings};
    ///
    /// let queued = QueuedBackend::new(MemoryBackend::new());
    /// let notifier = Notifier::with_backend(Settings::new().room("Ops"), queued)?;
    /// notifier.send(Message::new("one")).await?;
    /// let metrics = notifier.wait_for_metrics(|m| m.delivered == 1).await.unwrap();
    /// assert_eq!(metrics.pending(), 0);
    /// # Ok::<(), hipchat_runtime::Error>(())
    /// # }).unwrap();
    /// ```
    pub async fn wait_for_metrics(
        &self,
        done: impl Fn(&QueueMetrics) -> bool + Send + Sync,
    ) -> Option<QueueMetrics> {
        self.inner.backend.wait_for_metrics_boxed(&done).await
    }

    /// Fills the default room and sender, checks HipChat's limits, and delivers.
    ///
    /// Nothing reaches the backend unless every check passed. With fail silently on, an
    /// error is logged through `tracing` and `Ok(())` is returned.
    pub async fn send(&self, message: Message) -> Result<(), Error> {
        self.deliver(Ok(message), "Message").await
    }

    /// Delivers the result of rendering `notification`: the one path from a rendered (or
    /// failed) notification to the backend, shared by [`send`](Self::send) and `.notify()`.
    pub(crate) fn deliver(
        &self,
        rendered: Result<Message, Error>,
        notification: &'static str,
    ) -> BoxFuture<'static, Result<(), Error>> {
        let notifier = self.clone();
        Box::pin(async move {
            let outcome = match rendered {
                Ok(message) => notifier.send_checked(message).await,
                Err(error) => Err(error),
            };
            match outcome {
                Err(error) if notifier.inner.fail_silently => {
                    tracing::error!(
                        notification,
                        backend = notifier.inner.backend_name,
                        %error,
                        "hipchat notification not sent (fail silently is on)"
                    );
                    Ok(())
                }
                outcome => outcome,
            }
        })
    }

    /// Sends a private message to `user` (a user id, an email or an `@mention` name):
    /// [`send`](Self::send) with [`Message::to_user`]. The same defaults, checks and
    /// long-message policy apply; the default room does not.
    ///
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// use hipchat_runtime::{Message, Notifier, Outgoing, Settings};
    ///
    /// let (notifier, outbox) = Notifier::memory(Settings::new())?;
    /// notifier.send_to_user("@alice", Message::new("Your deploy finished")).await?;
    /// let Outgoing::User(private) = &outbox.messages()[0] else { unreachable!() };
    /// assert_eq!(private.user(), "@alice");
    /// # Ok::<(), hipchat_runtime::Error>(())
    /// # }).unwrap();
    /// ```
    pub async fn send_to_user(
        &self,
        user: impl Into<String>,
        message: Message,
    ) -> Result<(), Error> {
        self.send(message.to_user(user)).await
    }

    /// The one validation path: fill defaults, apply the long-message policy, check every
    /// part (HipChat's limits, then the backend's own rules), then send the parts in order.
    /// Nothing is sent unless every part passed; a failed part stops the later ones.
    async fn send_checked(&self, mut message: Message) -> Result<(), Error> {
        if message.room.is_none() && message.user.is_none() {
            message.room.clone_from(&self.inner.room);
        }
        if message.from.is_none() {
            message.from.clone_from(&self.inner.from);
        }
        // The usual case, a body within its limit, is one part, checked and sent without
        // the vectors of a split: they made a queued send a third dearer (BENCHMARKS.md,
        // the queued backend's caller cost).
        if !message.is_long() {
            let outgoing = Outgoing::try_from(message)?;
            self.inner.backend.validate_dyn(&outgoing)?;
            return self.inner.backend.send_boxed(&outgoing).await;
        }
        let parts = message
            .into_parts()
            .into_iter()
            .map(Outgoing::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        for part in &parts {
            self.inner.backend.validate_dyn(part)?;
        }
        for part in &parts {
            self.inner.backend.send_boxed(part).await?;
        }
        Ok(())
    }
}

impl fmt::Debug for Notifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Notifier")
            .field("backend", &self.inner.backend_name)
            .field("room", &self.inner.room)
            .field("from", &self.inner.from)
            .field("fail_silently", &self.inner.fail_silently)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ValidationError;

    fn memory(settings: Settings) -> Notifier {
        Notifier::from_settings(settings.backend(BackendKind::Memory)).unwrap()
    }

    #[tokio::test]
    async fn fills_defaults_but_keeps_explicit_values() {
        let notifier = memory(Settings::new().room("Ops").from("ci"));
        notifier.send(Message::new("a")).await.unwrap();
        notifier
            .send(Message::new("b").room("Dev").from("me"))
            .await
            .unwrap();
        let sent = notifier.outbox().unwrap().messages();
        let rooms: Vec<_> = sent
            .iter()
            .map(|outgoing| match outgoing {
                Outgoing::Room(n) => (n.room(), n.from()),
                other => panic!("not a room notification: {other:?}"),
            })
            .collect();
        assert_eq!(rooms, [("Ops", Some("ci")), ("Dev", Some("me"))]);
    }

    #[tokio::test]
    async fn invalid_messages_never_reach_the_backend() {
        let notifier = memory(Settings::new());
        let error = notifier.send(Message::new("no room")).await.unwrap_err();
        assert!(
            matches!(error, Error::Validation(ValidationError::MissingRoom)),
            "{error:?}"
        );
        let error = notifier
            .send(Message::new("x".repeat(10_001)).room("Ops"))
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::Validation(ValidationError::Limit(_))),
            "{error:?}"
        );
        assert!(notifier.outbox().unwrap().is_empty());
    }

    #[tokio::test]
    async fn fail_silently_returns_ok_and_sends_nothing() {
        let notifier = memory(Settings::new().fail_silently(true));
        notifier.send(Message::new("no room")).await.unwrap();
        assert!(notifier.outbox().unwrap().is_empty());
    }

    #[tokio::test]
    async fn outboxes_belong_to_their_notifier() {
        let (a, b) = (
            memory(Settings::new().room("A")),
            memory(Settings::new().room("B")),
        );
        a.send(Message::new("to a")).await.unwrap();
        assert_eq!(a.outbox().unwrap().len(), 1);
        assert!(b.outbox().unwrap().is_empty());
    }

    #[test]
    fn invalid_defaults_fail_at_build_time() {
        let error = Notifier::from_settings(
            Settings::new()
                .backend(BackendKind::Disabled)
                .from("f".repeat(65)),
        );
        assert!(matches!(error, Err(Error::Config(_))));
    }
}
