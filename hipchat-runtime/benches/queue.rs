//! The caller's cost of sending into a [`QueuedBackend`] while its tasks deliver:
//! `notifier.send(message).await` returns once the message is queued.
//!
//! * `queue/send/counting`: the inner backend only counts (delivery is as cheap as it
//!   gets, so the tasks compete with the caller for the 2 runtime threads). Capacity
//!   1 Mi, policy wait; each sample is flushed (untimed) before the next.
//! * `queue/send/devserver`: the inner backend is the http backend posting to the local
//!   HipChat server (rate limits off) on its own runtime. Delivery is slower than
//!   queueing, so the queue is held at 10 000 with drop-oldest: the figure is the cost
//!   of queueing (and dropping) while deliveries run.
//!
//! `cargo bench -p hipchat-runtime --bench queue`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use hipchat_devserver::{DevServer, RateLimitConfig};
use hipchat_runtime::backend::queued::{FullPolicy, Pacing, RetryPolicy};
use hipchat_runtime::backend::{HttpBackend, QueuedBackend};
use hipchat_runtime::{Backend, Error, Message, Notifier, Outgoing, Settings};

#[derive(Clone, Default)]
struct Counting(Arc<AtomicU64>);

impl Backend for Counting {
    async fn send(&self, _: &Outgoing) -> Result<(), Error> {
        self.0.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

const ROOMS: [&str; 8] = [
    "Ops", "Dev", "QA", "Build", "Deploys", "Alerts", "Billing", "Search",
];

fn message(i: u64) -> Message {
    Message::new("Deploy of <b>billing</b> 1.4.2 failed").room(ROOMS[(i % 8) as usize])
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("queue/send");

    let rt = runtime();
    let counted = Counting::default();
    let notifier = rt.block_on(async {
        let queued = QueuedBackend::builder(counted.clone())
            .capacity(1 << 20)
            .pacing(Pacing::unlimited())
            .build()
            .unwrap();
        Notifier::with_backend(Settings::new(), queued).unwrap()
    });
    group.bench_function("counting", |b| {
        b.to_async(&rt).iter_custom(|iters| {
            let notifier = notifier.clone();
            async move {
                let start = Instant::now();
                for i in 0..iters {
                    notifier.send(message(i)).await.unwrap();
                }
                let elapsed = start.elapsed();
                notifier.flush().await;
                elapsed
            }
        });
    });
    rt.block_on(notifier.shutdown(Duration::from_secs(10)));
    assert!(counted.0.load(Ordering::Relaxed) > 0);

    let server_rt = runtime();
    let server = server_rt.block_on(async {
        DevServer::builder()
            .rate_limits(RateLimitConfig {
                token_limit: u64::MAX / 2,
                flood_limit: u64::MAX / 2,
                ..RateLimitConfig::default()
            })
            .start()
            .await
            .unwrap()
    });
    let settings = Settings::new().api_url(server.url()).auth_token("bench");
    let notifier = rt.block_on(async {
        let http = HttpBackend::from_settings(&settings).unwrap();
        let queued = QueuedBackend::builder(http)
            .capacity(10_000)
            .when_full(FullPolicy::DropOldest)
            .pacing(Pacing::unlimited())
            .retry(RetryPolicy::never())
            .build()
            .unwrap();
        Notifier::with_backend(settings.clone(), queued).unwrap()
    });
    group.bench_function("devserver", |b| {
        b.to_async(&rt).iter_custom(|iters| {
            let notifier = notifier.clone();
            async move {
                let start = Instant::now();
                for i in 0..iters {
                    notifier.send(message(i)).await.unwrap();
                }
                start.elapsed()
            }
        });
    });
    let report = rt.block_on(notifier.shutdown(Duration::from_millis(100)));
    let metrics = notifier.metrics().unwrap();
    eprintln!(
        "devserver: delivered {}, dropped {}, abandoned at shutdown {}",
        metrics.delivered,
        metrics.dropped,
        report.undelivered.len()
    );
    group.finish();
    drop(server);
}

criterion_group!(benches, bench);
criterion_main!(benches);
