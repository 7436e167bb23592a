//! Delivery counters.

use std::sync::atomic::{AtomicU64, Ordering};

/// A snapshot of a [`QueuedBackend`](super::QueuedBackend)'s counters, read with
/// [`Notifier::metrics`](crate::Notifier::metrics).
///
/// Every accepted notification ends up in exactly one of `delivered`, `failed`,
/// `dropped` or `abandoned`, or is still `queued` / `in_flight`:
///
/// ```
/// # use hipchat_runtime::backend::QueueMetrics;
/// let m = QueueMetrics::default();
/// assert_eq!(m.accepted, m.delivered + m.failed + m.dropped + m.abandoned + m.pending());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct QueueMetrics {
    /// Notifications accepted into the queue (including those recovered from the durable
    /// outbox at start, also counted in `recovered`).
    pub accepted: u64,
    /// Delivered (the backend returned `Ok`).
    pub delivered: u64,
    /// Attempts that failed and were tried again.
    pub retried: u64,
    /// Attempts answered with 429 (each is also counted in `retried` when tried again).
    pub rate_limited: u64,
    /// Given up on: a permanent error, or retries exhausted (attempts or deadline).
    pub failed: u64,
    /// Removed unsent to make room ([`FullPolicy::DropOldest`](super::FullPolicy::DropOldest)).
    pub dropped: u64,
    /// Still undelivered when a shutdown's deadline passed (kept in the durable outbox
    /// when there is one).
    pub abandoned: u64,
    /// Recovered from the durable outbox when the backend was built.
    pub recovered: u64,
    /// Waiting in the queue now.
    pub queued: u64,
    /// Being delivered now (including waits for pacing and retries).
    pub in_flight: u64,
}

impl QueueMetrics {
    /// Notifications not yet delivered or given up on: `queued + in_flight`.
    pub fn pending(&self) -> u64 {
        self.queued + self.in_flight
    }
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub accepted: AtomicU64,
    pub delivered: AtomicU64,
    pub retried: AtomicU64,
    pub rate_limited: AtomicU64,
    pub failed: AtomicU64,
    pub dropped: AtomicU64,
    pub abandoned: AtomicU64,
    pub recovered: AtomicU64,
}

impl Counters {
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    pub fn snapshot(&self, queued: u64, in_flight: u64) -> QueueMetrics {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        QueueMetrics {
            accepted: get(&self.accepted),
            delivered: get(&self.delivered),
            retried: get(&self.retried),
            rate_limited: get(&self.rate_limited),
            failed: get(&self.failed),
            dropped: get(&self.dropped),
            abandoned: get(&self.abandoned),
            recovered: get(&self.recovered),
            queued,
            in_flight,
        }
    }
}
