//! Private chat (spec v2 §7, §7.1): private_message_user records into the private
//! history of both users; view_privatechat_history (§5.2 query semantics),
//! view_recent_privatechat_history, get_privatechat_message; U tokens only.

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
token = "alice-token"
user = "@alice"
scopes = ["send_message", "view_messages"]

[[tokens]]
token = "bob-token"
user = "bob@example.com"
scopes = ["send_message", "view_messages"]

[[tokens]]
token = "carol-token"
user = "@carol"

[[tokens]]
token = "send-only"
user = "@alice"
scopes = ["send_message"]

[[tokens]]
token = "group-token"
kind = "group"

[[tokens]]
token = "room-token"
room = "Ops"

[[rooms]]
id = 1
name = "Ops"

[[users]]
id = 2
name = "Alice Example"
mention_name = "alice"
email = "alice@example.com"

[[users]]
id = 3
name = "Bob Ray"
mention_name = "bob"
email = "bob@example.com"

[[users]]
id = 4
name = "Carol"
mention_name = "carol"
"#;

async fn say(server: &DevServer, token: &str, to: &str, message: &str) {
    let sent = rest(
        server,
        Method::POST,
        &format!("/v2/user/{to}/message"),
        token,
        Some(&json!({ "message": message })),
    )
    .await;
    assert_eq!(sent.status, 204, "{}", sent.text);
}

