//! REST API v2 members, participants and invites (spec v2 §5.1).

mod common;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};

const USERS: &str = r#"
strict = true

[[tokens]]
token = "dev"

[[tokens]]
token = "group"
kind = "group"

[[tokens]]
token = "viewer"
scopes = ["view_messages"]

[[users]]
id = 2
name = "Alice Example"
mention_name = "alice"
email = "alice@example.com"

[[users]]
id = 3
name = "Bob Example"
mention_name = "bob"

[[rooms]]
id = 1
name = "Ops"

[[rooms]]
id = 2
name = "Secret"
"#;

async fn users_server() -> hipchat_devserver::DevServer {
    let server = strict_server(USERS).await;
    let private = json!({"name": "Secret", "privacy": "private", "is_archived": false,
        "is_guest_accessible": false, "topic": "", "owner": {"id": 1}});
    let made = rest(
        &server,
        Method::PUT,
        "/v2/room/Secret",
        "dev",
        Some(&private),
    )
    .await;
    assert_eq!(made.status, 204, "{}", made.text);
    server
}

fn ids(page: &Value) -> Vec<Value> {
    page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| item["id"].clone())
        .collect()
}

#[tokio::test]
async fn private_rooms_have_members_with_roles() {
    let server = users_server().await;
    let add = |path: &'static str, body: Option<Value>| {
        let server = &server;
        async move { rest(server, Method::PUT, path, "dev", body.as_ref()).await }
    };
    let added = add("/v2/room/Secret/member/@alice", None).await;
    assert_eq!((added.status, added.text.as_str()), (204, ""));
    assert_eq!(
        add(
            "/v2/room/Secret/member/3",
            Some(json!({"room_roles": ["room_admin", "room_member"]}))
        )
        .await
        .status,
        204
    );
    assert_eq!(
        add(
            "/v2/room/Secret/member/alice@example.com",
            Some(json!({"room_roles": ["room_admin"]}))
        )
        .await
        .status,
        204,
        "by email; updates roles"
    );
    assert_invalid(
        &add(
            "/v2/room/Secret/member/@bob",
            Some(json!({"room_roles": ["boss"]})),
        )
        .await,
        "room_roles",
        "type",
    );
    assert_invalid(
        &add(
            "/v2/room/Secret/member/@bob",
            Some(json!({"room_roles": "room_admin"})),
        )
        .await,
        "room_roles",
        "type",
    );
    let unknown = add("/v2/room/Secret/member/@nobody", None).await;
    assert_eq!(
        (unknown.status, unknown.body["error"]["message"].as_str()),
        (404, Some("User not found"))
    );

    let members = rest_get(&server, "/v2/room/Secret/member").await;
    assert_eq!(members.status, 200, "{}", members.text);
    assert_eq!(ids(&members.body), [json!(2), json!(3)]);
    let alice = &members.body["items"][0];
    assert_eq!(alice["room_roles"], json!(["room_admin"]));
    assert_eq!(alice["mention_name"], "alice");
    assert_eq!(
        alice["links"]["self"],
        format!("{}/v2/user/2", server.url())
    );
    assert_eq!(
        members.body["links"]["self"],
        format!("{}/v2/room/Secret/member", server.url()),
        "name echoed"
    );

    let paged = rest_get(&server, "/v2/room/Secret/member?max-results=1").await;
    assert_eq!(ids(&paged.body), [json!(2)]);
    assert!(
        paged.body["links"]["next"]
            .as_str()
            .unwrap_or_default()
            .contains("start-index=1")
    );
    let second = rest_get(
        &server,
        "/v2/room/Secret/member?max-results=1&start-index=1",
    )
    .await;
    assert_eq!(ids(&second.body), [json!(3)]);
    assert!(second.body["links"].get("next").is_none() && second.body["links"]["prev"].is_string());

    let removed = rest(
        &server,
        Method::DELETE,
        "/v2/room/Secret/member/@alice",
        "dev",
        None,
    )
    .await;
    assert_eq!(removed.status, 204);
    assert_eq!(
        ids(&rest_get(&server, "/v2/room/Secret/member").await.body),
        [json!(3)]
    );

    let public = rest_get(&server, "/v2/room/Ops/member").await;
    assert_eq!(public.status, 400, "public rooms have no members");
    assert_rate_limited_headers(&public);
    assert_eq!(add("/v2/room/Ops/member/@alice", None).await.status, 400);
    assert_eq!(rest_get(&server, "/v2/room/Nope/member").await.status, 404);
    let scope = rest(
        &server,
        Method::GET,
        "/v2/room/Secret/member",
        "viewer",
        None,
    )
    .await;
    assert_eq!(
        scope.body["error"]["message"],
        "This action requires one of the following scopes: [u'view_group', u'view_room']"
    );
    assert_eq!(scope.status, 403);
}

