//! Helpers shared by the queued backend's tests.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};

use hipchat_runtime::backend::QueueMetrics;
use hipchat_runtime::backend::queued::{Undelivered, UndeliveredReason};

/// `count` bodies per room, `"<room>#<i>"`, in sending order (rooms interleaved).
pub fn plan(rooms: &[&str], count: usize) -> Vec<(String, String)> {
    (0..count)
        .flat_map(|i| {
            rooms
                .iter()
                .map(move |room| (room.to_string(), format!("{room}#{i}")))
        })
        .collect()
}

/// Every accepted notification is delivered, failed, dropped or abandoned, and nothing
/// is pending; the report lists exactly the failed / dropped / abandoned ones.
pub fn assert_accounted<'a>(
    metrics: &QueueMetrics,
    reported: impl IntoIterator<Item = &'a Undelivered>,
) {
    let reported: Vec<&Undelivered> = reported.into_iter().collect();
    assert_eq!(metrics.pending(), 0, "{metrics:?}");
    assert_eq!(
        metrics.accepted,
        metrics.delivered + metrics.failed + metrics.dropped + metrics.abandoned,
        "accounting identity: {metrics:?}"
    );
    let count = |f: fn(&UndeliveredReason) -> bool| -> u64 {
        reported.iter().filter(|u| f(&u.reason)).count() as u64
    };
    assert_eq!(
        count(|r| matches!(r, UndeliveredReason::Failed(_))),
        metrics.failed
    );
    assert_eq!(
        count(|r| matches!(r, UndeliveredReason::Dropped)),
        metrics.dropped
    );
    assert_eq!(
        count(|r| matches!(r, UndeliveredReason::Abandoned { .. })),
        metrics.abandoned
    );
}

/// Bodies of the report's undelivered notifications.
pub fn undelivered<'a>(reported: impl IntoIterator<Item = &'a Undelivered>) -> HashSet<String> {
    reported
        .into_iter()
        .map(|u| u.notification.body().to_owned())
        .collect()
}

/// Per room: the first arrival of each body is in sending order, and everything not
/// reported undelivered arrived. Duplicates (at-least-once) are allowed.
pub fn assert_room_order(
    sent: &[(String, String)],
    received: impl Fn(&str) -> Vec<String>,
    undelivered: &HashSet<String>,
) {
    let mut by_room: HashMap<&str, Vec<&str>> = HashMap::new();
    for (room, body) in sent {
        by_room.entry(room).or_default().push(body);
    }
    for (room, bodies) in by_room {
        let position: HashMap<&str, usize> =
            bodies.iter().enumerate().map(|(i, b)| (*b, i)).collect();
        let mut seen = HashSet::new();
        let firsts: Vec<usize> = received(room)
            .iter()
            .filter(|body| seen.insert((*body).clone()))
            .map(|body| {
                *position
                    .get(body.as_str())
                    .unwrap_or_else(|| panic!("{body} was never sent"))
            })
            .collect();
        assert!(
            firsts.windows(2).all(|w| w[0] < w[1]),
            "room {room}: out of order: {firsts:?}"
        );
        for body in &bodies {
            assert!(
                seen.contains(*body) || undelivered.contains(*body),
                "room {room}: {body} neither arrived nor was reported"
            );
        }
    }
}

/// A multi-threaded runtime, as an application would run the queued backend in.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// A local server with rate limits out of the way that answers 503 to `rate` of requests.
pub async fn flaky_server(rate: f64, seed: u64) -> hipchat_devserver::DevServer {
    hipchat_devserver::DevServer::builder()
        .rate_limits(hipchat_devserver::RateLimitConfig {
            token_limit: 1_000_000,
            flood_limit: 1_000_000,
            ..hipchat_devserver::RateLimitConfig::default()
        })
        .faults(hipchat_devserver::FaultConfig {
            error_503_rate: rate,
            seed: Some(seed),
            ..hipchat_devserver::FaultConfig::default()
        })
        .start()
        .await
        .expect("the local server")
}

/// A queued http notifier to `url` with a durable outbox at `outbox`, retrying patiently
/// (1,000 attempts within 60 s), so a flaky server delays deliveries but loses none.
#[cfg(feature = "durable")]
pub fn durable_notifier(
    url: &str,
    outbox: &std::path::Path,
) -> Result<hipchat_runtime::Notifier, hipchat_runtime::Error> {
    use std::time::Duration;

    use hipchat_runtime::backend::queued::{Pacing, RetryPolicy};
    use hipchat_runtime::backend::{HttpBackend, QueuedBackend};
    use hipchat_runtime::{Notifier, Settings};

    let settings = Settings::new()
        .api_url(url)
        .auth_token("dev-token")
        .timeout(Duration::from_millis(300));
    let http = HttpBackend::from_settings(&settings).expect("an http backend");
    let queued = QueuedBackend::builder(http)
        .pacing(Pacing::unlimited())
        .retry(
            RetryPolicy::default()
                .backoff(Duration::from_millis(20), Duration::from_millis(200))
                .max_attempts(1_000)
                .deadline(Duration::from_secs(60)),
        )
        .outbox(outbox)
        .build()?;
    Notifier::with_backend(settings, queued)
}
