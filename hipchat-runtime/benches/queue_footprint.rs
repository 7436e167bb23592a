//! What criterion does not report for the queued backend:
//!
//! - the distribution of the caller's cost of one `notifier.send(message).await` into the
//!   queue while the workers deliver (to a backend that only counts): median, p99, p99.9;
//! - memory per queued notification: heap bytes held per message while the inner backend
//!   holds every delivery, measured with a counting global allocator.
//!
//! `cargo bench -p hipchat-runtime --bench queue_footprint`. Under `cargo test` (no
//! `--bench` argument) it runs with small counts, as a check that it works.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hipchat_runtime::backend::QueuedBackend;
use hipchat_runtime::backend::queued::Pacing;
use hipchat_runtime::{Backend, Error, Message, Notifier, Outgoing, Settings};
use tokio::sync::Notify;

/// Counts live heap bytes, so the footprint of queued messages can be read off.
struct Counting;

static LIVE_BYTES: AtomicI64 = AtomicI64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size() as i64, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size() as i64, Ordering::Relaxed);
        // SAFETY: `ptr` came from `alloc` above with the same layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const ROOMS: [&str; 8] = [
    "Ops", "Dev", "QA", "Build", "Deploys", "Alerts", "Billing", "Search",
];

fn message(i: usize) -> Message {
    Message::new("Deploy of <b>billing</b> 1.4.2 failed").room(ROOMS[i % ROOMS.len()])
}

#[derive(Clone, Default)]
struct CountingBackend(Arc<AtomicU64>);

impl Backend for CountingBackend {
    async fn send(&self, _: &Outgoing) -> Result<(), Error> {
        self.0.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// Holds every delivery until released, so queued messages stay queued.
#[derive(Clone, Default)]
struct HeldBackend(Arc<Notify>);

impl Backend for HeldBackend {
    async fn send(&self, _: &Outgoing) -> Result<(), Error> {
        self.0.notified().await;
        Ok(())
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

async fn send_latency(count: usize) {
    let backend = CountingBackend::default();
    let queued = QueuedBackend::builder(backend.clone())
        .capacity(count)
        .pacing(Pacing::unlimited())
        .build()
        .unwrap();
    let notifier = Notifier::with_backend(Settings::new(), queued).unwrap();
    let mut samples = Vec::with_capacity(count);
    for i in 0..count {
        let message = message(i);
        let start = Instant::now();
        notifier.send(message).await.unwrap();
        samples.push(start.elapsed());
    }
    let report = notifier.shutdown(Duration::from_secs(30)).await;
    assert!(report.is_complete(), "{report:?}");
    assert_eq!(backend.0.load(Ordering::Relaxed), count as u64);
    samples.sort_unstable();
    println!(
        "send into queue while delivering ({count} sends): median {:?}, p99 {:?}, p99.9 {:?}, max {:?}",
        percentile(&samples, 0.5),
        percentile(&samples, 0.99),
        percentile(&samples, 0.999),
        samples[samples.len() - 1],
    );
}

async fn footprint(count: usize) {
    let held = HeldBackend::default();
    let queued = QueuedBackend::builder(held.clone())
        .capacity(count)
        .pacing(Pacing::unlimited())
        .build()
        .unwrap();
    let notifier = Notifier::with_backend(Settings::new(), queued).unwrap();
    // Warm up: the first sends create the per-room lanes and tasks.
    for i in 0..ROOMS.len() {
        notifier.send(message(i)).await.unwrap();
    }
    let mut messages: Vec<Message> = (0..count).map(message).collect();
    let before = LIVE_BYTES.load(Ordering::Relaxed);
    // `drain` keeps the vector's buffer until after the measurement: its release is not
    // the queue's doing.
    for message in messages.drain(..) {
        notifier.send(message).await.unwrap();
    }
    let after = LIVE_BYTES.load(Ordering::Relaxed);
    drop(messages);
    let queued = notifier.metrics().unwrap().pending();
    // The messages were built before measuring, and each send turns one into the checked
    // `Outgoing` the queue keeps a copy of: what grew is that copy (its own size, its body
    // and room) and the queue's holding of it (entries, lanes).
    let per_notification = (after - before) / count as i64;
    let message_bytes = {
        let sample = message(0);
        std::mem::size_of::<Outgoing>()
            + sample.body.capacity()
            + sample.room.as_ref().map_or(0, String::capacity)
    } as i64;
    println!(
        "memory per queued notification ({queued} queued): {per_notification} bytes: {} bytes of queue overhead + {message_bytes} bytes of the notification itself",
        per_notification - message_bytes,
    );
    held.0.notify_waiters();
    // Release deliveries one by one until the queue drains (bounded).
    for _ in 0..(count * 4) {
        held.0.notify_waiters();
        if notifier.metrics().unwrap().pending() == 0 {
            break;
        }
        tokio::task::yield_now().await;
    }
    let _ = notifier.shutdown(Duration::from_millis(100)).await;
}

fn main() {
    let measuring = std::env::args().any(|arg| arg == "--bench");
    let (sends, queued) = if measuring {
        (200_000, 100_000)
    } else {
        (1_000, 1_000)
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(send_latency(sends));
    runtime.block_on(footprint(queued));
}
