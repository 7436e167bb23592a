//! Which failures are tried again, and when.

use std::time::{Duration, SystemTime};

use backon::{BackoffBuilder, ExponentialBuilder};

use crate::Error;

/// When a [`QueuedBackend`](super::QueuedBackend) tries a failed delivery again.
///
/// * 429: after the reset the headers announce (plus the pacing margin and a little
///   jitter); without a usable reset, after the next backoff step.
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
/// assert_eq!(policy.attempts(), 5);
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

    /// Whether backoff steps get random jitter (on by default; off for exact tests).
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

    /// Attempts per notification.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The total deadline.
    pub fn total_deadline(&self) -> Duration {
        self.deadline
    }

    pub(crate) fn timeout(&self) -> Option<Duration> {
        self.attempt_timeout
    }

    /// The backoff steps of one notification.
    pub(crate) fn steps(&self) -> impl Iterator<Item = Duration> + Send + use<> {
        let builder = ExponentialBuilder::default()
            .with_min_delay(self.initial_backoff)
            .with_max_delay(self.max_backoff)
            .with_factor(2.0)
            .without_max_times();
        let builder = if self.jitter {
            builder.with_jitter()
        } else {
            builder
        };
        builder.build().chain(std::iter::repeat(self.max_backoff))
    }

    pub(crate) fn classify(&self, error: &Error) -> Class {
        match error {
            Error::RateLimited { reset, .. } => Class::RateLimited(*reset),
            Error::Server(_) | Error::Transport { .. } => Class::Transient,
            Error::UnexpectedStatus(api) if api.status == 408 => Class::Transient,
            Error::Backend(_) if self.retry_backend_errors => Class::Transient,
            _ => Class::Permanent,
        }
    }
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
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
        assert_eq!(RetryPolicy::never().attempts(), 1);
    }
}
