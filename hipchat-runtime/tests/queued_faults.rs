//! The queued backend over real HTTP against the local HipChat server (127.0.0.1) with
//! faults injected: 5xx answers, 429 storms, connection resets, stalls beyond the
//! timeout, the server down and back, a shutdown with 10,000 queued. Each checks the
//! accounting identity and per-room order on what the server recorded.
//!
//! Real sockets rule out paused time: waits are short (backoff from 10 ms, timeouts of
//! 300 ms, rate-limit windows of 1 s) and every wait is bounded by a test deadline.

mod queued_common;

use std::time::Duration;

use hipchat_devserver::{DevServer, FaultConfig, ManualClock, RateLimitConfig};
use hipchat_runtime::backend::queued::{Pacing, Rate, RetryPolicy};
use hipchat_runtime::backend::{FlushReport, HttpBackend, QueuedBackend};
use hipchat_runtime::{Message, Notifier, Settings};
use queued_common::{assert_accounted, assert_room_order, plan, undelivered};

/// No rate limits on the server (a frozen clock never renews windows, so make them huge).
fn unlimited() -> RateLimitConfig {
    RateLimitConfig {
        token_limit: u64::MAX / 2,
        flood_limit: u64::MAX / 2,
        ..RateLimitConfig::default()
    }
}

fn settings(url: &str) -> Settings {
    Settings::new()
        .api_url(url)
        .auth_token("dev-token")
        .timeout(Duration::from_millis(300))
}

fn retries() -> RetryPolicy {
    RetryPolicy::default()
        .backoff(Duration::from_millis(10), Duration::from_millis(200))
        .max_attempts(30)
        .deadline(Duration::from_secs(30))
}

fn queued_notifier(url: &str, pacing: Pacing) -> Notifier {
    let settings = settings(url);
    let http = HttpBackend::from_settings(&settings).unwrap();
    let queued = QueuedBackend::builder(http)
        .pacing(pacing)
        .retry(retries())
        .build()
        .unwrap();
    Notifier::with_backend(settings, queued).unwrap()
}

async fn send_all(notifier: &Notifier, sent: &[(String, String)]) {
    for (room, body) in sent {
        notifier
            .send(Message::new(body.clone()).room(room.clone()))
            .await
            .unwrap();
    }
}

/// Flushes, bounded: a hang fails the test instead of stalling it.
async fn flush(notifier: &Notifier) -> FlushReport {
    tokio::time::timeout(Duration::from_secs(90), notifier.flush())
        .await
        .expect("flush finished within 90 s")
}

fn bodies(server: &DevServer, room: &str) -> Vec<String> {
    server
        .messages(room)
        .into_iter()
        .map(|m| m.message)
        .collect()
}