#[tokio::test]
async fn participants_are_set_by_tests() {
    let server = users_server().await;
    server
        .set_participants("Ops", &[(2, true), (3, false)])
        .expect("room exists");
    assert!(server.set_participants("Nope", &[]).is_err());
    let online = rest_get(&server, "/v2/room/Ops/participant").await;
    assert_eq!(online.status, 200);
    assert_eq!(ids(&online.body), [json!(2)], "online only by default");
    assert!(online.body["items"][0].get("email").is_none(), "references");
    let all = rest_get(
        &server,
        "/v2/room/Ops/participant?include-offline=true&expand=items",
    )
    .await;
    assert_eq!(ids(&all.body), [json!(2), json!(3)]);
    assert_eq!(
        all.body["items"][0]["email"], "alice@example.com",
        "expanded users"
    );
    let room = rest_get(&server, "/v2/room/Ops?expand=participants").await;
    assert_eq!(
        ids(&json!({"items": room.body["participants"]})),
        [json!(2)]
    );
    assert_eq!(room.body["participants"][0]["email"], "alice@example.com");

    let admin = put_json(
        &server,
        "/admin/rooms/Ops/participants",
        &json!([{"id": 3}]),
    )
    .await;
    assert_eq!(admin.status, 204);
    assert_eq!(
        ids(&rest_get(&server, "/v2/room/Ops/participant").await.body),
        [json!(3)]
    );
    let paged = rest_get(&server, "/v2/room/Ops/participant?max-results=0").await;
    assert_eq!(paged.body["items"], json!([]));
    assert!(paged.body["links"]["next"].is_string());
    assert_eq!(
        rest_get(&server, "/v2/room/Nope/participant").await.status,
        404
    );
}

#[tokio::test]
async fn invitations_need_a_user_token_and_a_public_room() {
    let server = users_server().await;
    let invite = |token: &'static str, path: &'static str, body: Value| {
        let server = &server;
        async move { rest(server, Method::POST, path, token, Some(&body)).await }
    };
    let sent = invite(
        "dev",
        "/v2/room/Ops/invite/@alice",
        json!({"reason": "join us"}),
    )
    .await;
    assert_eq!((sent.status, sent.text.as_str()), (204, ""));
    assert_eq!(server.room_invites("Ops"), [(2, "join us".to_owned())]);
    assert_invalid(
        &invite("dev", "/v2/room/Ops/invite/@alice", json!({})).await,
        "reason",
        "required",
    );
    assert_invalid(
        &invite("dev", "/v2/room/Ops/invite/@alice", json!({"reason": ""})).await,
        "reason",
        "minLength",
    );
    assert_invalid(
        &invite(
            "dev",
            "/v2/room/Ops/invite/@alice",
            json!({"reason": chars(251)}),
        )
        .await,
        "reason",
        "maxLength",
    );
    assert_eq!(
        invite(
            "dev",
            "/v2/room/Secret/invite/@alice",
            json!({"reason": "r"})
        )
        .await
        .status,
        400,
        "private room"
    );
    assert_eq!(
        invite("dev", "/v2/room/Ops/invite/@nobody", json!({"reason": "r"}))
            .await
            .status,
        404
    );
    let group = invite(
        "group",
        "/v2/room/Ops/invite/@alice",
        json!({"reason": "r"}),
    )
    .await;
    assert_eq!(
        (group.status, group.body["error"]["message"].as_str()),
        (403, Some("This resource requires a user token"))
    );
    assert_rate_limited_headers(&group);
}
