//! The optional SQLite file (cargo feature `sqlite`, on by default): captured messages
//! outlive a restart, in order and with every field; bad paths are clear errors.
#![cfg(feature = "sqlite")]

mod common;

use std::path::Path;

use common::{T0, client, delete, get_json, post_json};
use hipchat_devserver::{DevServer, Kind, ManualClock, Recipient};
use serde_json::json;

async fn start_on(path: &Path) -> DevServer {
    DevServer::builder()
        .clock(ManualClock::at_unix(T0))
        .database(path)
        .start()
        .await
        .expect("starts on the database file")
}

fn card() -> serde_json::Value {
    json!({"style": "application", "id": "build-42", "format": "medium",
        "title": "Build 42 — ✓", "url": "https://ci.example.com/42",
        "description": {"format": "html", "value": "<b>main</b> passed"},
        "icon": {"url": "https://ci.example.com/icon.png"},
        "attributes": [{"label": "Tests", "value": {"label": "1082 passed", "style": "lozenge-success"}},
                       {"label": "Time", "value": {"label": "3.5 s"}}],
        "activity": {"html": "<strong>ci</strong> finished"}})
}

/// One message of every kind, with every optional field somewhere.
async fn send_one_of_each(server: &DevServer) {
    let sends = [
        (
            "/v2/room/Ops/notification",
            json!({"message": "Build 42 passed", "color": "green", "card": card(),
                   "attach_to": "d6b1d6a1-5f1f-4e3c-9b59-0f0d5c4b1a11"}),
        ),
        (
            "/v2/room/Ops/notification",
            json!({"message": "<b>Deploy</b> failed", "color": "red", "notify": true,
                   "from": "deploy-bot"}),
        ),
        ("/v2/room/Ops/message", json!({"message": "@alice look"})),
        (
            "/v2/room/12345/share/link",
            json!({"message": "docs", "link": "https://example.com/docs"}),
        ),
        (
            "/v2/user/alice%40example.com/message",
            json!({"message": "psst", "message_format": "html", "notify": true}),
        ),
        (
            "/v2/room/Ops+Alerts%20%2F%20EU/notification",
            json!({"message": "ünïcödé \u{1F680}", "message_format": "text"}),
        ),
    ];
    for (path, body) in sends {
        let answer = post_json(server, path, &body).await;
        assert!((200..300).contains(&answer.status), "{path}: {answer:?}");
    }
    let v1 = client()
        .post(format!("{}/v1/rooms/message?auth_token=t", server.url()))
        .form(&[("room_id", "Ops"), ("from", "old bot"), ("message", "v1")])
        .send()
        .await
        .expect("answered");
    assert_eq!(v1.status(), 200);
}

#[tokio::test]
async fn messages_survive_a_restart_in_order_with_every_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("messages.db");
    let first = start_on(&path).await;
    send_one_of_each(&first).await;
    let before = first.all_messages();
    assert_eq!(before.len(), 7);
    first.stop().await.expect("stops");
    assert!(path.exists(), "the file is created");

    let second = start_on(&path).await;
    let after = second.all_messages();
    assert_eq!(after, before, "every field of every message, in order");
    let ops = second.messages("Ops");
    let kinds: Vec<Kind> = ops.iter().map(|message| message.kind).collect();
    assert_eq!(
        kinds,
        [
            Kind::Notification,
            Kind::Notification,
            Kind::Message,
            Kind::V1
        ]
    );
    assert_eq!(ops[0].card, Some(card()), "the card comes back whole");
    assert_eq!(ops[1].sender_label(), "Dev - deploy-bot");
    assert_eq!(second.messages("12345")[0].room_id, Some(12345));
    assert_eq!(
        second.private_messages("alice@example.com")[0].recipient,
        Recipient::User("alice@example.com".into())
    );
    // The page and the admin API read the same messages.
    let feed = get_json(&second, "/web/feed?after=0").await;
    assert_eq!(feed["messages"].as_array().map(Vec::len), Some(7));
    assert!(
        feed["messages"][0]["html"]
            .as_str()
            .is_some_and(|html| html.contains("lozenge-success")),
        "{feed}"
    );
    // Sequence numbers go on where the first server stopped.
    post_json(
        &second,
        "/v2/room/Dev/notification",
        &json!({"message": "8"}),
    )
    .await;
    assert_eq!(second.messages("Dev")[0].seq, 8);
    // Deletions are kept too, and numbering still goes on after them.
    assert_eq!(
        delete(&second, "/admin/rooms/Ops/messages").await.status,
        200
    );
    assert_eq!(second.all_messages().len(), 4);
    second.stop().await.expect("stops");

    let third = start_on(&path).await;
    assert!(third.messages("Ops").is_empty());
    assert_eq!(third.all_messages().len(), 4);
    third.clear();
    third.stop().await.expect("stops");

    let fourth = start_on(&path).await;
    assert!(fourth.all_messages().is_empty());
    post_json(
        &fourth,
        "/v2/room/Ops/notification",
        &json!({"message": "9"}),
    )
    .await;
    assert_eq!(fourth.messages("Ops")[0].seq, 9);
    fourth.stop().await.expect("stops");
}

