//! REST API v2 rooms (spec v2 §4): get_all_rooms, create_room, get_room, update_room,
//! delete_room, set_topic, get_room_statistics; envelopes, links, scopes.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};

async fn create(server: &hipchat_devserver::DevServer, body: Value) -> Answer {
    rest(server, Method::POST, "/v2/room", "dev", Some(&body)).await
}

fn is_version(value: &Value) -> bool {
    value.as_str().is_some_and(|v| {
        v.len() == 8
            && v.bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
    })
}

#[tokio::test]
async fn create_then_get_and_list_a_room() {
    let (server, _clock) = server().await;
    let created = create(
        &server,
        json!({"name": "Ops", "topic": "deploys", "privacy": "private"}),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.body["id"].as_u64().expect("numeric id");
    assert_eq!(
        created.body["links"]["self"],
        format!("{}/v2/room/{id}", server.url())
    );
    assert_rate_limited_headers(&created);

    let room = rest_get(&server, &format!("/v2/room/{id}")).await;
    assert_eq!(room.status, 200);
    let room = room.body;
    assert_eq!(room["id"], id);
    assert_eq!(room["name"], "Ops");
    assert_eq!(room["topic"], "deploys");
    assert_eq!(room["privacy"], "private");
    assert_eq!(room["is_archived"], false);
    assert_eq!(room["is_guest_accessible"], false);
    assert_eq!(room["guest_access_url"], Value::Null);
    assert_eq!(room["owner"]["id"], 1, "the caller (the owner) by default");
    assert_eq!(room["owner"]["mention_name"], "dev");
    assert!(
        room["owner"].get("email").is_none(),
        "a reference unless expanded"
    );
    assert_eq!(room["participants"], json!([]));
    let base = format!("{}/v2/room/{id}", server.url());
    assert_eq!(
        room["statistics"],
        json!({"links": {"self": format!("{base}/statistics")}})
    );
    assert_eq!(room["links"]["self"], base);
    assert_eq!(room["links"]["webhooks"], format!("{base}/webhook"));
    assert_eq!(room["links"]["participants"], format!("{base}/participant"));
    assert_eq!(
        room["links"]["members"],
        format!("{base}/member"),
        "private rooms"
    );
    assert_eq!(room["last_active"], Value::Null);
    assert_eq!(room["avatar_url"], Value::Null);
    assert_eq!(room["created"], "2017-07-14T02:40:00+00:00");
    assert!(
        room["xmpp_jid"]
            .as_str()
            .unwrap_or_default()
            .starts_with("1_ops@conf.")
    );
    assert!(is_version(&room["version"]), "{}", room["version"]);

    let by_name = rest_get(&server, "/v2/room/Ops?expand=owner").await;
    assert_eq!(by_name.body["id"], id);
    assert_eq!(
        by_name.body["owner"]["email"], "dev@devserver.invalid",
        "expanded"
    );

    let list = rest_get(&server, "/v2/room").await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body["startIndex"], 0);
    assert_eq!(list.body["maxResults"], 100);
    assert_eq!(
        list.body["links"],
        json!({"self": format!("{}/v2/room", server.url())})
    );
    let item = &list.body["items"][0];
    assert_eq!(item["id"], id);
    assert_eq!(item["name"], "Ops");
    assert_eq!(item["privacy"], "private");
    assert_eq!(item["is_archived"], false);
    assert_eq!(item["links"]["self"], base);
    assert!(item.get("topic").is_none(), "a reference");
    let expanded = rest_get(&server, "/v2/room?expand=items").await;
    assert_eq!(expanded.body["items"][0]["topic"], "deploys", "full rooms");
}

