//! The queued backend's two clocks: tokio's for every wait (so paused time drives the
//! queue in tests), and a wall clock for the Unix-second resets HipChat announces.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

/// The wall clock a [`QueuedBackend`](crate::backend::QueuedBackend) reads announced resets
/// against (`X-Ratelimit-Reset` and `X-FloodControl-Reset` are Unix seconds).
///
/// [`WallClock::system`] is the default. Tests that run on tokio's paused time use
/// [`WallClock::tokio`], which moves only when tokio's clock does, so a reset "30 s from
/// now" is exactly 30 s of paused time away:
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build().unwrap().block_on(async {
/// use std::time::Duration;
/// use hipchat_runtime::backend::queued::WallClock;
///
/// let clock = WallClock::tokio();
/// let start = clock.now();
/// tokio::time::sleep(Duration::from_secs(30)).await;
/// assert_eq!(clock.now().duration_since(start).unwrap(), Duration::from_secs(30));
/// # });
/// ```
#[derive(Clone)]
pub struct WallClock(Arc<dyn Fn() -> SystemTime + Send + Sync>);

impl WallClock {
    /// The system's clock, [`SystemTime::now`].
    pub fn system() -> Self {
        Self::from_fn(SystemTime::now)
    }

    /// A wall clock that starts at the system time and then advances with tokio's clock:
    /// with paused time (`#[tokio::test(start_paused = true)]`) it stands still until
    /// tokio's clock is advanced.
    pub fn tokio() -> Self {
        let (wall, start) = (SystemTime::now(), Instant::now());
        Self::from_fn(move || wall + start.elapsed())
    }

    /// A clock of your own.
    pub fn from_fn(now: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        Self(Arc::new(now))
    }

    /// The current time.
    pub fn now(&self) -> SystemTime {
        (self.0)()
    }
}

impl Default for WallClock {
    fn default() -> Self {
        Self::system()
    }
}

impl fmt::Debug for WallClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("WallClock").field(&self.now()).finish()
    }
}

/// How far ahead an instant that would overflow is put: as tokio does for its own far
/// deadlines, about 30 years (never reached, always representable).
pub(crate) const FAR_FUTURE: Duration = Duration::from_secs(86_400 * 365 * 30);

/// `instant + by`, or a far-future instant where that would overflow (a wait or deadline
/// of `Duration::MAX` means "never").
pub(crate) fn later(instant: Instant, by: Duration) -> Instant {
    instant
        .checked_add(by)
        .or_else(|| instant.checked_add(FAR_FUTURE))
        .unwrap_or(instant)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_saturates_instead_of_overflowing() {
        let now = Instant::now();
        assert_eq!(
            later(now, Duration::from_secs(5)),
            now + Duration::from_secs(5)
        );
        assert!(later(now, Duration::MAX) >= now + FAR_FUTURE);
    }
}
