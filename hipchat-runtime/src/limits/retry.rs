//! Which failures are tried again, and when: the whole decision, from the error's class
//! to the wait (backoff steps, 429 resets with their cap, jitter) and the limits on both.

use std::time::{Duration, SystemTime};

use backon::{BackoffBuilder, ExponentialBuilder};
use tokio::time::Instant;

use super::clock::{FAR_FUTURE, later};
use super::pacing::{Pacing, reset_cap};
use crate::Error;

/// When a [`QueuedBackend`](crate::backend::QueuedBackend) tries a failed delivery again. Setters
/// take the setting's name (`max_attempts`), getters add `get_` (`get_max_attempts`).
///
/// * 429: after the reset the headers announce (plus the pacing margin and, with
///   [`jitter`](Self::jitter), up to 250 ms more), at most one pacing window; without a
///   usable reset, after the next backoff step.
/// * 5xx, 408, timeouts, connection failures, and errors of custom backends
///   ([`Error::Backend`], unless [`retry_backend_errors(false)`](Self::retry_backend_errors)):
///   exponential backoff with jitter (`backon`).
/// * Everything else (400, 401, 403, 404, other statuses, configuration and validation
///   errors): never; the notification fails at once.
///
/// Bounded by [`max_attempts`](Self::max_attempts) (every attempt counts, 429s included)
/// and [`deadline`](Self::deadline), counted from the first attempt: a wait that would end
/// after the deadline is not started, the notification fails instead.
///
/// ```
/// use std::time::Duration;
/// use hipchat_runtime::backend::queued::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .deadline(Duration::from_secs(120))
///     .backoff(Duration::from_millis(200), Duration::from_secs(10));
/// assert_eq!(policy.get_max_attempts(), 5);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    deadline: Duration,
    initial_backoff: Duration,
    max_backoff: Duration,
    jitter: bool,
    retry_backend_errors: bool,
    attempt_timeout: Option<Duration>,
}

impl Default for RetryPolicy {
    /// 8 attempts within 10 minutes; backoff from 500 ms doubling to at most 60 s, with
    /// jitter; custom backend errors retried; no extra per-attempt timeout (the http
    /// backend has its own, `HIPCHAT_TIMEOUT`).
    fn default() -> Self {
        Self {
            max_attempts: 8,
            deadline: Duration::from_secs(600),
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(60),
            jitter: true,
            retry_backend_errors: true,
            attempt_timeout: None,
        }
    }
}

/// What to do about a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// 429: wait for the reset, when known.
    RateLimited(Option<SystemTime>),
    /// Try again after a backoff step.
    Transient,
    /// Give up now.
    Permanent,
}

impl RetryPolicy {
    /// A policy that never tries again.
    pub fn never() -> Self {
        Self::default().max_attempts(1)
    }

    /// Attempts per notification, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The time from the first attempt after which no new attempt starts.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The first backoff step and the largest one; steps double in between.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Whether waits get random jitter (on by default; off for exact tests): each backoff
    /// step is drawn within its step, and a wait for a 429's reset gets up to 250 ms more
    /// so that lanes held by one budget do not all come back in the same millisecond.
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// Whether [`Error::Backend`] (failures of custom backends) is tried again.
    pub fn retry_backend_errors(mut self, retry: bool) -> Self {
        self.retry_backend_errors = retry;
        self
    }

    /// Bounds each attempt; one that takes longer fails as a timeout (a transient error)
    /// and is tried again. For backends without a timeout of their own.
    pub fn attempt_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// Attempts per notification, the first included.
    pub fn get_max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The time from the first attempt after which no new attempt starts.
    pub fn get_deadline(&self) -> Duration {
        self.deadline
    }

    /// The first backoff step and the largest one.
    pub fn get_backoff(&self) -> (Duration, Duration) {
        (self.initial_backoff, self.max_backoff)
    }

    /// Whether waits get random jitter.
    pub fn get_jitter(&self) -> bool {
        self.jitter
    }

