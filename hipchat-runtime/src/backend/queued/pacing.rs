//! Pacing within HipChat's limits (spec §8): a GCRA limiter (`governor`) per token and
//! per room with the configured rates, and the budgets the server announces in
//! `X-Ratelimit-*` (per token) and `X-FloodControl-*` (per room), learned from every
//! answer. A learned budget that is spent holds its key until the announced reset.
//!
//! Time is tokio's (`tokio::time::Instant`): the limiters run on a clock built on it, and
//! a learned reset (a Unix second) is turned into a tokio instant when it is learned, so
//! paused time in tests drives all of it.

use std::collections::HashMap;
use std::fmt;
use std::num::NonZeroU32;
use std::str::FromStr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};
use tokio::time::Instant;

use crate::RateLimit;
use crate::error::ConfigError;

/// A number of requests per period: `Rate::new(30, Duration::from_secs(60))`, or parsed
/// from `"30/1m"`, `"100/5m"`, `"500/300s"`.
///
/// ```
/// use std::time::Duration;
/// use hipchat_runtime::backend::queued::Rate;
///
/// let rate: Rate = "100/5m".parse().unwrap();
/// assert_eq!(rate, Rate::new(100, Duration::from_secs(300)).unwrap());
/// assert!("0/1m".parse::<Rate>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    count: NonZeroU32,
    per: Duration,
}

impl Rate {
    /// HipChat's flood control: 30 notifications per minute to one room.
    pub const HIPCHAT_ROOM: Rate = Rate {
        count: NonZeroU32::new(30).unwrap(),
        per: Duration::from_secs(60),
    };
    /// User and personal tokens, and HipChat Server's default: 100 requests per 5 minutes.
    pub const HIPCHAT_USER_TOKEN: Rate = Rate {
        count: NonZeroU32::new(100).unwrap(),
        per: Duration::from_secs(300),
    };
    /// HipChat Cloud add-on tokens: 500 requests per 5 minutes.
    pub const HIPCHAT_ADDON_TOKEN: Rate = Rate {
        count: NonZeroU32::new(500).unwrap(),
        per: Duration::from_secs(300),
    };

    /// `count` requests per `per`; `None` when either is zero.
    pub fn new(count: u32, per: Duration) -> Option<Rate> {
        let count = NonZeroU32::new(count)?;
        (!per.is_zero()).then_some(Rate { count, per })
    }

    /// Requests allowed per period.
    pub fn count(&self) -> u32 {
        self.count.get()
    }

    /// The period.
    pub fn per(&self) -> Duration {
        self.per
    }

    /// The GCRA quota used while no announced budget is known: half the count at once,
    /// the other half spread over the period. A GCRA limiter lets through its burst plus
    /// one per interval in any span, so this never exceeds `count` in any window of
    /// length `per`, fixed (HipChat) or sliding (a proxy's). Announced budgets, when the
    /// server sends them, replace it and allow the whole count at once.
    fn quota(&self) -> Quota {
        let count = self.count.get();
        let burst = count.div_ceil(2);
        let spread = (count - burst).max(1);
        let interval = (self.per / spread).max(Duration::from_nanos(1));
        Quota::with_period(interval)
            .expect("interval is above zero")
            .allow_burst(NonZeroU32::new(burst).expect("count is above zero"))
    }
}

impl FromStr for Rate {
    type Err = ConfigError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let invalid = || ConfigError::InvalidValue {
            setting: "rate".into(),
            value: value.to_owned(),
            expected: "requests/period above zero, such as 30/1m or 100/5m".into(),
        };
        let (count, per) = value.split_once('/').ok_or_else(invalid)?;
        let count = count.trim().parse().map_err(|_| invalid())?;
        let per = humantime::parse_duration(per.trim()).map_err(|_| invalid())?;
        Rate::new(count, per).ok_or_else(invalid)
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.count, humantime::format_duration(self.per))
    }
}

impl<'de> serde::Deserialize<'de> for Rate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// How fast a [`QueuedBackend`](super::QueuedBackend) may send.
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
/// assert_eq!(pacing.token_rate().unwrap().count(), 1000);
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
    pub fn token_rate(&self) -> Option<Rate> {
        self.token
    }

    /// The configured rate per room.
    pub fn room_rate(&self) -> Option<Rate> {
        self.room
    }

    /// The margin added to announced resets.
    pub fn margin(&self) -> Duration {
        self.reset_margin
    }

    /// How long to wait after a 429 whose budget resets at `reset` (wall clock): until
    /// then plus the margin, at most `cap`; `None` when the reset is unknown or passed.
    pub(crate) fn wait_for_reset(
        &self,
        reset: Option<SystemTime>,
        cap: Duration,
    ) -> Option<Duration> {
        let left = reset?.duration_since(SystemTime::now()).ok()?;
        Some((left + self.reset_margin).min(cap))
    }
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
    pub fn new(config: Pacing) -> Self {
        Self {
            config,
            clock: TokioClock {
                origin: Instant::now(),
            },
            keys: Mutex::default(),
        }
    }

    pub fn config(&self) -> &Pacing {
        &self.config
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, KeyState>> {
        self.keys.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn rate(&self, key: &Key) -> Option<Rate> {
        match key {
            Key::Token(_) => self.config.token,
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
                let until = window.reset + self.config.reset_margin;
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
                let now_wall = SystemTime::now();
                let reset_wall = UNIX_EPOCH + Duration::from_secs(reset_unix);
                // A reset in the past (clock skew) means nothing: forget it.
                let Ok(left) = reset_wall.duration_since(now_wall) else {
                    state.window = None;
                    return;
                };
                // A reset absurdly far ahead (skew again) is capped at one window.
                let cap = self.rate(key).map_or(Duration::from_secs(300), |r| r.per);
                state.window = Some(Window {
                    reset_unix,
                    reset: Instant::now() + left.min(cap),
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
        if let Some(rate) = Rate::new(limit, configured.per) {
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
        let pacer = Pacer::new(Pacing::unlimited().reset_margin(Duration::ZERO));
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
        let pacer = Pacer::new(Pacing::hipchat());
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
        let pacer = Pacer::new(Pacing::unlimited().reset_margin(Duration::ZERO));
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
        let pacer = Pacer::new(Pacing::hipchat());
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
    async fn follows_an_announced_limit() {
        let pacer = Pacer::new(Pacing::hipchat());
        let r = pacer.acquire("", "Ops").await;
        let headers = RateLimit {
            limit: Some(500),
            ..RateLimit::default()
        };
        pacer.complete(r, Some(&headers));
        assert_eq!(pacer.applied_rate(""), Some(Rate::HIPCHAT_ADDON_TOKEN));
    }

    #[test]
    fn rates_parse_and_print() {
        let rate: Rate = "30/1m".parse().unwrap();
        assert_eq!(rate, Rate::HIPCHAT_ROOM);
        assert_eq!(rate.to_string(), "30/1m");
        for bad in ["30", "x/1m", "30/soon", "30/0s", "0/1m"] {
            assert!(bad.parse::<Rate>().is_err(), "{bad}");
        }
    }

    #[test]
    fn wait_for_reset_is_capped_and_ignores_the_past() {
        let pacing = Pacing::hipchat();
        let cap = Duration::from_secs(60);
        assert_eq!(pacing.wait_for_reset(None, cap), None);
        assert_eq!(pacing.wait_for_reset(Some(UNIX_EPOCH), cap), None);
        let later = SystemTime::now() + Duration::from_secs(3600);
        assert_eq!(pacing.wait_for_reset(Some(later), cap), Some(cap));
    }
}
