//! REST API v2 group-level reads and writes (spec v2 §8): emoticons, view_group,
//! group_statistics, the group avatar, invite_user_to_group, capabilities.

mod common;
mod rest_support;

use common::*;
use reqwest::Method;
use rest_support::*;
use serde_json::{Value, json};

const STRICT: &str = r#"
strict = true

[[tokens]]
token = "admin"

[[tokens]]
token = "notify-only"
scopes = ["send_notification"]

[[tokens]]
token = "room-token"
room = "Ops"
scopes = ["view_group", "admin_group"]

[[rooms]]
id = 1
name = "Ops"
"#;

/// A 1×1 PNG, base64.
const PNG: &str =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGMAAQAABQABDQottAAAAABJRU5ErkJggg==";

#[tokio::test]
async fn emoticons_list_page_and_get() {
    let (server, _clock) = server().await;
    let all = rest_get(&server, "/v2/emoticon").await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert_rate_limited_headers(&all);
    let items = all.body["items"].as_array().expect("items").clone();
    assert!(items.len() >= 2);
    let dog = items
        .iter()
        .find(|item| item["shortcut"] == "dog")
        .expect("dog");
    let mut keys: Vec<&String> = dog.as_object().expect("object").keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        ["id", "links", "shortcut", "url"],
        "list items (§3.6)"
    );
    let id = dog["id"].as_u64().expect("id");
    assert_eq!(
        dog["links"]["self"],
        format!("{}/v2/emoticon/{id}", server.url())
    );
    let image_url = dog["url"].as_str().expect("url");
    let image = client().get(image_url).send().await.expect("image");
    assert_eq!(image.status(), 200);
    assert_eq!(image.headers()["content-type"], "image/png");

    let global = rest_get(&server, "/v2/emoticon?type=global").await;
    assert_eq!(
        global.body["items"].as_array().map(Vec::len),
        Some(items.len())
    );
    let group = rest_get(&server, "/v2/emoticon?type=group").await;
    assert_eq!(group.body["items"], json!([]), "no group emoticons");
    assert_eq!(
        rest_get(&server, "/v2/emoticon?type=mine").await.status,
        400
    );

    let first = rest_get(&server, "/v2/emoticon?max-results=1").await;
    assert_eq!(first.body["items"].as_array().map(Vec::len), Some(1));
    let next = first.body["links"]["next"].as_str().expect("next");
    let second = send(client().get(next).bearer_auth("dev")).await;
    assert_eq!(second.body["startIndex"], 1);
    assert_eq!(
        second.body["links"]["prev"],
        format!("{}/v2/emoticon?max-results=1&start-index=0", server.url())
    );
    assert_ne!(second.body["items"][0]["id"], first.body["items"][0]["id"]);

    for reference in [id.to_string(), "dog".to_owned()] {
        let got = rest_get(&server, &format!("/v2/emoticon/{reference}")).await;
        assert_eq!(got.status, 200, "{reference}");
        assert_eq!(got.body["shortcut"], "dog");
        assert_eq!(got.body["width"], 30);
        assert_eq!(got.body["height"], 30);
        assert_eq!(got.body["creator"], Value::Null, "a global emoticon");
        assert_eq!(got.body["url"], image_url);
    }
    let missing = rest_get(&server, "/v2/emoticon/cat").await;
    assert_error(&missing, 404, "Emoticon not found");
}

