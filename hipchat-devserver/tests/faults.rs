//! Fault injection: each knob, seeded determinism, run-time switching through the admin
//! API, and delays that wait on the injected clock (no sleeps, no timed assertions).

mod common;

use std::time::Duration;

use common::{
    answer, call, delete, get_json, notify, post_as, put_json, server, set_faults, spawn_notify,
};
use hipchat_devserver::{FaultConfig, ManualClock};
use reqwest::Method;
use serde_json::json;

/// Yields until the clock has `count` sleepers (bounded).
async fn until_sleepers(clock: &ManualClock, count: usize) {
    for _ in 0..2_000 {
        if clock.sleepers() >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("no request started waiting on the clock");
}

/// Every request stalls for `stall_ms` on the server's clock.
fn stall(stall_ms: u64) -> FaultConfig {
    FaultConfig {
        stall_rate: 1.0,
        stall_ms,
        ..FaultConfig::default()
    }
}

#[tokio::test]
async fn error_rates_answer_500_and_503_in_hipchat_shape() {
    let (server, _clock) = server().await;
    set_faults(
        &server,
        FaultConfig {
            error_500_rate: 1.0,
            ..FaultConfig::default()
        },
    );
    let answer = notify(&server, &json!({"message": "m"})).await;
    assert_eq!(answer.status, 500);
    assert_eq!(answer.body["error"]["code"], 500);
    assert_eq!(answer.body["error"]["type"], "Internal Server Error");
    assert_eq!(answer.header("x-ratelimit-remaining"), Some(499));
    set_faults(
        &server,
        FaultConfig {
            error_503_rate: 1.0,
            ..FaultConfig::default()
        },
    );
    let answer = notify(&server, &json!({"message": "m"})).await;
    assert_eq!(answer.status, 503);
    assert_eq!(answer.body["error"]["type"], "Service Unavailable");
    assert!(server.all_messages().is_empty());
    let counters = server.counters();
    assert_eq!(counters.faults.get("error_500"), Some(&1));
    assert_eq!(counters.faults.get("error_503"), Some(&1));
}

#[tokio::test]
async fn a_seed_makes_the_fault_sequence_repeatable() {
    let (server, clock) = server().await;
    let faults = json!({"error_500_rate": 0.3, "error_503_rate": 0.2, "seed": 42});
    let mut runs = Vec::new();
    for _ in 0..2 {
        clock.advance(Duration::from_secs(60)); // a fresh flood window for each run
        assert_eq!(
            put_json(&server, "/admin/faults", &faults).await.status,
            200
        );
        let mut statuses = Vec::new();
        for _ in 0..40 {
            statuses.push(notify(&server, &json!({"message": "m"})).await.status);
        }
        runs.push(statuses);
    }
    assert_eq!(runs[0], runs[1]);
    for status in [204, 500, 503] {
        assert!(runs[0].contains(&status), "{status} in {:?}", runs[0]);
    }
    let delivered = runs[0].iter().filter(|s| **s == 204).count() * 2;
    assert_eq!(server.messages("Ops").len(), delivered);
}

#[tokio::test]
async fn the_admin_api_switches_faults_on_and_off() {
    let (server, _clock) = server().await;
    let url = "/admin/faults";
    let put = put_json(&server, url, &json!({"error_503_rate": 1.0})).await;
    assert_eq!(put.status, 200);
    let shown = get_json(&server, url).await;
    assert_eq!(shown["error_503_rate"], 1.0);
    assert_eq!(shown["stall_ms"], 120_000);
    assert_eq!(notify(&server, &json!({"message": "m"})).await.status, 503);
    // The admin API and the page are never faulted.
    assert_eq!(
        call(&server, Method::GET, "/admin/counters", None)
            .await
            .status,
        200
    );
    assert_eq!(delete(&server, url).await.status, 204);
    assert_eq!(notify(&server, &json!({"message": "m"})).await.status, 204);
    for bad in [
        json!({"error_500_rate": 1.5}),
        json!({"error_500_rate": 0.6, "reset_rate": 0.6}),
        json!({"nope": 1}),
        json!({"error_500_rate": -0.1}),
    ] {
        assert_eq!(put_json(&server, url, &bad).await.status, 400, "{bad}");
    }
}

#[tokio::test]
async fn resets_drop_the_connection_without_an_answer() {
    let (server, _clock) = server().await;
    set_faults(
        &server,
        FaultConfig {
            reset_rate: 1.0,
            ..FaultConfig::default()
        },
    );
    let result = spawn_notify(&server, "m").await.expect("joins");
    let error = result.expect_err("the connection is reset");
    assert!(error.status().is_none() && !error.is_timeout(), "{error:?}");
    assert!(server.all_messages().is_empty());
    assert_eq!(server.counters().faults.get("reset"), Some(&1));
    set_faults(&server, FaultConfig::default());
    assert_eq!(
        notify(&server, &json!({"message": "m"})).await.status,
        204,
        "the server survives"
    );
}

#[tokio::test]
async fn latency_holds_each_request_until_the_clock_moves() {
    let (server, clock) = server().await;
    set_faults(
        &server,
        FaultConfig {
            latency_ms: 2_000,
            ..FaultConfig::default()
        },
    );
    let request = spawn_notify(&server, "m");
    until_sleepers(&clock, 1).await;
    clock.advance(Duration::from_millis(1_999));
    tokio::task::yield_now().await;
    assert!(!request.is_finished());
    assert!(
        server.all_messages().is_empty(),
        "not handled before the latency has passed"
    );
    clock.advance(Duration::from_millis(1));
    let response = request.await.expect("joins").expect("answered");
    assert_eq!(response.status(), 204);
    assert_eq!(server.messages("Ops").len(), 1);
    assert_eq!(server.counters().faults.get("latency"), Some(&1));
}

#[tokio::test]
async fn a_stall_outlasts_the_client_timeout() {
    let (server, _clock) = server().await;
    set_faults(&server, stall(60_000));
    let impatient = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_millis(200))
        .build()
        .expect("client");
    let error = post_as(&impatient, &server, "dev", "/v2/room/Ops/notification")
        .json(&json!({"message": "m"}))
        .send()
        .await
        .expect_err("times out: the server's clock never reaches the stall's end");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(server.counters().faults.get("stall"), Some(&1));
    assert!(server.all_messages().is_empty());
}

#[tokio::test]
async fn a_stalled_request_is_handled_late_once_the_stall_ends() {
    let (server, clock) = server().await;
    set_faults(&server, stall(60_000));
    let request = spawn_notify(&server, "late");
    until_sleepers(&clock, 1).await;
    assert!(!request.is_finished());
    clock.advance(Duration::from_secs(60));
    let response = answer(request.await.expect("joins").expect("answered")).await;
    assert_eq!(response.status, 204);
    assert_eq!(server.messages("Ops")[0].message, "late");
}

#[tokio::test]
async fn stop_ends_stalls_and_returns() {
    let (server, clock) = server().await;
    set_faults(&server, stall(FaultConfig::default().stall_ms));
    let request = spawn_notify(&server, "m");
    until_sleepers(&clock, 1).await;
    tokio::time::timeout(Duration::from_secs(30), server.stop())
        .await
        .expect("stop does not hang")
        .expect("stops cleanly");
    let response = request
        .await
        .expect("joins")
        .expect("answered before closing");
    assert_eq!(response.status(), 503);
}