#[tokio::test]
async fn room_lists_page_with_next_and_prev_links() {
    let (server, _clock) = server().await;
    for n in 0..5 {
        assert_eq!(
            create(&server, json!({"name": format!("room {n}")}))
                .await
                .status,
            201
        );
    }
    let url = format!(
        "{}/v2/room?max-results=2&auth_token=dev&include-archived=false",
        server.url()
    );
    let first = send(client().get(&url)).await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.body["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        (
            first.body["startIndex"].as_u64(),
            first.body["maxResults"].as_u64()
        ),
        (Some(0), Some(2))
    );
    let links = &first.body["links"];
    assert_eq!(
        links["self"],
        format!("{}/v2/room", server.url()),
        "no query"
    );
    assert!(
        links.get("prev").is_none(),
        "absent, not null, on the first page"
    );
    let next = links["next"].as_str().expect("next").to_owned();
    assert!(
        next.starts_with(&format!("{}/v2/room?", server.url())),
        "{next}"
    );
    assert!(
        next.contains("start-index=2") && next.contains("max-results=2"),
        "{next}"
    );
    assert!(
        next.contains("include-archived=false"),
        "keeps the query: {next}"
    );
    assert!(!next.contains("auth_token"), "drops the token: {next}");

    let mut names = Vec::new();
    let mut page_url = url.clone();
    for _ in 0..5 {
        let page = send(client().get(&page_url).bearer_auth("dev")).await;
        assert_eq!(page.status, 200);
        names.extend(
            page.body["items"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|i| i["name"].clone()),
        );
        match page.body["links"]["next"].as_str() {
            Some(next) => page_url = next.to_owned(),
            None => {
                assert_eq!(page.body["startIndex"], 4);
                assert!(
                    page.body["links"]["prev"]
                        .as_str()
                        .unwrap_or_default()
                        .contains("start-index=2")
                );
                break;
            }
        }
    }
    let expected: Vec<Value> = (0..5).map(|n| json!(format!("room {n}"))).collect();
    assert_eq!(names, expected);

    let empty = rest_get(&server, "/v2/room?start-index=10").await;
    assert_eq!(empty.body["items"], json!([]));
    assert!(empty.body["links"]["prev"].is_string());
    assert!(empty.body["links"].get("next").is_none());
}

#[tokio::test]
async fn paging_parameters_are_checked() {
    let (server, _clock) = server().await;
    let too_many = rest_get(&server, "/v2/room?max-results=1001").await;
    assert_invalid(&too_many, "max-results", "maximum");
    assert_rate_limited_headers(&too_many);
    assert_invalid(
        &rest_get(&server, "/v2/room?max-results=-1").await,
        "max-results",
        "minimum",
    );
    assert_invalid(
        &rest_get(&server, "/v2/room?start-index=-1").await,
        "start-index",
        "minimum",
    );
    assert_invalid(
        &rest_get(&server, "/v2/room?start-index=x").await,
        "start-index",
        "type",
    );
    assert_invalid(
        &rest_get(&server, "/v2/room?include-private=maybe").await,
        "include-private",
        "type",
    );
    assert_eq!(
        rest_get(&server, "/v2/room?max-results=1000").await.status,
        200
    );
    assert_eq!(
        rest_get(&server, "/v2/room?max-results=0").await.body["maxResults"],
        0
    );
}

