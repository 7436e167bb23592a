//! What a flush or shutdown reports, and the failure callback: every notification given
//! up on is logged, passed to the callback, and gathered for the flushes waiting on it.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};

use super::{Shared, lock};
use crate::{Error, Outgoing};

/// Why a notification was not delivered.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum UndeliveredReason {
    /// Given up on: a permanent error (400, 401, 403, 404, ...), or the last error once
    /// the attempts or the deadline of the [`RetryPolicy`](super::RetryPolicy) ran out.
    Failed(Arc<Error>),
    /// Removed unsent to make room for a newer one
    /// ([`FullPolicy::DropOldest`](super::FullPolicy::DropOldest)).
    Dropped,
    /// Still pending when a shutdown's deadline passed. With a durable outbox it stays
    /// there and is delivered after the next start.
    Abandoned {
        /// Whether it is kept in the durable outbox.
        kept_in_outbox: bool,
    },
}

/// A notification that was not delivered, and why.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Undelivered {
    /// The notification.
    pub notification: Outgoing,
    /// Why it was not delivered.
    pub reason: UndeliveredReason,
    /// Delivery attempts made.
    pub attempts: u32,
}

/// What [`Notifier::flush`](crate::Notifier::flush) and
/// [`Notifier::shutdown`](crate::Notifier::shutdown) could not deliver: notifications
/// given up on or dropped while they waited, and (shutdown) those left when the deadline
/// passed. Empty for backends that do not queue.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct FlushReport {
    /// The notifications not delivered, in the order they were given up on.
    pub undelivered: Vec<Undelivered>,
}

impl FlushReport {
    /// Whether everything was delivered.
    pub fn is_complete(&self) -> bool {
        self.undelivered.is_empty()
    }

    /// How many were not delivered for `reason`'s kind (`Failed`, `Dropped`, `Abandoned`).
    pub fn count(&self, matches: impl Fn(&UndeliveredReason) -> bool) -> usize {
        self.undelivered
            .iter()
            .filter(|u| matches(&u.reason))
            .count()
    }
}

/// A flush's or a shutdown's gathering; dropping it stops the gathering.
pub(super) struct Collecting<'a, B> {
    shared: &'a Shared<B>,
    collector: Arc<Collector>,
}

impl<B> Collecting<'_, B> {
    /// What was gathered; the gathering stops.
    pub(super) fn report(self) -> FlushReport {
        FlushReport {
            undelivered: std::mem::take(&mut *lock(&self.collector.items)),
        }
    }
}

impl<B> Drop for Collecting<'_, B> {
    fn drop(&mut self) {
        lock(&self.shared.collectors).retain(|c| !Arc::ptr_eq(c, &self.collector));
    }
}

/// Undelivered notifications gathered for one flush or shutdown.
pub(super) struct Collector {
    /// Only notifications accepted before the flush began (`seq` below this).
    below: u64,
    items: Mutex<Vec<Undelivered>>,
}

impl<B> Shared<B> {
    /// Adds a notification given up on to the report of every flush waiting for it.
    pub(super) fn collect(&self, undelivered: &Undelivered, seq: u64) {
        for collector in lock(&self.collectors).iter() {
            if seq < collector.below {
                lock(&collector.items).push(undelivered.clone());
            }
        }
    }

    /// Runs the failure callback. A panic in it is logged and goes no further: the
    /// notification is already counted, and the lane must go on.
    pub(super) fn call_back(&self, undelivered: &Undelivered) {
        let Some(callback) = &self.on_failure else {
            return;
        };
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| callback(undelivered))) {
            let error = Error::panicked("the on_failure callback", panic.as_ref());
            tracing::error!(%error, "hipchat queue: the failure callback panicked");
        }
    }

    /// Starts gathering what is given up on with `seq` below `below`, until the returned
    /// guard reports or is dropped (a flush whose caller stopped waiting).
    pub(super) fn register(&self, below: u64) -> Collecting<'_, B> {
        let collector = Arc::new(Collector {
            below,
            items: Mutex::default(),
        });
        lock(&self.collectors).push(collector.clone());
        Collecting {
            shared: self,
            collector,
        }
    }
}

pub(super) fn log_report(report: &FlushReport, during: &'static str) {
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
            target = ?undelivered.notification.target(),
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
