//! The queued backend: `.notify().await` returns once the notification is in a bounded
//! in-memory queue; tasks deliver it through the wrapped backend, paced within HipChat's
//! limits, retried when that can help, in order within each room.
//!
//! ```text
//! send ──► slot (FullPolicy) ──► [outbox row] ──► lane of the room (FIFO) ──► lane task
//!                                                                     │
//!      pacing.rs: token + room budgets (governor, learned headers) ◄──┤
//!      retry.rs:  429 → reset; 5xx/timeouts/connection → backoff   ◄──┤
//!      inner backend.send_with_limits ─────────────────────────────────┘
//!      → delivered / failed (callback, report) → metrics.rs, outbox row deleted
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

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::{Notify, Semaphore, TryAcquireError};

use crate::{Backend, Error, Message, RateLimit};

mod clock;
mod metrics;
#[cfg(feature = "durable")]
mod outbox;
mod pacing;
mod queue;
mod rate;
mod retry;
mod worker;

pub use clock::WallClock;
pub use metrics::{FlushReport, QueueMetrics, Undelivered, UndeliveredReason};
pub use pacing::Pacing;
pub use queue::FullPolicy;
pub use rate::{InvalidRate, Rate};
pub use retry::RetryPolicy;

use metrics::Counters;
use queue::{Entry, QueueState};

/// Called for every notification given up on (failed, dropped, or abandoned at shutdown
/// without a durable outbox to keep it). Runs on a delivery task: keep it short.
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
/// assert_eq!(outbox.messages()[0].body, "queued");
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

/// Configures a [`QueuedBackend`]: `QueuedBackend::builder(inner)...build()`.
///
/// ```
/// use std::time::Duration;
/// use hipchat_runtime::backend::queued::{FullPolicy, Pacing, Rate, RetryPolicy};
/// use hipchat_runtime::backend::{DisabledBackend, QueuedBackend};
///
/// let queued = QueuedBackend::builder(DisabledBackend)
///     .capacity(50_000)
///     .when_full(FullPolicy::DropOldest)
///     .pacing(Pacing::hipchat().per_token(Some(Rate::HIPCHAT_ADDON_TOKEN)))
///     .retry(RetryPolicy::default().deadline(Duration::from_secs(120)))
///     .on_failure(|undelivered| eprintln!("not delivered: {:?}", undelivered.reason))
///     .build()
///     .unwrap();
/// ```
#[must_use]
pub struct QueuedBuilder<B> {
    backend: B,
    capacity: usize,
    full: FullPolicy,
    max_in_flight: usize,
    pacing: Pacing,
    retry: RetryPolicy,
    wall_clock: WallClock,
    on_failure: Option<FailureCallback>,
    #[cfg(feature = "durable")]
    outbox: Option<std::path::PathBuf>,
}

/// What settings may configure of a queue; `None` leaves the builder's value.
#[derive(Debug, Default)]
pub(crate) struct QueueConfig {
    pub capacity: Option<usize>,
    pub full: Option<FullPolicy>,
    pub token_rate: Option<Rate>,
    pub room_rate: Option<Rate>,
    #[cfg(feature = "durable")]
    pub outbox: Option<std::path::PathBuf>,
}

/// Default queue capacity.
pub const DEFAULT_CAPACITY: usize = 10_000;

/// Default number of requests in flight at once (across rooms).
pub const DEFAULT_MAX_IN_FLIGHT: usize = 8;

