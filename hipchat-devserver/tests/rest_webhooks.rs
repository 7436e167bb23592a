//! REST API v2 room webhooks, extensions, add-on UI and avatars (spec v2 §4, §6, §9).

mod common;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};

async fn hook(server: &hipchat_devserver::DevServer, body: Value) -> Answer {
    rest(
        server,
        Method::POST,
        "/v2/room/Ops/webhook",
        "dev",
        Some(&body),
    )
    .await
}

#[tokio::test]
async fn webhooks_are_created_listed_read_and_deleted() {
    let (server, _clock) = server().await;
    notify(&server, &json!({"message": "make Ops"})).await;
    let created = hook(&server, json!({"url": "http://example.org/hook", "event": "room_message", "pattern": "^/deploy", "name": "deploys"})).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.body["id"].as_u64().expect("numeric id");
    assert_eq!(
        created.body["links"]["self"],
        format!("{}/v2/room/1/webhook/{id}", server.url())
    );
    assert_invalid(
        &hook(&server, json!({"url": "http://x", "event": "room_party"})).await,
        "event",
        "enum",
    );
    assert_invalid(
        &hook(&server, json!({"event": "room_message"})).await,
        "url",
        "required",
    );
    for n in 0..3 {
        assert_eq!(
            hook(
                &server,
                json!({"url": format!("http://example.org/{n}"), "event": "room_enter", "key": "k"})
            )
            .await
            .status,
            201
        );
    }

    let list = rest_get(&server, "/v2/room/Ops/webhook?max-results=2").await;
    assert_eq!(list.status, 200);
    let first = &list.body["items"][0];
    assert_eq!(first["id"], id);
    assert_eq!(first["name"], "deploys");
    assert_eq!(first["event"], "room_message");
    assert_eq!(first["pattern"], "^/deploy");
    assert_eq!(first["url"], "http://example.org/hook");
    assert!(first.get("key").is_none());
    assert_eq!(list.body["items"][1]["key"], "k");
    assert_eq!(
        list.body["links"]["self"],
        format!("{}/v2/room/Ops/webhook", server.url())
    );
    assert!(
        list.body["links"]["next"]
            .as_str()
            .unwrap_or_default()
            .contains("start-index=2")
    );
    let rest_page = rest_get(&server, "/v2/room/Ops/webhook?max-results=2&start-index=2").await;
    assert_eq!(rest_page.body["items"].as_array().map(Vec::len), Some(2));
    assert!(rest_page.body["links"].get("next").is_none());

    let got = rest_get(&server, &format!("/v2/room/Ops/webhook/{id}")).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body["room"]["id"], 1);
    assert_eq!(got.body["creator"]["id"], 1);
    assert_eq!(got.body["created"], "2017-07-14T02:40:00+00:00");
    assert_eq!(got.body["authentication"], "none");
    assert_eq!(got.body["links"]["self"], created.body["links"]["self"]);

    let deleted = rest(
        &server,
        Method::DELETE,
        &format!("/v2/room/Ops/webhook/{id}"),
        "dev",
        None,
    )
    .await;
    assert_eq!((deleted.status, deleted.text.as_str()), (204, ""));
    let gone = rest_get(&server, &format!("/v2/room/Ops/webhook/{id}")).await;
    assert_eq!(
        (gone.status, gone.body["error"]["message"].as_str()),
        (404, Some("Webhook not found"))
    );
    assert_rate_limited_headers(&gone);
    assert_eq!(
        rest_get(&server, "/v2/room/Ops/webhook/abc").await.status,
        404
    );
    assert_eq!(rest_get(&server, "/v2/room/Nope/webhook").await.status, 404);
}

