//! The http and queued backends against a server that misbehaves (issue 10, "Done when"):
//! overflowing, negative and garbage rate-limit headers, a 64 MB error body, redirects,
//! stalls before and after the status line, resets, closes, unknown statuses, and an
//! echo of the request with its `Authorization` header.
//!
//! Whatever the server sends: the client does not panic, each failure is its typed
//! [`Error`], a queued notifier's `shutdown(deadline)` returns by its deadline with the
//! queue's accounting identity intact, and the token appears in no error or report.
//!
//! Real sockets, real time, all bounded: a client timeout of 300 ms, retries within 1 s,
//! a shutdown deadline of 2 s, and a test-side timeout around every await that could hang.

mod hostile_common;
mod queued_common;

use std::any::Any;
use std::time::{Duration, Instant, SystemTime};

use hipchat_runtime::backend::queued::{Pacing, RetryPolicy, UndeliveredReason};
use hipchat_runtime::backend::{FlushReport, HttpBackend, QueuedBackend};
use hipchat_runtime::{ApiVersion, BackendKind, Error, Message, Notifier, Settings};
use hostile_common::{Behaviour, HostileServer};
use queued_common::assert_accounted;

/// Distinctive, so a leak into an error or a report cannot be a coincidence.
const TOKEN: &str = "s3cr3t-token";

/// The client's timeout for a whole request (`Settings::timeout`).
const CLIENT_TIMEOUT: Duration = Duration::from_millis(300);

/// Bounds one send through the http backend: a few client timeouts.
const SEND_WITHIN: Duration = Duration::from_secs(5);

/// The queued notifier's shutdown deadline.
const SHUTDOWN: Duration = Duration::from_secs(2);

/// What a shutdown may take beyond its deadline: scheduling, not waiting.
const SHUTDOWN_SLACK: Duration = Duration::from_millis(500);

/// `u64::MAX`: Unix seconds that no `SystemTime` can hold.
const OVERFLOWING: &str = "18446744073709551615";

/// The error body cap of the http backend (64 KiB).
const MAX_ERROR_BODY: usize = 64 * 1024;

fn settings(server: &HostileServer) -> Settings {
    Settings::new()
        .backend(BackendKind::Http)
        .api_url(server.url())
        .auth_token(TOKEN)
        .timeout(CLIENT_TIMEOUT)
}

fn message() -> Message {
    Message::new("Deploy of billing failed").room("Ops")
}

/// A Unix time `secs` from now, as a header value.
fn unix_in(secs: u64) -> String {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("after 1970");
    (now.as_secs() + secs).to_string()
}

fn panic_text(panic: Box<dyn Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|text| text.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// The error, every source below it, and its Debug form: nothing here may hold the token.
fn assert_token_hidden(error: &Error) {
    let mut shown = format!("{error}\n{error:?}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        shown.push_str(&format!("\n{cause}\n{cause:?}"));
        source = cause.source();
    }
    assert!(!shown.contains(TOKEN), "the token is shown: {shown}");
}

// ---------------------------------------------------------------------------------------
// Drivers
// ---------------------------------------------------------------------------------------

/// Sends one notification through the http backend to a server behaving as `behaviour`.
/// A panic in the client fails the test naming it; so does a send that does not return.
async fn send_http(behaviour: Behaviour) -> (Result<(), Error>, HostileServer) {
    let server = HostileServer::start(behaviour).await;
    let notifier = Notifier::from_settings(settings(&server)).expect("an http notifier");
    let send = tokio::spawn(async move { notifier.send(message()).await });
    let result = tokio::time::timeout(SEND_WITHIN, send)
        .await
        .unwrap_or_else(|_| panic!("the send did not return within {SEND_WITHIN:?}"))
        .unwrap_or_else(|join| {
            panic!(
                "the http backend panicked: {}",
                panic_text(join.into_panic())
            )
        });
    if let Err(error) = &result {
        assert_token_hidden(error);
    }
    (result, server)
}

/// The error of one notification sent through the http backend; exactly one request
/// reached the server.
async fn http_error(behaviour: Behaviour) -> (Error, HostileServer) {
    let (result, server) = send_http(behaviour).await;
    let error = result.expect_err("the server did not accept the notification");
    assert_eq!(
        server.requests(),
        1,
        "one request, no retry, no redirect followed"
    );
    (error, server)
}

/// Retries that end quickly: at most 3 attempts within 1 s, backoff from 10 ms.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .deadline(Duration::from_secs(1))
        .backoff(Duration::from_millis(10), Duration::from_millis(50))
}