impl<B: Backend> QueuedBuilder<B> {
    /// How many notifications may wait (default [`DEFAULT_CAPACITY`], at least 1, at
    /// most [`Semaphore::MAX_PERMITS`]).
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity.clamp(1, Semaphore::MAX_PERMITS);
        self
    }

    /// What a full queue does (default [`FullPolicy::Wait`]).
    pub fn when_full(mut self, policy: FullPolicy) -> Self {
        self.full = policy;
        self
    }

    /// How many deliveries may be in flight at once, across rooms (default
    /// [`DEFAULT_MAX_IN_FLIGHT`], at least 1, at most [`Semaphore::MAX_PERMITS`]). A room
    /// has at most one.
    pub fn max_in_flight(mut self, n: usize) -> Self {
        self.max_in_flight = n.clamp(1, Semaphore::MAX_PERMITS);
        self
    }

    /// Pacing (default [`Pacing::hipchat`]).
    pub fn pacing(mut self, pacing: Pacing) -> Self {
        self.pacing = pacing;
        self
    }

    /// Retries (default [`RetryPolicy::default`]).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The wall clock announced resets are read against (default [`WallClock::system`];
    /// [`WallClock::tokio`] for tests on paused time).
    pub fn wall_clock(mut self, clock: WallClock) -> Self {
        self.wall_clock = clock;
        self
    }

    /// Called for each notification given up on; see [`FailureCallback`].
    pub fn on_failure(mut self, callback: impl Fn(&Undelivered) + Send + Sync + 'static) -> Self {
        self.on_failure = Some(Arc::new(callback));
        self
    }

    /// Keeps every accepted notification in the SQLite file at `path` until it is
    /// delivered or given up on; a backend built on the same file after a crash delivers
    /// what it holds (feature `durable`). One process at a time per file.
    #[cfg(feature = "durable")]
    pub fn outbox(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.outbox = Some(path.into());
        self
    }

    /// Applies what [`Settings`](crate::Settings) configure (`HIPCHAT_QUEUE_*`,
    /// `HIPCHAT_RATE_LIMIT_*`); what they leave unset keeps its value.
    pub(crate) fn config(mut self, config: QueueConfig) -> Self {
        if let Some(capacity) = config.capacity {
            self = self.capacity(capacity);
        }
        if let Some(full) = config.full {
            self = self.when_full(full);
        }
        if let Some(rate) = config.token_rate {
            self.pacing = self.pacing.per_token(Some(rate));
        }
        if let Some(rate) = config.room_rate {
            self.pacing = self.pacing.per_room(Some(rate));
        }
        #[cfg(feature = "durable")]
        if let Some(path) = config.outbox {
            self = self.outbox(path);
        }
        self
    }

    /// Builds the backend. With an outbox, opens it and queues what it holds; that part
    /// fails with [`Error::Outbox`] when the file cannot be opened or read.
    ///
    /// Delivery tasks run on the tokio runtime of whoever sends; notifications recovered
    /// from an outbox start at once when built inside a runtime, else with the first send
    /// or flush.
    pub fn build(self) -> Result<QueuedBackend<B>, Error> {
        #[cfg(feature = "durable")]
        let (outbox, recovered) = match &self.outbox {
            Some(path) => {
                let (outbox, recovered) = outbox::Outbox::open(path)?;
                (Some(outbox), recovered)
            }
            None => (None, Vec::new()),
        };
        let shared = Arc::new(Shared {
            backend: self.backend,
            state: Mutex::new(QueueState::new()),
            slots: Semaphore::new(self.capacity),
            capacity: self.capacity,
            full: self.full,
            sends: Semaphore::new(self.max_in_flight),
            progress: Notify::new(),
            pacer: pacing::Pacer::new(self.pacing, self.wall_clock),
            retry: self.retry,
            counters: Counters::default(),
            on_failure: self.on_failure,
            collectors: Mutex::default(),
            needs_start: AtomicBool::new(false),
            #[cfg(feature = "durable")]
            outbox,
        });
        #[cfg(feature = "durable")]
        if !recovered.is_empty() {
            let n = recovered.len() as u64;
            let mut state = shared.lock();
            for (seq, message) in recovered {
                match shared.slots.try_acquire() {
                    Ok(permit) => permit.forget(),
                    Err(_) => state.overdraft += 1,
                }
                let room = message.room_or_empty().to_owned();
                if state.push(Arc::new(Entry { seq, message })) {
                    state.unset_running(&room);
                }
            }
            drop(state);
            Counters::add(&shared.counters.recovered, n);
            Counters::add(&shared.counters.accepted, n);
            shared.needs_start.store(true, Ordering::Release);
            tracing::info!(
                count = n,
                "hipchat outbox: recovered undelivered notifications"
            );
            shared.start_idle_lanes();
        }
        Ok(QueuedBackend { shared })
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
        QueuedBuilder {
            backend,
            capacity: DEFAULT_CAPACITY,
            full: FullPolicy::default(),
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            pacing: Pacing::default(),
            retry: RetryPolicy::default(),
            wall_clock: WallClock::system(),
            on_failure: None,
            #[cfg(feature = "durable")]
            outbox: None,
        }
    }

    /// The wrapped backend.
    pub fn inner(&self) -> &B {
        &self.shared.backend
    }
}

