//! A real crash (feature `durable`): a child process accepts notifications into a queued
//! backend with a durable outbox, against a server failing most requests, and is killed
//! with SIGKILL in the middle of delivering. A restart on the same outbox file delivers
//! everything that was accepted: each notification arrives at least once, in order per
//! room, and the outbox ends empty.
//!
//! One binary plays both parts (`harness = false`): run by `cargo test` it is the parent,
//! and it starts itself again as the child with `CHILD_OUTBOX` set.

mod queued_common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use hipchat_devserver::FaultConfig;
use hipchat_runtime::Message;
use queued_common::{assert_room_order, durable_notifier, flaky_server, plan, runtime};

const CHILD_OUTBOX: &str = "HIPCHAT_CRASH_TEST_OUTBOX";
const CHILD_SERVER: &str = "HIPCHAT_CRASH_TEST_SERVER";
const ROOMS: [&str; 3] = ["Ops", "Dev", "QA"];
const PER_ROOM: usize = 30;

/// The child: accept everything, say so, keep delivering until killed (at most 60 s).
fn child(outbox: &str, url: &str) {
    runtime().block_on(async {
        let notifier = durable_notifier(url, Path::new(outbox)).expect("a durable notifier");
        for (room, body) in plan(&ROOMS, PER_ROOM) {
            notifier
                .send(Message::new(body).room(room))
                .await
                .expect("accepted");
        }
        println!("accepted {}", ROOMS.len() * PER_ROOM);
        tokio::time::sleep(Duration::from_secs(60)).await;
    });
}

fn parent() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let outbox = dir.path().join("outbox.db");
    let server_rt = runtime();
    let server = server_rt.block_on(flaky_server(0.8, 11));

    let mut child = Command::new(std::env::current_exe().expect("this test binary"))
        .env(CHILD_OUTBOX, &outbox)
        .env(CHILD_SERVER, server.url())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the child process");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("the child's stdout"))
        .read_line(&mut line)
        .expect("the child's report");
    assert_eq!(line.trim(), format!("accepted {}", ROOMS.len() * PER_ROOM));

    // Kill it mid-delivery: once some have arrived (bounded wait).
    let some_arrived = server_rt.block_on(async {
        tokio::time::timeout(Duration::from_secs(20), server.wait_for_messages(10)).await
    });
    assert!(some_arrived.is_ok(), "10 deliveries within 20 s");
    child.kill().expect("SIGKILL"); // `Child::kill` is SIGKILL on unix
    child.wait().expect("the killed child");
    let before_restart = server.all_messages().len();
    assert!(
        (1..ROOMS.len() * PER_ROOM).contains(&before_restart),
        "the kill should land mid-delivery: {before_restart} had arrived"
    );

    // Restart on the same outbox, the server healthy again.
    server
        .set_faults(FaultConfig::default())
        .expect("faults off");
    let client_rt = runtime();
    client_rt.block_on(async {
        let notifier = durable_notifier(server.url(), &outbox).expect("a durable notifier");
        let recovered = notifier.metrics().expect("queue metrics").recovered;
        assert!(recovered > 0, "the outbox kept nothing");
        let report = tokio::time::timeout(Duration::from_secs(60), notifier.flush())
            .await
            .expect("flushed within 60 s");
        assert!(report.is_complete(), "{report:?}");
        assert_eq!(
            notifier.metrics().expect("queue metrics").delivered,
            recovered
        );
    });
    drop(client_rt);

    // Everything accepted arrived, first arrivals in order per room; none is left behind.
    let sent = plan(&ROOMS, PER_ROOM);
    let received = |room: &str| {
        server
            .messages(room)
            .into_iter()
            .map(|m| m.message)
            .collect()
    };
    assert_room_order(&sent, received, &Default::default());
    let left = runtime().block_on(async {
        durable_notifier(server.url(), &outbox)
            .expect("a durable notifier")
            .metrics()
            .expect("metrics")
            .recovered
    });
    assert_eq!(left, 0, "the outbox still holds notifications");
    println!(
        "durable outbox survived SIGKILL: {before_restart} arrived before the kill, {} after, {} duplicates",
        server.all_messages().len() - before_restart,
        server.all_messages().len() - sent.len(),
    );
}

fn main() {
    match (std::env::var(CHILD_OUTBOX), std::env::var(CHILD_SERVER)) {
        (Ok(outbox), Ok(url)) => child(&outbox, &url),
        _ => {
            parent();
            println!("1 passed, 0 failed");
        }
    }
}
