//! REST API v2 users (spec v2 §7): get_all_users, create_user, view_user, update_user,
//! delete_user, photos, auto-join rooms; shapes, links, paging, scopes, caller kinds,
//! 404 bodies.

mod common;
mod rest_support;

use common::*;
use hipchat_devserver::DevServer;
use reqwest::Method;
use rest_support::*;
use serde_json::{Value, json};

const STRICT: &str = r#"
strict = true

[[tokens]]
token = "admin"

[[tokens]]
token = "viewer"
scopes = ["view_group"]

[[tokens]]
token = "notify-only"
scopes = ["send_notification"]

[[tokens]]
token = "room-token"
room = "Ops"

[[tokens]]
token = "group-token"
kind = "group"

[[rooms]]
id = 7
name = "Ops"

[[users]]
id = 2
name = "Alice Example"
mention_name = "alice"
email = "alice@example.com"
"#;

async fn create(server: &DevServer, body: Value) -> Answer {
    rest(server, Method::POST, "/v2/user", "dev", Some(&body)).await
}

/// A 1×1 PNG, base64.
const PNG: &str =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGMAAQAABQABDQottAAAAABJRU5ErkJggg==";

#[tokio::test]
async fn create_view_and_list_a_user() {
    let (server, _clock) = server().await;
    let created = create(
        &server,
        json!({"name": "Bob Ray", "email": "bob@example.com", "title": "Builder"}),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_rate_limited_headers(&created);
    let id = created.body["id"].as_u64().expect("numeric id");
    let self_url = format!("{}/v2/user/{id}", server.url());
    assert_eq!(created.body["links"]["self"], self_url);
    let password = created.body["password"]
        .as_str()
        .expect("generated password");
    assert!(password.len() >= 8, "{password}");

    let with_password = create(
        &server,
        json!({"name": "Carol", "email": "carol@example.com", "password": "s3cret!!"}),
    )
    .await;
    assert_eq!(with_password.status, 201);
    assert!(
        with_password.body.get("password").is_none(),
        "given: not echoed"
    );

    for reference in [id.to_string(), "bob@example.com".into(), "@BobRay".into()] {
        let viewed = rest_get(&server, &format!("/v2/user/{reference}")).await;
        assert_eq!(viewed.status, 200, "{reference}: {}", viewed.text);
        assert_eq!(viewed.body["id"], id, "{reference}");
    }
    let user = rest_get(&server, &format!("/v2/user/{id}")).await.body;
    assert_eq!(user["name"], "Bob Ray");
    assert_eq!(
        user["mention_name"], "BobRay",
        "default: the name without spaces"
    );
    assert_eq!(user["email"], "bob@example.com");
    assert_eq!(user["title"], "Builder");
    assert_eq!(user["links"]["self"], self_url);
    assert_eq!(user["timezone"], "UTC");
    assert_eq!(user["is_deleted"], false);
    assert_eq!(user["is_guest"], false);
    assert_eq!(user["is_group_admin"], false);
    assert_eq!(user["roles"], json!(["user"]));
    assert_eq!(user["created"], "2017-07-14T02:40:00+00:00");
    assert_eq!(user["last_active"], Value::Null, "never active");
    assert_eq!(user["photo_url"], Value::Null);
    assert_eq!(user["presence"]["is_online"], false);
    assert_eq!(user["group"]["id"], 1);
    assert_eq!(
        user["group"]["links"]["self"],
        format!("{}/v2/group/1", server.url())
    );
    assert!(
        user["xmpp_jid"]
            .as_str()
            .is_some_and(|jid| jid.starts_with(&format!("1_{id}@chat."))),
        "{}",
        user["xmpp_jid"]
    );
    assert_eq!(user["version"].as_str().map(str::len), Some(8));

    let list = rest_get(&server, "/v2/user").await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body["startIndex"], 0);
    assert_eq!(list.body["maxResults"], 100);
    assert_eq!(
        list.body["links"],
        json!({"self": format!("{}/v2/user", server.url())})
    );
    let items = list.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 3, "owner, Bob, Carol");
    let bob = items.iter().find(|item| item["id"] == id).expect("listed");
    assert_eq!(
        bob.as_object().map(|o| {
            let mut keys: Vec<&String> = o.keys().collect();
            keys.sort();
            keys
        }),
        Some(vec![
            &"id".to_owned(),
            &"links".to_owned(),
            &"mention_name".to_owned(),
            &"name".to_owned(),
            &"version".to_owned()
        ]),
        "a reference (§3.1)"
    );
    let expanded = rest_get(&server, "/v2/user?expand=items").await;
    assert_eq!(expanded.body["items"][1]["email"], "bob@example.com");
}

