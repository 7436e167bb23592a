//! Spec §8: per-token and per-room windows on an injected clock, the headers, the 429
//! after the budget, and v1's 403.

mod common;

use std::time::Duration;

use common::{T0, answer, client, fixture, notify, post_json, server};
use hipchat_devserver::{DevServer, ManualClock, RateLimitConfig};
use serde_json::json;

async fn limited(limits: RateLimitConfig) -> (DevServer, ManualClock) {
    let clock = ManualClock::at_unix(T0);
    let server = DevServer::builder()
        .clock(clock.clone())
        .rate_limits(limits)
        .start()
        .await
        .expect("starts");
    (server, clock)
}

#[tokio::test]
async fn default_headers_on_a_notification() {
    let (server, _clock) = server().await;
    let answer = notify(&server, &json!({"message": "m"})).await;
    assert_eq!(answer.status, 204);
    assert_eq!(answer.header("x-ratelimit-limit"), Some(500));
    assert_eq!(answer.header("x-ratelimit-remaining"), Some(499));
    assert_eq!(answer.header("x-ratelimit-reset"), Some(T0 + 300));
    assert_eq!(answer.header("x-floodcontrol-limit"), Some(30));
    assert_eq!(answer.header("x-floodcontrol-remaining"), Some(29));
    assert_eq!(answer.header("x-floodcontrol-reset"), Some(T0 + 60));
}

#[tokio::test]
async fn every_v2_answer_carries_ratelimit_headers_and_only_sends_carry_flood() {
    let (server, _clock) = server().await;
    let not_found = post_json(&server, "/v2/nothing", &json!({})).await;
    assert_eq!(not_found.status, 404);
    assert_eq!(not_found.header("x-ratelimit-remaining"), Some(499));
    assert_eq!(not_found.header("x-floodcontrol-limit"), None);
    let bad = notify(&server, &json!({"message": ""})).await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.header("x-ratelimit-remaining"), Some(498));
    assert_eq!(
        bad.header("x-floodcontrol-remaining"),
        Some(30),
        "a 400 sends nothing"
    );
    let url = format!("{}/v2/room/Ops/notification", server.url());
    let anonymous = answer(client().post(&url).send().await.expect("answered")).await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(anonymous.header("x-ratelimit-limit"), Some(500));
    assert_eq!(anonymous.header("x-ratelimit-remaining"), Some(500));
    let auth_test = post_json(
        &server,
        "/v2/room/Ops/notification?auth_test=true",
        &json!({}),
    )
    .await;
    assert_eq!(auth_test.status, 202);
    assert_eq!(
        auth_test.header("x-floodcontrol-remaining"),
        Some(30),
        "auth_test uses no flood allowance"
    );
    assert_eq!(auth_test.header("x-ratelimit-remaining"), Some(497));
}

#[tokio::test]
async fn the_token_budget_runs_out_then_renews_at_reset() {
    let limits = RateLimitConfig {
        token_limit: 3,
        token_window_secs: 300,
        ..RateLimitConfig::default()
    };
    let (server, clock) = limited(limits).await;
    for remaining in [2, 1, 0] {
        let answer = notify(&server, &json!({"message": "m"})).await;
        assert_eq!(answer.status, 204);
        assert_eq!(answer.header("x-ratelimit-remaining"), Some(remaining));
    }
    clock.advance(Duration::from_secs(299));
    let over = notify(&server, &json!({"message": "m"})).await;
    assert_eq!(over.status, 429);
    assert_eq!(over.body, fixture("errors/v2-429-rate-limited.json"));
    assert_eq!(over.header("x-ratelimit-limit"), Some(3));
    assert_eq!(over.header("x-ratelimit-remaining"), Some(0));
    assert_eq!(over.header("x-ratelimit-reset"), Some(T0 + 300));
    // Another token has its own budget.
    let other = client()
        .post(format!("{}/v2/room/Ops/notification", server.url()))
        .bearer_auth("other")
        .json(&json!({"message": "m"}))
        .send()
        .await
        .expect("answered");
    assert_eq!(other.status(), 204);
    clock.advance(Duration::from_secs(1));
    let renewed = notify(&server, &json!({"message": "m"})).await;
    assert_eq!(renewed.status, 204);
    assert_eq!(renewed.header("x-ratelimit-remaining"), Some(2));
    assert_eq!(renewed.header("x-ratelimit-reset"), Some(T0 + 600));
    assert_eq!(server.messages("Ops").len(), 5);
    assert_eq!(server.counters().rate_limited, 1);
}

