//! The durable outbox (feature `durable`): a crash within the process, by dropping the
//! client's tokio runtime (every delivery task dies where it stands, nothing is shut down),
//! then a restart on the same outbox file delivers what was accepted and not yet delivered.
//! Its metrics make the exact accounting checkable; `queued_crash.rs` kills a real process.
#![cfg(feature = "durable")]

mod queued_common;

use std::time::Duration;

use hipchat_devserver::FaultConfig;
use hipchat_runtime::{Error, Message};
use queued_common::{
    assert_accounted, assert_room_order, durable_notifier, flaky_server, plan, runtime, undelivered,
};

#[test]
fn a_crash_loses_nothing_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = dir.path().join("outbox.db");
    // The server lives in a runtime of its own, so the crash does not take it down.
    let server_rt = runtime();
    let server = server_rt.block_on(flaky_server(0.8, 5));
    let url = server.url().to_owned();
    let sent = plan(&["Ops", "Dev", "QA"], 30);

    // Run 1: accept everything, deliver some, crash.
    let client_rt = runtime();
    let first = client_rt.block_on(async {
        let notifier = durable_notifier(&url, &outbox).unwrap();
        for (room, body) in &sent {
            notifier
                .send(Message::new(body.clone()).room(room.clone()))
                .await
                .unwrap();
        }
        let some_delivered = notifier.wait_for_metrics(|m| m.delivered >= 10);
        tokio::time::timeout(Duration::from_secs(5), some_delivered)
            .await
            .expect("10 deliveries within 5 s");
        notifier
    });
    client_rt.shutdown_background(); // the crash: tasks die mid-delivery
    let before = first.metrics().unwrap();
    drop(first);
    assert_eq!(before.accepted, 90);
    assert!(before.delivered > 0 && before.pending() > 0, "{before:?}");

    // Run 2: the server recovers, the client restarts on the same file.
    server.set_faults(FaultConfig::default()).unwrap();
    let client_rt = runtime();
    let report = client_rt.block_on(async {
        let notifier = durable_notifier(&url, &outbox).unwrap();
        let recovered = notifier.metrics().unwrap().recovered;
        // Everything not finished before the crash is back, no more, no less.
        assert_eq!(
            recovered,
            90 - before.delivered - before.failed,
            "{before:?}"
        );
        let report = tokio::time::timeout(Duration::from_secs(60), notifier.flush())
            .await
            .unwrap();
        let after = notifier.metrics().unwrap();
        assert_accounted(&after, &report.undelivered);
        assert_eq!(after.delivered, recovered);
        report
    });
    // Run 1 gave up on none (1,000 attempts each), so everything must have arrived.
    assert_eq!(before.failed, 0);
    assert_room_order(
        &sent,
        |room| {
            server
                .messages(room)
                .into_iter()
                .map(|m| m.message)
                .collect()
        },
        &undelivered(&report.undelivered),
    );
    // Nothing is left in the outbox.
    drop(client_rt);
    let client_rt = runtime();
    client_rt.block_on(async {
        let notifier = durable_notifier(&url, &outbox).unwrap();
        assert_eq!(notifier.metrics().unwrap().recovered, 0);
    });
    drop(server);
}

#[test]
fn an_unusable_outbox_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("not-an-outbox.txt");
    std::fs::write(&path, "plain text, not a database, long enough to be read").unwrap();
    let error = durable_notifier("http://127.0.0.1:9", &path).unwrap_err();
    assert!(matches!(error, Error::Outbox { .. }), "{error:?}");
    assert!(error.to_string().contains("not-an-outbox.txt"), "{error}");
}
