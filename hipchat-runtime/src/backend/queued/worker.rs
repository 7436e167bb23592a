//! The task that drains one room's lane: one notification at a time, so a room's
//! notifications arrive in the order they were accepted, while other rooms' lanes run
//! beside it. Waits (pacing, backoff, 429 resets) hold no send permit.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures_util::FutureExt;
use tokio::time::Instant;
use tracing::{Instrument, field};

use super::metrics::Counters;
use super::queue::Entry;
use super::{Shared, Undelivered, UndeliveredReason};
use crate::limits::retry::{Class, Retries};
use crate::{Backend, Error};

/// How one notification's delivery ended: attempts made, and the last error on failure.
pub(crate) type Outcome = Result<u32, (Error, u32)>;

pub(crate) async fn run_lane<B: Backend>(shared: Arc<Shared<B>>, room: String) {
    let mut ended = LaneEnd {
        shared: &shared,
        room: &room,
        normally: false,
    };
    while let Some(entry) = shared.next_for_lane(&room) {
        let mut retries = shared.retry.start(Instant::now());
        // A panic (in the wrapped backend, or in our own code) fails this notification
        // and no other: the lane goes on, and flush and shutdown still see it finished.
        let delivery = AssertUnwindSafe(deliver(&shared, &entry, &mut retries));
        let outcome = match delivery.catch_unwind().await {
            Ok(outcome) => outcome,
            Err(panic) => Err((
                Error::panicked("delivering a notification", panic.as_ref()),
                retries.attempts(),
            )),
        };
        shared.finish(&room, &entry, outcome);
    }
    ended.normally = true;
}

/// Dropped with the lane's task. A task dropped midway (its runtime shut down, say)
/// leaves a notification in flight that nothing would finish, and a flush waiting for it
/// forever: it goes back to the front of the lane, for the next task to deliver.
struct LaneEnd<'a, B: Backend> {
    shared: &'a Shared<B>,
    room: &'a str,
    normally: bool,
}

impl<B: Backend> Drop for LaneEnd<'_, B> {
    fn drop(&mut self) {
        if !self.normally {
            self.shared.restart_later(self.room);
        }
    }
}

impl<B: Backend> Shared<B> {
    /// Puts the lane's notification in flight back in front, for a task started by the
    /// next send or flush (with an overdrawn slot if none is free).
    fn restart_later(&self, room: &str) {
        let mut state = self.lock();
        if state.requeue_current(room) {
            self.hold_slot(&mut state);
        }
        drop(state);
        self.needs_start
            .store(true, std::sync::atomic::Ordering::Release);
        self.progress.notify_waiters();
    }

    /// The lane's next notification, now in flight; its slot is free again.
    fn next_for_lane(&self, room: &str) -> Option<Arc<Entry>> {
        let mut state = self.lock();
        let entry = state.next_for_lane(room)?;
        self.release_slot(&mut state);
        drop(state);
        self.metrics_changed();
        Some(entry)
    }

    /// Counts a finished delivery, deletes its outbox row, reports a failure. All of it
    /// under the queue's lock, so that a flush that sees the queue empty also sees the
    /// counters and its report complete.
    fn finish(&self, room: &str, entry: &Entry, outcome: Outcome) {
        let undelivered = outcome.err().map(|(error, attempts)| Undelivered {
            notification: entry.outgoing.clone(),
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
}

/// Delivers with pacing and retries; one tracing span per attempt.
async fn deliver<B: Backend>(
    shared: &Shared<B>,
    entry: &Entry,
    retries: &mut Retries<'_>,
) -> Outcome {
    let outgoing = &entry.outgoing;
    let room = outgoing.lane();
    let token = outgoing.token().unwrap_or("");
    loop {
        let attempt = retries.begin_attempt();
        let reservation = shared.pacer.acquire(token, room).await;
        // Never the token, not even its name.
        let span = tracing::info_span!(
            "hipchat_delivery",
            room,
            seq = entry.seq,
            attempt,
            status = field::Empty,
            outcome = field::Empty,
        );
        let result = async {
            let _permit = shared.sends.acquire().await;
            match shared.retry.get_attempt_timeout() {
                Some(limit) => {
                    tokio::time::timeout(limit, shared.backend.send_with_limits(outgoing))
                        .await
                        .unwrap_or_else(|elapsed| {
                            Err(Error::Transport {
                                endpoint: "the queued backend's inner backend".into(),
                                reason: crate::error::TIMED_OUT,
                                source: Box::new(elapsed),
                            })
                        })
                }
                None => shared.backend.send_with_limits(outgoing).await,
            }
        }
        .instrument(span.clone())
        .await;
        let error = match result {
            Ok(limits) => {
                shared.pacer.complete(reservation, Some(&limits));
                span.record("outcome", "delivered");
                tracing::debug!(parent: &span, "hipchat notification delivered");
                return Ok(attempt);
            }
            Err(error) => error,
        };
        shared
            .pacer
            .complete(reservation, error.api().map(|api| &api.rate_limit));
        if let Some(api) = error.api() {
            span.record("status", api.status);
        }
        let class = shared.retry.classify(&error);
        if let Class::RateLimited(_) = class {
            Counters::add(&shared.counters.rate_limited, 1);
        }
        let wait = retries.wait_after(
            class,
            shared.pacer.config(),
            Instant::now(),
            shared.pacer.wall_now(),
        );
        let Some(wait) = wait else {
            span.record("outcome", "failed");
            tracing::debug!(parent: &span, %error, "hipchat delivery failed; giving up");
            return Err((error, attempt));
        };
        Counters::add(&shared.counters.retried, 1);
        shared.metrics_changed();
        span.record("outcome", "retry");
        tracing::debug!(parent: &span, %error, ?wait, "hipchat delivery failed; trying again");
        tokio::time::sleep(wait).await;
    }
}