impl<B: Backend> Backend for QueuedBackend<B> {
    /// Queues a copy of `message`; returns once it is queued (and, with an outbox,
    /// written to it). Fails with [`Error::QueueFull`] (policy `Error`),
    /// [`Error::QueueClosed`] after a shutdown, or [`Error::Outbox`].
    async fn send(&self, message: &Message) -> Result<(), Error> {
        self.shared.enqueue(message).await
    }

    /// The wrapped backend's rules, checked before the message is accepted.
    fn validate(&self, message: &Message) -> Result<(), Error> {
        self.shared.backend.validate(message)
    }

    /// A queued backend delivers later: nothing to report at acceptance.
    async fn send_with_limits(&self, message: &Message) -> Result<RateLimit, Error> {
        self.send(message).await.map(|()| RateLimit::default())
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
}

/// Undelivered notifications gathered for one flush or shutdown.
struct Collector {
    /// Only notifications accepted before the flush began (`seq` below this).
    below: u64,
    items: Mutex<Vec<Undelivered>>,
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
    /// Signalled whenever a notification is finished.
    progress: Notify,
    pacer: pacing::Pacer,
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

impl<B: Backend> Shared<B> {
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

    async fn enqueue(self: &Arc<Self>, message: &Message) -> Result<(), Error> {
        self.start_idle_lanes();
        let closed = |_| Error::QueueClosed;
        // Whether we hold a slot; without one (DropOldest), the oldest gives us its own.
        let has_slot = match self.full {
            FullPolicy::Wait => {
                self.slots.acquire().await.map_err(closed)?.forget();
                true
            }
            FullPolicy::Error | FullPolicy::DropOldest => match self.slots.try_acquire() {
                Ok(permit) => {
                    permit.forget();
                    true
                }
                Err(TryAcquireError::Closed) => return Err(Error::QueueClosed),
                Err(TryAcquireError::NoPermits) if self.full == FullPolicy::Error => {
                    return Err(Error::QueueFull {
                        capacity: self.capacity,
                    });
                }
                Err(TryAcquireError::NoPermits) => false,
            },
        };
        let dropped = {
            let mut state = self.lock();
            let give_back = |state: &mut QueueState| {
                if has_slot {
                    self.release_slot(state);
                }
            };
            if state.closed {
                give_back(&mut state);
                return Err(Error::QueueClosed);
            }
            if !has_slot && state.queued() == 0 {
                // Every slot is held by a sender that has not pushed yet.
                return Err(Error::QueueFull {
                    capacity: self.capacity,
                });
            }
            let seq = match self.insert_outbox(&mut state, message) {
                Ok(seq) => seq,
                Err(error) => {
                    give_back(&mut state);
                    return Err(error);
                }
            };
            let dropped = if has_slot {
                None
            } else {
                let oldest = state.pop_oldest();
                if let Some(oldest) = &oldest {
                    self.outbox_remove(oldest.seq);
                    Counters::add(&self.counters.dropped, 1);
                }
                oldest
            };
            let entry = Arc::new(Entry {
                seq,
                message: message.clone(),
            });
            let room = message.room_or_empty().to_owned();
            Counters::add(&self.counters.accepted, 1);
            if state.push(entry) {
                self.spawn_lane(&mut state, room);
            }
            dropped.map(|entry| {
                let undelivered = Undelivered {
                    message: entry.message.clone(),
                    reason: UndeliveredReason::Dropped,
                    attempts: 0,
                };
                self.collect(&undelivered, entry.seq);
                undelivered
            })
        };
        if let Some(undelivered) = dropped {
            tracing::warn!(
                room = undelivered.message.room_or_empty(),
                "hipchat queue full: dropped the oldest waiting notification"
            );
            self.call_back(&undelivered);
        }
        Ok(())
    }