#[tokio::test]
async fn extensions_are_kept_per_room_up_to_ten() {
    let (server, _clock) = server().await;
    let put = |path: String, body: Value| {
        let server = &server;
        async move { rest(server, Method::PUT, &path, "dev", Some(&body)).await }
    };
    let glance = put(
        "/v2/room/Ops/extension/glance/status".into(),
        json!({"name": {"value": "Status"}}),
    )
    .await;
    assert_eq!(
        (glance.status, glance.text.as_str()),
        (204, ""),
        "glance PUT is 204; creates the room"
    );
    let action = put(
        "/v2/room/Ops/extension/action/deploy".into(),
        json!({"name": {"value": "Deploy"}, "target": "dialog"}),
    )
    .await;
    assert_eq!(action.status, 201);
    assert_eq!(
        action.body["links"]["self"],
        format!("{}/v2/room/1/extension/action/deploy", server.url())
    );
    let webhook = put(
        "/v2/room/Ops/extension/webhook/w".into(),
        json!({"url": "http://example.org", "event": "room_message"}),
    )
    .await;
    assert_eq!(webhook.status, 201);
    assert!(webhook.body["id"].is_u64());
    assert_invalid(
        &put(
            "/v2/room/Ops/extension/webhook/bad".into(),
            json!({"url": "http://x", "event": "nope"}),
        )
        .await,
        "event",
        "enum",
    );
    assert_eq!(
        put("/v2/room/Ops/extension/dialog/x".into(), json!({}))
            .await
            .status,
        404,
        "unknown module kind"
    );

    let got = rest_get(&server, "/v2/room/Ops/extension/action/deploy").await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body["target"], "dialog");
    assert_eq!(got.body["key"], "deploy");
    assert_eq!(got.body["id"], action.body["id"]);
    let replaced = put(
        "/v2/room/Ops/extension/action/deploy".into(),
        json!({"target": "page"}),
    )
    .await;
    assert_eq!(
        replaced.body["id"], action.body["id"],
        "same key, same extension"
    );
    for n in 0..7 {
        assert_eq!(
            put(format!("/v2/room/Ops/extension/glance/g{n}"), json!({}))
                .await
                .status,
            204
        );
    }
    let eleventh = put(
        "/v2/room/Ops/extension/glance/one-too-many".into(),
        json!({}),
    )
    .await;
    assert_eq!(
        eleventh.status, 400,
        "at most 10 per room: {}",
        eleventh.text
    );
    assert_rate_limited_headers(&eleventh);

    let deleted = rest(
        &server,
        Method::DELETE,
        "/v2/room/Ops/extension/action/deploy",
        "dev",
        None,
    )
    .await;
    assert_eq!(deleted.status, 204);
    let gone = rest_get(&server, "/v2/room/Ops/extension/action/deploy").await;
    assert_eq!(
        (gone.status, gone.body["error"]["message"].as_str()),
        (404, Some("Extension not found"))
    );
    assert_eq!(
        put(
            "/v2/room/Ops/extension/glance/one-too-many".into(),
            json!({})
        )
        .await
        .status,
        204,
        "room again"
    );
}

#[tokio::test]
async fn addon_ui_updates_keep_glance_content() {
    let (server, _clock) = server().await;
    let body = json!({"glance": [{"key": "status", "content": {"label": {"type": "html", "value": "<b>3</b>"}}}]});
    let updated = post_json(&server, "/v2/addon/ui/room/Ops", &body).await;
    assert_eq!((updated.status, updated.text.as_str()), (204, ""));
    assert_eq!(
        server.room_glances("Ops")["status"]["label"]["value"],
        "<b>3</b>"
    );
    let bad = post_json(
        &server,
        "/v2/addon/ui/room/Ops",
        &json!({"glance": [{"content": {}}]}),
    )
    .await;
    assert_invalid(&bad, "glance", "type");
    assert_invalid(
        &post_json(&server, "/v2/addon/ui/room/Ops", &json!({})).await,
        "glance",
        "required",
    );
}

