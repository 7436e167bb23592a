//! Accepting a notification: a slot by the full-queue policy, a row in the durable outbox
//! when there is one, then a place at the end of its room's lane (whose task is started
//! if it has none).
//!
//! With an outbox the row is written by the outbox's thread, which then completes the
//! admission itself: a caller that stops waiting (its future dropped) cannot leave a
//! written row outside the queue.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use tokio::runtime::Handle;
use tokio::sync::TryAcquireError;

use super::metrics::Counters;
use super::queue::{Entry, FullPolicy, QueueState};
use super::{Shared, Undelivered, UndeliveredReason, worker};
use crate::{Backend, Error, Outgoing};

/// A notification on its way in.
struct Admission {
    outgoing: Outgoing,
    /// Whether it holds a slot; without one (drop-oldest), the oldest gives it its own.
    has_slot: bool,
    /// Where to start its lane's task when it is admitted off the caller's runtime (by
    /// the outbox's thread); `None`: the current runtime.
    runtime: Option<Handle>,
}

impl<B: Backend> Shared<B> {
    pub(super) async fn enqueue(self: &Arc<Self>, outgoing: &Outgoing) -> Result<(), Error> {
        self.start_idle_lanes();
        let has_slot = self.take_slot().await?;
        #[cfg_attr(not(feature = "durable"), allow(unused_mut))]
        let mut admission = Admission {
            outgoing: outgoing.clone(),
            has_slot,
            runtime: None,
        };
        #[cfg(feature = "durable")]
        if let Some(outbox) = &self.outbox {
            // Refuse early what `admit` would refuse, before writing anything.
            self.check_open(&mut self.lock(), has_slot)?;
            admission.runtime = Handle::try_current().ok();
            let (done, answer) = tokio::sync::oneshot::channel();
            let shared = self.clone();
            let then = move |written: Result<u64, Error>| {
                let (admitted, retract) = match written {
                    Ok(seq) => shared.admit(Some(seq), admission),
                    Err(error) => {
                        shared.give_back_slot(has_slot);
                        (Err(error), None)
                    }
                };
                // The caller reports a displaced notification on its own task; one that
                // stopped waiting leaves it to this thread.
                if let Err(Ok(Some(dropped))) = done.send(admitted) {
                    shared.report_dropped(&dropped);
                }
                retract
            };
            if let Err(error) = outbox.insert(outgoing, then) {
                self.give_back_slot(has_slot);
                return Err(error);
            }
            let dropped = answer.await.unwrap_or_else(|_| Err(outbox.stopped()))?;
            if let Some(dropped) = dropped {
                self.report_dropped(&dropped);
            }
            return Ok(());
        }
        let (admitted, _) = self.admit(None, admission);
        if let Some(dropped) = admitted? {
            self.report_dropped(&dropped);
        }
        Ok(())
    }

    /// A slot by the full-queue policy: `Ok(false)` when the policy is drop-oldest and
    /// the queue is full.
    async fn take_slot(&self) -> Result<bool, Error> {
        match self.full {
            FullPolicy::Wait => {
                let permit = self.slots.acquire().await;
                permit.map_err(|_| Error::QueueClosed)?.forget();
                Ok(true)
            }
            FullPolicy::Error | FullPolicy::DropOldest => match self.slots.try_acquire() {
                Ok(permit) => {
                    permit.forget();
                    Ok(true)
                }
                Err(TryAcquireError::Closed) => Err(Error::QueueClosed),
                Err(TryAcquireError::NoPermits) if self.full == FullPolicy::Error => {
                    Err(Error::QueueFull {
                        capacity: self.capacity,
                    })
                }
                Err(TryAcquireError::NoPermits) => Ok(false),
            },
        }
    }

    /// Whether a notification may still come in; on refusal its slot is given back.
    fn check_open(&self, state: &mut QueueState, has_slot: bool) -> Result<(), Error> {
        if state.closed {
            if has_slot {
                self.release_slot(state);
            }
            return Err(Error::QueueClosed);
        }
        if !has_slot && state.queued() == 0 {
            // Every slot is held by a sender that has not been admitted yet.
            return Err(Error::QueueFull {
                capacity: self.capacity,
            });
        }
        Ok(())
    }