#[tokio::test]
async fn group_view_statistics_and_avatar() {
    let (server, _clock) = server().await;
    let group = rest_get(&server, "/v2/group/1").await;
    assert_eq!(group.status, 200, "{}", group.text);
    let body = group.body;
    assert_eq!(body["id"], 1);
    assert_eq!(body["name"], "Dev Group");
    assert_eq!(body["domain"], Value::Null);
    assert_eq!(body["subdomain"], "dev");
    assert_eq!(body["created"], "2017-07-14T02:40:00+00:00");
    assert_eq!(body["avatar_url"], Value::Null);
    assert_eq!(body["plan"]["type"], "free");
    assert!(body["plan"]["id"].is_u64());
    assert_eq!(body["owner"]["id"], 1);
    assert_eq!(body["owner"]["mention_name"], "dev");
    assert_eq!(
        body["links"]["self"],
        format!("{}/v2/group/1", server.url())
    );

    let other = rest_get(&server, "/v2/group/2").await;
    assert_eq!(other.status, 403, "{}", other.text);
    assert_rate_limited_headers(&other);
    assert_eq!(
        rest_get(&server, "/v2/group/2/statistics").await.status,
        403
    );
    assert_eq!(rest_get(&server, "/v2/group/x").await.status, 404);

    let stats = rest_get(&server, "/v2/group/1/statistics").await;
    assert_eq!((stats.status, stats.body), (200, json!({"users": 1})));
    let invited = rest(
        &server,
        Method::POST,
        "/v2/user",
        "dev",
        Some(&json!({"name": "Bob", "email": "bob@example.com"})),
    )
    .await;
    assert_eq!(invited.status, 201);
    assert_eq!(
        rest_get(&server, "/v2/group/1/statistics").await.body,
        json!({"users": 2})
    );

    let client = no_redirects();
    let avatar = send(
        client
            .get(format!("{}/v2/group/1/avatar", server.url()))
            .bearer_auth("dev"),
    )
    .await;
    assert_eq!(avatar.status, 302);
    let put = rest(
        &server,
        Method::PUT,
        "/v2/group/1/avatar",
        "dev",
        Some(&json!({"avatar": PNG})),
    )
    .await;
    assert_eq!(put.status, 204, "{}", put.text);
    let avatar = send(
        client
            .get(format!("{}/v2/group/1/avatar", server.url()))
            .bearer_auth("dev"),
    )
    .await;
    assert_eq!(avatar.status, 302);
    let location = avatar.headers["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let bytes = client
        .get(&location)
        .send()
        .await
        .expect("image")
        .bytes()
        .await
        .expect("bytes");
    assert!(bytes.starts_with(b"\x89PNG"));
    assert_eq!(
        rest_get(&server, "/v2/group/1").await.body["avatar_url"],
        format!("{}/v2/group/1/avatar", server.url())
    );
    assert_rejected(
        &server,
        Method::PUT,
        "/v2/group/1/avatar",
        json!({"avatar": "data:image/png;base64,xx"}),
        "avatar",
        "type",
    )
    .await;
    let deleted = rest(&server, Method::DELETE, "/v2/group/1/avatar", "dev", None).await;
    assert_eq!(deleted.status, 204);
    assert_eq!(
        rest_get(&server, "/v2/group/1").await.body["avatar_url"],
        Value::Null
    );
}

#[tokio::test]
async fn invite_user_to_group_creates_an_invited_user() {
    let (server, _clock) = server().await;
    let invited = rest(
        &server,
        Method::POST,
        "/v2/invite/user",
        "dev",
        Some(&json!({"email": "new@example.com", "name": "New Person", "title": "Intern"})),
    )
    .await;
    assert_eq!(invited.status, 200, "{}", invited.text);
    let id = invited.body["id"].as_u64().expect("id");
    assert_eq!(invited.body["email"], "new@example.com");
    assert_eq!(invited.body["name"], "New Person");
    assert_eq!(invited.body["title"], "Intern");
    assert_eq!(invited.body["mention_name"], "NewPerson");
    assert_eq!(
        invited.body["links"]["self"],
        format!("{}/v2/user/{id}", server.url())
    );
    let viewed = rest_get(&server, "/v2/user/new@example.com").await;
    assert_eq!(viewed.body["id"], id);

    let again = rest(
        &server,
        Method::POST,
        "/v2/invite/user",
        "dev",
        Some(&json!({"email": "NEW@example.com", "name": "Other"})),
    )
    .await;
    assert_eq!(again.status, 400, "{}", again.text);
    assert_rejected(
        &server,
        Method::POST,
        "/v2/invite/user",
        json!({"name": "X"}),
        "email",
        "required",
    )
    .await;
    assert_rejected(
        &server,
        Method::POST,
        "/v2/invite/user",
        json!({"email": "x@example.com"}),
        "name",
        "required",
    )
    .await;
}

#[tokio::test]
async fn capabilities_need_no_token_and_use_the_host() {
    let (server, _clock) = server().await;
    let answer = call(&server, Method::GET, "/v2/capabilities", None).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_rate_limited_headers(&answer);
    let body = answer.body;
    let base = server.url();
    assert_eq!(body["links"]["self"], format!("{base}/v2/capabilities"));
    assert_eq!(
        body["capabilities"]["hipchatApiProvider"]["url"],
        format!("{base}/v2/")
    );
    assert_eq!(
        body["capabilities"]["oauth2Provider"]["tokenUrl"],
        format!("{base}/v2/oauth/token")
    );
    assert_eq!(body["key"], "hipchat");
    let scopes = body["capabilities"]["hipchatApiProvider"]["availableScopes"]
        .as_object()
        .expect("scopes");
    assert_eq!(scopes.len(), 9);
    assert_eq!(scopes["view_group"]["name"], "View Group");

    let proxied = send(
        client()
            .get(format!("{base}/v2/capabilities"))
            .header("host", "chat.example.test:8443"),
    )
    .await;
    assert_eq!(
        proxied.body["capabilities"]["hipchatApiProvider"]["url"],
        "http://chat.example.test:8443/v2/"
    );
}

#[tokio::test]
async fn strict_scopes_and_caller_kinds() {
    let server = strict_server(STRICT).await;
    let cases: [(Method, &str, &str, Option<Value>); 7] = [
        (Method::GET, "/v2/emoticon", "[u'view_group']", None),
        (Method::GET, "/v2/emoticon/dog", "[u'view_group']", None),
        (Method::GET, "/v2/group/1", "[u'view_group']", None),
        (
            Method::GET,
            "/v2/group/1/statistics",
            "[u'view_group']",
            None,
        ),
        (Method::GET, "/v2/group/1/avatar", "[u'view_group']", None),
        (
            Method::DELETE,
            "/v2/group/1/avatar",
            "[u'admin_group']",
            None,
        ),
        (
            Method::POST,
            "/v2/invite/user",
            "[u'admin_group']",
            Some(json!({"email": "a@b.c", "name": "A"})),
        ),
    ];
    for (method, path, scopes, body) in cases {
        let answer = rest(&server, method.clone(), path, "notify-only", body.as_ref()).await;
        assert_scope_error(&answer, scopes);
    }
    // Room tokens may read emoticons (G R U) but not the group (G U).
    let emoticons = rest(&server, Method::GET, "/v2/emoticon", "room-token", None).await;
    assert_eq!(emoticons.status, 200, "{}", emoticons.text);
    for (method, path) in [
        (Method::GET, "/v2/group/1"),
        (Method::GET, "/v2/group/1/statistics"),
        (Method::POST, "/v2/invite/user"),
    ] {
        let kind = rest(
            &server,
            method.clone(),
            path,
            "room-token",
            Some(&json!({})),
        )
        .await;
        assert_eq!(kind.status, 403, "{method} {path}: {}", kind.text);
        assert_eq!(
            kind.body["error"]["message"],
            "This resource is not available to room tokens"
        );
    }
    let capabilities = call(&server, Method::GET, "/v2/capabilities", None).await;
    assert_eq!(capabilities.status, 200, "no token needed, even strict");
}