/// A queued notifier over the http backend to `server`; pacing learns from its headers.
fn queued_notifier(
    server: &HostileServer,
    client_timeout: Duration,
    retry: RetryPolicy,
) -> Notifier {
    let settings = settings(server).timeout(client_timeout);
    let http = HttpBackend::from_settings(&settings).expect("an http backend");
    let queued = QueuedBackend::builder(http)
        .pacing(Pacing::unlimited())
        .retry(retry)
        .build()
        .expect("a queued backend");
    Notifier::with_backend(settings, queued).expect("a queued notifier")
}

/// Queues `count` notifications, shuts down with a 2 s deadline, and checks that the
/// shutdown kept its deadline, that the accounting identity holds and that the report
/// does not show the token.
async fn send_and_shut_down(notifier: &Notifier, count: usize) -> FlushReport {
    for _ in 0..count {
        notifier.send(message()).await.expect("accepted");
    }
    let started = Instant::now();
    let report = tokio::time::timeout(SHUTDOWN + SHUTDOWN_SLACK, notifier.shutdown(SHUTDOWN))
        .await
        .unwrap_or_else(|_| {
            panic!(
                "shutdown({SHUTDOWN:?}) still running after {:?}",
                started.elapsed()
            )
        });
    let metrics = notifier.metrics().expect("a queued backend has metrics");
    assert_eq!(metrics.accepted, count as u64, "{metrics:?}");
    assert_accounted(&metrics, &report.undelivered);
    let shown = format!("{report:?}");
    assert!(
        !shown.contains(TOKEN),
        "the token is in the report: {shown}"
    );
    for undelivered in &report.undelivered {
        if let UndeliveredReason::Failed(error) = &undelivered.reason {
            assert_token_hidden(error);
        }
    }
    report
}

/// [`send_and_shut_down`] through a notifier that gives up quickly, to a server behaving
/// as `behaviour`.
async fn shutdown_queued(behaviour: Behaviour, count: usize) -> (FlushReport, HostileServer) {
    let server = HostileServer::start(behaviour).await;
    let notifier = queued_notifier(&server, CLIENT_TIMEOUT, quick_retries());
    let report = send_and_shut_down(&notifier, count).await;
    (report, server)
}