#[tokio::test]
async fn create_room_checks_its_body() {
    let (server, _clock) = server().await;
    assert_invalid(&create(&server, json!({})).await, "name", "required");
    assert_invalid(
        &create(&server, json!({"name": ""})).await,
        "name",
        "minLength",
    );
    assert_invalid(
        &create(&server, json!({"name": chars(51)})).await,
        "name",
        "maxLength",
    );
    assert_eq!(
        create(&server, json!({"name": chars(50)})).await.status,
        201
    );
    assert_invalid(
        &create(&server, json!({"name": "a", "privacy": "secret"})).await,
        "privacy",
        "enum",
    );
    assert_invalid(
        &create(&server, json!({"name": "a", "guest_access": "yes"})).await,
        "guest_access",
        "type",
    );
    assert_invalid(
        &create(&server, json!({"name": "a", "owner_user_id": "@nobody"})).await,
        "owner_user_id",
        "type",
    );
    let bad_json = send(
        post_as(&client(), &server, "dev", "/v2/room")
            .header("content-type", "application/json")
            .body("{"),
    )
    .await;
    assert_eq!(bad_json.status, 400);
    assert_eq!(
        create(
            &server,
            json!({"name": "Ops", "owner_user_id": 1, "guest_access": true})
        )
        .await
        .status,
        201
    );
    let duplicate = create(&server, json!({"name": "Ops"})).await;
    assert_eq!(duplicate.status, 400);
    assert_eq!(
        duplicate.body["error"]["message"],
        "Another room exists with that name."
    );
    let room = rest_get(&server, "/v2/room/Ops").await.body;
    assert_eq!(room["is_guest_accessible"], true);
    assert!(room["guest_access_url"].is_string());
}

#[tokio::test]
async fn unknown_rooms_are_404_and_only_writes_create_rooms() {
    let (server, _clock) = server().await;
    let not_found = fixture_body("errors/v2-404-room-not-found.json");
    for path in [
        "/v2/room/Nowhere",
        "/v2/room/42",
        "/v2/room/Nowhere/statistics",
    ] {
        let missing = rest_get(&server, path).await;
        assert_eq!((missing.status, &missing.body), (404, &not_found), "{path}");
        assert_rate_limited_headers(&missing);
    }
    assert_eq!(
        rest_get(&server, "/v2/room").await.body["items"],
        json!([]),
        "reads create nothing"
    );
    assert_eq!(notify(&server, &json!({"message": "m"})).await.status, 204);
    let list = rest_get(&server, "/v2/room").await;
    assert_eq!(
        list.body["items"][0]["name"], "Ops",
        "a notification creates its room"
    );
    let id = list.body["items"][0]["id"].clone();
    assert_eq!(
        rest_get(&server, &format!("/v2/room/{id}")).await.body["name"],
        "Ops"
    );
    let topic = rest(
        &server,
        Method::PUT,
        "/v2/room/Fresh/topic",
        "dev",
        Some(&json!({"topic": "t"})),
    )
    .await;
    assert_eq!(topic.status, 204, "set_topic is a write: {}", topic.text);
    assert_eq!(rest_get(&server, "/v2/room/Fresh").await.body["topic"], "t");
}

