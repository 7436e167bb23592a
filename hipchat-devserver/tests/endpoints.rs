//! Spec §7 and §9: room message, private message, share link, and v1 rooms/message.

mod common;

use common::{answer, client, fixture, post_json, server};
use hipchat_devserver::{Config, DevServer, Kind, Recipient};
use serde_json::json;

#[tokio::test]
async fn room_message_is_201_with_id_and_timestamp_and_1_to_1000_chars() {
    let (server, _clock) = server().await;
    let path = "/v2/room/Ops/message";
    let created = post_json(&server, path, &json!({"message": common::chars(1000)})).await;
    assert_eq!(created.status, 201);
    let recorded = server.messages("Ops");
    assert_eq!(created.body["id"], recorded[0].id.as_str());
    assert_eq!(created.body["timestamp"], "2017-07-14T02:40:00.000Z");
    assert_eq!(recorded[0].kind, Kind::Message);
    assert_eq!(created.header("x-floodcontrol-remaining"), Some(29));
    assert_eq!(
        post_json(&server, path, &json!({"message": "x"}))
            .await
            .status,
        201
    );
    let long = post_json(&server, path, &json!({"message": common::chars(1001)})).await;
    assert_eq!(
        (long.status, &long.body["error"]["validation"]),
        (400, &json!("maxLength"))
    );
    let empty = post_json(&server, path, &json!({"message": ""})).await;
    assert_eq!(empty.body["error"]["validation"], "minLength");
    let missing = post_json(&server, path, &json!({})).await;
    assert_eq!(missing.body["error"]["validation"], "required");
    assert_eq!(server.messages("Ops").len(), 2);
}

#[tokio::test]
async fn private_messages_are_204_and_recorded_per_user() {
    let (server, _clock) = server().await;
    let sent = post_json(
        &server,
        "/v2/user/alice%40example.com/message",
        &json!({"message": "hi", "notify": true, "message_format": "text"}),
    )
    .await;
    assert_eq!(sent.status, 204);
    assert_eq!(sent.header("x-floodcontrol-remaining"), Some(29));
    assert_eq!(
        post_json(
            &server,
            "/v2/user/@bob/message",
            &json!({"message": common::chars(10_000)})
        )
        .await
        .status,
        204
    );
    let long = post_json(
        &server,
        "/v2/user/@bob/message",
        &json!({"message": common::chars(10_001)}),
    )
    .await;
    assert_eq!(long.body["error"]["validation"], "maxLength");
    let bad = post_json(
        &server,
        "/v2/user/@bob/message",
        &json!({"message": "m", "notify": "yes"}),
    )
    .await;
    assert_eq!(bad.body["error"]["field"], "notify");
    let alice = server.private_messages("alice@example.com");
    assert_eq!(alice.len(), 1);
    assert!(alice[0].notify);
    assert_eq!(
        alice[0].recipient,
        Recipient::User("alice@example.com".into())
    );
    assert_eq!(server.private_messages("@bob").len(), 1);
}

#[tokio::test]
async fn share_link_is_204() {
    let (server, _clock) = server().await;
    let sent = post_json(
        &server,
        "/v2/room/Ops/share/link",
        &json!({"message": "look", "link": "https://example.com"}),
    )
    .await;
    assert_eq!(sent.status, 204);
    let missing = post_json(
        &server,
        "/v2/room/Ops/share/link",
        &json!({"message": "look"}),
    )
    .await;
    assert_eq!(
        (missing.status, &missing.body["error"]["field"]),
        (400, &json!("link"))
    );
    let recorded = server.messages("Ops");
    assert_eq!(recorded[0].link.as_deref(), Some("https://example.com"));
    assert_eq!(recorded[0].kind, Kind::ShareLink);
}

async fn v1(server: &DevServer, query: &str, form: &[(&str, &str)]) -> common::Answer {
    let response = client()
        .post(format!("{}/v1/rooms/message?{query}", server.url()))
        .form(form)
        .send()
        .await
        .expect("answered");
    answer(response).await
}