/// The error the one queued notification failed with (not abandoned, not delivered).
fn failed_with(report: &FlushReport) -> &Error {
    match report.undelivered.as_slice() {
        [undelivered] => match &undelivered.reason {
            UndeliveredReason::Failed(error) => error,
            other => panic!("expected a failure with a typed error, got {other:?}: {report:?}"),
        },
        _ => panic!("expected exactly one undelivered notification: {report:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Rate-limit headers
// ---------------------------------------------------------------------------------------

/// HipChat's answer to a spent budget.
const RATE_LIMIT_BODY: &str =
    r#"{"error":{"code":429,"type":"Too Many Requests","message":"Rate Limit exceeded"}}"#;

fn too_many_requests(headers: &[(&str, &str)]) -> Behaviour {
    Behaviour::answer(429, headers, RATE_LIMIT_BODY)
}

/// A reset no clock can represent: the token's budget.
fn overflowing_token_reset() -> Behaviour {
    too_many_requests(&[
        ("X-Ratelimit-Limit", "100"),
        ("X-Ratelimit-Remaining", "0"),
        ("X-Ratelimit-Reset", OVERFLOWING),
    ])
}

/// A reset no clock can represent: the room's flood control.
fn overflowing_flood_reset() -> Behaviour {
    too_many_requests(&[
        ("X-FloodControl-Limit", "30"),
        ("X-FloodControl-Remaining", "0"),
        ("X-FloodControl-Reset", OVERFLOWING),
    ])
}

/// A 429 with both budgets spent, both resetting at `value`.
fn reset_of(value: &str) -> Behaviour {
    too_many_requests(&[
        ("X-Ratelimit-Remaining", "0"),
        ("X-Ratelimit-Reset", value),
        ("X-FloodControl-Remaining", "0"),
        ("X-FloodControl-Reset", value),
    ])
}

/// An answer `status` announcing more requests left than any budget holds (`u64::MAX`,
/// and beyond it), renewed at `reset`.
fn huge_remaining(status: u16, reset: &str) -> Behaviour {
    let headers = [
        ("X-Ratelimit-Limit", OVERFLOWING),
        ("X-Ratelimit-Remaining", OVERFLOWING),
        ("X-Ratelimit-Reset", reset),
        ("X-FloodControl-Remaining", "99999999999999999999999999"),
        ("X-FloodControl-Reset", reset),
    ];
    let body = if status == 429 { RATE_LIMIT_BODY } else { "" };
    Behaviour::answer(status, &headers, body)
}

/// A 429 whose reset is unusable: a rate limit all the same, with the reset, if any,
/// in the future.
fn assert_rate_limited(error: &Error) {
    let Error::RateLimited { reset, api } = error else {
        panic!("expected RateLimited, got {error:?}")
    };
    assert_eq!(api.status, 429);
    if let Some(reset) = reset {
        assert!(*reset > SystemTime::now(), "a reset in the past: {reset:?}");
    }
}

#[tokio::test]
async fn http_overflowing_token_reset_is_a_rate_limit() {
    let (error, _server) = http_error(overflowing_token_reset()).await;
    assert_rate_limited(&error);
}

#[tokio::test]
async fn http_overflowing_flood_reset_is_a_rate_limit() {
    let (error, _server) = http_error(overflowing_flood_reset()).await;
    assert_rate_limited(&error);
}

#[tokio::test]
async fn http_negative_and_garbage_resets_are_ignored() {
    for value in ["-5", "soon", "", "1e9", "0x10"] {
        let (error, _server) = http_error(reset_of(value)).await;
        let Error::RateLimited { reset, api } = &error else {
            panic!("reset {value:?}: expected RateLimited, got {error:?}")
        };
        assert_eq!(*reset, None, "reset {value:?}");
        assert_eq!(
            (api.rate_limit.reset, api.rate_limit.flood_reset),
            (None, None)
        );
    }
}

#[tokio::test]
async fn http_huge_remaining_on_a_429_is_a_rate_limit() {
    let (error, _server) = http_error(huge_remaining(429, &unix_in(60))).await;
    assert_rate_limited(&error);
    let api = error.api().expect("the answer");
    assert_eq!(api.rate_limit.remaining, Some(u64::MAX));
    assert_eq!(
        api.rate_limit.flood_remaining, None,
        "beyond u64: not a number"
    );
}

#[tokio::test]
async fn http_success_with_overflowing_headers_is_delivered() {
    let (result, server) = send_http(huge_remaining(204, OVERFLOWING)).await;
    result.expect("a 204 is a delivery, whatever its headers");
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn queued_overflowing_token_reset_fails_within_the_retry_deadline() {
    let (report, _server) = shutdown_queued(overflowing_token_reset(), 1).await;
    assert_rate_limited(failed_with(&report));
}

#[tokio::test]
async fn queued_overflowing_flood_reset_fails_within_the_retry_deadline() {
    let (report, _server) = shutdown_queued(overflowing_flood_reset(), 1).await;
    assert_rate_limited(failed_with(&report));
}

#[tokio::test]
async fn queued_negative_and_garbage_resets_back_off_and_fail() {
    for value in ["-5", "soon"] {
        let (report, server) = shutdown_queued(reset_of(value), 1).await;
        assert_rate_limited(failed_with(&report));
        assert_eq!(
            report.undelivered[0].attempts, 3,
            "reset {value:?}: every attempt made"
        );
        assert_eq!(server.requests(), 3, "reset {value:?}");
    }
}

#[tokio::test]
async fn queued_huge_remaining_on_a_429_fails() {
    let (report, _server) = shutdown_queued(huge_remaining(429, &unix_in(60)), 1).await;
    assert_rate_limited(failed_with(&report));
}

#[tokio::test]
async fn queued_success_with_overflowing_headers_delivers_everything() {
    // Pacing learns a budget from these headers; the next notification must still go.
    let (report, server) = shutdown_queued(huge_remaining(204, OVERFLOWING), 3).await;
    assert!(report.is_complete(), "{report:?}");
    assert_eq!(server.requests(), 3);
}

// ---------------------------------------------------------------------------------------
// A 64 MB error body
// ---------------------------------------------------------------------------------------

const HUGE_BODY: u64 = 64 * 1024 * 1024;

/// The client read at most its cap and let the connection go: the server could not
/// write the whole body.
async fn assert_stopped_reading_early(server: &HostileServer, connections: usize) {
    assert!(
        server.connections_finished(connections, SEND_WITHIN).await,
        "the client still holds the connection"
    );
    let written = server.body_bytes_written();
    assert!(
        written < HUGE_BODY * connections as u64,
        "the client read all {written} bytes"
    );
}

#[tokio::test]
async fn http_64_mb_error_body_is_cut_at_the_cap() {
    let behaviour = Behaviour::HugeBody {
        status: 500,
        len: HUGE_BODY,
    };
    let (error, server) = http_error(behaviour).await;
    let Error::Server(api) = &error else {
        panic!("expected Server, got {error:?}")
    };
    assert_eq!(api.status, 500);
    assert_eq!(api.body.len(), MAX_ERROR_BODY);
    assert_stopped_reading_early(&server, 1).await;
}

#[tokio::test]
async fn queued_64_mb_error_body_is_cut_at_the_cap() {
    let behaviour = Behaviour::HugeBody {
        status: 502,
        len: HUGE_BODY,
    };
    let (report, server) = shutdown_queued(behaviour, 1).await;
    let error = failed_with(&report);
    let Error::Server(api) = error else {
        panic!("expected Server, got {error:?}")
    };
    assert_eq!(api.body.len(), MAX_ERROR_BODY);
    assert_stopped_reading_early(&server, server.requests()).await;
}

// ---------------------------------------------------------------------------------------
// Redirects
// ---------------------------------------------------------------------------------------

fn redirect(status: u16, server_url: &str) -> Behaviour {
    let location = format!("{server_url}/elsewhere");
    Behaviour::answer(status, &[("Location", &location)], "")
}

#[tokio::test]
async fn http_redirects_are_reported_not_followed() {
    for status in [301, 302, 307, 308] {
        // The redirect points at a second server: following it would show there.
        let probe = HostileServer::start(Behaviour::Close).await;
        let (error, _server) = http_error(redirect(status, probe.url())).await;
        let Error::UnexpectedStatus(api) = &error else {
            panic!("{status}: expected UnexpectedStatus, got {error:?}")
        };
        assert_eq!(api.status, status);
        assert_eq!(probe.requests(), 0, "{status}: the redirect was followed");
    }
}

#[tokio::test]
async fn queued_redirect_fails_at_once() {
    let probe = HostileServer::start(Behaviour::Close).await;
    let (report, server) = shutdown_queued(redirect(302, probe.url()), 1).await;
    let error = failed_with(&report);
    assert!(
        matches!(error, Error::UnexpectedStatus(api) if api.status == 302),
        "{error:?}"
    );
    assert_eq!(
        report.undelivered[0].attempts, 1,
        "a redirect is not retried"
    );
    assert_eq!((server.requests(), probe.requests()), (1, 0));
}

// ---------------------------------------------------------------------------------------
// Stalls, resets, closes
// ---------------------------------------------------------------------------------------

fn assert_timed_out(error: &Error) {
    assert!(
        matches!(
            error,
            Error::Transport {
                reason: "timed out",
                ..
            }
        ),
        "expected a timeout, got {error:?}"
    );
}

fn stall_before_status_line() -> Behaviour {
    Behaviour::Stall { prefix: Vec::new() }
}

fn stall_in_headers() -> Behaviour {
    Behaviour::stall_in_headers(200, &[("X-Ratelimit-Limit", "100")])
}

/// A 500 whose body never comes: the status is known, the body read times out.
fn stall_in_error_body() -> Behaviour {
    Behaviour::stall_in_body(500, 1000, r#"{"error": {"code": 500, "#)
}

#[tokio::test]
async fn http_stall_before_the_status_line_times_out() {
    let (error, _server) = http_error(stall_before_status_line()).await;
    assert_timed_out(&error);
}

#[tokio::test]
async fn http_stall_in_the_headers_times_out() {
    let (error, _server) = http_error(stall_in_headers()).await;
    assert_timed_out(&error);
}

#[tokio::test]
async fn http_stall_in_an_error_body_reports_the_status() {
    let (error, _server) = http_error(stall_in_error_body()).await;
    let Error::Server(api) = &error else {
        panic!("expected Server, got {error:?}")
    };
    assert_eq!(api.status, 500);
}

#[tokio::test]
async fn http_reset_and_close_without_an_answer_are_transport_errors() {
    for behaviour in [Behaviour::Reset, Behaviour::Close] {
        let (error, _server) = http_error(behaviour.clone()).await;
        assert!(
            matches!(
                error,
                Error::Transport {
                    reason: "request failed",
                    ..
                }
            ),
            "{behaviour:?}: {error:?}"
        );
    }
}

#[tokio::test]
async fn queued_stalls_time_out_and_fail() {
    for behaviour in [stall_before_status_line(), stall_in_headers()] {
        let (report, _server) = shutdown_queued(behaviour, 1).await;
        assert_timed_out(failed_with(&report));
    }
}

#[tokio::test]
async fn queued_stall_in_an_error_body_fails_as_a_server_error() {
    let (report, _server) = shutdown_queued(stall_in_error_body(), 1).await;
    let error = failed_with(&report);
    assert!(
        matches!(error, Error::Server(api) if api.status == 500),
        "{error:?}"
    );
}

#[tokio::test]
async fn queued_reset_and_close_are_retried_then_fail() {
    for behaviour in [Behaviour::Reset, Behaviour::Close] {
        let (report, server) = shutdown_queued(behaviour.clone(), 1).await;
        let error = failed_with(&report);
        assert!(
            matches!(error, Error::Transport { .. }),
            "{behaviour:?}: {error:?}"
        );
        assert_eq!(server.requests(), 3, "{behaviour:?}: every attempt made");
    }
}

#[tokio::test]
async fn queued_shutdown_abandons_what_a_stalled_server_holds_by_its_deadline() {
    // A client that waits longer than the shutdown: the deadline decides.
    let server = HostileServer::start(stall_before_status_line()).await;
    let notifier = queued_notifier(&server, Duration::from_secs(60), RetryPolicy::default());
    let report = send_and_shut_down(&notifier, 3).await;
    assert_eq!(
        report.count(|reason| matches!(reason, UndeliveredReason::Abandoned { .. })),
        3,
        "{report:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Unknown statuses, and a server that echoes the request
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn http_unknown_statuses_are_typed_by_their_class() {
    let (result, _server) = send_http(Behaviour::answer(299, &[], "")).await;
    result.expect("any 2xx is a delivery");
    for status in [418, 999] {
        let (error, _server) = http_error(Behaviour::answer(status, &[], "?")).await;
        assert!(
            matches!(&error, Error::UnexpectedStatus(api) if api.status == status),
            "{status}: {error:?}"
        );
    }
    let (error, _server) = http_error(Behaviour::answer(599, &[], "?")).await;
    assert!(
        matches!(&error, Error::Server(api) if api.status == 599),
        "{error:?}"
    );
}

#[tokio::test]
async fn http_a_status_line_that_is_not_http_is_a_transport_error() {
    for garbage in [
        "HTTP/1.1 abc Nope\r\n\r\n",
        "HTTP/1.1 1000 Big\r\n\r\n",
        "SSH-2.0-OpenSSH\r\n\r\n",
    ] {
        let (error, _server) = http_error(Behaviour::Answer(garbage.into())).await;
        assert!(
            matches!(error, Error::Transport { .. }),
            "{garbage:?}: {error:?}"
        );
    }
}

#[tokio::test]
async fn queued_unknown_statuses_fail_by_their_class() {
    let (report, server) = shutdown_queued(Behaviour::answer(418, &[], "?"), 1).await;
    let error = failed_with(&report);
    assert!(
        matches!(error, Error::UnexpectedStatus(api) if api.status == 418),
        "{error:?}"
    );
    assert_eq!(server.requests(), 1, "an unknown 4xx is not retried");
    let (report, server) = shutdown_queued(Behaviour::answer(599, &[], "?"), 1).await;
    let error = failed_with(&report);
    assert!(
        matches!(error, Error::Server(api) if api.status == 599),
        "{error:?}"
    );
    assert_eq!(server.requests(), 3, "a 5xx is retried");
}

#[tokio::test]
async fn http_an_echoed_token_is_never_shown() {
    // `http_error` checks every error it returns for the token.
    let (error, _server) = http_error(Behaviour::Echo { status: 400 }).await;
    let Error::BadRequest(api) = &error else {
        panic!("{error:?}")
    };
    // The echo is there, with the token replaced: the check above is not vacuous.
    assert!(api.body.contains("Bearer <redacted>"), "{}", api.body);
}

#[tokio::test]
async fn queued_an_echoed_token_is_never_shown() {
    // `shutdown_queued` checks the report and its errors for the token.
    let (report, _server) = shutdown_queued(Behaviour::Echo { status: 400 }, 1).await;
    let Error::BadRequest(api) = failed_with(&report) else {
        panic!("{report:?}")
    };
    assert!(api.body.contains("Bearer <redacted>"), "{}", api.body);
}

/// A log sink the test reads back.
#[derive(Clone, Default)]
struct Logs(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_token_is_never_logged() {
    // Everything logged at every level on this (the runtime's only) thread, while the
    // client meets servers that echo the request: v2 with its `Authorization` header,
    // directly and through the queue, and v1 with the token in the query string.
    let logs = Logs::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .finish();
    let _logging = tracing::subscriber::set_default(subscriber);

    let (error, _server) = http_error(Behaviour::Echo { status: 400 }).await;
    tracing::warn!(%error, ?error, "as an application would log it");
    let (report, _server) = shutdown_queued(Behaviour::Echo { status: 400 }, 1).await;
    tracing::warn!(?report, "as an application would log it");
    let server = HostileServer::start(Behaviour::Echo { status: 400 }).await;
    let v1 = Notifier::from_settings(settings(&server).api_version(ApiVersion::V1))
        .expect("a v1 notifier");
    let error = v1
        .send(message().from("deploy bot"))
        .await
        .expect_err("the echo is a 400");
    assert_token_hidden(&error);
    tracing::warn!(%error, ?error, "as an application would log it");

    let logged = String::from_utf8(logs.0.lock().unwrap().clone()).expect("utf-8 logs");
    assert!(
        logged.contains("hipchat_delivery") && logged.contains("auth_token=<redacted>"),
        "the client's own logs and the echoes are there: {logged}"
    );
    assert!(!logged.contains(TOKEN), "the token is logged: {logged}");
}
