//! End to end, one notification in flight: `.notify().await` through the http backend to a
//! server on 127.0.0.1, against a bare reqwest loop posting the same bytes (the limit).
//!
//! The server is a minimal axum app answering 204, on its own runtime thread, so both
//! clients meet the same server. Both keep connections alive.
//!
//! `cargo bench --bench deliver`; see BENCHMARKS.md.

use std::hint::black_box;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use criterion::{Criterion, criterion_group, criterion_main};
use hipchat::prelude::*;
use hipchat::{BackendKind, Notifier, Settings, Url};
use reqwest::header::CONTENT_TYPE;

const TOKEN: &str = "bench-token";

#[hipchat(
    room = "Ops",
    color = "red",
    message = "Deploy of <b>{{ service }}</b> {{ version }} failed"
)]
struct DeployFailed {
    service: &'static str,
    version: &'static str,
}

/// Starts the server on a runtime of its own and returns its URL.
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

fn deliver(c: &mut Criterion) {
    let server = start_server();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let settings = Settings::new()
        .backend(BackendKind::Http)
        .api_url(server.clone())
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

criterion_group!(benches, deliver);
criterion_main!(benches);
