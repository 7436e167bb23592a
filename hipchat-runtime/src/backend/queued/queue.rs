//! The bounded in-memory queue: one FIFO lane per room, a slot per waiting notification,
//! and the policy for a full queue.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::str::FromStr;
use std::sync::Arc;

use tokio::task::AbortHandle;

use hipchat_spec::UnknownValue;

use crate::Outgoing;

/// What `.notify().await` does when the queue is full.
///
/// ```
/// use hipchat_runtime::backend::queued::FullPolicy;
/// assert_eq!("drop_oldest".parse::<FullPolicy>().unwrap(), FullPolicy::DropOldest);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FullPolicy {
    /// Wait until a notification leaves the queue (callers are served in order). The
    /// default: nothing is lost, and a caller waits only while the queue is full.
    #[default]
    Wait,
    /// Return [`Error::QueueFull`](crate::Error::QueueFull) at once.
    Error,
    /// Accept the new notification and drop the oldest waiting one, which is counted
    /// (`dropped`), logged, and passed to the failure callback.
    DropOldest,
}

impl FullPolicy {
    /// The names [`FromStr`] accepts.
    pub const NAMES: &'static [&'static str] = &["wait", "error", "drop_oldest"];
}

impl FromStr for FullPolicy {
    type Err = UnknownValue;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value {
            "wait" => Ok(FullPolicy::Wait),
            "error" => Ok(FullPolicy::Error),
            "drop_oldest" => Ok(FullPolicy::DropOldest),
            _ => Err(UnknownValue::new("full-queue policy", value, Self::NAMES)),
        }
    }
}

/// One accepted notification. `seq` orders acceptance (the outbox row id when durable).
#[derive(Debug)]
pub(crate) struct Entry {
    pub seq: u64,
    pub outgoing: Outgoing,
}

#[derive(Debug, Default)]
struct Lane {
    waiting: VecDeque<Arc<Entry>>,
    current: Option<Arc<Entry>>,
    /// A task is draining this lane.
    running: bool,
    task: Option<AbortHandle>,
}

/// Everything the queue knows, behind one mutex.
#[derive(Debug, Default)]
pub(crate) struct QueueState {
    lanes: HashMap<String, Lane>,
    /// Waiting notifications by `seq`, with their room: the oldest is the first.
    waiting: BTreeMap<u64, String>,
    /// Notifications being delivered.
    in_flight: BTreeSet<u64>,
    next_seq: u64,
    pub closed: bool,
    /// Waiting notifications beyond the capacity (recovered from the outbox): their slots
    /// are not returned when they leave.
    pub overdraft: usize,
}

impl QueueState {
    pub fn new() -> Self {
        Self {
            next_seq: 1,
            ..Self::default()
        }
    }

