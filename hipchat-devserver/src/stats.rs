//! Counters for the admin API: requests, answers by status, faults injected.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// A snapshot of the counters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    /// API requests answered (v1 and v2; admin and page requests excluded).
    pub requests: u64,
    /// Messages recorded.
    pub accepted: u64,
    /// Answers by HTTP status.
    pub by_status: BTreeMap<u16, u64>,
    /// 429 (v2) and rate-limit 403 (v1) answers.
    pub rate_limited: u64,
    /// Injected faults by kind: `latency`, `error_500`, `error_503`, `reset`, `stall`.
    pub faults: BTreeMap<String, u64>,
}

/// Thread-safe counters.
#[derive(Debug, Default)]
pub struct Stats {
    counters: Mutex<Counters>,
}

impl Stats {
    fn with(&self, f: impl FnOnce(&mut Counters)) {
        f(&mut self.counters.lock().unwrap_or_else(|p| p.into_inner()));
    }

    /// Counts an API answer.
    pub fn answered(&self, status: u16) {
        self.with(|c| {
            c.requests += 1;
            *c.by_status.entry(status).or_default() += 1;
        });
    }

    /// Counts a recorded message.
    pub fn accepted(&self) {
        self.with(|c| c.accepted += 1);
    }

    /// Counts a rate-limit refusal.
    pub fn rate_limited(&self) {
        self.with(|c| c.rate_limited += 1);
    }

    /// Counts an injected fault.
    pub fn fault(&self, kind: &str) {
        self.with(|c| *c.faults.entry(kind.to_owned()).or_default() += 1);
    }

    /// The counters now.
    pub fn snapshot(&self) -> Counters {
        self.counters
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Sets every counter to zero.
    pub fn reset(&self) {
        self.with(|c| *c = Counters::default());
    }
}