/// Sends `sent`, flushes, and checks identity, order, and that everything arrived.
async fn deliver_all(server: &DevServer, notifier: &Notifier, sent: &[(String, String)]) {
    send_all(notifier, sent).await;
    let report = flush(notifier).await;
    let metrics = notifier.metrics().unwrap();
    assert_accounted(&metrics, &report.undelivered);
    assert!(report.is_complete(), "{report:?}");
    assert_eq!(metrics.delivered, sent.len() as u64);
    assert_room_order(
        sent,
        |room| bodies(server, room),
        &undelivered(&report.undelivered),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_percent_server_errors() {
    let server = DevServer::builder()
        .rate_limits(unlimited())
        .faults(FaultConfig {
            error_500_rate: 0.15,
            error_503_rate: 0.15,
            seed: Some(7),
            ..FaultConfig::default()
        })
        .start()
        .await
        .unwrap();
    let notifier = queued_notifier(server.url(), Pacing::unlimited());
    deliver_all(
        &server,
        &notifier,
        &plan(&["Ops", "Dev", "Build Status", "Équipe"], 25),
    )
    .await;
    let m = notifier.metrics().unwrap();
    assert!(m.retried > 0, "{m:?}");
    let faults = server.counters().faults;
    assert_eq!(
        m.retried,
        faults.get("error_500").copied().unwrap_or(0)
            + faults.get("error_503").copied().unwrap_or(0)
    );
}

/// The server limits of both 429 tests: flood control at 4 per room and second.
fn four_per_room_per_second() -> RateLimitConfig {
    RateLimitConfig {
        flood_limit: 4,
        flood_window_secs: 1,
        token_limit: 1_000_000,
        ..RateLimitConfig::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storms_of_429_wait_for_the_reset() {
    // The server allows 4 per room and second; the client is told 1000 per minute and
    // must not learn from headers: every fifth request meets a 429 and waits for its reset.
    let server = DevServer::builder()
        .rate_limits(four_per_room_per_second())
        .start()
        .await
        .unwrap();
    let pacing = Pacing::unlimited()
        .per_room(Rate::new(1000, Duration::from_secs(60)))
        .learn_from_headers(false);
    let notifier = queued_notifier(server.url(), pacing);
    deliver_all(&server, &notifier, &plan(&["Ops", "Dev"], 10)).await;
    let m = notifier.metrics().unwrap();
    assert!(m.rate_limited > 0, "{m:?}");
    assert_eq!(m.rate_limited, server.counters().rate_limited);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn learning_from_headers_avoids_429_in_the_steady_state() {
    // The same server limits, but the client learns: a room's 4 go at once, then it waits
    // for the announced reset; no 429 at all.
    let server = DevServer::builder()
        .rate_limits(four_per_room_per_second())
        .start()
        .await
        .unwrap();
    let notifier = queued_notifier(server.url(), Pacing::unlimited());
    deliver_all(&server, &notifier, &plan(&["Ops", "Dev"], 10)).await;
    assert_eq!(notifier.metrics().unwrap().rate_limited, 0);
    assert_eq!(server.counters().rate_limited, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_resets() {
    let server = DevServer::builder()
        .rate_limits(unlimited())
        .faults(FaultConfig {
            reset_rate: 0.3,
            seed: Some(11),
            ..FaultConfig::default()
        })
        .start()
        .await
        .unwrap();
    let notifier = queued_notifier(server.url(), Pacing::unlimited());
    deliver_all(&server, &notifier, &plan(&["Ops", "Dev", "QA"], 20)).await;
    assert!(notifier.metrics().unwrap().retried > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalls_beyond_the_timeout() {
    // Stalls wait on a clock nobody advances: a stalled request is never answered, the
    // client times out after 300 ms and tries again.
    let server = DevServer::builder()
        .clock(ManualClock::default())
        .rate_limits(unlimited())
        .faults(FaultConfig {
            stall_rate: 0.25,
            stall_ms: 60_000,
            seed: Some(3),
            ..FaultConfig::default()
        })
        .start()
        .await
        .unwrap();
    let notifier = queued_notifier(server.url(), Pacing::unlimited());
    deliver_all(&server, &notifier, &plan(&["Ops", "Dev"], 10)).await;
    assert!(notifier.metrics().unwrap().retried > 0);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_down_for_a_while_and_back() {
    let first = DevServer::builder()
        .rate_limits(unlimited())
        .start()
        .await
        .unwrap();
    let addr = first.addr();
    let url = first.url().to_owned();
    first.stop().await.unwrap();
    let notifier = queued_notifier(&url, Pacing::unlimited());
    let sent = plan(&["Ops", "Dev"], 10);
    send_all(&notifier, &sent).await;
    // Connection refused for a while: attempts fail and back off.
    let retried = notifier.wait_for_metrics(|m| m.retried >= 4);
    tokio::time::timeout(Duration::from_secs(5), retried)
        .await
        .expect("4 retries within 5 s");
    assert_eq!(notifier.metrics().unwrap().delivered, 0);
    let server = DevServer::builder()
        .bind(addr)
        .rate_limits(unlimited())
        .start()
        .await
        .unwrap();
    let report = flush(&notifier).await;
    let m = notifier.metrics().unwrap();
    assert!(report.is_complete(), "{report:?}");
    assert_accounted(&m, &report.undelivered);
    assert!(m.retried >= 4, "{m:?}");
    assert_room_order(
        &sent,
        |room| bodies(&server, room),
        &undelivered(&report.undelivered),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_with_ten_thousand_queued() {
    let server = DevServer::builder()
        .rate_limits(unlimited())
        .start()
        .await
        .unwrap();
    let settings = settings(server.url());
    let http = HttpBackend::from_settings(&settings).unwrap();
    let queued = QueuedBackend::builder(http)
        .capacity(10_000)
        .pacing(Pacing::unlimited())
        .retry(retries())
        .build()
        .unwrap();
    let notifier = Notifier::with_backend(settings, queued).unwrap();
    let rooms: Vec<String> = (0..10).map(|i| format!("room-{i}")).collect();
    let rooms: Vec<&str> = rooms.iter().map(String::as_str).collect();
    let sent = plan(&rooms, 1_000);
    send_all(&notifier, &sent).await;
    assert_eq!(notifier.metrics().unwrap().accepted, 10_000);
    // Whatever the deadline allows is delivered; the rest is reported, never lost.
    let report = notifier.shutdown(Duration::from_secs(2)).await;
    let m = notifier.metrics().unwrap();
    assert_accounted(&m, &report.undelivered);
    assert_eq!(m.delivered + m.abandoned, 10_000, "{m:?}");
    assert!(m.delivered > 0, "{m:?}");
    assert_room_order(
        &sent,
        |room| bodies(&server, room),
        &undelivered(&report.undelivered),
    );
    assert!(
        notifier
            .send(Message::new("late").room("room-0"))
            .await
            .is_err()
    );
}
