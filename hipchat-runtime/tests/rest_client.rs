//! The REST client against a scripted HTTP server on 127.0.0.1: what goes over the wire
//! for every endpoint (method, path as encoded, query, body, headers), how answers are
//! mapped (errors, rate limits, redirects), and paging (with and without `next` links,
//! a 429 in the middle). The same endpoints against the local HipChat server are in
//! the `rest_*` tests of `hipchat` and `hipchat-devserver`.

mod capture_server;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use capture_server::{Captured, Reply, TestServer};
use futures_util::TryStreamExt;
use hipchat_runtime::Error;
use hipchat_runtime::limits::RetryPolicy;
use hipchat_runtime::rest::model::{Privacy, RoomRole, WebhookEvent};
use hipchat_runtime::rest::{
    Client, ExtensionKind, GlanceScope, GlanceUpdate, PhotoSize, RoomUpdate, StaticToken,
    TokenFuture, TokenSource, UserUpdate,
};
use secrecy::SecretString;
use serde_json::{Value, json};

/// Distinctive, so a leak into an error message cannot be a coincidence.
const TOKEN: &str = "tok-REST-SECRET-9";

fn client(server: &TestServer) -> Client {
    Client::builder(&server.url, StaticToken::new(TOKEN))
        .retry(
            RetryPolicy::default()
                .max_attempts(3)
                .backoff(Duration::from_millis(5), Duration::from_millis(5))
                .jitter(false),
        )
        .build()
        .unwrap()
}

/// A JSON page of `items` (numbers as room refs) with the given links.
fn page(items: std::ops::Range<u64>, start: u64, max: u64, next: Option<&str>) -> String {
    let items: Vec<Value> = items
        .map(|id| json!({"id": id, "name": format!("room {id}"), "links": {"self": "x"}}))
        .collect();
    let mut links = json!({"self": "http://h/v2/room"});
    if let Some(next) = next {
        links["next"] = json!(next);
    }
    json!({"items": items, "startIndex": start, "maxResults": max, "links": links}).to_string()
}

fn assert_authorized(request: &Captured) {
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert!(
        !request.path.contains(TOKEN),
        "token in the URL: {}",
        request.path
    );
}

