//! How much clock difference and token age verification allows.

use std::time::Duration;

/// The time limits of [`Unverified::verify`](super::Unverified::verify) (spec §4, step 6;
/// §10). The same policy applies everywhere: no mode turns a check off.
///
/// With `exp`: valid while `now < exp + leeway`. Without: while `now < iat + max_age`.
/// Always refused: `iat > now + leeway`; `nbf > now + leeway`; with a cap,
/// `now >= iat + max_age_from_iat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Policy {
    /// Allowed clock difference between HipChat and the add-on: 60 s by default.
    pub leeway: Duration,
    /// Lifetime of a token without `exp`, from `iat`: 3600 s by default.
    pub max_age: Duration,
    /// An optional cap from `iat` applied even when `exp` is later (ac-node and ACE used
    /// 15 minutes): `None` by default.
    pub max_age_from_iat: Option<Duration>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            leeway: Duration::from_secs(60),
            max_age: Duration::from_secs(3600),
            max_age_from_iat: None,
        }
    }
}

impl Policy {
    /// This policy with another clock leeway.
    pub fn with_leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// This policy with another lifetime for tokens without `exp`.
    pub fn with_max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }

    /// This policy with a cap from `iat` that applies even when `exp` is later.
    pub fn with_max_age_from_iat(mut self, cap: Duration) -> Self {
        self.max_age_from_iat = Some(cap);
        self
    }
}
