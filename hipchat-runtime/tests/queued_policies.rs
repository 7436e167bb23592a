//! The queued backend's policies against scripted backends, in tokio's paused time:
//! full-queue policies, retry classes, 429 resets, deadlines, per-room order, flush and
//! shutdown reports, the failure callback.

mod queued_common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hipchat_runtime::backend::queued::{
    FullPolicy, Pacing, Rate, RetryPolicy, UndeliveredReason, WallClock,
};
use hipchat_runtime::backend::{MemoryBackend, QueuedBackend};
use hipchat_runtime::{ApiError, Backend, Error, Message, Notifier, Outgoing, RateLimit, Settings};
use queued_common::{assert_accounted, assert_room_order, plan, undelivered};
use tokio::time::Instant;

type Script = dyn Fn(&Outgoing, usize) -> Result<(), Error> + Send + Sync;

/// Answers each attempt as the script says (given the message and its attempt number,
/// from 1), and records successful deliveries with their (paused) time.
#[derive(Clone)]
struct Scripted {
    script: Arc<Script>,
    attempts: Arc<Mutex<HashMap<String, usize>>>,
    delivered: Arc<Mutex<Vec<(String, String, Instant)>>>,
    latency: Duration,
}

impl Scripted {
    fn new(script: impl Fn(&Outgoing, usize) -> Result<(), Error> + Send + Sync + 'static) -> Self {
        Self {
            script: Arc::new(script),
            attempts: Arc::default(),
            delivered: Arc::default(),
            latency: Duration::ZERO,
        }
    }

    fn received(&self, room: &str) -> Vec<String> {
        self.delivered
            .lock()
            .unwrap()
            .iter()
            .filter(|(r, _, _)| r == room)
            .map(|(_, body, _)| body.clone())
            .collect()
    }

    fn attempts(&self, body: &str) -> usize {
        self.attempts
            .lock()
            .unwrap()
            .get(body)
            .copied()
            .unwrap_or(0)
    }
}

impl Backend for Scripted {
    async fn send(&self, outgoing: &Outgoing) -> Result<(), Error> {
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency).await;
        }
        let attempt = {
            let mut attempts = self.attempts.lock().unwrap();
            let n = attempts.entry(outgoing.body().to_owned()).or_default();
            *n += 1;
            *n
        };
        (self.script)(outgoing, attempt)?;
        self.delivered.lock().unwrap().push((
            outgoing.room().unwrap_or_default().to_owned(),
            outgoing.body().to_owned(),
            Instant::now(),
        ));
        Ok(())
    }
}

fn api(status: u16) -> Box<ApiError> {
    let mut api = ApiError::default();
    api.status = status;
    Box::new(api)
}

fn server_error() -> Error {
    Error::Server(api(503))
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .backoff(Duration::from_millis(100), Duration::from_secs(2))
        .max_attempts(6)
}

fn over(backend: QueuedBackend<impl Backend>) -> Notifier {
    Notifier::with_backend(Settings::new().room("Ops"), backend).unwrap()
}

async fn send_all(notifier: &Notifier, plan: &[(String, String)]) {
    for (room, body) in plan {
        notifier
            .send(Message::new(body.clone()).room(room.clone()))
            .await
            .unwrap();
    }
}

#[tokio::test(start_paused = true)]
async fn transient_errors_are_retried_in_order_and_other_rooms_go_on() {
    // Every notification of room A fails twice with 503; room B never fails.
    let backend = Scripted::new(|m, attempt| match m.room() {
        Some("A") if attempt <= 2 => Err(server_error()),
        _ => Ok(()),
    });
    let queued = QueuedBackend::builder(backend.clone())
        .pacing(Pacing::unlimited())
        .retry(fast_retries())
        .build()
        .unwrap();
    let notifier = over(queued);
    let sent = plan(&["A", "B"], 20);
    send_all(&notifier, &sent).await;
    let report = notifier.flush().await;
    assert!(report.is_complete(), "{report:?}");
    let m = notifier.metrics().unwrap();
    assert_eq!((m.accepted, m.delivered, m.retried), (40, 40, 40));
    assert_accounted(&m, &report.undelivered);
    assert_room_order(
        &sent,
        |room| backend.received(room),
        &undelivered(&report.undelivered),
    );
    // B was not held back by A's retries: its last one arrived before A's first.
    let delivered = backend.delivered.lock().unwrap().clone();
    let time_of = |body: &str| delivered.iter().find(|d| d.1 == body).unwrap().2;
    assert!(time_of("B#19") < time_of("A#0"));
}