    /// Whether [`Error::Backend`] is tried again.
    pub fn get_retry_backend_errors(&self) -> bool {
        self.retry_backend_errors
    }

    /// The bound on each attempt, if any.
    pub fn get_attempt_timeout(&self) -> Option<Duration> {
        self.attempt_timeout
    }

    /// The retries of one notification whose first attempt starts `now`.
    pub(crate) fn start(&self, now: Instant) -> Retries<'_> {
        Retries {
            policy: self,
            steps: None,
            // `later` saturates: a deadline of `Duration::MAX` is one never reached.
            deadline: later(now, self.deadline),
            attempts: 0,
        }
    }

    /// The backoff steps of one notification.
    fn steps(&self) -> Steps {
        // backon's jitter multiplies by an f32: keep steps where that cannot overflow. A
        // step of decades means "never" as well as `Duration::MAX` does.
        let (min, max) = (
            self.initial_backoff.min(FAR_FUTURE),
            self.max_backoff.min(FAR_FUTURE),
        );
        let builder = ExponentialBuilder::default()
            .with_min_delay(min)
            .with_max_delay(max)
            .with_factor(2.0)
            .without_max_times();
        let builder = if self.jitter {
            builder.with_jitter()
        } else {
            builder
        };
        builder.build().chain(std::iter::repeat(max))
    }

    pub(crate) fn classify(&self, error: &Error) -> Class {
        match error {
            Error::RateLimited { reset, .. } => Class::RateLimited(*reset),
            Error::Backend(_) if self.retry_backend_errors => Class::Transient,
            error if error.is_retryable() => Class::Transient,
            _ => Class::Permanent,
        }
    }
}

/// Jitter added to a wait for a 429's reset, at most.
const RESET_JITTER: Duration = Duration::from_millis(250);

/// Backoff steps: backon's, then the largest step for ever.
type Steps = std::iter::Chain<backon::ExponentialBackoff, std::iter::Repeat<Duration>>;

/// One notification's retries: its backoff steps, attempts made and deadline.
pub(crate) struct Retries<'a> {
    policy: &'a RetryPolicy,
    /// Built at the first failure: most notifications never need them.
    steps: Option<Steps>,
    deadline: Instant,
    attempts: u32,
}

impl Retries<'_> {
    /// Counts an attempt about to be made; returns its number (1 for the first).
    pub fn begin_attempt(&mut self) -> u32 {
        self.attempts = self.attempts.saturating_add(1);
        self.attempts
    }

    /// Attempts made so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// After the failed attempt of class `class`, at `now` (tokio) and `wall`: how long to
    /// wait before the next one, or `None` to give up (a permanent error, the attempts
    /// spent, or a wait that would end after the deadline).
    pub fn wait_after(
        &mut self,
        class: Class,
        pacing: &Pacing,
        now: Instant,
        wall: SystemTime,
    ) -> Option<Duration> {
        let wait = match class {
            Class::Permanent => return None,
            Class::Transient => self.next_step(),
            Class::RateLimited(reset) => match wait_for_reset(pacing, reset, wall) {
                Some(wait) => wait.saturating_add(self.reset_jitter()),
                None => self.next_step(),
            },
        };
        let in_time = now
            .checked_add(wait)
            .is_some_and(|end| end <= self.deadline);
        (self.attempts < self.policy.max_attempts && in_time).then_some(wait)
    }

    fn next_step(&mut self) -> Duration {
        let policy = self.policy;
        let steps = self.steps.get_or_insert_with(|| policy.steps());
        steps.next().unwrap_or(policy.max_backoff)
    }

    fn reset_jitter(&self) -> Duration {
        if self.policy.jitter {
            RESET_JITTER.mul_f64(fastrand::f64())
        } else {
            Duration::ZERO
        }
    }
}

