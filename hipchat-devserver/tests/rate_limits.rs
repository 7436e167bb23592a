//! Spec §8: per-token and per-room windows on an injected clock, the headers, the 429
//! after the budget, and v1's 403.

mod common;

use std::time::Duration;

use common::{
    T0, client, delete, fixture, get_json, limited_server, notify, post_as, post_json, put_json,
    send, server, set_faults,
};
use hipchat_devserver::{FaultConfig, RateLimitConfig};
use serde_json::json;

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
    let anonymous = send(client().post(&url)).await;
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
    let (server, clock) = limited_server(limits).await;
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
    let other = post_as(&client(), &server, "other", "/v2/room/Ops/notification")
        .json(&json!({"message": "m"}));
    assert_eq!(send(other).await.status, 204);
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
    let url = "/admin/rate-limits";
    let limits = json!({"token_limit": 100, "token_window_secs": 300, "flood_limit": 1,
        "flood_window_secs": 60, "v1_limit": 100, "v1_window_secs": 300});
    assert_eq!(put_json(&server, url, &limits).await.status, 200);
    assert_eq!(get_json(&server, url).await, limits);
    let first = notify(&server, &json!({"message": "m"})).await;
    assert_eq!(first.header("x-ratelimit-limit"), Some(100));
    assert_eq!(notify(&server, &json!({"message": "m"})).await.status, 429);
    let reset = delete(&server, &format!("{url}/windows")).await;
    assert_eq!(reset.status, 204);
    assert_eq!(notify(&server, &json!({"message": "m"})).await.status, 204);
    let bad = put_json(&server, url, &json!({"token_limit": "x"})).await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn v1_rate_limit_is_403() {
    let limits = RateLimitConfig {
        v1_limit: 2,
        ..RateLimitConfig::default()
    };
    let (server, clock) = limited_server(limits).await;
    let send_v1 = || async {
        let url = format!("{}/v1/rooms/message?format=json&auth_token=t", server.url());
        send(
            client()
                .post(url)
                .form(&[("room_id", "Ops"), ("from", "ci"), ("message", "m")]),
        )
        .await
    };
    assert_eq!(send_v1().await.status, 200);
    assert_eq!(send_v1().await.status, 200);
    let over = send_v1().await;
    assert_eq!(over.status, 403);
    assert_eq!(over.body, fixture("errors/v1-403-rate-limited.json"));
    clock.advance(Duration::from_secs(300));
    assert_eq!(send_v1().await.status, 200);
}

#[tokio::test]
async fn every_v1_answer_carries_ratelimit_headers() {
    let limits = RateLimitConfig {
        v1_limit: 3,
        ..RateLimitConfig::default()
    };
    let (server, clock) = limited_server(limits).await;
    let v1 = |query: &'static str, form: &'static [(&'static str, &'static str)]| {
        let url = format!("{}/v1/rooms/message?{query}", server.url());
        send(client().post(url).form(form))
    };
    let good: &[(&str, &str)] = &[("room_id", "Ops"), ("from", "ci"), ("message", "m")];
    let headers = |answer: &common::Answer| {
        [
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
        ]
        .map(|name| answer.header(name))
    };
    let sent = v1("format=json&auth_token=t", good).await;
    assert_eq!(sent.status, 200);
    assert_eq!(headers(&sent), [Some(3), Some(2), Some(T0 + 300)]);
    let xml = v1("format=xml&auth_token=t", good).await;
    assert_eq!(xml.status, 200);
    assert_eq!(headers(&xml), [Some(3), Some(1), Some(T0 + 300)]);
    // A request with bad parameters is answered 400 and still counts.
    let bad = v1("auth_token=t", &[("room_id", "Ops"), ("from", "ci")]).await;
    assert_eq!(bad.status, 400);
    assert_eq!(headers(&bad), [Some(3), Some(0), Some(T0 + 300)]);
    let over = v1("auth_token=t", good).await;
    assert_eq!(over.status, 403);
    assert_eq!(over.body, fixture("errors/v1-403-rate-limited.json"));
    assert_eq!(headers(&over), [Some(3), Some(0), Some(T0 + 300)]);
    // No token: the anonymous budget, untouched.
    let anonymous = v1("format=json", good).await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(headers(&anonymous), [Some(3), Some(3), Some(T0 + 300)]);
    // Answers the handler never gives: the query token's budget, not counted.
    let unknown = v1_path(&server, "/v1/rooms/nothing?auth_token=t").await;
    assert_eq!(unknown.status, 404);
    assert_eq!(headers(&unknown), [Some(3), Some(0), Some(T0 + 300)]);
    set_faults(
        &server,
        FaultConfig {
            error_503_rate: 1.0,
            ..FaultConfig::default()
        },
    );
    clock.advance(Duration::from_secs(300));
    let faulted = v1("auth_token=t", good).await;
    assert_eq!(faulted.status, 503);
    assert_eq!(headers(&faulted), [Some(3), Some(3), Some(T0 + 600)]);
    assert_eq!(server.messages("Ops").len(), 2);
}

async fn v1_path(server: &hipchat_devserver::DevServer, path_and_query: &str) -> common::Answer {
    send(client().post(format!("{}{path_and_query}", server.url()))).await
}
