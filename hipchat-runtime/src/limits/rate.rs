//! A number of requests per period, the unit of every configured limit.

use std::fmt;
use std::num::NonZeroU32;
use std::str::FromStr;
use std::time::Duration;

use governor::Quota;

use super::clock::FAR_FUTURE;

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
    pub(super) fn quota(&self) -> Quota {
        let count = self.count.get();
        let burst = count.div_ceil(2);
        let spread = (count - burst).max(1);
        // governor counts in u64 nanoseconds (584 years) and multiplies the interval by
        // the burst: with the period capped, interval × burst stays within it. A period
        // of decades means "hardly ever" either way.
        let interval = (self.per.min(FAR_FUTURE) / spread).max(Duration::from_nanos(1));
        Quota::with_period(interval)
            .expect("interval is above zero")
            .allow_burst(NonZeroU32::new(burst).expect("count is above zero"))
    }
}

/// A text that is not a [`Rate`]: the value given and what is expected instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a rate: expected {}", InvalidRate::EXPECTED)]
pub struct InvalidRate {
    /// The text given.
    pub value: String,
}

impl InvalidRate {
    /// What a rate looks like, for error messages.
    pub const EXPECTED: &'static str = "requests/period above zero, such as 30/1m or 100/5m";
}

impl FromStr for Rate {
    type Err = InvalidRate;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidRate {
            value: value.to_owned(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_parse_and_print() {
        let rate: Rate = "30/1m".parse().unwrap();
        assert_eq!(rate, Rate::HIPCHAT_ROOM);
        assert_eq!(rate.to_string(), "30/1m");
        for bad in ["30", "x/1m", "30/soon", "30/0s", "0/1m", "99999999999/1m"] {
            assert_eq!(
                bad.parse::<Rate>(),
                Err(InvalidRate { value: bad.into() }),
                "{bad}"
            );
        }
    }

    #[test]
    fn extreme_rates_give_a_limiter_without_panicking() {
        for (count, per) in [
            (1, Duration::MAX),
            (41, Duration::MAX),
            (u32::MAX, Duration::from_nanos(1)),
            (u32::MAX, Duration::MAX),
            (100, Duration::from_secs(600 * 365 * 86_400)),
        ] {
            let rate = Rate::new(count, per).unwrap();
            let limiter = governor::RateLimiter::direct(rate.quota());
            assert!(
                limiter.check().is_ok(),
                "{rate}: the first request goes at once"
            );
        }
    }
}
