//! Spec §8: fixed windows per token (`X-Ratelimit-*`) and per recipient room or user
//! (`X-FloodControl-*`), read from the injected [`Clock`](crate::clock::Clock).
//!
//! A window opens with a key's first request and lasts its configured length; `Reset` is
//! the Unix second at which it ends. Over the limit: `Remaining: 0` and the caller answers
//! 429 (v2) or 403 (v1).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use axum::http::{HeaderMap, HeaderName, HeaderValue};

use crate::clock::unix_seconds;
use crate::config::RateLimitConfig;

/// Which budget a request draws on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Budget {
    /// A v2 token's requests.
    Token,
    /// Messages to one room or user.
    Flood,
    /// A v1 token's requests.
    V1,
}

/// A budget's state after a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    /// Requests allowed per window.
    pub limit: u64,
    /// Requests left in this window.
    pub remaining: u64,
    /// When the window ends, Unix seconds.
    pub reset: u64,
    /// This request was over the limit.
    pub exceeded: bool,
}

impl Status {
    /// `X-Ratelimit-*` (token budgets) or `X-FloodControl-*` (flood budgets).
    pub fn headers(&self, budget: Budget) -> HeaderMap {
        let prefix = match budget {
            Budget::Flood => "x-floodcontrol",
            Budget::Token | Budget::V1 => "x-ratelimit",
        };
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("limit", self.limit),
            ("remaining", self.remaining),
            ("reset", self.reset),
        ] {
            if let Ok(name) = HeaderName::try_from(format!("{prefix}-{name}")) {
                headers.insert(name, HeaderValue::from(value));
            }
        }
        headers
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    start: SystemTime,
    used: u64,
}

/// Every budget's buckets, and the limits in force (changeable at run time).
#[derive(Debug, Default)]
pub struct RateLimiter {
    config: Mutex<RateLimitConfig>,
    buckets: Mutex<HashMap<(Budget, String), Bucket>>,
}

impl RateLimiter {
    /// A limiter with these limits.
    pub fn new(config: RateLimitConfig) -> Self {
        Self {
            config: Mutex::new(config),
            buckets: Mutex::default(),
        }
    }

    /// The limits in force.
    pub fn config(&self) -> RateLimitConfig {
        *self
            .config
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// Replaces the limits; open windows are kept.
    pub fn set_config(&self, config: RateLimitConfig) {
        *self
            .config
            .lock()
            .unwrap_or_else(|poison| poison.into_inner()) = config;
    }

    /// Forgets every window.
    pub fn reset(&self) {
        self.buckets
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .clear();
    }

    fn limits(&self, budget: Budget) -> (u64, Duration) {
        let config = self.config();
        match budget {
            Budget::Token => (config.token_limit, config.token_window()),
            Budget::Flood => (config.flood_limit, config.flood_window()),
            Budget::V1 => (config.v1_limit, config.v1_window()),
        }
    }

    /// Counts one request against `key`'s budget.
    pub fn take(&self, budget: Budget, key: &str, now: SystemTime) -> Status {
        self.update(budget, key, now, true)
    }

    /// The budget's state without counting a request.
    pub fn peek(&self, budget: Budget, key: &str, now: SystemTime) -> Status {
        self.update(budget, key, now, false)
    }

    fn update(&self, budget: Budget, key: &str, now: SystemTime, count: bool) -> Status {
        let (limit, window) = self.limits(budget);
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        let fresh = Bucket {
            start: now,
            used: 0,
        };
        let entry_key = (budget, key.to_owned());
        let mut bucket = buckets.get(&entry_key).copied().unwrap_or(fresh);
        if now < bucket.start || now >= bucket.start + window {
            bucket = fresh;
        }
        let exceeded = count && bucket.used >= limit;
        if count && !exceeded {
            bucket.used += 1;
        }
        if count {
            buckets.insert(entry_key, bucket);
        }
        Status {
            limit,
            remaining: limit.saturating_sub(bucket.used),
            reset: unix_seconds(bucket.start + window),
            exceeded,
        }
    }
}
