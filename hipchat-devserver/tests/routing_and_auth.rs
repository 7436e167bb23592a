//! Spec §2, §3, §5: room path decoding, tokens (permissive and strict), auth_test,
//! unknown paths and wrong methods.

mod common;

use common::{answer, client, fixture, notify, post_json, server};
use hipchat_devserver::{Config, DevServer};
use serde_json::json;

#[tokio::test]
async fn success_is_204_and_the_notification_is_recorded() {
    let (server, _clock) = server().await;
    let body = json!({"message":"Release <b>1.4</b> deployed","color":"green","notify":true,"from":"deploy","attach_to":"abc"});
    let answer = post_json(&server, "/v2/room/Build%20Status/notification", &body).await;
    assert_eq!(answer.status, 204);
    let recorded = server.messages("Build Status");
    assert_eq!(recorded.len(), 1);
    let message = &recorded[0];
    assert_eq!(message.message, "Release <b>1.4</b> deployed");
    assert_eq!(message.color, "green");
    assert!(message.notify);
    assert_eq!(message.from.as_deref(), Some("deploy"));
    assert_eq!(message.attach_to.as_deref(), Some("abc"));
    assert_eq!(message.message_format, "html");
    assert_eq!(message.sender_label(), "Dev - deploy");
    assert_eq!(message.timestamp, "2017-07-14T02:40:00.000Z");
}

#[tokio::test]
async fn room_segments_are_decoded_once_and_plus_stays_a_plus() {
    let (server, _clock) = server().await;
    let message = json!({"message": "m"});
    for (path, room) in [
        ("Ops%20Alerts", "Ops Alerts"),
        ("Ops+Alerts", "Ops+Alerts"),
        ("Ops%2BAlerts", "Ops+Alerts"),
        ("a%2Cb", "a,b"),
        ("EU%2FOps", "EU/Ops"),
        ("%C3%89quipe", "Équipe"),
        ("100%2525", "100%25"),
        ("12345", "12345"),
    ] {
        let answer = post_json(&server, &format!("/v2/room/{path}/notification"), &message).await;
        assert_eq!(answer.status, 204, "{path}: {}", answer.text);
        assert_eq!(
            server.messages(room).len(),
            1 + usize::from(room == "Ops+Alerts" && path == "Ops%2BAlerts"),
            "{path}"
        );
    }
    assert!(
        server.messages("Ops Alerts").len() == 1,
        "a plus never becomes a space"
    );
    assert_eq!(server.all_messages()[7].room_id, Some(12345));
    let long = "r".repeat(100);
    assert_eq!(
        post_json(&server, &format!("/v2/room/{long}/notification"), &message)
            .await
            .status,
        204
    );
    let too_long = "r".repeat(101);
    let answer = post_json(
        &server,
        &format!("/v2/room/{too_long}/notification"),
        &message,
    )
    .await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.body, fixture("errors/v2-404-room-not-found.json"));
    let answer = post_json(&server, "/v2/room/%FF%FE/notification", &message).await;
    assert_eq!(answer.status, 404, "not UTF-8");
}

