//! Waiting for the queue: [`flush`](Shared::flush) until what was accepted before it is
//! finished, [`shutdown`](Shared::shutdown) until everything is or its deadline passes,
//! [`wait_for_metrics`](Shared::wait_for_metrics) until the counters say so.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::metrics::Counters;
use super::queue::QueueState;
use super::report::log_report;
use super::{FlushReport, QueueMetrics, Shared, Undelivered, UndeliveredReason};
use crate::Backend;
use crate::backend::MetricsCondition;

impl<B: Backend> Shared<B> {
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

    /// Waits until the counters satisfy `done`; returns them.
    pub(super) async fn wait_for_metrics(&self, done: MetricsCondition<'_>) -> QueueMetrics {
        /// Counts the waiter for as long as it waits, however it stops.
        struct Waiting<'a>(&'a AtomicUsize);
        impl Drop for Waiting<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::SeqCst);
            }
        }
        self.metric_waiters.fetch_add(1, Ordering::SeqCst);
        let _waiting = Waiting(&self.metric_waiters);
        self.wait_until(|state| done(&self.snapshot(state))).await;
        self.metrics()
    }

    pub(super) async fn flush(self: &Arc<Self>) -> FlushReport {
        self.start_idle_lanes();
        // Only what was accepted before the flush began is waited for and reported.
        let (below, collector) = {
            let state = self.lock();
            let below = state.seq_bound();
            (below, self.register(below))
        };
        self.wait_until(|state| state.oldest_pending().is_none_or(|seq| seq >= below))
            .await;
        self.outbox_sync().await;
        let report = collector.report();
        log_report(&report, "flush");
        report
    }

    pub(super) async fn shutdown(self: &Arc<Self>, deadline: Duration) -> FlushReport {
        self.start_idle_lanes();
        let collector = {
            // Under the lock that closes the queue: nothing finishes unreported between.
            let mut state = self.lock();
            state.closed = true;
            self.register(u64::MAX)
        };
        self.slots.close();
        // Drained means delivered and, with an outbox, its rows deleted on disk too.
        let drain = async {
            self.wait_until(|state| state.oldest_pending().is_none())
                .await;
            self.outbox_sync().await;
        };
        let drained = tokio::time::timeout(deadline, drain).await.is_ok();
        if !drained {
            let kept = self.has_outbox();
            let abandoned = {
                let mut state = self.lock();
                let entries = state.abandon_all();
                Counters::add(&self.counters.abandoned, entries.len() as u64);
                let abandoned: Vec<_> = entries
                    .iter()
                    .map(|entry| Undelivered {
                        notification: entry.outgoing.clone(),
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
        let report = collector.report();
        log_report(&report, "shutdown");
        report
    }
}
