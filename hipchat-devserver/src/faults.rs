//! Fault injection for testing clients, switchable at run time (`PUT /admin/faults`):
//! added latency, a fraction of 500 / 503 answers, connection resets, and stalls longer
//! than a client's timeout.
//!
//! Each API request draws one number from a seeded generator (SplitMix64), so a test
//! that sets `seed` sees the same sequence of faults every run. Latency and stalls wait
//! on the server's [`Clock`](crate::clock::Clock): with a
//! [`ManualClock`](crate::clock::ManualClock) they end when the test advances it. A
//! stalled request is then handled normally (late, as a slow server would), unless the
//! server stops first.

use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The fault knobs. Rates are fractions of requests, 0.0–1.0, and add up to at most 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultConfig {
    /// Added to every API request before it is handled, milliseconds.
    pub latency_ms: u64,
    /// Fraction answered `500 Internal Server Error`.
    pub error_500_rate: f64,
    /// Fraction answered `503 Service Unavailable`.
    pub error_503_rate: f64,
    /// Fraction whose connection is reset without an answer.
    pub reset_rate: f64,
    /// Fraction held for `stall_ms` before being handled.
    pub stall_rate: f64,
    /// How long a stall lasts, milliseconds (default 120 000: beyond common timeouts).
    pub stall_ms: u64,
    /// Reseeds the generator when set (`PUT` it again to restart the sequence).
    pub seed: Option<u64>,
}

impl Default for FaultConfig {
    fn default() -> Self {
        Self {
            latency_ms: 0,
            error_500_rate: 0.0,
            error_503_rate: 0.0,
            reset_rate: 0.0,
            stall_rate: 0.0,
            stall_ms: 120_000,
            seed: None,
        }
    }
}

impl FaultConfig {
    /// Checks that each rate is within 0–1 and their sum at most 1.
    pub fn check(&self) -> Result<(), String> {
        let rates = [
            ("error_500_rate", self.error_500_rate),
            ("error_503_rate", self.error_503_rate),
            ("reset_rate", self.reset_rate),
            ("stall_rate", self.stall_rate),
        ];
        for (name, rate) in rates {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("{name} must be between 0 and 1, got {rate}"));
            }
        }
        let sum: f64 = rates.iter().map(|(_, rate)| rate).sum();
        if sum > 1.0 + 1e-9 {
            return Err(format!("the rates add up to {sum}, more than 1"));
        }
        Ok(())
    }
}

/// What happens to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Handled normally.
    Pass,
    /// Answered with this status (500 or 503).
    Error(u16),
    /// Connection reset.
    Reset,
    /// Held this long, then handled.
    Stall(Duration),
}

/// The fault plan for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// Waited before anything else.
    pub latency: Duration,
    /// Then this.
    pub action: Action,
}

/// The knobs in force and the generator.
#[derive(Debug)]
pub struct Faults {
    state: Mutex<(FaultConfig, SplitMix64)>,
}

impl Default for Faults {
    fn default() -> Self {
        Self::new(FaultConfig::default())
    }
}

impl Faults {
    /// Faults with these knobs (seed 0 unless given).
    pub fn new(config: FaultConfig) -> Self {
        let rng = SplitMix64(config.seed.unwrap_or(0));
        Self {
            state: Mutex::new((config, rng)),
        }
    }

    /// The knobs in force.
    pub fn config(&self) -> FaultConfig {
        self.state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .0
            .clone()
    }

    /// Replaces the knobs (after [`FaultConfig::check`]); reseeds when `seed` is set.
    pub fn set(&self, config: FaultConfig) -> Result<(), String> {
        config.check()?;
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(seed) = config.seed {
            state.1 = SplitMix64(seed);
        }
        state.0 = config;
        Ok(())
    }

    /// Draws the plan for the next request.
    pub fn decide(&self) -> Decision {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let (config, rng) = &mut *state;
        let latency = Duration::from_millis(config.latency_ms);
        let active =
            config.error_500_rate + config.error_503_rate + config.reset_rate + config.stall_rate;
        if active <= 0.0 {
            return Decision {
                latency,
                action: Action::Pass,
            };
        }
        let draw = rng.next_f64();
        let choices = [
            (config.error_500_rate, Action::Error(500)),
            (config.error_503_rate, Action::Error(503)),
            (config.reset_rate, Action::Reset),
            (
                config.stall_rate,
                Action::Stall(Duration::from_millis(config.stall_ms)),
            ),
        ];
        let mut edge = 0.0;
        let mut action = Action::Pass;
        for (rate, candidate) in choices {
            edge += rate;
            if draw < edge {
                action = candidate;
                break;
            }
        }
        Decision { latency, action }
    }
}

/// SplitMix64: small, fast, and the same on every platform.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}
