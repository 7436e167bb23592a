//! The task that drains one room's lane: one notification at a time, so a room's
//! notifications arrive in the order they were accepted, while other rooms' lanes run
//! beside it. Waits (pacing, backoff, 429 resets) hold no send permit.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use tracing::{Instrument, field};

use super::Shared;
use super::queue::Entry;
use super::retry::Class;
use crate::{Backend, Error};

/// How one notification's delivery ended: attempts made, and the last error on failure.
pub(crate) type Outcome = Result<u32, (Error, u32)>;

pub(crate) async fn run_lane<B: Backend>(shared: Arc<Shared<B>>, room: String) {
    loop {
        let Some(entry) = shared.next_for_lane(&room) else {
            return;
        };
        let outcome = deliver(&shared, &entry).await;
        shared.finish(&room, &entry, outcome);
    }
}

/// Delivers with pacing and retries; one tracing span per attempt.
async fn deliver<B: Backend>(shared: &Shared<B>, entry: &Entry) -> Outcome {
    let message = &entry.message;
    let room = message.room_or_empty();
    let token = message.token.as_deref().unwrap_or("");
    let policy = &shared.retry;
    let mut steps = policy.steps();
    let deadline = Instant::now() + policy.total_deadline();
    let mut attempt = 0;
    loop {
        attempt += 1;
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
            match policy.timeout() {
                Some(limit) => {
                    tokio::time::timeout(limit, shared.backend.send_with_limits(message))
                        .await
                        .unwrap_or_else(|elapsed| {
                            Err(Error::Transport {
                                endpoint: "the queued backend's inner backend".into(),
                                reason: "timed out",
                                source: Box::new(elapsed),
                            })
                        })
                }
                None => shared.backend.send_with_limits(message).await,
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
        let wait = match policy.classify(&error) {
            Class::Permanent => None,
            Class::RateLimited(reset) => {
                super::metrics::Counters::add(&shared.counters.rate_limited, 1);
                let pacing = shared.pacer.config();
                let cap = [pacing.token_rate(), pacing.room_rate()]
                    .into_iter()
                    .flatten()
                    .map(|rate| rate.per())
                    .max()
                    .unwrap_or(Duration::from_secs(300))
                    + pacing.margin();
                Some(match pacing.wait_for_reset(reset, cap) {
                    // A little jitter, so that lanes held by one budget do not all
                    // come back in the same millisecond.
                    Some(wait) => wait + Duration::from_millis(fastrand::u64(0..=250)),
                    None => steps.next().unwrap_or_default(),
                })
            }
            Class::Transient => Some(steps.next().unwrap_or_default()),
        };
        let wait =
            wait.filter(|wait| attempt < policy.attempts() && Instant::now() + *wait <= deadline);
        let Some(wait) = wait else {
            span.record("outcome", "failed");
            tracing::debug!(parent: &span, %error, "hipchat delivery failed; giving up");
            return Err((error, attempt));
        };
        super::metrics::Counters::add(&shared.counters.retried, 1);
        span.record("outcome", "retry");
        tracing::debug!(parent: &span, %error, ?wait, "hipchat delivery failed; trying again");
        tokio::time::sleep(wait).await;
    }
}