    /// The next in-memory sequence number.
    pub fn next_seq(&mut self) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        seq
    }

    /// Sequence numbers handed out so far are below this.
    pub fn seq_bound(&self) -> u64 {
        self.next_seq
    }

    /// Keeps `next_seq` above a seq assigned elsewhere (the outbox).
    pub fn observe_seq(&mut self, seq: u64) {
        self.next_seq = self.next_seq.max(seq + 1);
    }

    /// Appends to the room's lane. True when the lane has no task yet: start one.
    pub fn push(&mut self, entry: Arc<Entry>) -> bool {
        let room = entry.outgoing.lane().to_owned();
        self.observe_seq(entry.seq);
        self.waiting.insert(entry.seq, room.clone());
        let lane = self.lanes.entry(room).or_default();
        lane.waiting.push_back(entry);
        !std::mem::replace(&mut lane.running, true)
    }

    /// Records the task draining `room`'s lane, so a shutdown can stop it.
    pub fn set_task(&mut self, room: &str, task: AbortHandle) {
        if let Some(lane) = self.lanes.get_mut(room) {
            lane.task = Some(task);
        }
    }

    /// Lanes with notifications but no task (recovered before a runtime existed).
    pub fn idle_lanes(&mut self) -> Vec<String> {
        let mut rooms = Vec::new();
        for (room, lane) in &mut self.lanes {
            if !lane.running && !lane.waiting.is_empty() {
                lane.running = true;
                rooms.push(room.clone());
            }
        }
        rooms
    }

    /// Marks a lane as having no task (its task could not be started).
    pub fn unset_running(&mut self, room: &str) {
        if let Some(lane) = self.lanes.get_mut(room) {
            lane.running = false;
        }
    }

    /// A lane whose task ended without finishing (its runtime shut down): the
    /// notification it was delivering goes back to the front, and the lane waits for a
    /// new task. True when that notification was put back (it needs a slot again).
    pub fn requeue_current(&mut self, room: &str) -> bool {
        let Some(lane) = self.lanes.get_mut(room) else {
            return false;
        };
        lane.running = false;
        lane.task = None;
        let Some(entry) = lane.current.take() else {
            return false;
        };
        self.in_flight.remove(&entry.seq);
        self.waiting.insert(entry.seq, room.to_owned());
        lane.waiting.push_front(entry);
        true
    }

    /// Removes the oldest waiting notification (never one being delivered).
    pub fn pop_oldest(&mut self) -> Option<Arc<Entry>> {
        let (seq, room) = self.waiting.pop_first()?;
        let lane = self.lanes.get_mut(&room)?;
        let entry = lane.waiting.pop_front();
        debug_assert_eq!(entry.as_ref().map(|e| e.seq), Some(seq));
        entry
    }

    /// The lane task's next notification, now in flight; `None` when the lane is empty,
    /// and the lane is then forgotten (the task ends).
    pub fn next_for_lane(&mut self, room: &str) -> Option<Arc<Entry>> {
        let lane = self.lanes.get_mut(room)?;
        match lane.waiting.pop_front() {
            Some(entry) => {
                self.waiting.remove(&entry.seq);
                self.in_flight.insert(entry.seq);
                lane.current = Some(entry.clone());
                Some(entry)
            }
            None => {
                if lane.current.is_none() {
                    self.lanes.remove(room);
                }
                None
            }
        }
    }

    /// Ends a delivery. False when the entry is no longer in flight (a shutdown's
    /// deadline abandoned it meanwhile): the caller must not count it again.
    pub fn finish(&mut self, room: &str, seq: u64) -> bool {
        if !self.in_flight.remove(&seq) {
            return false;
        }
        if let Some(lane) = self.lanes.get_mut(room) {
            lane.current = None;
        }
        true
    }

    /// The oldest notification not yet delivered or given up on.
    pub fn oldest_pending(&self) -> Option<u64> {
        let waiting = self.waiting.first_key_value().map(|(seq, _)| *seq);
        let in_flight = self.in_flight.first().copied();
        match (waiting, in_flight) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    pub fn queued(&self) -> usize {
        self.waiting.len()
    }

    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// Stops every lane task and takes every pending notification, oldest first.
    pub fn abandon_all(&mut self) -> Vec<Arc<Entry>> {
        let mut entries = Vec::new();
        for (_, lane) in self.lanes.drain() {
            if let Some(task) = lane.task {
                task.abort();
            }
            entries.extend(lane.current);
            entries.extend(lane.waiting);
        }
        self.waiting.clear();
        self.in_flight.clear();
        entries.sort_by_key(|e| e.seq);
        entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(state: &mut QueueState, room: &str, body: &str) -> Arc<Entry> {
        Arc::new(Entry {
            seq: state.next_seq(),
            outgoing: Outgoing::try_from(crate::Message::new(body).room(room)).unwrap(),
        })
    }

    #[test]
    fn lanes_are_fifo_and_start_once() {
        let mut state = QueueState::new();
        let a1 = entry(&mut state, "A", "a1");
        let a2 = entry(&mut state, "A", "a2");
        let b1 = entry(&mut state, "B", "b1");
        assert!(state.push(a1));
        assert!(!state.push(a2), "A already has a task");
        assert!(state.push(b1));
        assert_eq!(state.next_for_lane("A").unwrap().outgoing.body(), "a1");
        assert_eq!((state.queued(), state.in_flight()), (2, 1));
        assert!(state.finish("A", 1));
        assert!(!state.finish("A", 1), "finished twice");
        assert_eq!(state.next_for_lane("A").unwrap().outgoing.body(), "a2");
        assert!(state.finish("A", 2));
        assert!(state.next_for_lane("A").is_none());
        let a3 = entry(&mut state, "A", "a3");
        assert!(state.push(a3), "lane restarts");
    }

    #[test]
    fn drop_oldest_never_takes_the_one_in_flight() {
        let mut state = QueueState::new();
        for body in ["a1", "a2", "b1"] {
            let e = entry(&mut state, &body[..1].to_uppercase(), body);
            state.push(e);
        }
        let first = state.next_for_lane("A").unwrap();
        assert_eq!(first.outgoing.body(), "a1");
        assert_eq!(state.pop_oldest().unwrap().outgoing.body(), "a2");
        assert_eq!(state.pop_oldest().unwrap().outgoing.body(), "b1");
        assert!(state.pop_oldest().is_none());
        assert_eq!(state.oldest_pending(), Some(1));
    }

    #[test]
    fn abandon_all_returns_everything_pending_in_order() {
        let mut state = QueueState::new();
        for body in ["a1", "b1", "a2"] {
            let e = entry(&mut state, &body[..1].to_uppercase(), body);
            state.push(e);
        }
        state.next_for_lane("B").unwrap();
        let bodies: Vec<_> = state
            .abandon_all()
            .iter()
            .map(|e| e.outgoing.body().to_owned())
            .collect();
        assert_eq!(bodies, ["a1", "b1", "a2"]);
        assert_eq!(state.oldest_pending(), None);
        assert!(!state.finish("B", 2));
    }

    #[test]
    fn a_lane_whose_task_ended_gets_its_notification_back_in_front() {
        let mut state = QueueState::new();
        for body in ["a1", "a2"] {
            let e = entry(&mut state, "A", body);
            state.push(e);
        }
        assert_eq!(state.next_for_lane("A").unwrap().outgoing.body(), "a1");
        assert!(state.requeue_current("A"));
        assert_eq!((state.queued(), state.in_flight()), (2, 0));
        assert_eq!(state.idle_lanes(), ["A"], "waits for a new task");
        assert_eq!(state.next_for_lane("A").unwrap().outgoing.body(), "a1");
        assert!(!state.requeue_current("B"), "no such lane");
    }

    #[test]
    fn full_policies_parse() {
        assert_eq!("wait".parse::<FullPolicy>().unwrap(), FullPolicy::Wait);
        assert_eq!("error".parse::<FullPolicy>().unwrap(), FullPolicy::Error);
        assert!("block".parse::<FullPolicy>().is_err());
    }
}
