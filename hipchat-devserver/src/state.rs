//! What every handler shares.

use std::sync::Arc;

use tokio::sync::watch;

use crate::clock::Clock;
use crate::config::Config;
use crate::directory::Directory;
use crate::faults::Faults;
use crate::rate_limit::RateLimiter;
use crate::stats::Stats;
use crate::store::Store;

/// The server's shared state (cheap to clone).
#[derive(Clone)]
pub struct AppState(pub Arc<Shared>);

/// The parts of [`AppState`].
pub struct Shared {
    /// Tokens, rooms, mode.
    pub config: Config,
    /// The source of time.
    pub clock: Arc<dyn Clock>,
    /// Rate-limit windows.
    pub limiter: RateLimiter,
    /// Recorded messages.
    pub store: Store,
    /// The group, its users and rooms (REST API v2 state).
    pub directory: Directory,
    /// Counters.
    pub stats: Stats,
    /// Fault knobs.
    pub faults: Faults,
    /// Becomes `true` when the server stops (ends stalls and delays early).
    pub stopping: watch::Receiver<bool>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    /// Waits on the clock for `duration`, or until the server stops. Returns `false` if
    /// the server is stopping.
    pub async fn wait(&self, duration: std::time::Duration) -> bool {
        let mut stopping = self.stopping.clone();
        tokio::select! {
            () = self.clock.sleep(duration) => !*self.stopping.borrow(),
            _ = stopping.wait_for(|stop| *stop) => false,
        }
    }
}
