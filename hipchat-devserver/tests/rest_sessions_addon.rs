//! OAuth sessions, add-on UI, integration links, global actions and files (spec v2 §9).

mod common;
mod rest_support;

use common::*;
use reqwest::Method;
use rest_support::*;
use serde_json::{Value, json};

const STRICT: &str = r#"
strict = true

[[tokens]]
token = "global-token"
label = "Testing"
scopes = ["view_room", "send_notification"]
kind = "group"

[[tokens]]
token = "addon-token"
kind = "group"
scopes = ["view_group", "view_messages"]

[[tokens]]
token = "room-token"
label = "testang"
room = "Ops"
scopes = ["send_notification", "view_group"]

[[tokens]]
token = "user-token"
user = "@alice"
scopes = ["view_messages", "view_group"]

[[tokens]]
token = "admin"

[[rooms]]
id = 7
name = "Ops"

[[users]]
id = 2
name = "Alice Example"
mention_name = "alice"
email = "alice@example.com"
"#;

/// A 1×1 PNG, base64.
const PNG: &str =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGMAAQAABQABDQottAAAAABJRU5ErkJggg==";

fn session_fixture(which: &str) -> Value {
    fixture_body("responses/get-session.hipchat-rb.json")[which].clone()
}

#[tokio::test]
async fn get_session_shows_the_token_config() {
    let server = strict_server(STRICT).await;
    let global = rest(
        &server,
        Method::GET,
        "/v2/oauth/token/global-token",
        "global-token",
        None,
    )
    .await;
    assert_eq!(global.status, 200, "{}", global.text);
    assert_rate_limited_headers(&global);
    let expected = session_fixture("global_token");
    assert_eq!(global.body["client"]["room"], Value::Null);
    assert_eq!(global.body["client"]["name"], expected["client"]["name"]);
    assert_eq!(global.body["scopes"], expected["scopes"]);
    assert_eq!(
        global.body["client"]["allowed_scopes"],
        global.body["scopes"]
    );

    let room = rest(
        &server,
        Method::GET,
        "/v2/oauth/token/room-token",
        "room-token",
        None,
    )
    .await;
    assert_eq!(room.status, 200, "{}", room.text);
    assert_eq!(room.body["client"]["name"], "testang");
    assert_eq!(room.body["client"]["room"], json!({"id": 7, "name": "Ops"}));
    let fixture_room = session_fixture("room_token");
    let mut keys: Vec<&String> = room.body["client"]
        .as_object()
        .expect("client")
        .keys()
        .collect();
    keys.sort();
    let mut expected_keys: Vec<&String> = fixture_room["client"]
        .as_object()
        .expect("client")
        .keys()
        .collect();
    expected_keys.sort();
    assert_eq!(keys, expected_keys, "the recorded client keys");

    let all = rest(
        &server,
        Method::GET,
        "/v2/oauth/token/admin",
        "user-token",
        None,
    )
    .await;
    assert_eq!(all.status, 200, "another token's session");
    assert_eq!(
        all.body["scopes"].as_array().map(Vec::len),
        Some(9),
        "no scopes = every scope"
    );

    let unknown = rest(&server, Method::GET, "/v2/oauth/token/nope", "admin", None).await;
    assert_error(&unknown, 404, "Session not found");
    let unauthenticated = rest(&server, Method::GET, "/v2/oauth/token/admin", "nope", None).await;
    assert_eq!(unauthenticated.status, 401);
    assert_eq!(
        unauthenticated.body["error"]["message"],
        "Invalid OAuth session"
    );
}

