//! End to end through the http backend to a server on 127.0.0.1, against bare reqwest
//! posting the same bytes (the limit):
//!
//! - one in flight: `.notify().await` against a sequential reqwest loop;
//! - many in flight: the queued backend (8 rooms, so 8 lanes, pacing off) draining a batch,
//!   against 8 reqwest tasks posting the same batch to the same 8 room endpoints.
//!
//! One in flight meets a minimal axum app answering 204; many in flight meets the local
//! HipChat server (hipchat-devserver, rate limits off), which validates and records. Each
//! server runs on a thread of its own; all clients keep connections alive.
//!
//! `cargo bench --bench deliver`; see BENCHMARKS.md.

use std::hint::black_box;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use criterion::Throughput;
use criterion::{Criterion, criterion_group, criterion_main};
use hipchat::backend::queued::Pacing;
use hipchat::backend::{HttpBackend, QueuedBackend};
use hipchat::prelude::*;
use hipchat::{BackendKind, Message, Notifier, Settings};
use hipchat_devserver::{DevServer, RateLimitConfig};
use reqwest::header::CONTENT_TYPE;

const TOKEN: &str = "bench-token";

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

/// Starts the server on a runtime of its own and returns its URL (ending in `/`).
fn start_server() -> String {
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
    format!("http://{address}/")
}

fn deliver(c: &mut Criterion) {
    let server = start_server();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let settings = Settings::new()
        .backend(BackendKind::Http)
        .api_url(server.as_str())
        .auth_token(TOKEN);
    let notifier = Notifier::from_settings(settings).unwrap();
    let event = DeployFailed {
        service: "billing",
        version: "1.4.2",
    };

    // The bytes the http backend sends for this event, for the bare loop to send too.
    let message = event.render().unwrap();
    let body = serde_json::to_vec(&serde_json::json!({
        "message": message.body,
        "message_format": "html",
        "color": "red",
        "notify": false,
    }))
    .unwrap();
    let endpoint = format!("{}v2/room/Ops/notification", server);
    let client = reqwest::Client::new();

    let mut group = c.benchmark_group("deliver_one_in_flight");
    group.bench_function("hipchat_notify", |b| {
        b.to_async(&runtime)
            .iter(|| async { event.notify().via(&notifier).await.unwrap() })
    });
    group.bench_function("reqwest_loop", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = client
                .post(&endpoint)
                .bearer_auth(TOKEN)
                .header(CONTENT_TYPE, "application/json")
                .body(black_box(body.clone()))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::NO_CONTENT.as_u16());
        })
    });
    group.finish();
}

/// Starts hipchat-devserver with its limits out of the way on a runtime of its own.
fn start_devserver() -> (
    String,
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
            url_sender.send(format!("{}/", server.url())).unwrap();
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

criterion_group!(benches, deliver, deliver_many);
criterion_main!(benches);