#[tokio::test]
async fn flood_control_is_per_room() {
    let (server, clock) = server().await;
    for remaining in (0..30).rev() {
        let answer = notify(&server, &json!({"message": "m"})).await;
        assert_eq!(answer.status, 204);
        assert_eq!(answer.header("x-floodcontrol-remaining"), Some(remaining));
    }
    let over = notify(&server, &json!({"message": "m"})).await;
    assert_eq!(over.status, 429);
    assert_eq!(over.body, fixture("errors/v2-429-rate-limited.json"));
    assert_eq!(over.header("x-floodcontrol-limit"), Some(30));
    assert_eq!(over.header("x-floodcontrol-remaining"), Some(0));
    assert_eq!(over.header("x-floodcontrol-reset"), Some(T0 + 60));
    assert_eq!(over.header("x-ratelimit-remaining"), Some(469));
    let other_room = post_json(
        &server,
        "/v2/room/Dev/notification",
        &json!({"message": "m"}),
    )
    .await;
    assert_eq!(other_room.status, 204);
    clock.advance(Duration::from_secs(60));
    assert_eq!(notify(&server, &json!({"message": "m"})).await.status, 204);
    assert_eq!(server.messages("Ops").len(), 31);
}

#[tokio::test]
async fn limits_change_at_run_time_through_the_admin_api() {
    let (server, _clock) = server().await;
    let url = format!("{}/admin/rate-limits", server.url());
    let limits = json!({"token_limit": 100, "token_window_secs": 300, "flood_limit": 1,
        "flood_window_secs": 60, "v1_limit": 100, "v1_window_secs": 300});
    let put = client()
        .put(&url)
        .json(&limits)
        .send()
        .await
        .expect("answered");
    assert_eq!(put.status(), 200);
    let got: serde_json::Value = client()
        .get(&url)
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("json");
    assert_eq!(got, limits);
    let first = notify(&server, &json!({"message": "m"})).await;
    assert_eq!(first.header("x-ratelimit-limit"), Some(100));
    assert_eq!(notify(&server, &json!({"message": "m"})).await.status, 429);
    let reset = client()
        .delete(format!("{url}/windows"))
        .send()
        .await
        .expect("answered");
    assert_eq!(reset.status(), 204);
    assert_eq!(notify(&server, &json!({"message": "m"})).await.status, 204);
    let bad = client()
        .put(&url)
        .json(&json!({"token_limit": "x"}))
        .send()
        .await
        .expect("answered");
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn v1_rate_limit_is_403() {
    let limits = RateLimitConfig {
        v1_limit: 2,
        ..RateLimitConfig::default()
    };
    let (server, clock) = limited(limits).await;
    let send = || async {
        let response = client()
            .post(format!(
                "{}/v1/rooms/message?format=json&auth_token=t",
                server.url()
            ))
            .form(&[("room_id", "Ops"), ("from", "ci"), ("message", "m")])
            .send()
            .await
            .expect("answered");
        answer(response).await
    };
    assert_eq!(send().await.status, 200);
    assert_eq!(send().await.status, 200);
    let over = send().await;
    assert_eq!(over.status, 403);
    assert_eq!(over.body, fixture("errors/v1-403-rate-limited.json"));
    clock.advance(Duration::from_secs(300));
    assert_eq!(send().await.status, 200);
}
