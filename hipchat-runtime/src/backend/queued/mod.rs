//! The queued backend: `.notify().await` returns once the notification is in a bounded
//! in-memory queue; tasks deliver it through the wrapped backend, paced within HipChat's
//! limits, retried when that can help, in order within each room.
//!
//! ```text
//! admission.rs  send ──► slot (FullPolicy) ──► [outbox row, its own thread] ──► lane
//! queue.rs      one FIFO lane per room                                           │
//! worker.rs     one task per non-empty lane ◄────────────────────────────────────┘
//!      pacing.rs: token + room budgets (governor on rate.rs's rates, learned headers)
//!      retry.rs:  429 → reset (capped); 5xx/timeouts/connection → backoff; else give up
//!      inner backend.send_with_limits (a panic fails this notification only)
//!      → delivered / failed → metrics.rs, report.rs (callback, flush reports), row deleted
//! drain.rs      flush / shutdown wait on the queue; builder.rs configures and recovers
//! clock.rs      tokio's clock for waits, a WallClock for announced resets
//! ```
//!
//! * **Memory** is bounded: at most `capacity` notifications wait, plus at most one in
//!   delivery per room.
//! * **Order**: a room's notifications are delivered one at a time, in the order they were
//!   accepted; a notification being retried holds back the later ones of its room only.
//!   Rooms are told apart by the string given (an id and a name of one room are two lanes).
//! * **At least once**: a notification whose answer was lost (a timeout or reset after the
//!   server acted, or a crash between sending and deleting its outbox row) is sent again,
//!   so it may arrive twice. Nothing accepted is lost without being reported.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::{Notify, Semaphore};

use crate::backend::MetricsCondition;
use crate::{Backend, Error, Outgoing, RateLimit};

mod admission;
mod builder;

mod drain;
mod metrics;
#[cfg(feature = "durable")]
mod outbox;

mod queue;

mod report;

mod worker;

pub use builder::{DEFAULT_CAPACITY, DEFAULT_MAX_IN_FLIGHT, QueuedBuilder};
pub use metrics::QueueMetrics;
pub use queue::FullPolicy;
pub use report::{FlushReport, Undelivered, UndeliveredReason};
// The queue's pacing and retry settings, shared with the REST client.
pub use crate::limits::{InvalidRate, Pacing, Rate, RetryPolicy, WallClock};

pub(crate) use builder::QueueConfig;
use metrics::Counters;
use queue::QueueState;
use report::Collector;

/// Called for every notification given up on (failed, dropped, or abandoned at shutdown
/// without a durable outbox to keep it). Runs where that happened: on a delivery task
/// (failed), on the sending task (dropped to make room for its notification), or on the
/// task calling `shutdown` (abandoned); keep it short. A panic in it is caught and logged.
pub type FailureCallback = Arc<dyn Fn(&Undelivered) + Send + Sync>;

/// Wraps any [`Backend`] in a bounded queue with pacing, retries and per-room order.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
/// use std::time::Duration;
/// use hipchat_runtime::backend::{MemoryBackend, QueuedBackend};
/// use hipchat_runtime::{Message, Notifier, Settings};
///
/// let memory = MemoryBackend::new();
/// let outbox = memory.outbox();
/// let notifier = Notifier::with_backend(Settings::new().room("Ops"), QueuedBackend::new(memory))?;
/// notifier.send(Message::new("queued")).await?; // returns once queued
/// let report = notifier.shutdown(Duration::from_secs(5)).await;
/// assert!(report.is_complete());
/// assert_eq!(outbox.messages()[0].body(), "queued");
/// assert_eq!(notifier.metrics().unwrap().delivered, 1);
/// # Ok::<(), hipchat_runtime::Error>(())
/// # }).unwrap();
/// ```
///
/// `HIPCHAT_BACKEND=queued` builds one around the http backend from the settings.
/// Clones share one queue. Dropping the last clone does not drop the queue: its tasks
/// finish delivering; call [`shutdown`](Backend::shutdown) (through
/// [`Notifier::shutdown`](crate::Notifier::shutdown)) before the process exits.
pub struct QueuedBackend<B> {
    shared: Arc<Shared<B>>,
}

impl<B> Clone for QueuedBackend<B> {
    fn clone(&self) -> Self {
        Self {
            shared: self.shared.clone(),
        }
    }
}

impl<B> std::fmt::Debug for QueuedBackend<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueuedBackend")
            .field("capacity", &self.shared.capacity)
            .field("full", &self.shared.full)
            .finish_non_exhaustive()
    }
}

