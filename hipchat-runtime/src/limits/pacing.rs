//! Pacing within HipChat's limits (spec §8): a GCRA limiter (`governor`) per token and
//! per room with the configured rates, and the budgets the server announces in
//! `X-Ratelimit-*` (per token) and `X-FloodControl-*` (per room), learned from every
//! answer. A learned budget that is spent holds its key until the announced reset.
//!
//! Time is tokio's (`tokio::time::Instant`): the limiters run on a clock built on it, and
//! a learned reset (a Unix second) is turned into a tokio instant when it is learned, so
//! paused time in tests drives all of it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use governor::RateLimiter;
use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use tokio::time::Instant;

use super::clock::{WallClock, later};
use super::rate::Rate;
use crate::RateLimit;
use crate::error::reset_at;

/// How fast a [`QueuedBackend`](crate::backend::QueuedBackend) may send.
///
/// Default ([`Pacing::hipchat`]): 100 requests per 5 minutes per token (HipChat Server's
/// default and the user-token limit; use [`Rate::HIPCHAT_ADDON_TOKEN`] for Cloud add-on
/// tokens), 30 per minute per room, and learning from the rate-limit headers. A server
/// whose headers announce more than the configured rate is followed up to what it
/// announces; less, likewise.
///
/// ```
/// use std::time::Duration;
/// use hipchat_runtime::backend::queued::{Pacing, Rate};
///
/// // A self-hosted server configured for 1000 requests per 5 minutes.
/// let pacing = Pacing::hipchat().per_token(Rate::new(1000, Duration::from_secs(300)));
/// assert_eq!(pacing.get_per_token().unwrap().count(), 1000);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pacing {
    token: Option<Rate>,
    room: Option<Rate>,
    learn: bool,
    reset_margin: Duration,
}

impl Default for Pacing {
    fn default() -> Self {
        Self::hipchat()
    }
}

impl Pacing {
    /// HipChat's limits: [`Rate::HIPCHAT_USER_TOKEN`] per token, [`Rate::HIPCHAT_ROOM`]
    /// per room, learning from headers, reset margin 1 s.
    pub fn hipchat() -> Self {
        Self {
            token: Some(Rate::HIPCHAT_USER_TOKEN),
            room: Some(Rate::HIPCHAT_ROOM),
            learn: true,
            reset_margin: Duration::from_secs(1),
        }
    }

    /// No configured rates (headers are still learned from unless turned off).
    pub fn unlimited() -> Self {
        Self {
            token: None,
            room: None,
            ..Self::hipchat()
        }
    }

    /// The rate per token (`None`: unpaced).
    pub fn per_token(mut self, rate: Option<Rate>) -> Self {
        self.token = rate;
        self
    }

    /// The rate per room (`None`: unpaced).
    pub fn per_room(mut self, rate: Option<Rate>) -> Self {
        self.room = rate;
        self
    }

    /// Whether `X-Ratelimit-*` / `X-FloodControl-*` of each answer steer the pacing.
    pub fn learn_from_headers(mut self, learn: bool) -> Self {
        self.learn = learn;
        self
    }

    /// Added to every announced reset before sending again. Resets are whole Unix
    /// seconds, so a window may end up to a second after the announced one. Default 1 s.
    pub fn reset_margin(mut self, margin: Duration) -> Self {
        self.reset_margin = margin;
        self
    }

    /// The configured rate per token.
    pub fn get_per_token(&self) -> Option<Rate> {
        self.token
    }

    /// The configured rate per room.
    pub fn get_per_room(&self) -> Option<Rate> {
        self.room
    }

    /// Whether the rate-limit headers steer the pacing.
    pub fn get_learn_from_headers(&self) -> bool {
        self.learn
    }

    /// The margin added to announced resets.
    pub fn get_reset_margin(&self) -> Duration {
        self.reset_margin
    }
}

