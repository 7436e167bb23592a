//! The admin JSON API and the library accessors tests use to see what was delivered.

mod common;

use common::{client, notify, post_json, server};
use serde_json::{Value, json};

async fn get(server: &hipchat_devserver::DevServer, path: &str) -> Value {
    client()
        .get(format!("{}{path}", server.url()))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("json")
}

async fn delete(server: &hipchat_devserver::DevServer, path: &str) -> reqwest::Response {
    client()
        .delete(format!("{}{path}", server.url()))
        .send()
        .await
        .expect("answered")
}

#[tokio::test]
async fn lists_and_clears_messages_per_room() {
    let (server, _clock) = server().await;
    notify(&server, &json!({"message": "one"})).await;
    notify(&server, &json!({"message": "two", "color": "red"})).await;
    post_json(
        &server,
        "/v2/room/Build%20Status/notification",
        &json!({"message": "three"}),
    )
    .await;
    post_json(
        &server,
        "/v2/user/@bob/message",
        &json!({"message": "psst"}),
    )
    .await;

    let rooms = get(&server, "/admin/rooms").await;
    assert_eq!(
        rooms,
        json!([{"name": "Ops", "id": 1, "count": 2}, {"name": "Build Status", "id": 2, "count": 1}])
    );
    let ops = get(&server, "/admin/rooms/Ops/messages").await;
    let texts: Vec<&str> = ops
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["message"].as_str())
        .collect();
    assert_eq!(texts, ["one", "two"]);
    assert_eq!(ops[1]["color"], "red");
    assert_eq!(ops[1]["seq"], 2);
    assert_eq!(ops[1]["sender"], "Dev");
    assert_eq!(ops[1]["recipient"], json!({"type": "room", "name": "Ops"}));
    assert_eq!(
        get(&server, "/admin/rooms/Build%20Status/messages").await[0]["message"],
        "three"
    );
    assert_eq!(
        get(&server, "/admin/users/@bob/messages").await[0]["message"],
        "psst"
    );
    let after = get(&server, "/admin/messages?after=2").await;
    assert_eq!(after.as_array().map(Vec::len), Some(2));

    let cleared: Value = delete(&server, "/admin/rooms/Ops/messages")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(cleared, json!({"deleted": 2}));
    assert!(server.messages("Ops").is_empty());
    assert_eq!(server.messages("Build Status").len(), 1);
    let cleared: Value = delete(&server, "/admin/users/@bob/messages")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(cleared, json!({"deleted": 1}));
    let cleared: Value = delete(&server, "/admin/messages")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(cleared, json!({"deleted": 1}));
    assert!(server.all_messages().is_empty());
    notify(&server, &json!({"message": "four"})).await;
    assert_eq!(
        server.all_messages()[0].seq,
        5,
        "sequence numbers keep counting"
    );
    server.clear();
    assert!(server.all_messages().is_empty());
}

#[tokio::test]
async fn counters_count_answers_by_status() {
    let (server, _clock) = server().await;
    notify(&server, &json!({"message": "ok"})).await;
    notify(&server, &json!({"message": ""})).await;
    post_json(&server, "/v2/nowhere", &json!({})).await;
    let counters = get(&server, "/admin/counters").await;
    assert_eq!(counters["requests"], 3);
    assert_eq!(counters["accepted"], 1);
    assert_eq!(counters["by_status"], json!({"204": 1, "400": 1, "404": 1}));
    assert_eq!(counters["rate_limited"], 0);
    assert_eq!(server.counters().requests, 3);
    assert_eq!(delete(&server, "/admin/counters").await.status(), 204);
    assert_eq!(server.counters(), hipchat_devserver::Counters::default());
}

#[tokio::test]
async fn strict_rooms_are_listed_and_found_by_id() {
    let config = hipchat_devserver::Config::from_toml(
        "strict = true\n[[tokens]]\ntoken = \"dev\"\n[[rooms]]\nid = 9\nname = \"Ops\"",
    )
    .expect("parses");
    let server = hipchat_devserver::DevServer::builder()
        .config(config)
        .start()
        .await
        .expect("starts");
    assert_eq!(
        get(&server, "/admin/rooms").await,
        json!([{"name": "Ops", "id": 9, "count": 0}])
    );
    notify(&server, &json!({"message": "m"})).await;
    assert_eq!(
        get(&server, "/admin/rooms/9/messages").await[0]["room_id"],
        9
    );
    let missing = client()
        .get(format!("{}/admin/rooms/Nope/messages", server.url()))
        .send()
        .await
        .expect("answered");
    assert_eq!(missing.status(), 404);
}