#[tokio::test(start_paused = true)]
async fn client_errors_fail_at_once_and_are_reported() {
    let failures = Arc::new(AtomicUsize::new(0));
    let backend = Scripted::new(|m, _| match m.body() {
        "Ops#3" => Err(Error::BadRequest(api(400))),
        "Ops#5" => Err(Error::RoomNotFound {
            room: "Ops".into(),
            api: api(404),
        }),
        _ => Ok(()),
    });
    let counted = failures.clone();
    let queued = QueuedBackend::builder(backend.clone())
        .pacing(Pacing::unlimited())
        .retry(fast_retries())
        .on_failure(move |u| {
            assert!(matches!(u.reason, UndeliveredReason::Failed(_)));
            counted.fetch_add(1, Ordering::SeqCst);
        })
        .build()
        .unwrap();
    let notifier = over(queued);
    let sent = plan(&["Ops"], 8);
    send_all(&notifier, &sent).await;
    let report = notifier.flush().await;
    let m = notifier.metrics().unwrap();
    assert_eq!((m.delivered, m.failed, m.retried), (6, 2, 0));
    assert_eq!(backend.attempts("Ops#3"), 1, "a 400 is never retried");
    assert_eq!(failures.load(Ordering::SeqCst), 2);
    let failed: Vec<_> = report
        .undelivered
        .iter()
        .map(|u| u.notification.body())
        .collect();
    assert_eq!(failed, ["Ops#3", "Ops#5"]);
    assert_accounted(&m, &report.undelivered);
    assert_room_order(
        &sent,
        |room| backend.received(room),
        &undelivered(&report.undelivered),
    );
}