#[tokio::test]
async fn v1_rooms_message() {
    let (server, _clock) = server().await;
    let q = "format=json&auth_token=t";
    let ok = v1(
        &server,
        q,
        &[
            ("room_id", "Ops Alerts"),
            ("from", "Build Bot_1-a"),
            ("message", "hi"),
            ("notify", "1"),
            ("color", "red"),
            ("message_format", "text"),
        ],
    )
    .await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.body, fixture("responses/v1-rooms-message-200.json"));
    let recorded = server.messages("Ops Alerts");
    assert_eq!(recorded[0].kind, Kind::V1);
    assert!(recorded[0].notify);
    assert_eq!(recorded[0].sender, "Build Bot_1-a");
    // The token may come in the form too.
    let form_token = v1(
        &server,
        "",
        &[
            ("auth_token", "t"),
            ("room_id", "1"),
            ("from", &"f".repeat(15)),
            ("message", "m"),
        ],
    )
    .await;
    assert_eq!(form_token.status, 200);
    assert_eq!(server.messages("1")[0].room_id, Some(1));
    let xml = v1(
        &server,
        "format=xml&auth_token=t",
        &[("room_id", "Ops"), ("from", "f"), ("message", "m")],
    )
    .await;
    assert!(xml.text.contains("<status>sent</status>"));

    let missing_token = v1(
        &server,
        "format=json",
        &[("room_id", "Ops"), ("from", "f"), ("message", "m")],
    )
    .await;
    assert_eq!(
        (missing_token.status, &missing_token.body),
        (401, &fixture("errors/v1-401-auth-token-invalid.json"))
    );
    for (form, field, validation) in [
        (vec![("from", "f"), ("message", "m")], "room_id", "required"),
        (
            vec![("room_id", "Ops"), ("message", "m")],
            "from",
            "required",
        ),
        (
            vec![("room_id", "Ops"), ("from", "f")],
            "message",
            "required",
        ),
        (
            vec![
                ("room_id", "Ops"),
                ("from", "sixteen-chars-xx"),
                ("message", "m"),
            ],
            "from",
            "maxLength",
        ),
        (
            vec![("room_id", "Ops"), ("from", "bad!"), ("message", "m")],
            "from",
            "pattern",
        ),
        (
            vec![("room_id", "Ops"), ("from", "f"), ("message", "")],
            "message",
            "minLength",
        ),
        (
            vec![
                ("room_id", "Ops"),
                ("from", "f"),
                ("message", &"m".repeat(10_001)),
            ],
            "message",
            "maxLength",
        ),
        (
            vec![
                ("room_id", "Ops"),
                ("from", "f"),
                ("message", "m"),
                ("notify", "true"),
            ],
            "notify",
            "enum",
        ),
        (
            vec![
                ("room_id", "Ops"),
                ("from", "f"),
                ("message", "m"),
                ("color", "grey"),
            ],
            "color",
            "enum",
        ),
    ] {
        let answer = v1(&server, q, &form).await;
        assert_eq!(answer.status, 400, "{form:?}");
        assert_eq!(answer.body["error"]["field"], field, "{form:?}");
        assert_eq!(answer.body["error"]["validation"], validation, "{form:?}");
        assert_eq!(answer.body["error"]["type"], "Bad Request");
    }
    let at_limit = v1(
        &server,
        q,
        &[
            ("room_id", "Ops"),
            ("from", "f"),
            ("message", &"m".repeat(10_000)),
        ],
    )
    .await;
    assert_eq!(at_limit.status, 200);
}

#[tokio::test]
async fn v1_strict_mode_takes_only_v1_tokens_and_known_rooms() {
    let config = Config::from_toml("strict = true\n[[tokens]]\ntoken = \"old\"\nversion = 1\n[[tokens]]\ntoken = \"new\"\n[[rooms]]\nid = 7\nname = \"Ops\"").expect("parses");
    let server = DevServer::builder()
        .config(config)
        .start()
        .await
        .expect("starts");
    let form = [("room_id", "Ops"), ("from", "f"), ("message", "m")];
    assert_eq!(v1(&server, "auth_token=old", &form).await.status, 200);
    let v2_token = v1(&server, "auth_token=new", &form).await;
    assert_eq!(
        (v2_token.status, &v2_token.body),
        (401, &fixture("errors/v1-401-auth-token-invalid.json"))
    );
    let unknown_room = v1(
        &server,
        "auth_token=old",
        &[("room_id", "Nope"), ("from", "f"), ("message", "m")],
    )
    .await;
    assert_eq!(unknown_room.status, 404);
    assert_eq!(
        v1(
            &server,
            "auth_token=old",
            &[("room_id", "7"), ("from", "f"), ("message", "m")]
        )
        .await
        .status,
        200
    );
    assert_eq!(server.messages("Ops").len(), 2);
}