#[tokio::test]
async fn delete_session_revokes_the_token() {
    let server = strict_server(STRICT).await;
    let before = rest(
        &server,
        Method::GET,
        "/v2/user/@alice/history",
        "user-token",
        None,
    )
    .await;
    assert_eq!(before.status, 200, "{}", before.text);
    let deleted = rest(
        &server,
        Method::DELETE,
        "/v2/oauth/token/user-token",
        "user-token",
        None,
    )
    .await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    assert!(deleted.text.is_empty());
    for (method, path) in [
        (Method::GET, "/v2/user/@alice/history"),
        (Method::GET, "/v2/oauth/token/user-token"),
        (Method::GET, "/v2/room/Ops"),
    ] {
        let after = rest(&server, method.clone(), path, "user-token", None).await;
        assert_error(&after, 401, "Invalid OAuth session");
    }
    let by_query = send(client().get(format!(
        "{}/v2/room/Ops?auth_token=user-token",
        server.url()
    )))
    .await;
    assert_eq!(by_query.status, 401, "the query token too");
    let notify = post_as(
        &client(),
        &server,
        "user-token",
        "/v2/room/Ops/notification",
    )
    .json(&json!({"message": "hi"}));
    assert_eq!(send(notify).await.status, 401, "the send endpoints too");
    let gone = rest(
        &server,
        Method::GET,
        "/v2/oauth/token/user-token",
        "admin",
        None,
    )
    .await;
    assert_eq!(gone.status, 404, "a revoked session is gone");
    let twice = rest(
        &server,
        Method::DELETE,
        "/v2/oauth/token/user-token",
        "admin",
        None,
    )
    .await;
    assert_eq!(twice.status, 404);
    let other = rest(&server, Method::GET, "/v2/room/Ops", "admin", None).await;
    assert_eq!(other.status, 200, "other tokens still work");
}

#[tokio::test]
async fn permissive_sessions_and_revocation() {
    let (server, _clock) = server().await;
    let session = rest(
        &server,
        Method::GET,
        "/v2/oauth/token/anything",
        "dev",
        None,
    )
    .await;
    assert_eq!(session.status, 200);
    assert_eq!(session.body["client"]["room"], Value::Null);
    let deleted = rest(
        &server,
        Method::DELETE,
        "/v2/oauth/token/anything",
        "dev",
        None,
    )
    .await;
    assert_eq!(deleted.status, 204);
    let after = rest_get(&server, "/v2/room").await;
    assert_eq!(after.status, 200, "token `dev` is another session");
    let revoked = rest(&server, Method::GET, "/v2/room", "anything", None).await;
    assert_eq!(revoked.status, 401);
}

#[tokio::test]
async fn addon_ui_glances_are_kept() {
    let server = strict_server(STRICT).await;
    let body = json!({"glance": [{"key": "status", "content": {"label": {"type": "html", "value": "OK"}}}]});
    for (token, path) in [
        ("addon-token", "/v2/addon/ui"),
        ("addon-token", "/v2/addon/ui/user/@alice"),
        ("addon-token", "/v2/addon/ui/room/Ops/user/2"),
        ("room-token", "/v2/addon/ui/room/7/user/alice@example.com"),
    ] {
        let answer = rest(&server, Method::POST, path, token, Some(&body)).await;
        assert_eq!(answer.status, 204, "{token} {path}: {}", answer.text);
        assert!(answer.text.is_empty());
    }
    let content = json!({"label": {"type": "html", "value": "OK"}});
    let kept = |scope: Value| json!({"scope": scope, "key": "status", "content": content});
    assert_eq!(
        server.glances(),
        [
            kept(json!("group")),
            kept(json!({"user": 2})),
            kept(json!({"room": 7, "user": 2})),
        ],
        "kept by scope and key (the room token wrote the same room and user)"
    );
    let removed = rest(
        &server,
        Method::POST,
        "/v2/addon/ui",
        "addon-token",
        Some(&json!({"glance": [{"key": "status", "content": null}]})),
    )
    .await;
    assert_eq!(removed.status, 204);
    assert_eq!(server.glances().len(), 2, "a null content removes it");

    // Scopes, kinds, unknowns, bodies.
    let user_kind = rest(&server, Method::POST, "/v2/addon/ui", "admin", Some(&body)).await;
    assert_eq!(user_kind.status, 403, "{}", user_kind.text);
    let room_on_group = rest(
        &server,
        Method::POST,
        "/v2/addon/ui",
        "room-token",
        Some(&body),
    )
    .await;
    assert_eq!(room_on_group.status, 403);
    let scope = rest(
        &server,
        Method::POST,
        "/v2/addon/ui/room/Ops/user/2",
        "global-token",
        Some(&body),
    )
    .await;
    assert_eq!(
        scope.body["error"]["message"],
        "This action requires one of the following scopes: [u'view_group']",
        "global-token lacks view_group"
    );
    let unknown_user = rest(
        &server,
        Method::POST,
        "/v2/addon/ui/user/@nobody",
        "addon-token",
        Some(&body),
    )
    .await;
    assert_eq!(unknown_user.status, 404);
    assert_eq!(unknown_user.body["error"]["message"], "User not found");
    let unknown_room = rest(
        &server,
        Method::POST,
        "/v2/addon/ui/room/Nowhere/user/2",
        "addon-token",
        Some(&body),
    )
    .await;
    assert_eq!(unknown_room.status, 404);
    assert_eq!(unknown_room.body["error"]["message"], "Room not found");
    let missing = rest(
        &server,
        Method::POST,
        "/v2/addon/ui",
        "addon-token",
        Some(&json!({})),
    )
    .await;
    assert_invalid(&missing, "glance", "required");
    let bad = rest(
        &server,
        Method::POST,
        "/v2/addon/ui",
        "addon-token",
        Some(&json!({"glance": [{"content": {}}]})),
    )
    .await;
    assert_invalid(&bad, "glance", "type");
    assert_rate_limited_headers(&bad);
}