#[tokio::test(start_paused = true)]
async fn retries_stop_at_max_attempts_and_at_the_deadline() {
    let backend = Scripted::new(|_, _| Err(server_error()));
    let queued = QueuedBackend::builder(backend.clone())
        .pacing(Pacing::unlimited())
        .retry(fast_retries().max_attempts(4))
        .build()
        .unwrap();
    let notifier = over(queued);
    notifier.send(Message::new("a")).await.unwrap();
    let report = notifier.flush().await;
    assert_eq!(backend.attempts("a"), 4);
    assert_eq!(notifier.metrics().unwrap().retried, 3);
    let UndeliveredReason::Failed(error) = &report.undelivered[0].reason else {
        panic!("{report:?}")
    };
    assert!(matches!(**error, Error::Server(_)));

    // Steps of 1 s doubling: 1 + 2 + 4 = 7 s fits in 10 s, the next 8 s would not.
    let backend = Scripted::new(|_, _| Err(server_error()));
    let queued = QueuedBackend::builder(backend.clone())
        .pacing(Pacing::unlimited())
        .retry(
            RetryPolicy::default()
                .jitter(false)
                .backoff(Duration::from_secs(1), Duration::from_secs(60))
                .max_attempts(100)
                .deadline(Duration::from_secs(10)),
        )
        .build()
        .unwrap();
    let notifier = over(queued);
    let start = Instant::now();
    notifier.send(Message::new("b")).await.unwrap();
    let report = notifier.flush().await;
    assert_eq!(backend.attempts("b"), 4);
    assert_eq!(start.elapsed(), Duration::from_secs(7));
    assert_eq!(report.undelivered.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn limits_of_duration_max_mean_no_limit() {
    // Fails three times, then delivers: with no deadline and the longest backoff
    // steps there are, the waits are long but nothing overflows.
    let backend = Scripted::new(|_, attempt| {
        if attempt < 4 {
            Err(server_error())
        } else {
            Ok(())
        }
    });
    let queued = QueuedBackend::builder(backend.clone())
        .pacing(Pacing::unlimited().reset_margin(Duration::MAX))
        .retry(
            RetryPolicy::default()
                .deadline(Duration::MAX)
                .backoff(Duration::from_secs(1), Duration::MAX)
                .max_attempts(u32::MAX)
                .attempt_timeout(Some(Duration::MAX)),
        )
        .build()
        .unwrap();
    let notifier = over(queued);
    notifier.send(Message::new("eventually")).await.unwrap();
    let report = notifier.flush().await;
    assert!(report.is_complete(), "{report:?}");
    assert_eq!(backend.attempts("eventually"), 4);
}

#[tokio::test(start_paused = true)]
async fn a_reset_past_any_date_with_periods_of_duration_max_fails_without_overflow() {
    // Every number at its largest: the server's reset and budget, the room's period, the
    // deadline. The wait it asks for ends after any deadline: the notification fails as
    // rate limited, at once, and the room's lane goes on.
    let backend = Scripted::new(|m, _| {
        if m.body() != "limited" {
            return Ok(());
        }
        let mut api = api(429);
        let mut limits = RateLimit::default();
        limits.remaining = Some(0);
        limits.reset = Some(u64::MAX);
        limits.flood_limit = Some(u64::MAX);
        limits.flood_remaining = Some(u64::MAX);
        limits.flood_reset = Some(u64::MAX);
        api.rate_limit = limits;
        Err(Error::RateLimited {
            reset: api.rate_limit.reset_time(),
            api,
        })
    });
    let queued = QueuedBackend::builder(backend.clone())
        .pacing(Pacing::hipchat().per_room(Rate::new(100, Duration::MAX)))
        .retry(RetryPolicy::default().deadline(Duration::MAX))
        .build()
        .unwrap();
    let notifier = over(queued);
    notifier.send(Message::new("limited")).await.unwrap();
    notifier
        .send(Message::new("other room").room("Dev"))
        .await
        .unwrap();
    let report = notifier.flush().await;
    let [undelivered] = &report.undelivered[..] else {
        panic!("{report:?}")
    };
    assert!(
        matches!(&undelivered.reason, UndeliveredReason::Failed(e) if matches!(**e, Error::RateLimited { .. })),
        "{report:?}"
    );
    assert_eq!(undelivered.attempts, 1);
    assert_eq!(backend.received("Dev"), ["other room"]);
}

#[tokio::test(start_paused = true)]
async fn a_429_waits_for_the_announced_reset() {
    // Resets are read against a wall clock that moves with tokio's paused clock, so the
    // reset is exactly 30 s of paused time away; the backend answers 429 until then.
    let start = Instant::now();
    let clock = WallClock::tokio();
    let reset = clock.now() + Duration::from_secs(30);
    let backend = Scripted::new(move |_, _| {
        if start.elapsed() < Duration::from_secs(30) {
            let mut api = api(429);
            let mut limits = RateLimit::default();
            limits.flood_remaining = Some(0);
            api.rate_limit = limits;
            Err(Error::RateLimited {
                reset: Some(reset),
                api,
            })
        } else {
            Ok(())
        }
    });
    let queued = QueuedBackend::builder(backend.clone())
        .pacing(Pacing::unlimited().reset_margin(Duration::ZERO))
        .retry(fast_retries().jitter(false))
        .wall_clock(clock)
        .build()
        .unwrap();
    let notifier = over(queued);
    let sent = plan(&["Ops"], 5);
    send_all(&notifier, &sent).await;
    let report = notifier.flush().await;
    assert!(report.is_complete(), "{report:?}");
    let m = notifier.metrics().unwrap();
    assert_eq!(
        (m.rate_limited, m.delivered),
        (1, 5),
        "one 429, then one wait"
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(30),
        "no jitter: exactly the reset"
    );
    assert_room_order(
        &sent,
        |room| backend.received(room),
        &undelivered(&report.undelivered),
    );
}

#[tokio::test(start_paused = true)]
async fn room_pacing_holds_each_room_to_its_rate() {
    let backend = Scripted::new(|_, _| Ok(()));
    let queued = QueuedBackend::builder(backend.clone())
        .pacing(Pacing::hipchat())
        .build()
        .unwrap();
    let notifier = over(queued);
    let sent = plan(&["A", "B"], 45);
    let start = Instant::now();
    send_all(&notifier, &sent).await;
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "sending never waits on pacing"
    );
    notifier.flush().await;
    let delivered = backend.delivered.lock().unwrap().clone();
    for room in ["A", "B"] {
        let times: Vec<Duration> = delivered
            .iter()
            .filter(|d| d.0 == room)
            .map(|d| d.2 - start)
            .collect();
        // 30 per minute without headers to learn from: half of it at once, the rest
        // spread, so that no minute, fixed or sliding, holds more than 30.
        assert_eq!(times[14], Duration::ZERO);
        assert!(times[15] >= Duration::from_secs(4), "{:?}", times[15]);
        for window in times.windows(31) {
            assert!(window[30] - window[0] >= Duration::from_secs(60) - Duration::from_millis(1));
        }
    }
}

#[tokio::test(start_paused = true)]
async fn full_queue_policies() {
    // A backend that takes 1 s per notification; capacity 3; one room, so one in flight.
    let slow = || {
        let mut backend = Scripted::new(|_, _| Ok(()));
        backend.latency = Duration::from_secs(1);
        backend
    };
    let build = |policy, backend: Scripted| {
        QueuedBackend::builder(backend)
            .capacity(3)
            .when_full(policy)
            .pacing(Pacing::unlimited())
            .build()
            .unwrap()
    };

    // Error: the fifth (one in flight, three waiting) is refused.
    let notifier = over(build(FullPolicy::Error, slow()));
    for i in 0..4 {
        notifier.send(Message::new(format!("e{i}"))).await.unwrap();
        tokio::task::yield_now().await;
    }
    let error = notifier.send(Message::new("e4")).await.unwrap_err();
    assert!(
        matches!(error, Error::QueueFull { capacity: 3 }),
        "{error:?}"
    );
    let report = notifier.flush().await;
    assert_accounted(&notifier.metrics().unwrap(), &report.undelivered);
    assert_eq!(notifier.metrics().unwrap().delivered, 4);

    // DropOldest: the oldest waiting one goes, is reported (callback, and the report of a
    // flush under way), and the newest is accepted.
    let backend = slow();
    let reported = Arc::new(Mutex::new(Vec::new()));
    let sink = reported.clone();
    let queued = QueuedBackend::builder(backend.clone())
        .capacity(3)
        .when_full(FullPolicy::DropOldest)
        .pacing(Pacing::unlimited())
        .on_failure(move |u| sink.lock().unwrap().push(u.clone()))
        .build()
        .unwrap();
    let notifier = over(queued);
    for i in 0..6 {
        notifier.send(Message::new(format!("d{i}"))).await.unwrap();
        tokio::task::yield_now().await;
    }
    let report = notifier.flush().await;
    assert!(
        report.is_complete(),
        "dropped before the flush began: {report:?}"
    );
    let m = notifier.metrics().unwrap();
    assert_eq!((m.accepted, m.dropped, m.delivered), (6, 2, 4));
    assert_eq!(backend.received("Ops"), ["d0", "d3", "d4", "d5"]);
    let reported = reported.lock().unwrap().clone();
    let dropped: Vec<_> = reported.iter().map(|u| u.notification.body()).collect();
    assert_eq!(dropped, ["d1", "d2"]);
    assert_accounted(&m, &reported);

    // Wait: the sender waits for a place, nothing is lost.
    let backend = slow();
    let notifier = over(build(FullPolicy::Wait, backend.clone()));
    let start = Instant::now();
    for i in 0..6 {
        notifier.send(Message::new(format!("w{i}"))).await.unwrap();
    }
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "the sender waited"
    );
    notifier.flush().await;
    assert_eq!(backend.received("Ops").len(), 6);
}

