//! How many notifications per second the devserver accepts on loopback: JSON bodies to
//! `POST /v2/room/Ops/notification`, each validated, counted and recorded as in normal
//! use (rate limits off, so that none is refused), answered 204.
//!
//! The server runs on a multi-threaded runtime of its own, as the binary does; the
//! client is one reqwest client on another runtime with [`IN_FLIGHT`] requests in flight
//! at all times. HTTP/1.1 carries one request at a time per connection, so that is
//! [`IN_FLIGHT`] keep-alive connections, each reused for every request. Every answer is
//! checked to be a 204.
//!
//! `bare_axum_204` is the same load against an axum app that only answers 204 on the same
//! kind of runtime: the ceiling the client and loopback leave on this machine, so that
//! the devserver's figure can be read as a share of it.
//!
//! `cargo bench -p hipchat-devserver --bench throughput`; `cargo test` runs it once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hipchat_devserver::{DevServer, RateLimitConfig};
use tokio::sync::oneshot;

/// Requests in flight at once (and keep-alive connections).
const IN_FLIGHT: u64 = 8;

/// A server on a runtime thread of its own; dropping it stops the server.
struct BenchServer {
    url: String,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Which server a [`BenchServer`] runs.
#[derive(Clone, Copy)]
enum Kind {
    /// The devserver, rate limits off.
    DevServer,
    /// An axum app answering 204 to the same route, and nothing else.
    Bare,
}

impl BenchServer {
    fn start(kind: Kind) -> Self {
        let (url_sender, url_receiver) = std::sync::mpsc::channel();
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(async move {
                match kind {
                    Kind::DevServer => {
                        let unlimited = RateLimitConfig {
                            token_limit: u64::MAX,
                            flood_limit: u64::MAX,
                            v1_limit: u64::MAX,
                            ..RateLimitConfig::default()
                        };
                        let server = DevServer::builder()
                            .rate_limits(unlimited)
                            .start()
                            .await
                            .expect("devserver starts");
                        url_sender
                            .send(server.url().to_owned())
                            .expect("bench waits for the URL");
                        // Until the bench drops its handle.
                        let _ = stopped.await;
                        server.stop().await.expect("devserver stops");
                    }
                    Kind::Bare => {
                        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                            .await
                            .expect("binds");
                        let addr = listener.local_addr().expect("address");
                        url_sender
                            .send(format!("http://{addr}"))
                            .expect("bench waits for the URL");
                        let app = axum::Router::new().route(
                            "/v2/room/{room}/notification",
                            axum::routing::post(|| async { axum::http::StatusCode::NO_CONTENT }),
                        );
                        axum::serve(listener, app)
                            .with_graceful_shutdown(async move {
                                let _ = stopped.await;
                            })
                            .await
                            .expect("serves");
                    }
                }
            });
        });
        let url = url_receiver.recv().expect("server URL");
        Self {
            url,
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for BenchServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Sends `count` notifications with [`IN_FLIGHT`] in flight; the time it took.
async fn send(client: &reqwest::Client, endpoint: &Arc<str>, body: &[u8], count: u64) -> Duration {
    let start = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..IN_FLIGHT {
        let share = count / IN_FLIGHT + u64::from(worker < count % IN_FLIGHT);
        let client = client.clone();
        let endpoint = Arc::clone(endpoint);
        let body = body.to_vec();
        workers.spawn(async move {
            for _ in 0..share {
                let response = client
                    .post(&*endpoint)
                    .bearer_auth("bench")
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await
                    .expect("the devserver answers");
                assert_eq!(response.status(), 204, "accepted");
            }
        });
    }
    while let Some(done) = workers.join_next().await {
        done.expect("worker finishes");
    }
    start.elapsed()
}

fn throughput(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    // What a notifier sends: the http backend's fields, html with markup.
    let body = serde_json::to_vec(&serde_json::json!({
        "message": "Deploy of <b>billing</b> 1.4.2 failed on <code>prod-3</code>",
        "message_format": "html",
        "color": "red",
        "notify": false,
        "from": "deploy-bot",
    }))
    .expect("body serializes");

    let mut group = c.benchmark_group("devserver");
    group.throughput(Throughput::Elements(1));
    for (name, kind) in [
        ("notifications", Kind::DevServer),
        ("bare_axum_204", Kind::Bare),
    ] {
        let server = BenchServer::start(kind);
        let client = reqwest::Client::builder()
            .no_proxy()
            .pool_max_idle_per_host(IN_FLIGHT as usize)
            .build()
            .expect("client builds");
        let endpoint: Arc<str> = format!("{}/v2/room/Ops/notification", server.url).into();
        group.bench_function(format!("{name}/{IN_FLIGHT}_in_flight"), |b| {
            b.to_async(&runtime)
                .iter_custom(|count| send(&client, &endpoint, &body, count));
        });
        drop(server);
    }
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