#[tokio::test]
async fn addon_ui_needs_view_group() {
    let server = strict_server(
        r#"
strict = true
[[tokens]]
token = "narrow"
kind = "group"
scopes = ["send_notification"]
"#,
    )
    .await;
    let body = json!({"glance": []});
    let answer = rest(&server, Method::POST, "/v2/addon/ui", "narrow", Some(&body)).await;
    assert_scope_error(&answer, "[u'view_group']");
}

#[tokio::test]
async fn integration_links_are_made_and_deleted() {
    let (server, _clock) = server().await;
    let made = rest(
        &server,
        Method::POST,
        "/v2/addon/link",
        "dev",
        Some(&json!({"target": "https://addon.example/dialog", "ttl": 60})),
    )
    .await;
    assert_eq!(made.status, 200, "{}", made.text);
    let token = made.body["token"].as_str().expect("token").to_owned();
    assert_eq!(made.body["target"], "https://addon.example/dialog");
    assert_eq!(made.body["ttl"], 60);
    assert_eq!(made.body["expires"], "2017-07-14T02:41:00+00:00");
    assert_rejected(
        &server,
        Method::POST,
        "/v2/addon/link",
        json!({"target": "x"}),
        "ttl",
        "required",
    )
    .await;
    assert_rejected(
        &server,
        Method::POST,
        "/v2/addon/link",
        json!({"target": "x", "ttl": "soon"}),
        "ttl",
        "type",
    )
    .await;
    assert_rejected(
        &server,
        Method::POST,
        "/v2/addon/link",
        json!({"ttl": 5}),
        "target",
        "required",
    )
    .await;

    let deleted = rest(
        &server,
        Method::DELETE,
        &format!("/v2/addon/link/{token}"),
        "dev",
        None,
    )
    .await;
    assert_eq!(deleted.status, 204);
    let again = rest(
        &server,
        Method::DELETE,
        &format!("/v2/addon/link/{token}"),
        "dev",
        None,
    )
    .await;
    assert_eq!(again.status, 404);
    assert_eq!(again.body["error"]["message"], "Link not found");
    assert_rate_limited_headers(&again);
}