#[tokio::test(start_paused = true)]
async fn shutdown_delivers_within_the_deadline_then_reports_the_rest() {
    let mut backend = Scripted::new(|_, _| Ok(()));
    backend.latency = Duration::from_secs(1);
    let abandoned = Arc::new(AtomicUsize::new(0));
    let counted = abandoned.clone();
    let queued = QueuedBackend::builder(backend.clone())
        .pacing(Pacing::unlimited())
        .on_failure(move |u| {
            assert!(matches!(
                u.reason,
                UndeliveredReason::Abandoned {
                    kept_in_outbox: false
                }
            ));
            counted.fetch_add(1, Ordering::SeqCst);
        })
        .build()
        .unwrap();
    let notifier = over(queued);
    let sent = plan(&["A", "B"], 10);
    send_all(&notifier, &sent).await;
    // Two rooms at one per second: 5.5 s deliver 5 of each.
    let report = notifier.shutdown(Duration::from_millis(5_500)).await;
    let m = notifier.metrics().unwrap();
    assert_eq!((m.delivered, m.abandoned), (10, 10));
    assert_eq!(abandoned.load(Ordering::SeqCst), 10);
    assert_accounted(&m, &report.undelivered);
    assert_room_order(
        &sent,
        |room| backend.received(room),
        &undelivered(&report.undelivered),
    );
    let error = notifier.send(Message::new("late")).await.unwrap_err();
    assert!(matches!(error, Error::QueueClosed), "{error:?}");
    // Nothing runs on after the shutdown.
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(backend.delivered.lock().unwrap().len(), 10);
}