fn messages(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| item["message"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// A `date` after everything the manual clock stamped.
fn later() -> String {
    (T0 + 1_000).to_string()
}

#[tokio::test]
async fn both_users_see_the_conversation() {
    let server = strict_server(STRICT).await;
    say(&server, "alice-token", "@bob", "one @bob").await;
    say(&server, "bob-token", "alice@example.com", "two").await;
    say(&server, "alice-token", "3", "three").await;

    let alice_view = rest(
        &server,
        Method::GET,
        "/v2/user/@bob/history",
        "alice-token",
        None,
    )
    .await;
    assert_eq!(alice_view.status, 200, "{}", alice_view.text);
    assert_rate_limited_headers(&alice_view);
    assert_eq!(
        messages(&alice_view.body),
        ["one @bob", "two", "three"],
        "recent: oldest first"
    );
    assert_eq!(
        alice_view.body["links"],
        json!({"self": format!("{}/v2/user/@bob/history", server.url())})
    );
    assert_eq!(alice_view.body["startIndex"], 0);
    assert_eq!(alice_view.body["maxResults"], 75);
    let first = &alice_view.body["items"][0];
    assert_eq!(first["type"], "message");
    assert_eq!(first["from"]["id"], 2);
    assert_eq!(first["from"]["mention_name"], "alice");
    assert_eq!(
        first["from"]["links"]["self"],
        format!("{}/v2/user/2", server.url())
    );
    assert_eq!(first["mentions"][0]["id"], 3, "@bob is mentioned");
    assert!(
        first.get("message_format").is_none(),
        "user messages have none"
    );
    assert!(first.get("color").is_none());
    let id = first["id"].as_str().expect("uuid");
    assert_eq!(id.len(), 36, "{id}");
    let date = first["date"].as_str().expect("date");
    assert!(
        date.ends_with("+00:00") && date.contains('.'),
        "µs and offset: {date}"
    );
    assert_eq!(alice_view.body["items"][1]["from"]["id"], 3);

    let bob_view = rest(
        &server,
        Method::GET,
        "/v2/user/2/history",
        "bob-token",
        None,
    )
    .await;
    assert_eq!(messages(&bob_view.body), ["one @bob", "two", "three"]);

    let carol_view = rest(
        &server,
        Method::GET,
        "/v2/user/@bob/history",
        "carol-token",
        None,
    )
    .await;
    assert_eq!(carol_view.status, 200);
    assert_eq!(
        messages(&carol_view.body),
        Vec::<String>::new(),
        "not carol's chat"
    );

    // The sender was active: last_active as string seconds, presence online.
    let alice = rest(&server, Method::GET, "/v2/user/2", "carol-token", None)
        .await
        .body;
    assert_eq!(alice["last_active"], T0.to_string());
    assert_eq!(alice["presence"]["is_online"], true);
}

#[tokio::test]
async fn history_pages_by_date_with_links() {
    let server = strict_server(STRICT).await;
    for n in 0..5 {
        say(&server, "alice-token", "@bob", &format!("m{n}")).await;
    }
    let mut url = format!(
        "{}/v2/user/@bob/history?date={}&max-results=2&timezone=UTC",
        server.url(),
        later()
    );
    let mut pages = Vec::new();
    for _ in 0..10 {
        let page = send(client().get(&url).bearer_auth("alice-token")).await;
        assert_eq!(page.status, 200, "{}", page.text);
        assert_eq!(page.body["maxResults"], 2);
        pages.push(messages(&page.body));
        match page.body["links"]["next"].as_str() {
            Some(next) => {
                assert!(next.contains("timezone=UTC"), "{next}");
                assert!(!next.contains("auth_token"), "{next}");
                url = next.to_owned();
            }
            None => {
                assert!(
                    page.body["links"].get("prev").is_some(),
                    "the last page has prev"
                );
                break;
            }
        }
    }
    assert_eq!(
        pages,
        [vec!["m3", "m4"], vec!["m1", "m2"], vec!["m0"]],
        "newest pages first, each oldest first (reverse=true)"
    );
    let forward = rest(
        &server,
        Method::GET,
        &format!(
            "/v2/user/@bob/history?date={}&reverse=false&max-results=3",
            later()
        ),
        "alice-token",
        None,
    )
    .await;
    assert_eq!(messages(&forward.body), ["m4", "m3", "m2"]);
    let before = rest(
        &server,
        Method::GET,
        &format!("/v2/user/@bob/history?date={}", T0 - 1),
        "alice-token",
        None,
    )
    .await;
    assert_eq!(
        messages(&before.body),
        Vec::<String>::new(),
        "nothing that early"
    );
    let bad = rest(
        &server,
        Method::GET,
        "/v2/user/@bob/history?date=yesterday",
        "alice-token",
        None,
    )
    .await;
    assert_invalid(&bad, "date", "type");
    assert_rate_limited_headers(&bad);
    let bad = rest(
        &server,
        Method::GET,
        "/v2/user/@bob/history?max-results=-1",
        "alice-token",
        None,
    )
    .await;
    assert_invalid(&bad, "max-results", "minimum");
}

#[tokio::test]
async fn latest_and_single_messages() {
    let server = strict_server(STRICT).await;
    for n in 0..4 {
        say(&server, "alice-token", "@bob", &format!("m{n}")).await;
    }
    let latest = rest(
        &server,
        Method::GET,
        "/v2/user/@bob/history/latest?max-results=2",
        "alice-token",
        None,
    )
    .await;
    assert_eq!(latest.status, 200, "{}", latest.text);
    assert_eq!(messages(&latest.body), ["m2", "m3"]);
    assert_eq!(latest.body["startIndex"], 0);
    assert!(latest.body["links"].get("next").is_none());
    assert_eq!(
        latest.body["links"]["self"],
        format!("{}/v2/user/@bob/history/latest", server.url())
    );
    let all = rest(
        &server,
        Method::GET,
        "/v2/user/@bob/history/latest",
        "alice-token",
        None,
    )
    .await;
    let ids: Vec<String> = all.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| item["id"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(ids.len(), 4);
    let not_before = rest(
        &server,
        Method::GET,
        &format!("/v2/user/@bob/history/latest?not-before={}", ids[1]),
        "alice-token",
        None,
    )
    .await;
    assert_eq!(messages(&not_before.body), ["m1", "m2", "m3"]);

    let one = rest(
        &server,
        Method::GET,
        &format!("/v2/user/@bob/history/{}", ids[2]),
        "bob-token",
        None,
    )
    .await;
    assert_eq!(one.status, 404, "bob's chat with bob is not this one");
    let one = rest(
        &server,
        Method::GET,
        &format!("/v2/user/@alice/history/{}?include_deleted=false", ids[2]),
        "bob-token",
        None,
    )
    .await;
    assert_eq!(one.status, 200, "{}", one.text);
    assert_eq!(one.body["message"]["id"], ids[2].as_str());
    assert_eq!(one.body["message"]["message"], "m2");
    let missing = rest(
        &server,
        Method::GET,
        "/v2/user/@bob/history/nope",
        "alice-token",
        None,
    )
    .await;
    assert_error(&missing, 404, "Message not found");
}

#[tokio::test]
async fn user_tokens_with_view_messages_only() {
    let server = strict_server(STRICT).await;
    let scope = rest(
        &server,
        Method::GET,
        "/v2/user/@bob/history",
        "send-only",
        None,
    )
    .await;
    assert_scope_error(&scope, "[u'view_messages']");
    for token in ["group-token", "room-token"] {
        for path in [
            "/v2/user/@bob/history",
            "/v2/user/@bob/history/latest",
            "/v2/user/@bob/history/x",
        ] {
            let kind = rest(&server, Method::GET, path, token, None).await;
            assert_eq!(kind.status, 403, "{token} {path}: {}", kind.text);
            assert_eq!(
                kind.body["error"]["message"], "This resource requires a user token",
                "{token} {path}"
            );
            assert_rate_limited_headers(&kind);
        }
    }
    let unknown = rest(
        &server,
        Method::GET,
        "/v2/user/@nobody/history",
        "alice-token",
        None,
    )
    .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.body["error"]["message"], "User not found");
}

#[tokio::test]
async fn messages_to_unknown_users_are_recorded_without_history() {
    let (server, _clock) = server().await;
    let sent = post_json(
        &server,
        "/v2/user/someone@example.com/message",
        &json!({"message": "hi"}),
    )
    .await;
    assert_eq!(sent.status, 204, "permissive: taken as addressed");
    assert_eq!(server.private_messages("someone@example.com").len(), 1);
    let own = rest_get(&server, "/v2/user/1/history").await;
    assert_eq!(messages(&own.body), Vec::<String>::new());
}

#[tokio::test]
async fn private_messages_need_a_user_token() {
    let server = strict_server(STRICT).await;
    for token in ["group-token", "room-token"] {
        let sent = rest(
            &server,
            Method::POST,
            "/v2/user/@bob/message",
            token,
            Some(&json!({"message": "hi"})),
        )
        .await;
        assert_error(&sent, 403, "This resource requires a user token");
    }
    assert!(server.private_messages("@bob").is_empty());
    say(&server, "alice-token", "@bob", "hi").await;
}