#[tokio::test]
async fn update_room_needs_every_field_and_archives() {
    let (server, _clock) = server().await;
    create(&server, json!({"name": "Ops"})).await;
    create(&server, json!({"name": "Other"})).await;
    let before = rest_get(&server, "/v2/room/Ops").await.body;
    let full = json!({
        "name": "Ops 2", "privacy": "private", "is_archived": true,
        "is_guest_accessible": false, "topic": "new", "owner": {"id": 1}
    });
    for field in [
        "name",
        "privacy",
        "is_archived",
        "is_guest_accessible",
        "topic",
        "owner",
    ] {
        let mut body = full.clone();
        body.as_object_mut().map(|body| body.remove(field));
        let answer = rest(&server, Method::PUT, "/v2/room/Ops", "dev", Some(&body)).await;
        assert_invalid(&answer, field, "required");
    }
    let mut taken = full.clone();
    taken["name"] = json!("Other");
    let duplicate = rest(&server, Method::PUT, "/v2/room/Ops", "dev", Some(&taken)).await;
    assert_eq!(
        duplicate.body["error"]["message"],
        "Another room exists with that name."
    );
    let updated = rest(&server, Method::PUT, "/v2/room/Ops", "dev", Some(&full)).await;
    assert_eq!((updated.status, updated.text.as_str()), (204, ""));
    let after = rest_get(&server, &format!("/v2/room/{}", before["id"]))
        .await
        .body;
    assert_eq!(after["name"], "Ops 2");
    assert_eq!(after["topic"], "new");
    assert_eq!(after["is_archived"], true);
    assert_ne!(
        after["version"], before["version"],
        "a write changes the version"
    );
    assert_eq!(
        rest_get(&server, "/v2/room/Ops").await.status,
        404,
        "the old name is gone"
    );
    let names = |list: &Value| -> Vec<Value> {
        list["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|i| i["name"].clone())
            .collect()
    };
    assert_eq!(
        names(&rest_get(&server, "/v2/room").await.body),
        [json!("Other")],
        "archived hidden"
    );
    assert_eq!(
        names(
            &rest_get(&server, "/v2/room?include-archived=true")
                .await
                .body
        )
        .len(),
        2
    );
    assert_eq!(
        names(
            &rest_get(
                &server,
                "/v2/room?include-archived=true&include-private=false"
            )
            .await
            .body
        ),
        [json!("Other")]
    );
    let missing = rest(&server, Method::PUT, "/v2/room/Nope", "dev", Some(&full)).await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn delete_room_forgets_it() {
    let (server, _clock) = server().await;
    let id = create(&server, json!({"name": "Ops"})).await.body["id"].clone();
    let deleted = rest(&server, Method::DELETE, "/v2/room/Ops", "dev", None).await;
    assert_eq!((deleted.status, deleted.text.as_str()), (204, ""));
    assert_eq!(
        rest_get(&server, &format!("/v2/room/{id}")).await.status,
        404
    );
    assert_eq!(rest_get(&server, "/v2/room/Ops").await.status, 404);
    assert_eq!(
        rest(&server, Method::DELETE, "/v2/room/Ops", "dev", None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn set_topic_checks_length_and_records_a_topic_item() {
    let (server, _clock) = server().await;
    create(&server, json!({"name": "Ops"})).await;
    let put = |body: Value| {
        let server = &server;
        async move {
            rest(
                server,
                Method::PUT,
                "/v2/room/Ops/topic",
                "dev",
                Some(&body),
            )
            .await
        }
    };
    assert_invalid(&put(json!({})).await, "topic", "required");
    assert_invalid(
        &put(json!({"topic": chars(251)})).await,
        "topic",
        "maxLength",
    );
    assert_eq!(put(json!({"topic": chars(250)})).await.status, 204);
    assert_eq!(
        put(json!({"topic": ""})).await.status,
        204,
        "0 characters clear it"
    );
    assert_eq!(put(json!({"topic": "Deploys @dev"})).await.status, 204);
    assert_eq!(
        rest_get(&server, "/v2/room/Ops").await.body["topic"],
        "Deploys @dev"
    );
    let history = server.room_history("Ops");
    let last = history.last().expect("topic items");
    assert_eq!(last["type"], "topic");
    assert_eq!(last["message"], "Deploys @dev");
    assert_eq!(last["from"]["id"], 1);
    assert_eq!(history.len(), 3);
}

#[tokio::test]
async fn statistics_count_messages() {
    let (server, _clock) = server().await;
    notify(&server, &json!({"message": "one"})).await;
    notify(&server, &json!({"message": "two"})).await;
    let stats = rest_get(&server, "/v2/room/Ops/statistics").await;
    assert_eq!(stats.status, 200);
    assert_eq!(stats.body["messages_sent"], 2);
    assert_eq!(stats.body["last_active"], "2017-07-14T02:40:00+00:00");
    assert_eq!(
        stats.body["links"]["self"],
        format!("{}/v2/room/1/statistics", server.url())
    );
}

#[tokio::test]
async fn links_follow_the_host_the_client_used() {
    let (server, _clock) = server().await;
    create(&server, json!({"name": "Ops"})).await;
    let answer = send(
        client()
            .get(format!("{}/v2/room/Ops", server.url()))
            .bearer_auth("dev")
            .header("host", "hipchat.example:8443"),
    )
    .await;
    assert_eq!(
        answer.body["links"]["self"],
        "http://hipchat.example:8443/v2/room/1"
    );
    assert_eq!(answer.body["xmpp_jid"], "1_ops@conf.hipchat.example");
}

const STRICT: &str = r#"
strict = true

[[tokens]]
token = "admin"

[[tokens]]
token = "notify-only"
scopes = ["send_notification"]

[[tokens]]
token = "viewer"
scopes = ["view_room"]

[[tokens]]
token = "ops-room"
scopes = ["view_room", "view_group"]
room = "Ops"

[[tokens]]
token = "addon"
kind = "group"
scopes = ["view_group", "manage_rooms"]

[[users]]
id = 2
name = "Alice Example"
email = "alice@example.com"

[[tokens]]
token = "alice"
user = "@AliceExample"

[[rooms]]
id = 1
name = "Ops"

[[rooms]]
id = 2
name = "Build"
"#;

#[tokio::test]
async fn strict_mode_checks_scopes_kinds_and_rooms() {
    let server = strict_server(STRICT).await;
    let list = rest(&server, Method::GET, "/v2/room", "admin", None).await;
    let names: Vec<Value> = list.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| i["name"].clone())
        .collect();
    assert_eq!(
        names,
        [json!("Ops"), json!("Build")],
        "configured rooms exist from the start"
    );

    let scope = rest(&server, Method::GET, "/v2/room/Ops", "notify-only", None).await;
    assert_eq!(
        (scope.status, &scope.body),
        (
            403,
            &json!({"error": {
                "code": 403,
                "message": "This action requires one of the following scopes: [u'view_group', u'view_room']",
                "type": "Forbidden"
            }})
        )
    );
    assert_rate_limited_headers(&scope);
    let group_scope = rest(&server, Method::GET, "/v2/room", "viewer", None).await;
    assert_eq!(
        (group_scope.status, &group_scope.body),
        (403, &fixture_body("errors/v2-403-scope-view-group.json")),
        "the recorded body"
    );
    assert_eq!(
        rest(&server, Method::GET, "/v2/room/Ops", "viewer", None)
            .await
            .status,
        200
    );
    assert_eq!(
        rest(&server, Method::GET, "/v2/room/Ops", "ops-room", None)
            .await
            .status,
        200
    );
    let other = rest(&server, Method::GET, "/v2/room/Build", "ops-room", None).await;
    assert_eq!(
        (other.status, other.body["error"]["type"].as_str()),
        (403, Some("Forbidden"))
    );
    let kind = rest(&server, Method::GET, "/v2/room", "ops-room", None).await;
    assert_eq!(
        kind.status, 403,
        "a room token may not list rooms (G U): {}",
        kind.text
    );
    assert_eq!(
        rest(&server, Method::GET, "/v2/room", "addon", None)
            .await
            .status,
        200
    );
    let unknown = rest(&server, Method::GET, "/v2/room", "nope", None).await;
    assert_eq!(unknown.status, 401);
    assert_eq!(
        rest(&server, Method::GET, "/v2/room/Nowhere", "admin", None)
            .await
            .status,
        404
    );
    let topic = rest(
        &server,
        Method::PUT,
        "/v2/room/Nowhere/topic",
        "admin",
        Some(&json!({"topic": "t"})),
    )
    .await;
    assert_eq!(
        topic.status, 404,
        "strict mode creates no room on first use"
    );

    let created = rest(
        &server,
        Method::POST,
        "/v2/room",
        "alice",
        Some(&json!({"name": "Alice's"})),
    )
    .await;
    assert_eq!(created.status, 201);
    let room = rest(&server, Method::GET, "/v2/room/Alice's", "admin", None).await;
    assert_eq!(room.body["owner"]["id"], 2, "the token's user owns it");
    assert_eq!(room.body["owner"]["mention_name"], "AliceExample");
}
