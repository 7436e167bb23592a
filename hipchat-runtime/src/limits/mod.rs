//! HipChat's rate limits and what a sender does about them, shared by the
//! [`QueuedBackend`](crate::backend::QueuedBackend) and the REST [`Client`](crate::rest::Client):
//! [`Rate`] (the unit of every limit), [`Pacing`] (GCRA per token and room, budgets
//! learned from `X-Ratelimit-*` / `X-FloodControl-*`), [`RetryPolicy`] (which failures
//! are tried again, and when) and the clocks they read.

pub(crate) mod clock;
pub(crate) mod pacing;
mod rate;
pub(crate) mod retry;

pub use clock::WallClock;
pub use pacing::Pacing;
pub use rate::{InvalidRate, Rate};
pub use retry::RetryPolicy;
