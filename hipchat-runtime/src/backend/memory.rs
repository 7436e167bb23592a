use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::{Backend, Error, Outgoing};

/// Keeps every notification in an [`Outbox`], for tests.
///
/// Each backend has its own outbox; nothing is global, so parallel tests never see each
/// other's messages.
///
/// ```
/// # tokio_test_block_on(async {
/// use hipchat_runtime::{Message, Notifier, Settings, backend::MemoryBackend};
///
/// let backend = MemoryBackend::new();
/// let outbox = backend.outbox();
/// let notifier = Notifier::with_backend(Settings::new().room("Ops"), backend).unwrap();
/// notifier.send(Message::new("hello")).await.unwrap();
/// assert_eq!(outbox.messages()[0].body(), "hello");
/// # });
/// # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
#[derive(Clone, Default)]
pub struct MemoryBackend {
    outbox: Outbox,
    fail: Option<Arc<Decide>>,
}

type Decide = dyn Fn(&Outgoing) -> Result<(), Error> + Send + Sync;

impl MemoryBackend {
    /// A backend with an empty outbox.
    pub fn new() -> Self {
        Self::default()
    }

    /// A handle to this backend's outbox.
    pub fn outbox(&self) -> Outbox {
        self.outbox.clone()
    }

    /// Fails the notifications `decide` returns an error for (they do not reach the outbox),
    /// to test how a caller or a [`QueuedBackend`](super::QueuedBackend) handles failures.
    ///
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// use hipchat_runtime::backend::MemoryBackend;
    /// use hipchat_runtime::{Error, Message, Notifier, Settings};
    ///
    /// let backend = MemoryBackend::new().fail_with(|outgoing| match outgoing.body() {
    ///     "unlucky" => Err(Error::backend("the disk is full")),
    ///     _ => Ok(()),
    /// });
    /// let outbox = backend.outbox();
    /// let notifier = Notifier::with_backend(Settings::new().room("Ops"), backend).unwrap();
    /// assert!(notifier.send(Message::new("unlucky")).await.is_err());
    /// notifier.send(Message::new("fine")).await.unwrap();
    /// assert_eq!(outbox.len(), 1);
    /// # });
    /// ```
    pub fn fail_with(
        mut self,
        decide: impl Fn(&Outgoing) -> Result<(), Error> + Send + Sync + 'static,
    ) -> Self {
        self.fail = Some(Arc::new(decide));
        self
    }
}

impl fmt::Debug for MemoryBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryBackend")
            .field("outbox", &self.outbox)
            .field("fails_some", &self.fail.is_some())
            .finish()
    }
}

impl Backend for MemoryBackend {
    async fn send(&self, outgoing: &Outgoing) -> Result<(), Error> {
        if let Some(decide) = &self.fail {
            decide(outgoing)?;
        }
        self.outbox.lock().push(outgoing.clone());
        Ok(())
    }
}

/// The notifications a [`MemoryBackend`] received, in order. Clones share one outbox.
#[derive(Clone, Debug, Default)]
pub struct Outbox {
    messages: Arc<Mutex<Vec<Outgoing>>>,
}

impl Outbox {
    /// A copy of every notification so far.
    pub fn messages(&self) -> Vec<Outgoing> {
        self.lock().clone()
    }

    /// Removes and returns every notification so far.
    pub fn take(&self) -> Vec<Outgoing> {
        std::mem::take(&mut *self.lock())
    }

    /// How many notifications arrived.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no notification arrived.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Outgoing>> {
        // A panic while holding the lock cannot leave a half-pushed Vec: keep going.
        self.messages.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