/// How far ahead an announced reset is believed: one window of `rate`, or HipChat's
/// longest (5 minutes) without one. A reset further ahead is a server's (or a proxy's)
/// mistake, and waiting one window then finds out.
pub(crate) fn reset_cap(rate: Option<Rate>) -> Duration {
    rate.map_or(Duration::from_secs(300), |rate| rate.per())
}

/// tokio's clock for governor, so paused time in tests drives the limiters.
#[derive(Clone, Copy, Debug)]
struct TokioClock {
    origin: Instant,
}

impl Clock for TokioClock {
    type Instant = Duration;

    fn now(&self) -> Duration {
        Instant::now().saturating_duration_since(self.origin)
    }
}

type Limiter = RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<Duration>>;

/// A budget the server announced: how many requests are left until `reset`.
#[derive(Clone, Copy, Debug)]
struct Window {
    reset_unix: u64,
    reset: Instant,
    remaining: u64,
}

#[derive(Default)]
struct KeyState {
    limiter: Option<(Rate, Arc<Limiter>)>,
    window: Option<Window>,
    in_flight: u64,
}

/// The pacing state of every token and room seen.
pub(crate) struct Pacer {
    config: Pacing,
    clock: TokioClock,
    wall: WallClock,
    keys: Mutex<HashMap<Key, KeyState>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Token(String),
    Room(String),
}

/// One request's claim on its token's and room's budgets; give it back with
/// [`Pacer::complete`] (dropping it without does the same, learning nothing).
pub(crate) struct Reservation<'a> {
    pacer: &'a Pacer,
    keys: [Key; 2],
    done: bool,
}

impl Pacer {
    pub fn new(config: Pacing, wall: WallClock) -> Self {
        Self {
            config,
            clock: TokioClock {
                origin: Instant::now(),
            },
            wall,
            keys: Mutex::default(),
        }
    }

    pub fn config(&self) -> &Pacing {
        &self.config
    }