#[tokio::test(start_paused = true)]
async fn attempt_timeout_bounds_a_stalled_backend() {
    let mut backend = Scripted::new(|_, _| Ok(()));
    backend.latency = Duration::from_secs(3600);
    let queued = QueuedBackend::builder(backend.clone())
        .pacing(Pacing::unlimited())
        .retry(
            fast_retries()
                .max_attempts(3)
                .attempt_timeout(Some(Duration::from_secs(1))),
        )
        .build()
        .unwrap();
    let notifier = over(queued);
    notifier.send(Message::new("x")).await.unwrap();
    let report = notifier.flush().await;
    let UndeliveredReason::Failed(error) = &report.undelivered[0].reason else {
        panic!("{report:?}")
    };
    assert!(
        matches!(
            **error,
            Error::Transport {
                reason: "timed out",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(notifier.metrics().unwrap().retried, 2);
}

#[tokio::test]
async fn non_queued_backends_flush_and_shut_down_as_no_ops() {
    let notifier =
        Notifier::with_backend(Settings::new().room("Ops"), MemoryBackend::new()).unwrap();
    assert!(notifier.flush().await.is_complete());
    assert!(notifier.shutdown(Duration::ZERO).await.is_complete());
    assert!(notifier.metrics().is_none());
    notifier.send(Message::new("still works")).await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_panicking_backend_or_callback_fails_one_notification_and_the_lane_goes_on() {
    let backend = Scripted::new(|message, _| {
        if message.body().ends_with("boom") {
            panic!("the backend broke on {}", message.body());
        }
        Ok(())
    });
    let reported = Arc::new(Mutex::new(Vec::new()));
    let seen = reported.clone();
    let queued = QueuedBackend::builder(backend.clone())
        .pacing(Pacing::unlimited())
        .retry(fast_retries())
        .on_failure(move |undelivered| {
            seen.lock()
                .unwrap()
                .push(undelivered.notification.body().to_owned());
            panic!("the callback broke too");
        })
        .build()
        .unwrap();
    let notifier = over(queued);
    for body in ["a1", "a2 boom", "a3", "b1 boom", "b2"] {
        let room = if body.starts_with('a') { "A" } else { "B" };
        notifier.send(Message::new(body).room(room)).await.unwrap();
    }
    let report = notifier.flush().await;
    let mut failed: Vec<_> = report
        .undelivered
        .iter()
        .map(|u| u.notification.body())
        .collect();
    failed.sort_unstable();
    assert_eq!(failed, ["a2 boom", "b1 boom"]);
    for undelivered in &report.undelivered {
        let UndeliveredReason::Failed(error) = &undelivered.reason else {
            panic!("{undelivered:?}")
        };
        assert!(
            matches!(&**error, Error::Panicked { message, .. } if message.starts_with("the backend broke on")),
            "{error}"
        );
        assert_eq!(undelivered.attempts, 1, "a panic is not retried");
    }
    let mut reported = reported.lock().unwrap().clone();
    reported.sort_unstable();
    assert_eq!(reported, ["a2 boom", "b1 boom"]);
    assert_eq!(backend.received("A"), ["a1", "a3"]);
    assert_eq!(backend.received("B"), ["b2"]);
    let m = notifier.metrics().unwrap();
    assert_eq!(
        (m.accepted, m.delivered, m.failed, m.pending()),
        (5, 3, 2, 0)
    );
    let report = notifier.shutdown(Duration::from_secs(1)).await;
    assert!(report.is_complete(), "{report:?}");
}

/// Hangs on its first delivery, delivers every later one.
#[derive(Clone, Default)]
struct HangsOnce {
    hung: Arc<AtomicBool>,
    delivered: Arc<AtomicUsize>,
}

impl Backend for HangsOnce {
    async fn send(&self, _: &Outgoing) -> Result<(), Error> {
        if !self.hung.swap(true, Ordering::SeqCst) {
            std::future::pending::<()>().await;
        }
        self.delivered.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

#[test]
fn a_delivery_cut_off_by_its_runtime_is_picked_up_by_the_next_flush() {
    let runtime = || {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
    };
    let backend = HangsOnce::default();
    let queued = QueuedBackend::builder(backend.clone())
        .pacing(Pacing::unlimited())
        .build()
        .unwrap();
    let notifier = over(queued);
    let first = runtime();
    first.block_on(async {
        notifier.send(Message::new("cut off")).await.unwrap();
        let in_flight = notifier.wait_for_metrics(|m| m.in_flight == 1);
        tokio::time::timeout(Duration::from_secs(5), in_flight)
            .await
            .expect("the delivery starts");
    });
    drop(first); // the lane's task goes with its runtime, mid-delivery
    let m = notifier.metrics().unwrap();
    assert_eq!((m.queued, m.in_flight), (1, 0), "back in the queue: {m:?}");
    runtime().block_on(async {
        let flush = tokio::time::timeout(Duration::from_secs(5), notifier.flush());
        assert!(flush.await.expect("the flush returns").is_complete());
    });
    assert_eq!(backend.delivered.load(Ordering::SeqCst), 1);
    let m = notifier.metrics().unwrap();
    assert_eq!((m.accepted, m.delivered, m.pending()), (1, 1, 0));
}

#[test]
fn queued_from_settings_builds_outside_a_runtime() {
    let settings = Settings::from_vars([
        ("HIPCHAT_BACKEND", "queued"),
        ("HIPCHAT_AUTH_TOKEN", "t"),
        ("HIPCHAT_QUEUE_CAPACITY", "5"),
        ("HIPCHAT_QUEUE_FULL", "drop_oldest"),
        ("HIPCHAT_RATE_LIMIT_TOKEN", "500/5m"),
        ("HIPCHAT_RATE_LIMIT_ROOM", "30/1m"),
    ])
    .unwrap();
    let notifier = Notifier::from_settings(settings).unwrap();
    assert_eq!(notifier.metrics().unwrap().accepted, 0);
    let error = Settings::from_vars([("HIPCHAT_QUEUE_FULL", "block")]).unwrap_err();
    assert!(
        error.to_string().contains("wait, error, drop_oldest"),
        "{error}"
    );
    let error = Settings::from_vars([("HIPCHAT_RATE_LIMIT_ROOM", "fast")]).unwrap_err();
    assert!(
        error.to_string().contains("HIPCHAT_RATE_LIMIT_ROOM"),
        "{error}"
    );
}