/// How long to wait for a budget that renews at `reset` (wall clock): until then plus the
/// pacing margin, the wait capped as the pacer caps a learned reset (the longer of the
/// token's and the room's); `None` when the reset is unknown or passed.
fn wait_for_reset(
    pacing: &Pacing,
    reset: Option<SystemTime>,
    wall: SystemTime,
) -> Option<Duration> {
    let left = reset?.duration_since(wall).ok()?;
    let cap = reset_cap(pacing.get_per_token()).max(reset_cap(pacing.get_per_room()));
    Some(left.min(cap).saturating_add(pacing.get_reset_margin()))
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::ApiError;

    fn api(status: u16) -> Box<ApiError> {
        Box::new(ApiError {
            status,
            ..ApiError::default()
        })
    }

    #[test]
    fn classifies_by_status_and_kind() {
        let policy = RetryPolicy::default();
        let reset = Some(SystemTime::UNIX_EPOCH);
        assert_eq!(
            policy.classify(&Error::RateLimited {
                reset,
                api: api(429)
            }),
            Class::RateLimited(reset)
        );
        assert_eq!(policy.classify(&Error::Server(api(503))), Class::Transient);
        assert_eq!(
            policy.classify(&Error::UnexpectedStatus(api(408))),
            Class::Transient
        );
        let transport = Error::Transport {
            endpoint: "http://h".into(),
            reason: "timed out",
            source: "x".into(),
        };
        assert_eq!(policy.classify(&transport), Class::Transient);
        for permanent in [
            Error::BadRequest(api(400)),
            Error::Unauthorized(api(401)),
            Error::Forbidden(api(403)),
            Error::RoomNotFound {
                room: "Ops".into(),
                api: api(404),
            },
            Error::UnexpectedStatus(api(302)),
        ] {
            assert_eq!(
                policy.classify(&permanent),
                Class::Permanent,
                "{permanent:?}"
            );
        }
        assert_eq!(
            policy.classify(&Error::backend("disk full")),
            Class::Transient
        );
        assert_eq!(
            policy
                .clone()
                .retry_backend_errors(false)
                .classify(&Error::backend("disk full")),
            Class::Permanent
        );
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_never_ends() {
        let policy = RetryPolicy::default()
            .jitter(false)
            .backoff(Duration::from_millis(100), Duration::from_millis(700));
        let steps: Vec<_> = policy.steps().take(6).collect();
        let ms: Vec<u128> = steps.iter().map(Duration::as_millis).collect();
        assert_eq!(ms, [100, 200, 400, 700, 700, 700]);
    }

    #[test]
    fn jitter_stays_within_one_step() {
        let policy =
            RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_secs(1));
        for (i, step) in policy.steps().take(4).enumerate() {
            let base = 100u128 << i;
            assert!(
                step.as_millis() >= base && step.as_millis() <= 2 * base + 1,
                "step {i}: {step:?}"
            );
        }
    }

    #[test]
    fn at_least_one_attempt() {
        assert_eq!(RetryPolicy::default().max_attempts(0).get_max_attempts(), 1);
        assert_eq!(RetryPolicy::never().get_max_attempts(), 1);
    }
}

#[cfg(test)]
mod decision_tests {
    use std::time::UNIX_EPOCH;

    use super::*;
    use crate::backend::queued::Rate;