#[tokio::test]
async fn create_checks_its_body() {
    let (server, _clock) = server().await;
    assert_rejected(
        &server,
        Method::POST,
        "/v2/user",
        json!({"email": "x@example.com"}),
        "name",
        "required",
    )
    .await;
    assert_rejected(
        &server,
        Method::POST,
        "/v2/user",
        json!({"name": "X"}),
        "email",
        "required",
    )
    .await;
    assert_invalid(
        &create(
            &server,
            json!({"name": chars(51), "email": "x@example.com"}),
        )
        .await,
        "name",
        "maxLength",
    );
    assert_rejected(
        &server,
        Method::POST,
        "/v2/user",
        json!({"name": "", "email": "x@example.com"}),
        "name",
        "minLength",
    )
    .await;
    assert_invalid(
        &create(
            &server,
            json!({"name": "X", "email": "x@example.com", "is_group_admin": "yes"}),
        )
        .await,
        "is_group_admin",
        "type",
    );
    let nulls = create(
        &server,
        json!({"name": "X", "email": "x@example.com", "title": null, "password": null}),
    )
    .await;
    assert_eq!(
        nulls.status, 201,
        "null optional fields count as absent: {}",
        nulls.text
    );
    let again = create(&server, json!({"name": "Y", "email": "X@example.com"})).await;
    assert_eq!(again.status, 400, "{}", again.text);
    assert_rate_limited_headers(&again);
    let mention = create(
        &server,
        json!({"name": "Z", "email": "z@example.com", "mention_name": "dev"}),
    )
    .await;
    assert_eq!(mention.status, 400, "the owner is @dev: {}", mention.text);
}

#[tokio::test]
async fn update_replaces_fields_and_keeps_the_password() {
    let (server, _clock) = server().await;
    let id = create(
        &server,
        json!({"name": "Bob", "email": "bob@example.com", "title": "T", "timezone": "Europe/Berlin", "is_group_admin": true}),
    )
    .await
    .body["id"]
        .as_u64()
        .expect("id");
    let path = format!("/v2/user/{id}");
    let before = rest_get(&server, &path).await.body;
    let updated = rest(
        &server,
        Method::PUT,
        &path,
        "dev",
        Some(&json!({"name": "Robert", "mention_name": "rob", "email": "rob@example.com", "presence": {"show": "away", "status": "out"}})),
    )
    .await;
    assert_eq!(updated.status, 204, "{}", updated.text);
    assert!(updated.text.is_empty());
    let after = rest_get(&server, "/v2/user/@rob").await.body;
    assert_eq!(after["name"], "Robert");
    assert_eq!(after["email"], "rob@example.com");
    assert_eq!(after["title"], "", "missing optional fields are reset");
    assert_eq!(after["timezone"], "UTC");
    assert_eq!(after["is_group_admin"], false);
    assert_eq!(after["presence"]["is_online"], false, "presence is ignored");
    assert_ne!(
        after["version"], before["version"],
        "a write changes the version"
    );

    assert_rejected(
        &server,
        Method::PUT,
        &path,
        json!({"name": "Robert", "email": "rob@example.com"}),
        "mention_name",
        "required",
    )
    .await;
    let unknown = rest(
        &server,
        Method::PUT,
        "/v2/user/999",
        "dev",
        Some(&json!({"name": "N", "mention_name": "n", "email": "n@example.com"})),
    )
    .await;
    assert_error(&unknown, 404, "User not found");

    // Deleted users cannot be updated.
    assert_eq!(
        rest(&server, Method::DELETE, &path, "dev", None)
            .await
            .status,
        204
    );
    let deleted = rest(
        &server,
        Method::PUT,
        &path,
        "dev",
        Some(&json!({"name": "Robert", "mention_name": "rob", "email": "rob@example.com"})),
    )
    .await;
    assert_eq!(deleted.status, 400, "{}", deleted.text);
    assert_eq!(
        deleted.body["error"]["message"],
        "Deleted users cannot be updated"
    );
}