    /// Puts the notification (numbered `seq` by the outbox, else here) at the end of its
    /// lane, dropping the oldest waiting one if it holds no slot. Returns the notification
    /// dropped, if any, and the outbox row to delete now: its own when refused after all,
    /// or the dropped one's.
    fn admit(
        self: &Arc<Self>,
        seq: Option<u64>,
        admission: Admission,
    ) -> (Result<Option<Undelivered>, Error>, Option<u64>) {
        let Admission {
            outgoing,
            has_slot,
            runtime,
        } = admission;
        let mut state = self.lock();
        if let Err(error) = self.check_open(&mut state, has_slot) {
            return (Err(error), seq);
        }
        let seq = seq.unwrap_or_else(|| state.next_seq());
        let dropped = if has_slot {
            None
        } else {
            let oldest = state.pop_oldest();
            if oldest.is_some() {
                Counters::add(&self.counters.dropped, 1);
            }
            oldest
        };
        let room = outgoing.lane().to_owned();
        Counters::add(&self.counters.accepted, 1);
        if state.push(Arc::new(Entry { seq, outgoing })) {
            self.spawn_lane(&mut state, room, runtime.as_ref());
        }
        let dropped = dropped.map(|entry| {
            let undelivered = Undelivered {
                notification: entry.outgoing.clone(),
                reason: UndeliveredReason::Dropped,
                attempts: 0,
            };
            self.collect(&undelivered, entry.seq);
            (entry.seq, undelivered)
        });
        drop(state);
        self.metrics_changed();
        let retract = dropped
            .as_ref()
            .map(|(seq, _)| *seq)
            .filter(|_| self.has_outbox());
        (Ok(dropped.map(|(_, undelivered)| undelivered)), retract)
    }

    /// Logs a notification dropped to make room, and passes it to the failure callback.
    fn report_dropped(&self, dropped: &Undelivered) {
        tracing::warn!(
            target = ?dropped.notification.target(),
            "hipchat queue full: dropped the oldest waiting notification"
        );
        self.call_back(dropped);
    }

    #[cfg(feature = "durable")]
    fn give_back_slot(&self, has_slot: bool) {
        if has_slot {
            self.release_slot(&mut self.lock());
        }
    }

    /// A notification waits again without having taken a slot (recovered from the
    /// outbox, or put back by a lane whose task ended): it takes a free one, or overdraws
    /// one that [`release_slot`](Self::release_slot) will not give back.
    pub(super) fn hold_slot(&self, state: &mut QueueState) {
        match self.slots.try_acquire() {
            Ok(permit) => permit.forget(),
            Err(_) => state.overdraft += 1,
        }
    }

    /// A waiting notification left the queue: its slot is free again.
    pub(super) fn release_slot(&self, state: &mut QueueState) {
        if state.overdraft > 0 {
            state.overdraft -= 1;
        } else {
            self.slots.add_permits(1);
        }
    }

    /// Starts the task of `room`'s lane on `runtime`, or the current one; without either,
    /// the lane waits for
    /// [`start_idle_lanes`](Self::start_idle_lanes).
    fn spawn_lane(
        self: &Arc<Self>,
        state: &mut QueueState,
        room: String,
        runtime: Option<&Handle>,
    ) {
        let current = || Handle::try_current().ok();
        match runtime.cloned().or_else(current) {
            Some(runtime) => {
                let task = runtime.spawn(worker::run_lane(self.clone(), room.clone()));
                state.set_task(&room, task.abort_handle());
            }
            None => {
                state.unset_running(&room);
                self.needs_start.store(true, Ordering::Release);
            }
        }
    }

    /// Starts tasks for lanes that have none (recovered outside a runtime).
    pub(super) fn start_idle_lanes(self: &Arc<Self>) {
        if !self.needs_start.load(Ordering::Acquire) {
            return;
        }
        let Ok(runtime) = Handle::try_current() else {
            return;
        };
        self.needs_start.store(false, Ordering::Release);
        let mut state = self.lock();
        for room in state.idle_lanes() {
            self.spawn_lane(&mut state, room, Some(&runtime));
        }
    }
}