impl<B: Backend> QueuedBackend<B> {
    /// Wraps `backend` with the defaults: capacity [`DEFAULT_CAPACITY`], wait when full,
    /// HipChat pacing, [`RetryPolicy::default`].
    pub fn new(backend: B) -> Self {
        Self::builder(backend)
            .build()
            .expect("a queue without an outbox cannot fail to build")
    }

    /// A builder around `backend`.
    pub fn builder(backend: B) -> QueuedBuilder<B> {
        QueuedBuilder::new(backend)
    }

    /// The wrapped backend.
    pub fn inner(&self) -> &B {
        &self.shared.backend
    }
}

impl<B: Backend> Backend for QueuedBackend<B> {
    /// Queues a copy of `outgoing`; returns once it is queued (and, with an outbox,
    /// written to it). Fails with [`Error::QueueFull`] (policy `Error`),
    /// [`Error::QueueClosed`] after a shutdown, or [`Error::Outbox`].
    async fn send(&self, outgoing: &Outgoing) -> Result<(), Error> {
        self.shared.enqueue(outgoing).await
    }

    /// The wrapped backend's rules, checked before the message is accepted.
    fn validate(&self, outgoing: &Outgoing) -> Result<(), Error> {
        self.shared.backend.validate(outgoing)
    }

    /// A queued backend delivers later: nothing to report at acceptance.
    async fn send_with_limits(&self, outgoing: &Outgoing) -> Result<RateLimit, Error> {
        self.send(outgoing).await.map(|()| RateLimit::default())
    }

    async fn flush(&self) -> FlushReport {
        self.shared.flush().await
    }

    async fn shutdown(&self, deadline: Duration) -> FlushReport {
        self.shared.shutdown(deadline).await
    }

    fn metrics(&self) -> Option<QueueMetrics> {
        Some(self.shared.metrics())
    }

    async fn wait_for_metrics(&self, done: MetricsCondition<'_>) -> Option<QueueMetrics> {
        Some(self.shared.wait_for_metrics(done).await)
    }
}

pub(crate) struct Shared<B> {
    backend: B,
    state: Mutex<QueueState>,
    /// One permit per free place in the queue.
    slots: Semaphore,
    capacity: usize,
    full: FullPolicy,
    /// One permit per request in flight.
    sends: Semaphore,
    /// Signalled whenever a notification is finished (what flushes wait for) and, while
    /// someone waits for metrics, whenever one is accepted, dropped, started or retried.
    progress: Notify,
    /// How many `wait_for_metrics` are waiting: only then do the hot paths signal.
    metric_waiters: AtomicUsize,
    pacer: crate::limits::pacing::Pacer,
    retry: RetryPolicy,
    counters: Counters,
    on_failure: Option<FailureCallback>,
    collectors: Mutex<Vec<Arc<Collector>>>,
    /// Some lanes have no task yet (built outside a runtime).
    needs_start: AtomicBool,
    #[cfg(feature = "durable")]
    outbox: Option<outbox::Outbox>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every critical section leaves the state consistent before anything can panic.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<B> Shared<B> {
    fn lock(&self) -> MutexGuard<'_, QueueState> {
        lock(&self.state)
    }

    fn has_outbox(&self) -> bool {
        #[cfg(feature = "durable")]
        return self.outbox.is_some();
        #[cfg(not(feature = "durable"))]
        false
    }

    fn outbox_remove(&self, seq: u64) {
        #[cfg(feature = "durable")]
        if let Some(outbox) = &self.outbox {
            outbox.remove(seq);
        }
        #[cfg(not(feature = "durable"))]
        let _ = seq;
    }

    /// Waits until the outbox holds what the queue does (see `Outbox::sync`).
    async fn outbox_sync(&self) {
        #[cfg(feature = "durable")]
        if let Some(outbox) = &self.outbox {
            outbox.sync().await;
        }
    }

    fn metrics(&self) -> QueueMetrics {
        self.snapshot(&self.lock())
    }

    /// Wakes metric waiters after a change only they wait for (called after the change,
    /// outside the lock; a waiter that registers later sees the change when it checks).
    fn metrics_changed(&self) {
        if self.metric_waiters.load(Ordering::SeqCst) > 0 {
            self.progress.notify_waiters();
        }
    }

    fn snapshot(&self, state: &QueueState) -> QueueMetrics {
        self.counters
            .snapshot(state.queued() as u64, state.in_flight() as u64)
    }
}
