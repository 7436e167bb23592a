//! End to end through the http backend to a server on 127.0.0.1, against bare reqwest
//! posting the same bytes with the same headers (the limit):
//!
//! - one in flight: `.notify().await` against a sequential reqwest loop, to a minimal axum
//!   app answering 204 (`deliver_one_in_flight`) and to nginx answering 204
//!   (`deliver_to_nginx`: the fastest server at hand, so the client's own cost shows);
//! - many in flight: the queued backend (8 rooms, so 8 lanes, pacing off) draining a batch,
//!   against 8 reqwest tasks posting the same batch to the same 8 room endpoints, to the
//!   local HipChat server (hipchat-devserver, rate limits off), which validates and
//!   records.
//!
//! Each server runs on a thread (nginx: a process) of its own; all clients keep
//! connections alive. Before measuring, both one-in-flight clients post once to a
//! capturing server and what they send is asserted equal. The bench starts nginx (Debian's
//! `nginx-light`) itself; without it, it says so and skips that comparison, except under
//! `CI=true`, where a missing nginx fails.
//!
//! `cargo bench --bench deliver`; see BENCHMARKS.md.

use std::hint::black_box;
use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use criterion::Throughput;
use criterion::{Criterion, criterion_group, criterion_main};
use hipchat::backend::queued::Pacing;
use hipchat::backend::{HttpBackend, QueuedBackend};
use hipchat::prelude::*;
use hipchat::{BackendKind, Message, Notifier, Settings};
use hipchat_devserver::{DevServer, RateLimitConfig};
use reqwest::Url;
use reqwest::header::{CONTENT_TYPE, USER_AGENT};

#[path = "support/nginx.rs"]
mod nginx;

const TOKEN: &str = "bench-token";

/// The User-Agent the http backend sends, for the bare loop to send too.
const HIPCHAT_USER_AGENT: &str = concat!("hipchat-rs/", env!("CARGO_PKG_VERSION"));

/// The backend's JSON for the one-in-flight event, field for field.
const ONE_BODY: &[u8] = br#"{"message":"Deploy of <b>billing</b> 1.4.2 failed","message_format":"html","color":"red","notify":false}"#;

/// Rooms of the many-in-flight batch: the queued backend keeps one lane per room.
const ROOMS: [&str; 8] = [
    "Ops", "Dev", "QA", "Build", "Deploys", "Alerts", "Billing", "Search",
];

/// Notifications per sample of the many-in-flight benchmarks.
const BATCH: usize = 400;

#[hipchat(
    room = "Ops",
    color = "red",
    message = "Deploy of <b>{{ service }}</b> {{ version }} failed"
)]
struct DeployFailed {
    service: &'static str,
    version: &'static str,
}

/// Starts a minimal axum app answering 204 on a runtime of its own; returns its URL.
fn start_server() -> Url {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            sender.send(listener.local_addr().unwrap()).unwrap();
            let app = Router::new().route(
                "/v2/room/{room}/notification",
                post(|| async { StatusCode::NO_CONTENT }),
            );
            axum::serve(listener, app).await.unwrap();
        });
    });
    let address = receiver.recv().unwrap();
    Url::parse(&format!("http://{address}")).unwrap()
}

/// The requests a capturing server received: headers and body of each.
type Captured = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

/// Starts a server on `runtime` that records every request and answers 204.
fn start_capturing_server(runtime: &tokio::runtime::Runtime) -> (Url, Captured) {
    let captured = Captured::default();
    let record = captured.clone();
    let app = Router::new().route(
        "/v2/room/{room}/notification",
        post(move |headers: HeaderMap, body: Bytes| async move {
            record.lock().unwrap().push((headers, body));
            StatusCode::NO_CONTENT
        }),
    );
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)))
        .unwrap();
    let address = listener.local_addr().unwrap();
    runtime.spawn(async move { axum::serve(listener, app).await.unwrap() });
    (Url::parse(&format!("http://{address}")).unwrap(), captured)
}

/// A client built like the http backend's: same User-Agent, no redirects.
fn bare_client() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(HIPCHAT_USER_AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// One bare request: what the http backend sends for the event, with nothing around it.
async fn post_bare(client: &reqwest::Client, endpoint: &str) {
    let response = client
        .post(endpoint)
        .bearer_auth(TOKEN)
        .header(CONTENT_TYPE, "application/json")
        .body(black_box(ONE_BODY))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT.as_u16());
}

fn http_notifier(server: Url) -> Notifier {
    let settings = Settings::new()
        .backend(BackendKind::Http)
        .api_url(server.as_str())
        .auth_token(TOKEN);
    Notifier::from_settings(settings).unwrap()
}

fn event() -> DeployFailed {
    DeployFailed {
        service: "billing",
        version: "1.4.2",
    }
}