#[tokio::test]
async fn room_avatars_redirect_and_upload() {
    let (server, _clock) = server().await;
    notify(&server, &json!({"message": "make Ops"})).await;
    let no_redirects = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let get_avatar = || {
        send(
            no_redirects
                .get(format!("{}/v2/room/Ops/avatar", server.url()))
                .bearer_auth("dev"),
        )
    };
    let redirect = get_avatar().await;
    assert_eq!(redirect.status, 302);
    let location = redirect.headers["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(location, format!("{}/web/avatar/room/1", server.url()));
    let default = send(client().get(&location)).await;
    assert_eq!(default.headers["content-type"], "image/svg+xml");

    // A 1x1 GIF.
    let gif = "R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs=";
    let put = rest(
        &server,
        Method::PUT,
        "/v2/room/Ops/avatar",
        "dev",
        Some(&json!({"avatar": gif})),
    )
    .await;
    assert_eq!((put.status, put.text.as_str()), (204, ""));
    let image = client().get(&location).send().await.expect("answered");
    assert_eq!(image.headers()["content-type"], "image/gif");
    assert!(image.bytes().await.expect("body").starts_with(b"GIF89a"));
    assert_eq!(
        rest_get(&server, "/v2/room/Ops").await.body["avatar_url"],
        format!("{}/v2/room/1/avatar", server.url())
    );
    let bad = rest(
        &server,
        Method::PUT,
        "/v2/room/Ops/avatar",
        "dev",
        Some(&json!({"avatar": "data:image/gif;base64,R0lG"})),
    )
    .await;
    assert_invalid(&bad, "avatar", "type");
    let deleted = rest(&server, Method::DELETE, "/v2/room/Ops/avatar", "dev", None).await;
    assert_eq!(deleted.status, 204);
    assert_eq!(
        rest_get(&server, "/v2/room/Ops").await.body["avatar_url"],
        Value::Null
    );
    assert_eq!(rest_get(&server, "/v2/room/Nope/avatar").await.status, 404);
}

const STRICT: &str = r#"
strict = true

[[tokens]]
token = "user"
kind = "user"

[[tokens]]
token = "ops-addon"
room = "Ops"

[[tokens]]
token = "viewer"
scopes = ["view_room"]

[[rooms]]
id = 1
name = "Ops"

[[rooms]]
id = 2
name = "Build"
"#;

#[tokio::test]
async fn strict_webhooks_and_extensions_check_scope_kind_and_room() {
    let server = strict_server(STRICT).await;
    let body = json!({"url": "http://example.org", "event": "room_message"});
    let scope = rest(
        &server,
        Method::POST,
        "/v2/room/Ops/webhook",
        "viewer",
        Some(&body),
    )
    .await;
    assert_eq!(scope.status, 403);
    assert_eq!(
        scope.body["error"]["message"],
        "This action requires one of the following scopes: [u'admin_room']"
    );
    assert_eq!(
        rest(
            &server,
            Method::POST,
            "/v2/room/Ops/webhook",
            "ops-addon",
            Some(&body)
        )
        .await
        .status,
        201
    );
    assert_eq!(
        rest(
            &server,
            Method::POST,
            "/v2/room/Build/webhook",
            "ops-addon",
            Some(&body)
        )
        .await
        .status,
        403,
        "another room"
    );
    let user = rest(
        &server,
        Method::PUT,
        "/v2/room/Ops/extension/glance/g",
        "user",
        Some(&json!({})),
    )
    .await;
    assert_eq!(
        user.status, 403,
        "extensions are for add-ons: {}",
        user.text
    );
    assert_eq!(
        rest(
            &server,
            Method::PUT,
            "/v2/room/Ops/extension/glance/g",
            "ops-addon",
            Some(&json!({}))
        )
        .await
        .status,
        204
    );
    assert_eq!(
        rest(
            &server,
            Method::PUT,
            "/v2/room/Nope/extension/glance/g",
            "ops-addon",
            Some(&json!({}))
        )
        .await
        .status,
        404
    );
}