/// Every endpoint: the request it makes. Answers are 200 `{}`-like JSON the decoders
/// accept, so each call succeeds and the request can be compared.
#[tokio::test]
async fn every_endpoint_sends_its_method_path_query_and_body() {
    let server = TestServer::scripted(|request| {
        let body = if request.path.contains("/history/") && !request.path.contains("latest") {
            json!({"message": {"id": "m1", "date": "2018-01-04T10:16:02+00:00", "type": "message", "message": "hi", "mentions": []}}).to_string()
        } else if request.path == "/v2/user/%40alice" && request.method == "GET" {
            json!({"id": 9, "name": "Alice", "mention_name": "alice", "email": "alice@example.com", "title": "Dev", "xmpp_jid": "j", "is_deleted": false, "is_group_admin": true, "is_guest": false, "timezone": "Europe/Paris", "roles": ["user"], "links": {"self": "s"}}).to_string()
        } else if request.path == "/v2/room/Ops%20EU/message" {
            json!({"id": "6b7a4e4c-1f3b-4d7e-9a53-1f3c7f7d2a10", "timestamp": "2018-01-04T10:16:02.809766+00:00"}).to_string()
        } else if request.path.starts_with("/v2/room/Ops%20EU?") || request.path == "/v2/room/Ops%20EU" {
            json!({"id": 1, "name": "Ops EU", "xmpp_jid": "j", "created": "2015-12-29T19:50:02+00:00", "topic": "t", "privacy": "public", "is_archived": false, "is_guest_accessible": false, "links": {"self": "s"}, "participants": [], "owner": {"id": 5, "name": "O", "mention_name": "o"}}).to_string()
        } else {
            json!({"id": 7, "links": {"self": "s"}, "items": [], "messages_sent": 0, "users": 1, "temp_url": "u", "url": "u", "shortcut": "dog", "event": "room_message", "name": "n", "client": {"allowed_scopes": [], "name": "n", "room": null}, "scopes": [], "mention_name": "m", "timestamp": "t", "subdomain": "s", "plan": {"id": 1, "type": "free"}}).to_string()
        };
        if request.path.contains("/avatar") && request.method == "GET"
            || request.path.contains("/photo/")
        {
            return Reply::status(302).header("Location", "http://img.example/a.png");
        }
        Reply::json(200, body)
    })
    .await;
    let client = client(&server);
    let room = client.room("Ops EU");
    let user = client.user("@alice");
    let session = SecretString::from("sess/ion+tok".to_owned());

    client
        .rooms()
        .list()
        .include_archived(true)
        .include_private(false)
        .start_index(5)
        .max_results(500)
        .await
        .unwrap();
    client
        .rooms()
        .create("Deploys")
        .privacy(Privacy::Private)
        .topic("Green")
        .owner("@bob")
        .guest_access(false)
        .await
        .unwrap();
    let got = room.get().await.unwrap();
    room.update(RoomUpdate::from(&got).topic("New").archived(true))
        .await
        .unwrap();
    room.delete().await.unwrap();
    room.set_topic("Deploys only").await.unwrap();
    room.statistics().await.unwrap();
    assert_eq!(
        room.avatar().await.unwrap().as_deref(),
        Some("http://img.example/a.png")
    );
    room.set_avatar("aGk=").await.unwrap();
    room.delete_avatar().await.unwrap();
    let sent = room.send_message("hello").await.unwrap().unwrap();
    assert_eq!(sent.id, "6b7a4e4c-1f3b-4d7e-9a53-1f3c7f7d2a10");
    room.history()
        .date("2018-01-04T10:16:02Z".parse().unwrap())
        .end_date("2018-01-01T00:00:00Z".parse().unwrap())
        .reverse(false)
        .include_deleted(false)
        .max_results(1000)
        .await
        .unwrap();
    room.latest()
        .max_results(10)
        .not_before("m0")
        .await
        .unwrap();
    room.message("m1").await.unwrap();
    room.reply("m1", "indeed").await.unwrap();
    room.members().await.unwrap();
    room.add_member("@carol")
        .roles([RoomRole::Admin])
        .await
        .unwrap();
    room.remove_member("carol@example.com").await.unwrap();
    room.participants().include_offline(true).await.unwrap();
    room.invite("@dave", "standup").await.unwrap();
    room.webhooks().await.unwrap();
    room.create_webhook("https://bot.example/hook", WebhookEvent::RoomMessage)
        .pattern("^/deploy")
        .name("deploy")
        .await
        .unwrap();
    room.webhook(7).await.unwrap();
    room.delete_webhook(7).await.unwrap();
    room.extension(ExtensionKind::Glance, "deploys")
        .put(&json!({"name": {"value": "Deploys"}}))
        .await
        .unwrap();
    room.extension(ExtensionKind::Webhook, "hook")
        .delete()
        .await
        .unwrap();
    client
        .users()
        .list()
        .include_guests(true)
        .include_deleted(true)
        .await
        .unwrap();
    let created = client
        .users()
        .create("Eve", "eve@example.com")
        .title("Ops")
        .password("pw-SECRET")
        .await
        .unwrap();
    assert_eq!(created.unwrap().id, 7);
    let read = user.get().await.unwrap();
    user.update(UserUpdate::from(&read).title("Lead").password("new-SECRET"))
        .await
        .unwrap();
    user.share_link("https://example.com/doc", Some("read this".into()))
        .await
        .unwrap();
    user.history().await.unwrap();
    user.message("m1").await.unwrap();
    client.group(42).set_avatar("aGk=").await.unwrap();
    client.group(42).delete_avatar().await.unwrap();
    user.delete().await.unwrap();
    assert!(user.photo(PhotoSize::Big).await.unwrap().is_some());
    user.set_photo("aGk=").await.unwrap();
    user.delete_photo().await.unwrap();
    user.auto_join_rooms().await.unwrap();
    user.send_message("psst").await.unwrap();
    user.latest().await.unwrap();
    client.emoticons().list().await.unwrap();
    client.emoticons().get("dog").await.unwrap();
    client.group(42).get().await.unwrap();
    client.group(42).statistics().await.unwrap();
    client
        .invite_to_group("f@example.com", "Frank")
        .await
        .unwrap();
    client.sessions().get(&session).await.unwrap();
    client.sessions().delete(&session).await.unwrap();
    client
        .addon()
        .update_glances(
            GlanceScope::Room("Ops EU".into()),
            vec![GlanceUpdate::new(
                "deploys",
                json!({"label": {"value": "2", "type": "html"}}),
            )],
        )
        .await
        .unwrap();
    client
        .addon()
        .update_glances(GlanceScope::Group, vec![])
        .await
        .unwrap();
    client.addon().global_action("act").delete().await.unwrap();
    client.capabilities().await.unwrap();
    client.file("f1").await.unwrap();

    let seen: Vec<(String, String, Option<Value>)> = server
        .requests()
        .iter()
        .map(|request| {
            assert_authorized(request);
            let body = (!request.body.is_empty()).then(|| {
                assert_eq!(request.header("content-type"), Some("application/json"));
                request.json()
            });
            (request.method.to_string(), request.path.clone(), body)
        })
        .collect();
    let expected: Vec<(&str, &str, Option<Value>)> = vec![
        (
            "GET",
            "/v2/room?include-private=false&include-archived=true&start-index=5&max-results=500",
            None,
        ),
        (
            "POST",
            "/v2/room",
            Some(
                json!({"name": "Deploys", "privacy": "private", "topic": "Green", "guest_access": false, "owner_user_id": "@bob"}),
            ),
        ),
        ("GET", "/v2/room/Ops%20EU", None),
        (
            "PUT",
            "/v2/room/Ops%20EU",
            Some(
                json!({"name": "Ops EU", "privacy": "public", "is_archived": true, "is_guest_accessible": false, "topic": "New", "owner": {"id": "5"}}),
            ),
        ),
        ("DELETE", "/v2/room/Ops%20EU", None),
        (
            "PUT",
            "/v2/room/Ops%20EU/topic",
            Some(json!({"topic": "Deploys only"})),
        ),
        ("GET", "/v2/room/Ops%20EU/statistics", None),
        ("GET", "/v2/room/Ops%20EU/avatar", None),
        (
            "PUT",
            "/v2/room/Ops%20EU/avatar",
            Some(json!({"avatar": "aGk="})),
        ),
        ("DELETE", "/v2/room/Ops%20EU/avatar", None),
        (
            "POST",
            "/v2/room/Ops%20EU/message",
            Some(json!({"message": "hello"})),
        ),
        (
            "GET",
            "/v2/room/Ops%20EU/history?date=2018-01-04T10%3A16%3A02%2B00%3A00&end-date=2018-01-01T00%3A00%3A00%2B00%3A00&reverse=false&include_deleted=false&max-results=1000",
            None,
        ),
        (
            "GET",
            "/v2/room/Ops%20EU/history/latest?not-before=m0&max-results=10",
            None,
        ),
        ("GET", "/v2/room/Ops%20EU/history/m1", None),
        (
            "POST",
            "/v2/room/Ops%20EU/reply",
            Some(json!({"parentMessageId": "m1", "message": "indeed"})),
        ),
        ("GET", "/v2/room/Ops%20EU/member", None),
        (
            "PUT",
            "/v2/room/Ops%20EU/member/%40carol",
            Some(json!({"room_roles": ["room_admin"]})),
        ),
        (
            "DELETE",
            "/v2/room/Ops%20EU/member/carol%40example.com",
            None,
        ),
        (
            "GET",
            "/v2/room/Ops%20EU/participant?include-offline=true",
            None,
        ),
        (
            "POST",
            "/v2/room/Ops%20EU/invite/%40dave",
            Some(json!({"reason": "standup"})),
        ),
        ("GET", "/v2/room/Ops%20EU/webhook", None),
        (
            "POST",
            "/v2/room/Ops%20EU/webhook",
            Some(
                json!({"url": "https://bot.example/hook", "event": "room_message", "pattern": "^/deploy", "name": "deploy"}),
            ),
        ),
        ("GET", "/v2/room/Ops%20EU/webhook/7", None),
        ("DELETE", "/v2/room/Ops%20EU/webhook/7", None),
        (
            "PUT",
            "/v2/room/Ops%20EU/extension/glance/deploys",
            Some(json!({"name": {"value": "Deploys"}})),
        ),
        ("DELETE", "/v2/room/Ops%20EU/extension/webhook/hook", None),
        (
            "GET",
            "/v2/user?include-guests=true&include-deleted=true",
            None,
        ),
        (
            "POST",
            "/v2/user",
            Some(
                json!({"name": "Eve", "email": "eve@example.com", "title": "Ops", "password": "pw-SECRET"}),
            ),
        ),
        ("GET", "/v2/user/%40alice", None),
        (
            "PUT",
            "/v2/user/%40alice",
            Some(
                json!({"name": "Alice", "mention_name": "alice", "email": "alice@example.com", "title": "Lead", "is_group_admin": true, "timezone": "Europe/Paris", "roles": ["user"], "password": "new-SECRET"}),
            ),
        ),
        (
            "POST",
            "/v2/user/%40alice/share/link",
            Some(json!({"link": "https://example.com/doc", "message": "read this"})),
        ),
        ("GET", "/v2/user/%40alice/history", None),
        ("GET", "/v2/user/%40alice/history/m1", None),
        (
            "PUT",
            "/v2/group/42/avatar",
            Some(json!({"avatar": "aGk="})),
        ),
        ("DELETE", "/v2/group/42/avatar", None),
        ("DELETE", "/v2/user/%40alice", None),
        ("GET", "/v2/user/%40alice/photo/big", None),
        (
            "PUT",
            "/v2/user/%40alice/photo",
            Some(json!({"photo": "aGk="})),
        ),
        ("DELETE", "/v2/user/%40alice/photo", None),
        ("GET", "/v2/user/%40alice/preference/auto-join", None),
        (
            "POST",
            "/v2/user/%40alice/message",
            Some(json!({"message": "psst", "message_format": "text"})),
        ),
        ("GET", "/v2/user/%40alice/history/latest", None),
        ("GET", "/v2/emoticon", None),
        ("GET", "/v2/emoticon/dog", None),
        ("GET", "/v2/group/42", None),
        ("GET", "/v2/group/42/statistics", None),
        (
            "POST",
            "/v2/invite/user",
            Some(json!({"email": "f@example.com", "name": "Frank"})),
        ),
        ("GET", "/v2/oauth/token/sess%2Fion%2Btok", None),
        ("DELETE", "/v2/oauth/token/sess%2Fion%2Btok", None),
        (
            "POST",
            "/v2/addon/ui/room/Ops%20EU",
            Some(
                json!({"glance": [{"key": "deploys", "content": {"label": {"value": "2", "type": "html"}}}]}),
            ),
        ),
        ("POST", "/v2/addon/ui", Some(json!({"glance": []}))),
        ("DELETE", "/v2/extension/action/act", None),
        ("GET", "/v2/capabilities", None),
        ("GET", "/v2/file/f1", None),
    ];
    assert_eq!(seen.len(), expected.len(), "{seen:#?}");
    for ((method, path, body), (want_method, want_path, want_body)) in seen.iter().zip(&expected) {
        assert_eq!((method.as_str(), path.as_str()), (*want_method, *want_path));
        assert_eq!(body, want_body, "{method} {path}");
    }
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_sent() {
    let server = TestServer::start(Reply::status(204)).await;
    let client = client(&server);
    let long_name = "n".repeat(51);
    let errors = [
        client.rooms().create(long_name.as_str()).await.unwrap_err(),
        client
            .room("Ops")
            .set_topic("t".repeat(251))
            .await
            .unwrap_err(),
        client.room("..").get().await.unwrap_err(),
        client.user("").get().await.unwrap_err(),
        client.rooms().list().max_results(1001).await.unwrap_err(),
        client.room("Ops").invite("@a", "").await.unwrap_err(),
        client
            .room("Ops")
            .send_message("m".repeat(1001))
            .await
            .unwrap_err(),
    ];
    for error in &errors {
        assert!(matches!(error, Error::Validation(_)), "{error:?}");
    }
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(
        shown[0].contains("name") && shown[0].contains("50"),
        "{}",
        shown[0]
    );
    assert!(
        shown[1].contains("topic") && shown[1].contains("250"),
        "{}",
        shown[1]
    );
    assert!(
        shown[4].contains("max-results") && shown[4].contains("1000"),
        "{}",
        shown[4]
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn answers_map_to_the_errors_the_notifier_uses() {
    let scope = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/hipchat-rest/errors/v2-403-scope-view-group.json"
    ))
    .unwrap();
    let scope: Value = serde_json::from_str(&scope).unwrap();
    let scope_body = json!({"error": scope["error"]}).to_string();
    let server = TestServer::scripted(move |request| match request.path.as_str() {
        "/v2/room/Ops" => Reply::json(403, scope_body.clone()),
        "/v2/room/Gone" => Reply::json(404, r#"{"error":{"code":404,"message":"Room not found","type":"Not Found"}}"#),
        "/v2/user/%40nobody" => Reply::json(404, r#"{"error":{"code":404,"message":"User not found","type":"Not Found"}}"#),
        "/v2/room/Ops/webhook/9" => Reply::json(404, r#"{"error":{"code":404,"message":"Webhook not found","type":"Not Found"}}"#),
        path if path.starts_with("/v2/oauth/token/") => {
            Reply::json(401, format!(r#"{{"error":{{"code":401,"message":"Invalid OAuth session {}","type":"Unauthorized"}}}}"#, "s3ss10n"))
        }
        "/v2/room/Broken" => Reply::json(200, "{not json"),
        _ => Reply::status(500),
    })
    .await;
    let client = client(&server);

    let error = client.room("Ops").get().await.unwrap_err();
    let Error::Forbidden(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.required_scopes(), ["view_group"]);
    assert!(matches!(
        client.room("Gone").get().await.unwrap_err(),
        Error::RoomNotFound { ref room, .. } if room == "Gone"
    ));
    assert!(matches!(
        client.user("@nobody").get().await.unwrap_err(),
        Error::UserNotFound { ref user, .. } if user == "@nobody"
    ));
    let error = client.room("Ops").webhook(9).await.unwrap_err();
    assert!(
        matches!(error, Error::NotFound { ref resource, .. } if resource.contains("webhook 9")),
        "{error:?}"
    );
    let error = client.room("Broken").get().await.unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");

    // A session token in the path is redacted in everything shown, echoed or not.
    let session = SecretString::from("s3ss10n".to_owned());
    let error = client.sessions().get(&session).await.unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("s3ss10n"), "{shown}");
    assert!(matches!(error, Error::Unauthorized(_)));

    // 500 on a GET is tried again (3 attempts), never on a POST.
    let before = server.requests().len();
    assert!(matches!(
        client.room("Down").get().await.unwrap_err(),
        Error::Server(_)
    ));
    assert_eq!(server.requests().len() - before, 3);
    let before = server.requests().len();
    assert!(matches!(
        client.room("Down").send_message("once").await.unwrap_err(),
        Error::Server(_)
    ));
    assert_eq!(server.requests().len() - before, 1);
    for request in server.requests() {
        assert_authorized(&request);
    }
    let debug = format!("{client:?}");
    assert!(!debug.contains(TOKEN), "{debug}");
}

#[tokio::test]
async fn rate_limit_headers_come_with_every_answer() {
    let server = TestServer::start(
        Reply::json(200, page(0..1, 0, 100, None))
            .header("X-Ratelimit-Limit", "100")
            .header("X-Ratelimit-Remaining", "97")
            .header("X-Ratelimit-Reset", "1700000300"),
    )
    .await;
    let response = client(&server).rooms().list().send().await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.rate_limit.limit, Some(100));
    assert_eq!(response.rate_limit.remaining, Some(97));
    assert_eq!(response.rate_limit.reset, Some(1_700_000_300));
    assert_eq!(response.value.items.len(), 1);
}

#[tokio::test]
async fn paging_follows_next_links_until_there_is_none() {
    let server = TestServer::scripted(|request| {
        let next = |start: u64| {
            format!(
                "http://{}/v2/room?max-results=2&start-index={start}&auth_token=leaked",
                request.header("host").unwrap()
            )
        };
        match request.path.as_str() {
            "/v2/room?max-results=2" => Reply::json(200, page(0..2, 0, 2, Some(&next(2)))),
            "/v2/room?max-results=2&start-index=2" => {
                Reply::json(200, page(2..4, 2, 2, Some(&next(4))))
            }
            "/v2/room?max-results=2&start-index=4" => Reply::json(200, page(4..5, 4, 2, None)),
            other => Reply::json(
                400,
                format!(r#"{{"error":{{"message":"unexpected {other}"}}}}"#),
            ),
        }
    })
    .await;
    let client = client(&server);
    let ids: Vec<u64> = client
        .rooms()
        .list()
        .max_results(2)
        .items()
        .map_ok(|room| room.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [0, 1, 2, 3, 4]);
    assert_eq!(server.requests().len(), 3);
    for request in server.requests() {
        assert_authorized(&request);
        assert!(!request.path.contains("auth_token"), "{}", request.path);
    }
}

#[tokio::test]
async fn without_next_links_full_pages_are_followed_by_start_index() {
    // Private history stopped sending `next` at 1,000 (spec §2): a full page means more.
    let server = TestServer::scripted(|request| match request.path.as_str() {
        "/v2/room?max-results=3" => Reply::json(200, page(0..3, 0, 3, None)),
        "/v2/room?max-results=3&start-index=3" => Reply::json(200, page(3..6, 3, 3, None)),
        "/v2/room?max-results=3&start-index=6" => Reply::json(200, page(6..7, 6, 3, None)),
        other => Reply::json(
            400,
            format!(r#"{{"error":{{"message":"unexpected {other}"}}}}"#),
        ),
    })
    .await;
    let ids: Vec<u64> = client(&server)
        .rooms()
        .list()
        .max_results(3)
        .items()
        .map_ok(|room| room.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, (0..7).collect::<Vec<_>>());

    // An exactly full last page: one more request, answered empty, ends the stream.
    let server = TestServer::scripted(|request| match request.path.as_str() {
        "/v2/room?max-results=2" => Reply::json(200, page(0..2, 0, 2, None)),
        _ => Reply::json(200, page(0..0, 2, 2, None)),
    })
    .await;
    let pages: Vec<_> = client(&server)
        .rooms()
        .list()
        .max_results(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert!(pages[1].items.is_empty());

    // A next link to another host is not followed (the token would go there).
    let server = TestServer::scripted(|request| match request.path.as_str() {
        "/v2/room?max-results=2" => Reply::json(
            200,
            page(
                0..2,
                0,
                2,
                Some("http://evil.example/v2/room?start-index=2"),
            ),
        ),
        _ => Reply::json(200, page(2..3, 2, 2, None)),
    })
    .await;
    let ids: Vec<u64> = client(&server)
        .rooms()
        .list()
        .max_results(2)
        .items()
        .map_ok(|room| room.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [0, 1, 2]);
    assert_eq!(
        server.requests()[1].path,
        "/v2/room?max-results=2&start-index=2"
    );
}

#[tokio::test]
async fn a_429_in_the_middle_of_a_stream_is_waited_out() {
    let limited = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&limited);
    let server = TestServer::scripted(move |request| match request.path.as_str() {
        "/v2/room?max-results=2" => Reply::json(200, page(0..2, 0, 2, None)),
        "/v2/room?max-results=2&start-index=2" if counter.fetch_add(1, Ordering::SeqCst) == 0 => {
            // The 2018 capture: a reset of "60" meant seconds; here 1 second.
            Reply::json(429, r#"{"error":{"code":429,"message":"You have exceeded the rate limit","type":"Too Many Requests"}}"#)
                .header("X-Ratelimit-Remaining", "0")
                .header("X-Ratelimit-Reset", "1")
        }
        _ => Reply::json(200, page(2..3, 2, 2, None)),
    })
    .await;
    let client = client(&server);
    let started = std::time::Instant::now();
    let ids: Vec<u64> = client
        .rooms()
        .list()
        .max_results(2)
        .items()
        .map_ok(|room| room.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [0, 1, 2]);
    assert_eq!(
        limited.load(Ordering::SeqCst),
        2,
        "the page was asked for again"
    );
    // The reset was waited for (a lower bound: the policy's backoff alone is 5 ms).
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests().len(), 3);

    // With retries off, the 429 is the stream's error, after the items before it.
    limited.store(0, Ordering::SeqCst);
    let client = Client::builder(&server.url, StaticToken::new(TOKEN))
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let mut items = Vec::new();
    let stream = client.rooms().list().max_results(2).items();
    futures_util::pin_mut!(stream);
    let error = loop {
        match stream.try_next().await {
            Ok(Some(room)) => items.push(room.id),
            Ok(None) => panic!("the stream ended without the 429"),
            Err(error) => break error,
        }
    };
    assert_eq!(items, [0, 1]);
    let Error::RateLimited { reset, api } = error else {
        panic!("{error:?}")
    };
    assert!(reset.is_some());
    assert_eq!(api.status, 429);
}

#[tokio::test]
async fn with_pacing_a_spent_budget_holds_the_next_request_until_its_reset() {
    use std::sync::Mutex;
    use std::time::{SystemTime, UNIX_EPOCH};

    use hipchat_runtime::limits::Pacing;

    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&arrivals);
    // The first answer says the budget is spent until the next whole second but one.
    let reset = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 2;
    let server = TestServer::scripted(move |_| {
        seen.lock().unwrap().push(SystemTime::now());
        Reply::json(200, page(0..1, 0, 100, None))
            .header("X-Ratelimit-Limit", "100")
            .header("X-Ratelimit-Remaining", "0")
            .header("X-Ratelimit-Reset", &reset.to_string())
    })
    .await;
    let client = Client::builder(&server.url, StaticToken::new(TOKEN))
        .pacing(Pacing::unlimited().reset_margin(Duration::ZERO))
        .build()
        .unwrap();
    client.rooms().list().await.unwrap();
    client.rooms().list().await.unwrap();
    let arrivals = arrivals.lock().unwrap().clone();
    assert_eq!(arrivals.len(), 2);
    let second = arrivals[1].duration_since(UNIX_EPOCH).unwrap();
    assert!(
        second >= Duration::from_secs(reset),
        "the second request came at {second:?}, before the announced reset {reset} s"
    );
}

#[tokio::test]
async fn a_server_that_repeats_pages_ends_the_stream() {
    // `next` links in a cycle: page A → B → A.
    let server = TestServer::scripted(|request| {
        let link = |start: u64| {
            format!(
                "http://{}/v2/room?max-results=2&start-index={start}",
                request.header("host").unwrap()
            )
        };
        match request.path.as_str() {
            "/v2/room?max-results=2" => Reply::json(200, page(0..2, 0, 2, Some(&link(2)))),
            _ => Reply::json(200, page(2..4, 2, 2, Some(&link(0)))),
        }
    })
    .await;
    let ids: Vec<u64> = client(&server)
        .rooms()
        .list()
        .max_results(2)
        .items()
        .map_ok(|room| room.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [0, 1, 2, 3]);
    assert_eq!(server.requests().len(), 2);

    // A server that ignores `start-index`: the same full page, no `next`.
    let server = TestServer::start(Reply::json(200, page(0..2, 0, 2, None))).await;
    let ids: Vec<u64> = client(&server)
        .rooms()
        .list()
        .max_results(2)
        .items()
        .map_ok(|room| room.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [0, 1]);
    assert_eq!(
        server.requests().len(),
        2,
        "one more page asked for, then stopped"
    );
}

#[tokio::test]
async fn a_write_answered_without_a_body_succeeds() {
    // Spec v2 §1: accept any 2xx, parse a body only if present.
    let server = TestServer::start(Reply::status(204)).await;
    let client = client(&server);
    assert!(client.rooms().create("Quiet").await.unwrap().is_none());
    assert!(
        client
            .room("Quiet")
            .send_message("hi")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        client
            .users()
            .create("Q", "q@example.com")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        client
            .room("Quiet")
            .create_webhook("https://bot.example/", WebhookEvent::RoomEnter)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_write_that_failed_on_the_way_is_not_sent_again() {
    let server = TestServer::start(Reply::status(504)).await;
    let client = client(&server);
    for error in [
        client.room("Ops").delete().await.unwrap_err(),
        client.room("Ops").set_topic("t").await.unwrap_err(),
        client.rooms().create("Ops").await.unwrap_err(),
    ] {
        assert!(matches!(error, Error::Server(_)), "{error:?}");
    }
    assert_eq!(server.requests().len(), 3, "one attempt each");
}

/// A token source that renews its token once it is rejected.
#[derive(Debug, Default)]
struct Renewing {
    renewed: std::sync::atomic::AtomicBool,
}

impl TokenSource for Renewing {
    fn token(&self) -> TokenFuture<'_> {
        let token = if self.renewed.load(Ordering::SeqCst) {
            "fresh-token"
        } else {
            "stale-token"
        };
        Box::pin(async move { Ok(SecretString::from(token.to_owned())) })
    }

    fn name(&self) -> &str {
        "renewing"
    }

    fn rejected(&self, _token: &SecretString) -> bool {
        !self.renewed.swap(true, Ordering::SeqCst)
    }
}

#[tokio::test]
async fn a_rejected_token_that_the_source_renews_is_tried_again_once() {
    let server = TestServer::scripted(|request| {
        if request.header("authorization") == Some("Bearer fresh-token") {
            Reply::json(200, page(0..1, 0, 100, None))
        } else {
            Reply::json(
                401,
                r#"{"error":{"code":401,"message":"Invalid OAuth session","type":"Unauthorized"}}"#,
            )
        }
    })
    .await;
    let client = Client::builder(&server.url, Renewing::default())
        .build()
        .unwrap();
    let page = client.rooms().list().await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(server.requests().len(), 2);

    // A static token has nothing new: the 401 is the answer, after one request.
    let before = server.requests().len();
    let error = Client::new(&server.url, "stale-token")
        .unwrap()
        .rooms()
        .list()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)));
    assert_eq!(server.requests().len() - before, 1);
}

#[tokio::test]
async fn a_secret_in_the_path_is_redacted_in_every_form_the_server_echoes() {
    let server = TestServer::scripted(|request| {
        Reply::json(
            404,
            format!(
                r#"{{"error":{{"code":404,"message":"Session not found: {}","type":"Not Found"}}}}"#,
                request.path
            ),
        )
    })
    .await;
    let session = SecretString::from("sess/ion+tok".to_owned());
    let error = client(&server).sessions().get(&session).await.unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("sess%2Fion%2Btok"), "{shown}");
    assert!(!shown.contains("sess/ion+tok"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}