/// Asserts that the notifier and the bare loop send the same body and headers.
fn assert_same_requests(runtime: &tokio::runtime::Runtime, client: &reqwest::Client) {
    let (server, captured) = start_capturing_server(runtime);
    runtime.block_on(async {
        event()
            .notify()
            .via(&http_notifier(server.clone()))
            .await
            .unwrap();
        post_bare(client, &format!("{server}v2/room/Ops/notification")).await;
    });
    let captured = captured.lock().unwrap();
    let [(hipchat_headers, hipchat_body), (bare_headers, bare_body)] = &captured[..] else {
        panic!("expected two requests, got {}", captured.len());
    };
    assert_eq!(hipchat_body, bare_body);
    assert_eq!(hipchat_headers, bare_headers);
    assert_eq!(bare_headers[USER_AGENT], HIPCHAT_USER_AGENT);
}

/// `group`: `.notify()` against the bare loop, one in flight, to `server`.
fn one_in_flight(c: &mut Criterion, group: &str, server: Url) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = bare_client();
    assert_same_requests(&runtime, &client);
    let notifier = http_notifier(server.clone());
    let event = event();
    let endpoint = format!("{server}v2/room/Ops/notification");

    let mut group = c.benchmark_group(group);
    group.bench_function("hipchat_notify", |b| {
        b.to_async(&runtime)
            .iter(|| async { event.notify().via(&notifier).await.unwrap() })
    });
    group.bench_function("reqwest_loop", |b| {
        b.to_async(&runtime).iter(|| post_bare(&client, &endpoint))
    });
    group.finish();
}

fn deliver(c: &mut Criterion) {
    one_in_flight(c, "deliver_one_in_flight", start_server());
}

fn deliver_to_nginx(c: &mut Criterion) {
    let Some(nginx) = nginx::start_or_skip() else {
        return;
    };
    one_in_flight(c, "deliver_to_nginx", nginx.url());
}

/// Starts hipchat-devserver with its limits out of the way on a runtime of its own.
fn start_devserver() -> (
    Url,
    std::thread::JoinHandle<()>,
    tokio::sync::oneshot::Sender<()>,
) {
    let (url_sender, url_receiver) = std::sync::mpsc::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let server = DevServer::builder()
                .rate_limits(RateLimitConfig {
                    token_limit: u64::MAX / 2,
                    flood_limit: u64::MAX / 2,
                    ..RateLimitConfig::default()
                })
                .start()
                .await
                .unwrap();
            url_sender
                .send(Url::parse(&format!("{}/", server.url())).unwrap())
                .unwrap();
            let _ = stopped.await;
            server.stop().await.unwrap();
        });
    });
    (url_receiver.recv().unwrap(), thread, stop)
}

fn deliver_many(c: &mut Criterion) {
    let (server, server_thread, stop_server) = start_devserver();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let settings = Settings::new().api_url(server.as_str()).auth_token(TOKEN);
    let notifier = runtime.block_on(async {
        let http = HttpBackend::from_settings(&settings).unwrap();
        let queued = QueuedBackend::builder(http)
            .capacity(BATCH)
            .pacing(Pacing::unlimited())
            .max_in_flight(ROOMS.len())
            .build()
            .unwrap();
        Notifier::with_backend(settings.clone(), queued).unwrap()
    });
    let body = "Deploy of <b>billing</b> 1.4.2 failed";
    let json = serde_json::to_vec(&serde_json::json!({
        "message": body, "message_format": "html", "color": "yellow", "notify": false,
    }))
    .unwrap();
    let endpoints: Vec<String> = ROOMS
        .iter()
        .map(|room| format!("{server}v2/room/{room}/notification"))
        .collect();
    let client = reqwest::Client::new();

    let mut group = c.benchmark_group("deliver_many_in_flight");
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_function("hipchat_queued", |b| {
        b.to_async(&runtime).iter(|| async {
            for i in 0..BATCH {
                notifier
                    .send(Message::new(body).room(ROOMS[i % ROOMS.len()]))
                    .await
                    .unwrap();
            }
            let report = notifier.flush().await;
            assert!(report.is_complete(), "{report:?}");
        })
    });
    group.bench_function("reqwest_8_tasks", |b| {
        b.to_async(&runtime).iter(|| async {
            let mut tasks = tokio::task::JoinSet::new();
            for endpoint in &endpoints {
                let (client, endpoint, json) = (client.clone(), endpoint.clone(), json.clone());
                tasks.spawn(async move {
                    for _ in 0..BATCH / ROOMS.len() {
                        let response = client
                            .post(&endpoint)
                            .bearer_auth(TOKEN)
                            .header(CONTENT_TYPE, "application/json")
                            .body(json.clone())
                            .send()
                            .await
                            .unwrap();
                        assert_eq!(response.status(), StatusCode::NO_CONTENT.as_u16());
                    }
                });
            }
            while let Some(done) = tasks.join_next().await {
                done.unwrap();
            }
        })
    });
    group.finish();
    drop(notifier);
    let _ = stop_server.send(());
    server_thread.join().unwrap();
}

criterion_group!(benches, deliver, deliver_to_nginx, deliver_many);
criterion_main!(benches);