    fn insert_outbox(&self, state: &mut QueueState, message: &Message) -> Result<u64, Error> {
        #[cfg(feature = "durable")]
        if let Some(outbox) = &self.outbox {
            return outbox.insert(message);
        }
        let _ = message;
        Ok(state.next_seq())
    }

    /// A waiting notification left the queue: its slot is free again.
    fn release_slot(&self, state: &mut QueueState) {
        if state.overdraft > 0 {
            state.overdraft -= 1;
        } else {
            self.slots.add_permits(1);
        }
    }

    fn spawn_lane(self: &Arc<Self>, state: &mut QueueState, room: String) {
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                let task = runtime.spawn(worker::run_lane(self.clone(), room.clone()));
                state.set_task(&room, task.abort_handle());
            }
            Err(_) => {
                state.unset_running(&room);
                self.needs_start.store(true, Ordering::Release);
            }
        }
    }

    /// Starts tasks for lanes that have none (recovered outside a runtime).
    fn start_idle_lanes(self: &Arc<Self>) {
        if !self.needs_start.load(Ordering::Acquire)
            || tokio::runtime::Handle::try_current().is_err()
        {
            return;
        }
        self.needs_start.store(false, Ordering::Release);
        let mut state = self.lock();
        for room in state.idle_lanes() {
            self.spawn_lane(&mut state, room);
        }
    }

    fn next_for_lane(&self, room: &str) -> Option<Arc<Entry>> {
        let mut state = self.lock();
        let entry = state.next_for_lane(room)?;
        self.release_slot(&mut state);
        Some(entry)
    }

    /// Counts a finished delivery, deletes its outbox row, reports a failure. All of it
    /// under the queue's lock, so that a flush that sees the queue empty also sees the
    /// counters and its report complete.
    fn finish(&self, room: &str, entry: &Entry, outcome: worker::Outcome) {
        let undelivered = outcome.err().map(|(error, attempts)| Undelivered {
            message: entry.message.clone(),
            reason: UndeliveredReason::Failed(Arc::new(error)),
            attempts,
        });
        {
            let mut state = self.lock();
            if !state.finish(room, entry.seq) {
                // Abandoned by a shutdown meanwhile, and counted there.
                return;
            }
            let counter = match &undelivered {
                None => &self.counters.delivered,
                Some(_) => &self.counters.failed,
            };
            Counters::add(counter, 1);
            self.outbox_remove(entry.seq);
            if let Some(undelivered) = &undelivered {
                self.collect(undelivered, entry.seq);
            }
        }
        self.progress.notify_waiters();
        if let Some(undelivered) = undelivered {
            if let UndeliveredReason::Failed(error) = &undelivered.reason {
                tracing::warn!(
                    room,
                    attempts = undelivered.attempts,
                    %error,
                    "hipchat notification not delivered; giving up"
                );
            }
            self.call_back(&undelivered);
        }
    }

    fn collect(&self, undelivered: &Undelivered, seq: u64) {
        for collector in lock(&self.collectors).iter() {
            if seq < collector.below {
                lock(&collector.items).push(undelivered.clone());
            }
        }
    }

