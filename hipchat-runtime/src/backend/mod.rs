//! Where messages go: the [`Backend`] trait and the built-in backends.
//!
//! A backend receives an [`Outgoing`]: a notification whose defaults are filled and whose
//! limits are checked, in a shape that admits only what HipChat accepts; it only delivers. The HipChat wire format lives in [`http`] and nowhere else.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::{Error, Outgoing, RateLimit};

mod console;
mod disabled;
pub mod http;
mod memory;
pub mod queued;

pub use console::ConsoleBackend;
pub use disabled::DisabledBackend;
pub use http::HttpBackend;
pub use memory::{MemoryBackend, Outbox};
pub use queued::{FlushReport, QueueMetrics, QueuedBackend};

/// Delivers checked notifications. Implement it with a plain `async fn`:
///
/// ```
/// use hipchat_runtime::{Backend, Error, Outgoing};
///
/// struct Audit;
///
/// impl Backend for Audit {
///     async fn send(&self, outgoing: &Outgoing) -> Result<(), Error> {
///         match outgoing {
///             Outgoing::Room(n) => println!("{} ({}): {}", n.room(), n.color(), n.body()),
///             Outgoing::User(m) => println!("to {}: {}", m.user(), m.body()),
///             Outgoing::Link(l) => println!("{}: {} {}", l.room(), l.link(), l.comment()),
///             other => println!("{:?}", other.target()),
///         }
///         Ok(())
///     }
/// }
/// ```
///
/// A [`Notifier`](crate::Notifier) holds any backend behind one pointer, chosen at run time.
///
/// `send` is the only method to write. The others have defaults that suit a backend
/// which delivers as it is called; [`QueuedBackend`] overrides them.
pub trait Backend: Send + Sync + 'static {
    /// Delivers one notification. Return [`Error::backend`] for failures of your own.
    fn send(&self, outgoing: &Outgoing) -> impl Future<Output = Result<(), Error>> + Send;

    /// Checks rules of this backend's own, beyond HipChat's limits, before anything is
    /// sent: the notifier calls it on every notification (every part of a split one)
    /// before the first [`send`](Self::send), so one that fails is never sent, not even
    /// queued. The default accepts everything; [`HttpBackend`] speaking API v1 refuses
    /// private messages, shared links and cards and checks the sender. A wrapping backend
    /// ([`QueuedBackend`]) asks the wrapped one.
    fn validate(&self, outgoing: &Outgoing) -> Result<(), Error> {
        let _ = outgoing;
        Ok(())
    }

    /// Delivers one notification and reports the rate-limit headers of a successful answer,
    /// so that a [`QueuedBackend`] wrapped around this one can pace itself by them.
    ///
    /// The default calls [`send`](Self::send) and reports no headers
    /// (`RateLimit::default()`); [`HttpBackend`] reports `X-Ratelimit-*` and
    /// `X-FloodControl-*`. Failed answers carry their headers in the error
    /// ([`Error::api`]).
    fn send_with_limits(
        &self,
        outgoing: &Outgoing,
    ) -> impl Future<Output = Result<RateLimit, Error>> + Send {
        async move { self.send(outgoing).await.map(|()| RateLimit::default()) }
    }

    /// Waits until every notification accepted so far has been delivered or given up on,
    /// and reports those given up on. The default does nothing: a backend that delivers
    /// inside [`send`](Self::send) has nothing pending.
    fn flush(&self) -> impl Future<Output = FlushReport> + Send {
        async { FlushReport::default() }
    }

    /// Stops accepting notifications, delivers what is pending within `deadline`, and
    /// reports what could not be delivered. The default does nothing.
    fn shutdown(&self, deadline: Duration) -> impl Future<Output = FlushReport> + Send {
        let _ = deadline;
        async { FlushReport::default() }
    }

    /// Delivery counters, for backends that keep them ([`QueuedBackend`]). Default: `None`.
    fn metrics(&self) -> Option<QueueMetrics> {
        None
    }

    /// Waits until the delivery counters satisfy `done` (checked at once, then whenever a
    /// notification is accepted, dropped, started, retried or finished) and returns them. The default, for
    /// backends without counters, returns `None` at once.
    fn wait_for_metrics(
        &self,
        done: MetricsCondition<'_>,
    ) -> impl Future<Output = Option<QueueMetrics>> + Send {
        let _ = done;
        async { None }
    }
}

/// A condition on a backend's counters: [`Backend::wait_for_metrics`].
pub type MetricsCondition<'a> = &'a (dyn Fn(&QueueMetrics) -> bool + Send + Sync);

/// A boxed future, as returned through [`DynBackend`].
pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The dyn-compatible face of [`Backend`], so a notifier can hold any backend.
pub(crate) trait DynBackend: Send + Sync + 'static {
    fn send_boxed<'a>(&'a self, outgoing: &'a Outgoing) -> BoxFuture<'a, Result<(), Error>>;
    fn validate_dyn(&self, outgoing: &Outgoing) -> Result<(), Error>;
    fn flush_boxed(&self) -> BoxFuture<'_, FlushReport>;
    fn shutdown_boxed(&self, deadline: Duration) -> BoxFuture<'_, FlushReport>;
    fn metrics_dyn(&self) -> Option<QueueMetrics>;
    fn wait_for_metrics_boxed<'a>(
        &'a self,
        done: MetricsCondition<'a>,
    ) -> BoxFuture<'a, Option<QueueMetrics>>;
}

impl<B: Backend> DynBackend for B {
    fn send_boxed<'a>(&'a self, outgoing: &'a Outgoing) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(self.send(outgoing))
    }

    fn validate_dyn(&self, outgoing: &Outgoing) -> Result<(), Error> {
        self.validate(outgoing)
    }

    fn flush_boxed(&self) -> BoxFuture<'_, FlushReport> {
        Box::pin(self.flush())
    }

    fn shutdown_boxed(&self, deadline: Duration) -> BoxFuture<'_, FlushReport> {
        Box::pin(self.shutdown(deadline))
    }

    fn metrics_dyn(&self) -> Option<QueueMetrics> {
        self.metrics()
    }

    fn wait_for_metrics_boxed<'a>(
        &'a self,
        done: MetricsCondition<'a>,
    ) -> BoxFuture<'a, Option<QueueMetrics>> {
        Box::pin(self.wait_for_metrics(done))
    }
}