#[tokio::test]
async fn without_a_database_nothing_is_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("messages.db");
    let first = start_on(&path).await;
    send_one_of_each(&first).await;
    first.stop().await.expect("stops");
    // A server without `.database(...)` is in memory: it sees none of them.
    let memory = DevServer::start().await.expect("starts");
    assert!(memory.all_messages().is_empty());
    memory.stop().await.expect("stops");
}

async fn start_error(path: &Path) -> String {
    match DevServer::builder().database(path).start().await {
        Ok(server) => panic!("started on {}: {server:?}", path.display()),
        Err(error) => error.to_string(),
    }
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("corrupt.db");
    std::fs::write(&path, "this is not a SQLite database\n".repeat(200)).expect("written");
    let message = start_error(&path).await;
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("not a database"), "{message}");
    let unchanged = std::fs::read_to_string(&path).expect("still there");
    assert!(
        unchanged.starts_with("this is not"),
        "the file is left as it was"
    );
}

#[tokio::test]
async fn an_unusable_path_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing_dir = dir.path().join("no/such/dir/messages.db");
    let message = start_error(&missing_dir).await;
    assert!(
        message.contains(&missing_dir.display().to_string()),
        "{message}"
    );
    assert!(message.contains("cannot open"), "{message}");
    let a_directory = start_error(dir.path()).await;
    assert!(
        a_directory.contains(&dir.path().display().to_string()),
        "{a_directory}"
    );
}

#[test]
fn the_binary_takes_db_and_reports_a_bad_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("no/such/dir/messages.db");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_hipchat-devserver"))
        .args(["--port", "0", "--db"])
        .arg(&path)
        .output()
        .expect("the binary runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("message database"), "{stderr}");
    assert!(stderr.contains(&path.display().to_string()), "{stderr}");
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_hipchat-devserver"))
        .arg("--help")
        .output()
        .expect("the binary runs");
    assert!(String::from_utf8_lossy(&help.stdout).contains("--db <FILE>"));
}

#[tokio::test]
async fn rooms_and_their_history_come_back_after_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("messages.db");
    let server = start_on(&path).await;
    post_json(
        &server,
        "/v2/room/Ops/notification",
        &json!({"message": "kept", "from": "ci"}),
    )
    .await;
    let before = server.room_history("Ops");
    let id = server.room("Ops").expect("room")["id"].clone();
    server.stop().await.expect("stops");

    let again = start_on(&path).await;
    assert_eq!(again.room("Ops").expect("the room exists again")["id"], id);
    let after = again.room_history("Ops");
    assert_eq!(after.len(), 1);
    for field in ["id", "type", "from", "message", "color", "message_format"] {
        assert_eq!(after[0][field], before[0][field], "{field}");
    }
    let history = common::rest_get(&again, "/v2/room/Ops/history").await;
    assert_eq!(history.body["items"][0]["message"], "kept");
    again.stop().await.expect("stops");
}