    /// Runs the failure callback. A panic in it is logged and goes no further: the
    /// notification is already counted, and the lane must go on.
    fn call_back(&self, undelivered: &Undelivered) {
        let Some(callback) = &self.on_failure else {
            return;
        };
        let called =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| callback(undelivered)));
        if let Err(panic) = called {
            let error = Error::panicked("the on_failure callback", panic.as_ref());
            tracing::error!(%error, "hipchat queue: the failure callback panicked");
        }
    }

    fn register(&self, below: u64) -> Arc<Collector> {
        let collector = Arc::new(Collector {
            below,
            items: Mutex::default(),
        });
        lock(&self.collectors).push(collector.clone());
        collector
    }

    fn unregister(&self, collector: &Arc<Collector>) -> FlushReport {
        lock(&self.collectors).retain(|c| !Arc::ptr_eq(c, collector));
        FlushReport {
            undelivered: std::mem::take(&mut *lock(&collector.items)),
        }
    }

    /// Waits until `done` holds for the queue's state.
    async fn wait_until(&self, done: impl Fn(&QueueState) -> bool) {
        loop {
            let notified = self.progress.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if done(&self.lock()) {
                return;
            }
            notified.await;
        }
    }

    async fn flush(self: &Arc<Self>) -> FlushReport {
        self.start_idle_lanes();
        // Only what was accepted before the flush began is waited for and reported.
        let (below, collector) = {
            let state = self.lock();
            let below = state.seq_bound();
            (below, self.register(below))
        };
        self.wait_until(|state| state.oldest_pending().is_none_or(|seq| seq >= below))
            .await;
        let report = self.unregister(&collector);
        log_report(&report, "flush");
        report
    }

    async fn shutdown(self: &Arc<Self>, deadline: Duration) -> FlushReport {
        self.start_idle_lanes();
        self.lock().closed = true;
        self.slots.close();
        let collector = self.register(u64::MAX);
        let drained = tokio::time::timeout(
            deadline,
            self.wait_until(|state| state.oldest_pending().is_none()),
        )
        .await
        .is_ok();
        if !drained {
            let kept = self.has_outbox();
            let abandoned = {
                let mut state = self.lock();
                let entries = state.abandon_all();
                Counters::add(&self.counters.abandoned, entries.len() as u64);
                let abandoned: Vec<_> = entries
                    .iter()
                    .map(|entry| Undelivered {
                        message: entry.message.clone(),
                        reason: UndeliveredReason::Abandoned {
                            kept_in_outbox: kept,
                        },
                        attempts: 0,
                    })
                    .collect();
                for (entry, undelivered) in entries.iter().zip(&abandoned) {
                    self.collect(undelivered, entry.seq);
                }
                abandoned
            };
            self.progress.notify_waiters();
            if !kept {
                for undelivered in &abandoned {
                    self.call_back(undelivered);
                }
            }
        }
        let report = self.unregister(&collector);
        log_report(&report, "shutdown");
        report
    }

    fn metrics(&self) -> QueueMetrics {
        let state = self.lock();
        self.counters
            .snapshot(state.queued() as u64, state.in_flight() as u64)
    }
}

fn log_report(report: &FlushReport, during: &'static str) {
    if report.is_complete() {
        return;
    }
    for undelivered in &report.undelivered {
        let reason = match &undelivered.reason {
            UndeliveredReason::Failed(_) => "failed",
            UndeliveredReason::Dropped => "dropped",
            UndeliveredReason::Abandoned {
                kept_in_outbox: true,
            } => "left in the outbox",
            UndeliveredReason::Abandoned { .. } => "abandoned",
        };
        tracing::warn!(
            during,
            room = undelivered.message.room_or_empty(),
            reason,
            "hipchat notification not delivered"
        );
    }
    tracing::warn!(
        during,
        count = report.undelivered.len(),
        "hipchat notifications not delivered"
    );
}