    fn wall() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_500_000_000)
    }

    #[test]
    fn a_429_waits_for_its_reset_plus_margin_capped_at_one_window() {
        let policy = RetryPolicy::default().jitter(false);
        let pacing = Pacing::hipchat().reset_margin(Duration::from_secs(1));
        let now = Instant::now();
        let mut retries = policy.start(now);
        retries.begin_attempt();
        let in_30s = Some(wall() + Duration::from_secs(30));
        assert_eq!(
            retries.wait_after(Class::RateLimited(in_30s), &pacing, now, wall()),
            Some(Duration::from_secs(31))
        );
        // Far ahead (up to the largest time a header can say): one window plus margin.
        let far = Some(crate::error::unix_time(u64::MAX));
        assert_eq!(
            retries.wait_after(Class::RateLimited(far), &pacing, now, wall()),
            Some(Duration::from_secs(301))
        );
        // Passed or unknown: the next backoff step.
        for (reset, step) in [(Some(UNIX_EPOCH), 500), (None, 1_000)] {
            assert_eq!(
                retries.wait_after(Class::RateLimited(reset), &pacing, now, wall()),
                Some(Duration::from_millis(step))
            );
        }
    }

    #[test]
    fn without_jitter_every_wait_is_exact() {
        let policy = RetryPolicy::default().jitter(false);
        let pacing = Pacing::unlimited().reset_margin(Duration::ZERO);
        let now = Instant::now();
        let mut retries = policy.start(now);
        let reset = Some(wall() + Duration::from_secs(7));
        for _ in 0..5 {
            retries.begin_attempt();
            assert_eq!(
                retries.wait_after(Class::RateLimited(reset), &pacing, now, wall()),
                Some(Duration::from_secs(7))
            );
        }
    }

    #[test]
    fn jitter_on_a_reset_stays_within_a_quarter_second() {
        let policy = RetryPolicy::default();
        let pacing = Pacing::unlimited().reset_margin(Duration::ZERO);
        let now = Instant::now();
        let mut retries = policy.start(now);
        retries.begin_attempt();
        let reset = Some(wall() + Duration::from_secs(7));
        let wait = retries
            .wait_after(Class::RateLimited(reset), &pacing, now, wall())
            .unwrap();
        assert!(
            wait >= Duration::from_secs(7) && wait <= Duration::from_millis(7_250),
            "{wait:?}"
        );
    }

    #[test]
    fn gives_up_on_permanent_errors_spent_attempts_and_the_deadline() {
        let pacing = Pacing::hipchat();
        let now = Instant::now();
        let policy = RetryPolicy::default().jitter(false).max_attempts(2);
        let mut retries = policy.start(now);
        retries.begin_attempt();
        assert_eq!(
            retries.wait_after(Class::Permanent, &pacing, now, wall()),
            None
        );
        assert!(
            retries
                .wait_after(Class::Transient, &pacing, now, wall())
                .is_some()
        );
        retries.begin_attempt();
        assert_eq!(
            retries.wait_after(Class::Transient, &pacing, now, wall()),
            None
        );

        let policy = RetryPolicy::default()
            .jitter(false)
            .deadline(Duration::from_secs(1))
            .backoff(Duration::from_secs(2), Duration::from_secs(2));
        let mut retries = policy.start(now);
        retries.begin_attempt();
        assert_eq!(
            retries.wait_after(Class::Transient, &pacing, now, wall()),
            None
        );
    }

    #[test]
    fn extreme_policies_never_overflow() {
        let pacing = Pacing::hipchat()
            .per_token(Rate::new(1, Duration::MAX))
            .reset_margin(Duration::MAX);
        let now = Instant::now();
        let policy = RetryPolicy::default()
            .jitter(false)
            .max_attempts(u32::MAX)
            .deadline(Duration::MAX)
            .backoff(Duration::MAX, Duration::MAX);
        let mut retries = policy.start(now);
        retries.begin_attempt();
        assert_eq!(
            retries.wait_after(Class::Transient, &pacing, now, wall()),
            Some(FAR_FUTURE),
            "a step of Duration::MAX is the far future, within a deadline of Duration::MAX"
        );
        let far = Some(crate::error::unix_time(u64::MAX));
        assert_eq!(
            retries.wait_after(Class::RateLimited(far), &pacing, now, wall()),
            None
        );
        let policy = RetryPolicy::default().deadline(Duration::MAX).jitter(false);
        let mut retries = policy.start(now);
        retries.begin_attempt();
        assert_eq!(
            retries.wait_after(Class::Transient, &pacing, now, wall()),
            Some(Duration::from_millis(500))
        );
    }
}
