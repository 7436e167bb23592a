//! Configuring a queued backend: [`QueuedBuilder`], the part of it settings may set
//! ([`QueueConfig`]), and building (with recovery from a durable outbox).

use std::sync::atomic::{AtomicBool, AtomicUsize};
use std::sync::{Arc, Mutex};

use tokio::sync::{Notify, Semaphore};

use super::metrics::Counters;
use super::queue::{FullPolicy, QueueState};
use super::{FailureCallback, QueuedBackend, Rate, RetryPolicy, Shared, Undelivered, WallClock};
#[cfg(feature = "durable")]
use super::{outbox, queue::Entry};
use crate::limits::pacing::{Pacer, Pacing};
use crate::{Backend, Error};

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
    /// The defaults: see [`QueuedBackend::new`].
    pub(super) fn new(backend: B) -> Self {
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
                (Some(outbox), Some(recovered))
            }
            None => (None, None),
        };
        let shared = Arc::new(Shared {
            backend: self.backend,
            state: Mutex::new(QueueState::new()),
            slots: Semaphore::new(self.capacity),
            capacity: self.capacity,
            full: self.full,
            sends: Semaphore::new(self.max_in_flight),
            progress: Notify::new(),
            pacer: Pacer::new(self.pacing, self.wall_clock),
            retry: self.retry,
            counters: Counters::default(),
            on_failure: self.on_failure,
            collectors: Mutex::default(),
            needs_start: AtomicBool::new(false),
            metric_waiters: AtomicUsize::new(0),
            #[cfg(feature = "durable")]
            outbox,
        });
        #[cfg(feature = "durable")]
        if let Some(recovered) = recovered {
            shared.recover(recovered);
        }
        Ok(QueuedBackend { shared })
    }
}

impl<B: Backend> Shared<B> {
    /// Queues what an outbox held, beyond the capacity if need be (its slots are then
    /// overdrawn), and reports the rows that could not be decoded.
    #[cfg(feature = "durable")]
    fn recover(self: &Arc<Self>, recovered: outbox::Recovered) {
        for (seq, reason) in &recovered.undecodable {
            tracing::error!(
                seq,
                reason,
                "hipchat outbox: a notification cannot be decoded; left in the file, not delivered"
            );
        }
        if recovered.rows.is_empty() {
            return;
        }
        let n = recovered.rows.len() as u64;
        let mut state = self.lock();
        for (seq, outgoing) in recovered.rows {
            self.hold_slot(&mut state);
            let room = outgoing.lane().to_owned();
            if state.push(Arc::new(Entry { seq, outgoing })) {
                state.unset_running(&room);
            }
        }
        drop(state);
        Counters::add(&self.counters.recovered, n);
        Counters::add(&self.counters.accepted, n);
        self.needs_start
            .store(true, std::sync::atomic::Ordering::Release);
        tracing::info!(
            count = n,
            "hipchat outbox: recovered undelivered notifications"
        );
        self.start_idle_lanes();
    }
}