#[tokio::test]
async fn missing_token_is_401_and_query_tokens_work() {
    let (server, _clock) = server().await;
    let url = format!("{}/v2/room/Ops/notification", server.url());
    let missing = answer(
        client()
            .post(&url)
            .json(&json!({"message": "m"}))
            .send()
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(missing.status, 401);
    assert_eq!(missing.body["error"]["code"], 401);
    assert_eq!(missing.body["error"]["type"], "Unauthorized");
    let text = missing.body["error"]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(text.starts_with("Authenticated requests only."), "{text}");
    let basic = answer(
        client()
            .post(&url)
            .basic_auth("u", Some("p"))
            .json(&json!({"message": "m"}))
            .send()
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(basic.status, 401);
    let query = answer(
        client()
            .post(format!("{url}?auth_token=anything"))
            .json(&json!({"message": "m"}))
            .send()
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(query.status, 204);
}

#[tokio::test]
async fn auth_test_answers_202_and_records_nothing() {
    let (server, _clock) = server().await;
    let answer = post_json(
        &server,
        "/v2/room/Ops/notification?auth_test=true",
        &json!({}),
    )
    .await;
    assert_eq!(answer.status, 202);
    assert_eq!(answer.body, fixture("responses/v2-auth-test-202.json"));
    assert!(server.all_messages().is_empty());
    let url = format!("{}/v2/room/Ops/notification?auth_test=true", server.url());
    let unauthenticated = common::answer(client().post(&url).send().await.expect("answered")).await;
    assert_eq!(unauthenticated.status, 401);
}

#[tokio::test]
async fn unknown_paths_are_404_and_wrong_methods_405() {
    let (server, _clock) = server().await;
    for path in [
        "/v2/room/Ops/notifications",
        "/v2/nothing",
        "/v3/room/Ops/notification",
        "/v2/room//notification",
    ] {
        let answer = post_json(&server, path, &json!({"message": "m"})).await;
        assert_eq!(answer.status, 404, "{path}");
        assert_eq!(answer.body["error"]["type"], "Not Found");
        assert_eq!(answer.body["error"]["code"], 404);
    }
    for method in [
        reqwest::Method::GET,
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
    ] {
        let response = client()
            .request(
                method.clone(),
                format!("{}/v2/room/Ops/notification", server.url()),
            )
            .bearer_auth("dev")
            .send()
            .await
            .expect("answered");
        let answer = answer(response).await;
        assert_eq!(answer.status, 405, "{method}");
        assert_eq!(answer.body["error"]["type"], "Method Not Allowed");
        assert_eq!(answer.body["error"]["code"], 405);
    }
}

const STRICT: &str = r#"
strict = true

[[tokens]]
token = "full"
label = "Deploy bot"

[[tokens]]
token = "notify-only"
scopes = ["send_notification"]

[[tokens]]
token = "view-only"
scopes = ["view_room"]

[[tokens]]
token = "ops-room"
scopes = ["send_notification"]
room = "Ops"

[[tokens]]
token = "v1token"
version = 1

[[rooms]]
id = 1
name = "Ops"

[[rooms]]
id = 2
name = "Build Status"
"#;

async fn strict_server() -> DevServer {
    let config = Config::from_toml(STRICT).expect("config parses");
    DevServer::builder()
        .config(config)
        .start()
        .await
        .expect("starts")
}

async fn send_as(server: &DevServer, token: &str, room: &str) -> common::Answer {
    send_with_query(server, token, room, "").await
}

async fn send_with_query(
    server: &DevServer,
    token: &str,
    room: &str,
    query: &str,
) -> common::Answer {
    let response = client()
        .post(format!(
            "{}/v2/room/{room}/notification{query}",
            server.url()
        ))
        .bearer_auth(token)
        .json(&json!({"message": "m"}))
        .send()
        .await
        .expect("answered");
    answer(response).await
}

#[tokio::test]
async fn strict_mode_checks_tokens_scopes_and_rooms() {
    let server = strict_server().await;
    let invalid = fixture("errors/v2-401-invalid-oauth-session.json");
    let unknown = send_as(&server, "nope", "Ops").await;
    assert_eq!((unknown.status, &unknown.body), (401, &invalid));
    let v1 = send_as(&server, "v1token", "Ops").await;
    assert_eq!((v1.status, &v1.body), (401, &invalid), "a v1 token on v2");
    let scope = send_as(&server, "view-only", "Ops").await;
    assert_eq!(
        (scope.status, &scope.body),
        (
            403,
            &json!({"error": {
                "code": 403,
                "message": "This action requires one of the following scopes: [u'send_notification']",
                "type": "Forbidden"
            }})
        ),
        "a missing scope is 403, as recorded (spec v2 §1)"
    );
    assert!(
        scope.header("x-ratelimit-limit").is_some(),
        "{:?}",
        scope.headers
    );
    assert_eq!(send_as(&server, "notify-only", "Ops").await.status, 204);
    assert_eq!(send_as(&server, "full", "1").await.status, 204, "by id");
    assert_eq!(send_as(&server, "full", "Build%20Status").await.status, 204);
    let missing = send_as(&server, "full", "Nowhere").await;
    assert_eq!(
        (missing.status, &missing.body),
        (404, &fixture("errors/v2-404-room-not-found.json"))
    );
    assert_eq!(
        send_as(&server, "full", "3").await.status,
        404,
        "unknown id"
    );
    assert_eq!(
        send_as(&server, "full", "Build+Status").await.status,
        404,
        "plus is not a space"
    );
    assert_eq!(send_as(&server, "ops-room", "Ops").await.status, 204);
    assert_eq!(send_as(&server, "ops-room", "1").await.status, 204);
    assert_eq!(
        send_as(&server, "ops-room", "Build%20Status").await.status,
        403,
        "room-bound token on another room (spec v2 §10)"
    );
    let auth_test = send_with_query(&server, "nope", "Ops", "?auth_test=true").await;
    assert_eq!(auth_test.status, 401);
    assert_eq!(
        send_with_query(&server, "full", "Ops", "?auth_test=true")
            .await
            .status,
        202
    );

    let ops = server.messages("Ops");
    assert_eq!(ops.len(), 4);
    assert_eq!(server.messages("1").len(), 4, "lookup by id");
    assert_eq!(ops[1].sender, "Deploy bot");
    assert_eq!(ops[0].sender, "Dev");
    assert_eq!(ops[0].room_id, Some(1));
}

#[tokio::test]
async fn the_bearer_header_wins_over_the_query_token() {
    let server = strict_server().await;
    let response = client()
        .post(format!(
            "{}/v2/room/Ops/notification?auth_token=nope",
            server.url()
        ))
        .bearer_auth("full")
        .json(&json!({"message": "m"}))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 204);
    let response = client()
        .post(format!(
            "{}/v2/room/Ops/notification?auth_token=full",
            server.url()
        ))
        .bearer_auth("nope")
        .json(&json!({"message": "m"}))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn bad_config_files_are_refused() {
    assert!(Config::from_toml("strict = 5").is_err());
    assert!(Config::from_toml("[[rooms]]\nid = 1\nname = \"\"").is_err());
    assert!(Config::from_toml("[[rooms]]\nid = 1\nname = \"123\"").is_err());
    assert!(
        Config::from_toml("[[rooms]]\nid = 1\nname = \"a\"\n[[rooms]]\nid = 1\nname = \"b\"")
            .is_err()
    );
    assert!(Config::from_toml("unknown = 1").is_err());
    let path = std::env::temp_dir().join(format!("devserver-config-{}.toml", std::process::id()));
    std::fs::write(&path, STRICT).expect("temp file written");
    let config = Config::from_file(&path).expect("file parses");
    let _ = std::fs::remove_file(&path);
    assert!(config.strict);
    assert_eq!(config.tokens.len(), 5);
    assert!(Config::from_file("/nonexistent/devserver.toml").is_err());
}

#[tokio::test]
async fn notify_helper_targets_ops() {
    let (server, _clock) = server().await;
    assert_eq!(notify(&server, &json!({"message": "m"})).await.status, 204);
    assert_eq!(server.messages("Ops").len(), 1);
}