#[tokio::test]
async fn delete_is_soft_and_create_undeletes() {
    let (server, _clock) = server().await;
    let id = create(&server, json!({"name": "Bob", "email": "bob@example.com"}))
        .await
        .body["id"]
        .as_u64()
        .expect("id");
    let path = format!("/v2/user/{id}");
    let deleted = rest(&server, Method::DELETE, &path, "dev", None).await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    assert_rate_limited_headers(&deleted);
    for read in [
        path.clone(),
        "/v2/user/bob@example.com".into(),
        format!("{path}/photo/small"),
    ] {
        let gone = rest_get(&server, &read).await;
        assert_error(&gone, 404, "User not found");
    }
    let again = rest(&server, Method::DELETE, &path, "dev", None).await;
    assert_eq!(again.status, 404);
    let listed = rest_get(&server, "/v2/user").await.body;
    assert!(
        listed["items"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|u| u["id"] != id),
        "not listed by default"
    );
    let with_deleted = rest_get(&server, "/v2/user?include-deleted=true&expand=items")
        .await
        .body;
    let entry = with_deleted["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|u| u["id"] == id)
        .cloned()
        .expect("listed with include-deleted");
    assert_eq!(entry["is_deleted"], true);

    let owner = rest(&server, Method::DELETE, "/v2/user/1", "dev", None).await;
    assert_eq!(owner.status, 400, "the owner stays: {}", owner.text);

    let revived = create(
        &server,
        json!({"name": "Bob Again", "email": "BOB@example.com"}),
    )
    .await;
    assert_eq!(revived.status, 201, "{}", revived.text);
    assert_eq!(revived.body["id"], id, "the deleted user comes back");
    let user = rest_get(&server, &path).await.body;
    assert_eq!(user["is_deleted"], false);
    assert_eq!(user["name"], "Bob Again");
}

#[tokio::test]
async fn unknown_users_are_404_everywhere() {
    let (server, _clock) = server().await;
    for (method, path) in [
        (Method::GET, "/v2/user/999"),
        (Method::GET, "/v2/user/nobody@example.com"),
        (Method::GET, "/v2/user/@nobody"),
        (Method::DELETE, "/v2/user/999"),
        (Method::GET, "/v2/user/999/photo/big"),
        (Method::DELETE, "/v2/user/999/photo"),
        (Method::GET, "/v2/user/999/preference/auto-join"),
        (Method::GET, "/v2/user/999/history"),
    ] {
        let answer = rest(&server, method.clone(), path, "dev", None).await;
        assert_error(&answer, 404, "User not found");
    }
}

#[tokio::test]
async fn user_lists_page_with_links() {
    let (server, _clock) = server().await;
    for n in 0..4 {
        let made = create(
            &server,
            json!({"name": format!("User {n}"), "email": format!("u{n}@example.com")}),
        )
        .await;
        assert_eq!(made.status, 201);
    }
    // Owner + 4 users, 2 a page: 3 pages, walked by links.next (bounded).
    let mut url = format!(
        "{}/v2/user?max-results=2&include-guests=false",
        server.url()
    );
    let mut seen = Vec::new();
    for page in 0..10 {
        let answer = send(client().get(&url).bearer_auth("dev")).await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        assert_eq!(answer.body["maxResults"], 2);
        assert_eq!(answer.body["startIndex"], page * 2);
        assert_eq!(
            answer.body["links"]["self"],
            format!("{}/v2/user", server.url())
        );
        assert_eq!(answer.body["links"].get("prev").is_some(), page > 0);
        seen.extend(answer.body["items"].as_array().cloned().unwrap_or_default());
        match answer.body["links"]["next"].as_str() {
            Some(next) => {
                assert!(next.contains("include-guests=false"), "{next}");
                url = next.to_owned();
            }
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);
    let bad = rest_get(&server, "/v2/user?max-results=1001").await;
    assert_invalid(&bad, "max-results", "maximum");
    let bad = rest_get(&server, "/v2/user?include-deleted=maybe").await;
    assert_invalid(&bad, "include-deleted", "type");
}

#[tokio::test]
async fn photos_redirect_to_served_images() {
    let (server, _clock) = server().await;
    let client = no_redirects();
    let get = |size: &str| {
        client
            .get(format!("{}/v2/user/1/photo/{size}", server.url()))
            .bearer_auth("dev")
    };
    let default = send(get("small")).await;
    assert_eq!(default.status, 302);
    let location = default.headers["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(location.starts_with(server.url()), "{location}");
    let image = client.get(&location).send().await.expect("image");
    assert_eq!(image.status(), 200);
    assert_eq!(image.headers()["content-type"], "image/png");

    let put = rest(
        &server,
        Method::PUT,
        "/v2/user/1/photo",
        "dev",
        Some(&json!({"photo": PNG})),
    )
    .await;
    assert_eq!(put.status, 204, "{}", put.text);
    let big = send(get("big")).await;
    assert_eq!(big.status, 302);
    let location = big.headers["location"]
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
    assert!(bytes.starts_with(b"\x89PNG"), "the uploaded image");
    let user = rest_get(&server, "/v2/user/1").await.body;
    assert_eq!(user["photo_url"], location.as_str());

    let bad_size = send(get("huge")).await;
    assert_eq!(bad_size.status, 400);
    assert_rejected(
        &server,
        Method::PUT,
        "/v2/user/1/photo",
        json!({"photo": "aGVsbG8="}),
        "photo",
        "type",
    )
    .await;
    assert_rejected(
        &server,
        Method::PUT,
        "/v2/user/1/photo",
        json!({}),
        "photo",
        "required",
    )
    .await;

    let deleted = rest(&server, Method::DELETE, "/v2/user/1/photo", "dev", None).await;
    assert_eq!(deleted.status, 204);
    assert_eq!(
        rest_get(&server, "/v2/user/1").await.body["photo_url"],
        Value::Null
    );
    assert_eq!(
        client.get(&location).send().await.expect("gone").status(),
        404
    );
}

#[tokio::test]
async fn auto_join_rooms_are_owned_and_member_rooms() {
    let (server, _clock) = server().await;
    for name in ["Ops", "Dev", "Old"] {
        let made = rest(
            &server,
            Method::POST,
            "/v2/room",
            "dev",
            Some(&json!({"name": name})),
        )
        .await;
        assert_eq!(made.status, 201);
    }
    let archive = rest(
        &server,
        Method::PUT,
        "/v2/room/Old",
        "dev",
        Some(&json!({"name": "Old", "privacy": "public", "is_archived": true, "is_guest_accessible": false, "topic": "", "owner": {"id": 1}})),
    )
    .await;
    assert_eq!(archive.status, 204, "{}", archive.text);
    let rooms = rest_get(&server, "/v2/user/@dev/preference/auto-join?max-results=1").await;
    assert_eq!(rooms.status, 200, "{}", rooms.text);
    assert_eq!(rooms.body["items"][0]["name"], "Ops");
    assert_eq!(
        rooms.body["items"][0]["links"]["self"],
        format!("{}/v2/room/1", server.url())
    );
    assert_eq!(
        rooms.body["links"]["self"],
        format!("{}/v2/user/@dev/preference/auto-join", server.url())
    );
    let next = rooms.body["links"]["next"].as_str().expect("a second page");
    let second = send(client().get(next).bearer_auth("dev")).await;
    assert_eq!(second.body["items"][0]["name"], "Dev");
    assert!(
        second.body["links"].get("next").is_none(),
        "archived rooms are left out"
    );
}

#[tokio::test]
async fn strict_scopes_and_caller_kinds() {
    let server = strict_server(STRICT).await;
    let viewed = rest(&server, Method::GET, "/v2/user/@alice", "viewer", None).await;
    assert_eq!(viewed.status, 200, "{}", viewed.text);
    assert_eq!(viewed.body["email"], "alice@example.com");

    let cases: [(Method, &str, &str, Option<Value>); 6] = [
        (Method::GET, "/v2/user", "[u'view_group']", None),
        (Method::GET, "/v2/user/2", "[u'view_group']", None),
        (
            Method::POST,
            "/v2/user",
            "[u'admin_group']",
            Some(json!({"name": "N", "email": "n@example.com"})),
        ),
        (
            Method::PUT,
            "/v2/user/2",
            "[u'admin_group']",
            Some(json!({"name": "N", "mention_name": "n", "email": "n@example.com"})),
        ),
        (Method::DELETE, "/v2/user/2", "[u'admin_group']", None),
        (
            Method::PUT,
            "/v2/user/2/photo",
            "[u'admin_group']",
            Some(json!({"photo": PNG})),
        ),
    ];
    for (method, path, scopes, body) in cases {
        let answer = rest(&server, method.clone(), path, "notify-only", body.as_ref()).await;
        assert_scope_error(&answer, scopes);
    }
    let write = rest(&server, Method::DELETE, "/v2/user/2", "viewer", None).await;
    assert_eq!(write.status, 403, "view_group does not administer");

    let room_kind = rest(&server, Method::GET, "/v2/user", "room-token", None).await;
    assert_eq!(room_kind.status, 403, "{}", room_kind.text);
    assert_eq!(room_kind.body["error"]["type"], "Forbidden");
    let group_kind = rest(&server, Method::GET, "/v2/user", "group-token", None).await;
    assert_eq!(group_kind.status, 200, "G may list users");

    let unknown = rest(&server, Method::GET, "/v2/user", "nope", None).await;
    assert_eq!(unknown.status, 401);
    assert_rate_limited_headers(&unknown);
}