#[tokio::test]
async fn global_actions_up_to_ten() {
    let server = strict_server(STRICT).await;
    let action =
        json!({"name": {"value": "Do it"}, "target": "dialog", "location": "hipchat.input.action"});
    let put = rest(
        &server,
        Method::PUT,
        "/v2/extension/action/do-it",
        "global-token",
        Some(&action),
    )
    .await;
    assert_eq!(put.status, 201, "{}", put.text);
    let id = put.body["id"].as_u64().expect("id");
    let self_url = format!("{}/v2/extension/action/do-it", server.url());
    assert_eq!(put.body["links"]["self"], self_url);
    let got = rest(
        &server,
        Method::GET,
        "/v2/extension/action/do-it",
        "global-token",
        None,
    )
    .await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body["name"]["value"], "Do it");
    assert_eq!(got.body["key"], "do-it");
    assert_eq!(got.body["links"]["self"], self_url);
    let replaced = rest(
        &server,
        Method::PUT,
        "/v2/extension/action/do-it",
        "global-token",
        Some(&action),
    )
    .await;
    assert_eq!(replaced.body["id"], id, "the same action");

    for n in 1..10 {
        let more = rest(
            &server,
            Method::PUT,
            &format!("/v2/extension/action/a{n}"),
            "global-token",
            Some(&action),
        )
        .await;
        assert_eq!(more.status, 201, "{n}");
    }
    let eleventh = rest(
        &server,
        Method::PUT,
        "/v2/extension/action/a10",
        "global-token",
        Some(&action),
    )
    .await;
    assert_eq!(eleventh.status, 400, "{}", eleventh.text);
    assert_rate_limited_headers(&eleventh);

    let not_group = rest(
        &server,
        Method::GET,
        "/v2/extension/action/do-it",
        "room-token",
        None,
    )
    .await;
    assert_eq!(not_group.status, 403, "G only");
    let user = rest(
        &server,
        Method::PUT,
        "/v2/extension/action/x",
        "admin",
        Some(&action),
    )
    .await;
    assert_eq!(user.status, 403);

    let deleted = rest(
        &server,
        Method::DELETE,
        "/v2/extension/action/do-it",
        "global-token",
        None,
    )
    .await;
    assert_eq!(deleted.status, 204);
    let gone = rest(
        &server,
        Method::GET,
        "/v2/extension/action/do-it",
        "global-token",
        None,
    )
    .await;
    assert_error(&gone, 404, "Extension not found");
}

#[tokio::test]
async fn files_have_temp_urls() {
    let (server, _clock) = server().await;
    let put = rest(
        &server,
        Method::PUT,
        "/v2/user/1/photo",
        "dev",
        Some(&json!({"photo": PNG})),
    )
    .await;
    assert_eq!(put.status, 204);
    let photo_url = rest_get(&server, "/v2/user/1").await.body["photo_url"]
        .as_str()
        .expect("photo url")
        .to_owned();
    let id = photo_url
        .split('/')
        .rev()
        .nth(1)
        .expect("/files/{id}/{name}")
        .to_owned();
    let file = rest_get(&server, &format!("/v2/file/{id}")).await;
    assert_eq!(file.status, 200, "{}", file.text);
    assert_eq!(file.body, json!({"temp_url": photo_url}));
    let bytes = client()
        .get(&photo_url)
        .send()
        .await
        .expect("file")
        .bytes()
        .await
        .expect("bytes");
    assert!(bytes.starts_with(b"\x89PNG"));
    let missing = rest_get(&server, "/v2/file/9999").await;
    assert_error(&missing, 404, "File not found");
    assert_eq!(rest_get(&server, "/v2/file/abc").await.status, 404);

    let strict = strict_server(STRICT).await;
    let group = rest(&strict, Method::GET, "/v2/file/1", "addon-token", None).await;
    assert_eq!(group.status, 403, "user tokens only");
    assert_eq!(
        group.body["error"]["message"],
        "This resource requires a user token"
    );
    let user = rest(&strict, Method::GET, "/v2/file/1", "user-token", None).await;
    assert_eq!(user.status, 200, "{}", user.text);
}