    /// The wall clock's time, against which announced resets are read.
    pub fn wall_now(&self) -> std::time::SystemTime {
        self.wall.now()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, KeyState>> {
        self.keys.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The configured rate of `key`. A request to no room (a REST call that sends no
    /// message: the room is `""`) has no room budget.
    fn rate(&self, key: &Key) -> Option<Rate> {
        match key {
            Key::Token(_) => self.config.token,
            Key::Room(room) if room.is_empty() => None,
            Key::Room(_) => self.config.room,
        }
    }

    /// Waits until both the token's and the room's budgets allow one more request, and
    /// claims it.
    pub async fn acquire(&self, token: &str, room: &str) -> Reservation<'_> {
        let keys = [Key::Token(token.to_owned()), Key::Room(room.to_owned())];
        loop {
            match self.try_claim(&keys) {
                Ok(()) => {
                    return Reservation {
                        pacer: self,
                        keys,
                        done: false,
                    };
                }
                Err(wait) => tokio::time::sleep(wait).await,
            }
        }
    }

    /// Claims a request on both keys, or says how long to wait. A key is claimed only
    /// when both allow it, except a limiter cell taken for the first key when the second
    /// then refuses (GCRA cannot give it back; this only ever slows us down).
    fn try_claim(&self, keys: &[Key; 2]) -> Result<(), Duration> {
        let now = Instant::now();
        let mut states = self.lock();
        // An announced budget is exact: spent, it holds the key until its reset; not
        // spent, it is all the key needs. Without one, the configured rate decides.
        let mut wait = Duration::ZERO;
        let mut announced = [false; 2];
        for (i, key) in keys.iter().enumerate() {
            let state = states.entry(key.clone()).or_default();
            if let Some(window) = state.window {
                let until = later(window.reset, self.config.reset_margin);
                if now >= until {
                    state.window = None;
                } else if window.remaining == 0 {
                    wait = wait.max(until - now);
                } else {
                    announced[i] = true;
                }
            }
        }
        if !wait.is_zero() {
            return Err(wait);
        }
        for (key, announced) in keys.iter().zip(announced) {
            let Some(rate) = self.rate(key).filter(|_| !announced) else {
                continue;
            };
            let state = states.get_mut(key).expect("inserted above");
            let limiter = &state
                .limiter
                .get_or_insert_with(|| (rate, Arc::new(self.limiter(rate))))
                .1;
            if let Err(not_until) = limiter.check() {
                return Err(not_until.wait_time_from(self.clock.now()));
            }
        }
        for key in keys {
            let state = states.get_mut(key).expect("inserted above");
            state.in_flight += 1;
            if let Some(window) = &mut state.window {
                window.remaining = window.remaining.saturating_sub(1);
            }
        }
        Ok(())
    }

    fn limiter(&self, rate: Rate) -> Limiter {
        RateLimiter::direct_with_clock(rate.quota(), self.clock)
    }

    /// Ends a reservation, learning from the answer's headers when there are some.
    pub fn complete(&self, mut reservation: Reservation<'_>, headers: Option<&RateLimit>) {
        reservation.done = true;
        let mut states = self.lock();
        for key in &reservation.keys {
            let Some(state) = states.get_mut(key) else {
                continue;
            };
            state.in_flight = state.in_flight.saturating_sub(1);
            let Some(headers) = headers.filter(|_| self.config.learn) else {
                continue;
            };
            // A request to no room has no flood budget to learn (its answer's flood
            // headers, if any, are some recipient's).
            if matches!(key, Key::Room(room) if room.is_empty()) {
                continue;
            }
            let (limit, remaining, reset) = match key {
                Key::Token(_) => (headers.limit, headers.remaining, headers.reset),
                Key::Room(_) => (
                    headers.flood_limit,
                    headers.flood_remaining,
                    headers.flood_reset,
                ),
            };
            if let (Some(remaining), Some(reset_unix)) = (remaining, reset) {
                self.learn_window(key, state, remaining, reset_unix);
            }
            if let (Some(limit), Some(rate)) = (limit, self.rate(key)) {
                self.learn_limit(state, limit, rate);
            }
        }
    }

    fn learn_window(&self, key: &Key, state: &mut KeyState, remaining: u64, reset_unix: u64) {
        // Requests still in flight are not in the server's count yet.
        let remaining = remaining.saturating_sub(state.in_flight);
        match &mut state.window {
            Some(window) if window.reset_unix == reset_unix => {
                window.remaining = window.remaining.min(remaining);
            }
            Some(window) if window.reset_unix > reset_unix => {} // a late, older answer
            _ => {
                // A reset in the past (clock skew) means nothing: forget it.
                let now = self.wall.now();
                let Ok(left) = reset_at(reset_unix, now).duration_since(now) else {
                    state.window = None;
                    return;
                };
                // A reset absurdly far ahead (skew again) is capped at one window.
                let cap = reset_cap(self.rate(key));
                state.window = Some(Window {
                    reset_unix,
                    reset: later(Instant::now(), left.min(cap)),
                    remaining,
                });
            }
        }
    }

    /// Follows the limit the server announces: the limiter is rebuilt with the announced
    /// count over the configured period.
    fn learn_limit(&self, state: &mut KeyState, limit: u64, configured: Rate) {
        let Ok(limit) = u32::try_from(limit) else {
            return;
        };
        let current = state.limiter.as_ref().map_or(configured, |(rate, _)| *rate);
        if limit == current.count() || limit == 0 {
            return;
        }
        if let Some(rate) = Rate::new(limit, configured.per()) {
            state.limiter = Some((rate, Arc::new(self.limiter(rate))));
        }
    }

    /// The rate currently applied to a token (configured or learned), for tests.
    #[cfg(test)]
    fn applied_rate(&self, token: &str) -> Option<Rate> {
        self.lock()
            .get(&Key::Token(token.to_owned()))
            .and_then(|s| s.limiter.as_ref().map(|(rate, _)| *rate))
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let mut states = self.pacer.lock();
        for key in &self.keys {
            if let Some(state) = states.get_mut(key) {
                state.in_flight = state.in_flight.saturating_sub(1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{SystemTime, UNIX_EPOCH};

    use super::*;

    fn unix_in(secs: u64) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + secs
    }

    #[tokio::test(start_paused = true)]
    async fn room_rate_spaces_requests_after_the_burst() {
        let pacer = Pacer::new(
            Pacing::unlimited()
                .per_room(Rate::new(4, Duration::from_secs(60)))
                .learn_from_headers(false),
            WallClock::tokio(),
        );
        let start = Instant::now();
        for _ in 0..2 {
            let r = pacer.acquire("", "Ops").await;
            pacer.complete(r, None);
        }
        assert_eq!(
            start.elapsed(),
            Duration::ZERO,
            "half the rate goes at once"
        );
        let mut times = Vec::new();
        for _ in 0..4 {
            let r = pacer.acquire("", "Ops").await;
            pacer.complete(r, None);
            times.push(start.elapsed());
        }
        // The rest is spread: never more than 4 in any 60 s.
        assert_eq!(times[0], Duration::from_secs(30));
        assert_eq!(times[2], Duration::from_secs(90));
        // Another room is not held back.
        let before = Instant::now();
        let r = pacer.acquire("", "Dev").await;
        pacer.complete(r, None);
        assert_eq!(before.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn a_spent_announced_budget_holds_until_its_reset() {
        let pacer = Pacer::new(
            Pacing::unlimited().reset_margin(Duration::ZERO),
            WallClock::tokio(),
        );
        let r = pacer.acquire("", "Ops").await;
        let headers = RateLimit {
            flood_limit: Some(30),
            flood_remaining: Some(0),
            flood_reset: Some(unix_in(10)),
            ..RateLimit::default()
        };
        pacer.complete(r, Some(&headers));
        let start = Instant::now();
        let r = pacer.acquire("", "Ops").await;
        pacer.complete(r, None);
        let waited = start.elapsed();
        assert!(
            waited >= Duration::from_secs(8) && waited <= Duration::from_secs(11),
            "{waited:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn an_announced_budget_lets_a_burst_through_at_once() {
        let pacer = Pacer::new(Pacing::hipchat(), WallClock::tokio());
        let r = pacer.acquire("", "Ops").await;
        let headers = RateLimit {
            flood_remaining: Some(29),
            flood_reset: Some(unix_in(60)),
            remaining: Some(99),
            reset: Some(unix_in(300)),
            ..RateLimit::default()
        };
        pacer.complete(r, Some(&headers));
        let start = Instant::now();
        for _ in 0..29 {
            let r = pacer.acquire("", "Ops").await;
            pacer.complete(r, None);
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        let r = pacer.acquire("", "Ops").await;
        assert!(
            start.elapsed() >= Duration::from_secs(58),
            "{:?}",
            start.elapsed()
        );
        drop(r);
    }

    #[tokio::test(start_paused = true)]
    async fn announced_budget_is_spent_locally_without_waiting_for_answers() {
        let pacer = Pacer::new(
            Pacing::unlimited().reset_margin(Duration::ZERO),
            WallClock::tokio(),
        );
        let r = pacer.acquire("", "Ops").await;
        let headers = RateLimit {
            remaining: Some(2),
            reset: Some(unix_in(100)),
            ..RateLimit::default()
        };
        pacer.complete(r, Some(&headers));
        let start = Instant::now();
        let a = pacer.acquire("", "A").await;
        let b = pacer.acquire("", "B").await;
        assert_eq!(start.elapsed(), Duration::ZERO);
        // Both claimed before any answer: the third waits for the reset.
        let c = pacer.acquire("", "C").await;
        assert!(
            start.elapsed() >= Duration::from_secs(98),
            "{:?}",
            start.elapsed()
        );
        drop((a, b, c));
    }

    #[tokio::test(start_paused = true)]
    async fn resets_in_the_past_or_far_ahead_do_not_stall() {
        let pacer = Pacer::new(Pacing::hipchat(), WallClock::tokio());
        let r = pacer.acquire("", "Ops").await;
        let past = RateLimit {
            remaining: Some(0),
            reset: Some(1_500_000_000),
            ..RateLimit::default()
        };
        pacer.complete(r, Some(&past));
        let start = Instant::now();
        let r = pacer.acquire("", "Ops").await;
        assert_eq!(start.elapsed(), Duration::ZERO);
        let far = RateLimit {
            remaining: Some(0),
            reset: Some(unix_in(86_400)),
            ..RateLimit::default()
        };
        pacer.complete(r, Some(&far));
        let r = pacer.acquire("", "Ops").await;
        assert!(
            start.elapsed() <= Duration::from_secs(302),
            "{:?}",
            start.elapsed()
        );
        drop(r);
    }

    #[tokio::test(start_paused = true)]
    async fn resets_and_margins_past_any_date_do_not_overflow() {
        let far = RateLimit {
            remaining: Some(0),
            reset: Some(u64::MAX),
            flood_remaining: Some(u64::MAX),
            flood_reset: Some(u64::MAX),
            limit: Some(u64::MAX),
            flood_limit: Some(0),
        };
        // A reset past any date is capped at one window (the token rate's 5 minutes).
        let pacer = Pacer::new(Pacing::hipchat(), WallClock::tokio());
        let r = pacer.acquire("", "Ops").await;
        pacer.complete(r, Some(&far));
        let start = Instant::now();
        drop(pacer.acquire("", "Dev").await);
        let waited = start.elapsed();
        assert!(
            waited >= Duration::from_secs(300) && waited <= Duration::from_secs(301),
            "{waited:?}"
        );
        // A margin (or a rate period) of Duration::MAX means "not before the far future".
        let pacer = Pacer::new(
            Pacing::hipchat()
                .per_room(Rate::new(1, Duration::MAX))
                .reset_margin(Duration::MAX),
            WallClock::tokio(),
        );
        let r = pacer.acquire("", "Ops").await;
        pacer.complete(r, Some(&far));
        let held = tokio::time::timeout(Duration::from_secs(86_400), pacer.acquire("", "Dev"));
        assert!(held.await.is_err(), "held until the far future");
    }

    #[tokio::test(start_paused = true)]
    async fn resets_are_read_against_the_injected_wall_clock() {
        // A wall clock in 2017: against the system's, a reset then is long past and would
        // be forgotten; against this one it is 10 s away.
        let then = UNIX_EPOCH + Duration::from_secs(1_500_000_000);
        let start = Instant::now();
        let clock = WallClock::from_fn(move || then + start.elapsed());
        let pacer = Pacer::new(Pacing::unlimited().reset_margin(Duration::ZERO), clock);
        let r = pacer.acquire("", "Ops").await;
        let headers = RateLimit {
            flood_remaining: Some(0),
            flood_reset: Some(1_500_000_010),
            ..RateLimit::default()
        };
        pacer.complete(r, Some(&headers));
        drop(pacer.acquire("", "Ops").await);
        assert_eq!(start.elapsed(), Duration::from_secs(10));
    }

    #[tokio::test(start_paused = true)]
    async fn follows_an_announced_limit() {
        let pacer = Pacer::new(Pacing::hipchat(), WallClock::tokio());
        let r = pacer.acquire("", "Ops").await;
        let headers = RateLimit {
            limit: Some(500),
            ..RateLimit::default()
        };
        pacer.complete(r, Some(&headers));
        assert_eq!(pacer.applied_rate(""), Some(Rate::HIPCHAT_ADDON_TOKEN));
    }
}
