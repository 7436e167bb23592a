//! REST API v2 room history (spec v2 §3.5, §5): items built from what the server
//! recorded, view_room_history windows and paging, latest, get_room_message, reply.

mod common;

use std::time::Duration;

use common::*;
use hipchat_devserver::{DevServer, ManualClock, RateLimitConfig};
use reqwest::Method;
use serde_json::{Value, json};

/// A permissive server whose flood control does not get in the way.
async fn roomy_server() -> (DevServer, ManualClock) {
    limited_server(RateLimitConfig {
        flood_limit: 10_000,
        token_limit: 10_000,
        ..RateLimitConfig::default()
    })
    .await
}

fn is_date(value: &Value) -> bool {
    let text = value.as_str().unwrap_or_default();
    let bytes = text.as_bytes();
    text.len() == 32
        && text.ends_with("+00:00")
        && bytes[10] == b'T'
        && bytes[19] == b'.'
        && bytes[20..26].iter().all(u8::is_ascii_digit)
}

fn messages(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| item["message"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Sends notifications `m0`..`m{n-1}` to Ops, one second apart (the first at T0).
async fn fill(server: &DevServer, clock: &ManualClock, n: usize) {
    for k in 0..n {
        let sent = notify(server, &json!({"message": format!("m{k}")})).await;
        assert_eq!(sent.status, 204);
        clock.advance(Duration::from_secs(1));
    }
}

#[tokio::test]
async fn items_have_the_recorded_shapes() {
    let (server, _clock) = roomy_server().await;
    let card = json!({"style": "link", "title": "T", "id": "c1", "url": "https://example.com"});
    let sent = notify(
        &server,
        &json!({"message": "<b>hi</b> @dev", "from": "bot", "color": "red", "card": card,
                "attach_to": "00000000-0000-0000-0000-000000000000"}),
    )
    .await;
    assert_eq!(sent.status, 204, "{}", sent.text);
    let message = post_json(
        &server,
        "/v2/room/Ops/message",
        &json!({"message": "plain"}),
    )
    .await;
    assert_eq!(message.status, 201);
    let shared = post_json(
        &server,
        "/v2/room/Ops/share/link",
        &json!({"message": "look", "link": "https://example.com/x"}),
    )
    .await;
    assert_eq!(shared.status, 204);
    let topic = rest(
        &server,
        Method::PUT,
        "/v2/room/Ops/topic",
        "dev",
        Some(&json!({"topic": "t"})),
    )
    .await;
    assert_eq!(topic.status, 204);

    let page = rest_get(&server, "/v2/room/Ops/history").await;
    assert_eq!(page.status, 200, "{}", page.text);
    let items = page.body["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 4);
    let notification = &items[0];
    assert_eq!(notification["type"], "notification");
    assert_eq!(notification["from"], "Dev - bot", "a string: label - from");
    assert_eq!(notification["message"], "<b>hi</b> @dev");
    assert_eq!(notification["message_format"], "html");
    assert_eq!(notification["color"], "red");
    assert_eq!(
        notification["attach_to"],
        "00000000-0000-0000-0000-000000000000"
    );
    let card_text = notification["card"]
        .as_str()
        .expect("the card is a JSON string");
    assert_eq!(
        serde_json::from_str::<Value>(card_text).expect("parses"),
        card
    );
    assert_eq!(notification["mentions"][0]["mention_name"], "dev");
    assert_eq!(
        notification["id"],
        server.messages("Ops")[0].id,
        "the recorded id"
    );

    let user_message = &items[1];
    assert_eq!(user_message["type"], "message");
    assert_eq!(user_message["id"], message.body["id"]);
    assert_eq!(user_message["from"]["id"], 1);
    assert_eq!(
        user_message["from"]["links"]["self"],
        format!("{}/v2/user/1", server.url())
    );
    assert!(user_message.get("color").is_none() && user_message.get("card").is_none());
    assert_eq!(user_message["mentions"], json!([]));
    assert_eq!(items[2]["type"], "message");
    assert_eq!(items[2]["message_links"][0]["url"], "https://example.com/x");
    assert_eq!(items[3]["type"], "topic");
    assert_eq!(items[3]["message"], "t");

    let mut last = String::new();
    for item in &items {
        assert!(is_date(&item["date"]), "{}", item["date"]);
        let date = item["date"].as_str().unwrap_or_default().to_owned();
        assert!(date > last, "dates strictly increase on a standing clock");
        last = date;
        assert_eq!(item["id"].as_str().map(str::len), Some(36), "a UUID");
    }
    assert_eq!(
        server.room_history("Ops"),
        items,
        "the Rust API shows the same"
    );
}

#[tokio::test]
async fn recent_history_is_the_latest_75_oldest_first() {
    let (server, clock) = roomy_server().await;
    fill(&server, &clock, 80).await;
    let page = rest_get(&server, "/v2/room/Ops/history?max-results=10").await;
    let texts = messages(&page.body);
    assert_eq!(texts.len(), 75, "date=recent ignores paging");
    assert_eq!((texts[0].as_str(), texts[74].as_str()), ("m5", "m79"));
    assert!(page.body["links"].get("next").is_none());
    assert_eq!(
        page.body["links"]["self"],
        format!("{}/v2/room/Ops/history", server.url())
    );
}

#[tokio::test]
async fn date_windows_page_newest_first_and_show_pages_oldest_first() {
    let (server, clock) = roomy_server().await;
    fill(&server, &clock, 10).await;
    // m0 at T0, m9 at T0+9: date=T0+7 selects m0..=m7.
    let until = T0 + 7;
    let first = rest_get(
        &server,
        &format!("/v2/room/Ops/history?date={until}&max-results=3"),
    )
    .await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(
        messages(&first.body),
        ["m5", "m6", "m7"],
        "newest 3, oldest first"
    );
    assert_eq!(first.body["maxResults"], 3);
    let next = first.body["links"]["next"]
        .as_str()
        .expect("more")
        .to_owned();
    assert!(
        next.contains(&format!("date={until}")) && next.contains("start-index=3"),
        "{next}"
    );
    assert!(first.body["links"].get("prev").is_none());

    let mut pages = vec![messages(&first.body)];
    let mut url = next;
    for _ in 0..5 {
        let page = send(client().get(&url).bearer_auth("dev")).await;
        pages.push(messages(&page.body));
        match page.body["links"]["next"].as_str() {
            Some(next) => url = next.to_owned(),
            None => {
                assert!(page.body["links"]["prev"].is_string());
                break;
            }
        }
    }
    assert_eq!(
        pages,
        [
            vec!["m5", "m6", "m7"],
            vec!["m2", "m3", "m4"],
            vec!["m0", "m1"]
        ]
    );

    let newest_first = rest_get(
        &server,
        &format!("/v2/room/Ops/history?date={until}&max-results=3&reverse=false"),
    )
    .await;
    assert_eq!(messages(&newest_first.body), ["m7", "m6", "m5"]);
    let iso = "2017-07-14T02:40:07%2B00:00"; // T0 + 7
    let by_iso = rest_get(
        &server,
        &format!("/v2/room/Ops/history?date={iso}&end-date={}", T0 + 5),
    )
    .await;
    assert_eq!(
        messages(&by_iso.body),
        ["m5", "m6", "m7"],
        "end-date bounds from below"
    );
    let naive = rest_get(
        &server,
        "/v2/room/Ops/history?date=2017-07-14T02:40:01&max-results=5",
    )
    .await;
    assert_eq!(messages(&naive.body), ["m0", "m1"], "no offset: UTC");
    let plus_as_space = rest_get(
        &server,
        "/v2/room/Ops/history?date=2017-07-14T02:40:01+00:00",
    )
    .await;
    assert_eq!(
        messages(&plus_as_space.body),
        ["m0", "m1"],
        "a bare + arrives as a space"
    );
    assert_invalid(
        &rest_get(&server, "/v2/room/Ops/history?date=yesterday").await,
        "date",
        "type",
    );
    assert_invalid(
        &rest_get(&server, "/v2/room/Ops/history?date=1&max-results=1001").await,
        "max-results",
        "maximum",
    );
    assert_invalid(
        &rest_get(&server, "/v2/room/Ops/history?reverse=nope").await,
        "reverse",
        "type",
    );
}

#[tokio::test]
async fn latest_history_takes_max_results_and_not_before() {
    let (server, clock) = roomy_server().await;
    fill(&server, &clock, 80).await;
    let all = rest_get(&server, "/v2/room/Ops/history/latest").await;
    assert_eq!(all.status, 200);
    assert_eq!(messages(&all.body).len(), 75, "default 75");
    assert_eq!(all.body["startIndex"], 0);
    assert_eq!(all.body["maxResults"], 75);
    assert_eq!(
        all.body["links"]["self"],
        format!("{}/v2/room/Ops/history/latest", server.url())
    );
    assert!(all.body["links"].get("next").is_none());
    let five = rest_get(&server, "/v2/room/Ops/history/latest?max-results=5").await;
    assert_eq!(messages(&five.body), ["m75", "m76", "m77", "m78", "m79"]);
    let m77 = five.body["items"][2]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let bounded = rest_get(
        &server,
        &format!("/v2/room/Ops/history/latest?not-before={m77}"),
    )
    .await;
    assert_eq!(messages(&bounded.body), ["m77", "m78", "m79"]);
}

#[tokio::test]
async fn single_messages_are_wrapped() {
    let (server, _clock) = roomy_server().await;
    notify(&server, &json!({"message": "hello"})).await;
    let id = server.messages("Ops")[0].id.clone();
    let got = rest_get(&server, &format!("/v2/room/Ops/history/{id}")).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body["message"]["id"], id.as_str());
    assert_eq!(got.body["message"]["message"], "hello");
    let missing = rest_get(
        &server,
        "/v2/room/Ops/history/00000000-0000-0000-0000-000000000000",
    )
    .await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body["error"]["message"], "Message not found");
    assert_rate_limited_headers(&missing);
}

#[tokio::test]
async fn replies_hang_under_their_parent() {
    let (server, _clock) = roomy_server().await;
    notify(&server, &json!({"message": "parent"})).await;
    let parent = server.messages("Ops")[0].id.clone();
    let reply = |body: Value| {
        let server = &server;
        async move {
            rest(
                server,
                Method::POST,
                "/v2/room/Ops/reply",
                "dev",
                Some(&body),
            )
            .await
        }
    };
    let answered = reply(json!({"parentMessageId": parent, "message": "child"})).await;
    assert_eq!((answered.status, answered.text.as_str()), (204, ""));
    assert_eq!(
        reply(json!({"parent_message_id": parent, "message": "snake"}))
            .await
            .status,
        204
    );
    assert_invalid(
        &reply(json!({"message": "orphan"})).await,
        "parentMessageId",
        "required",
    );
    assert_invalid(
        &reply(json!({"parentMessageId": parent})).await,
        "message",
        "required",
    );
    let unknown = reply(json!({"parentMessageId": "nope", "message": "m"})).await;
    assert_eq!(
        (unknown.status, unknown.body["error"]["message"].as_str()),
        (404, Some("Message not found"))
    );
    let history = server.room_history("Ops");
    assert_eq!(history.len(), 3);
    assert_eq!(history[1]["type"], "message");
    assert_eq!(history[1]["message"], "child");
    assert_eq!(history[1]["from"]["id"], 1);
    assert_eq!(history[1]["parentMessageId"], parent.as_str());
}

const STRICT: &str = r#"
strict = true

[[tokens]]
token = "reader"
scopes = ["view_messages"]

[[tokens]]
token = "viewer"
scopes = ["view_room", "view_group"]

[[tokens]]
token = "addon"
kind = "group"

[[tokens]]
token = "user"
kind = "user"
scopes = ["send_message"]

[[rooms]]
id = 1
name = "Ops"
"#;

#[tokio::test]
async fn strict_history_needs_view_messages_and_replies_need_a_user() {
    let server = strict_server(STRICT).await;
    let scope = rest(&server, Method::GET, "/v2/room/Ops/history", "viewer", None).await;
    assert_eq!(scope.status, 403);
    assert_eq!(
        scope.body["error"]["message"],
        "This action requires one of the following scopes: [u'view_messages']"
    );
    assert_rate_limited_headers(&scope);
    assert_eq!(
        rest(
            &server,
            Method::GET,
            "/v2/room/Ops/history/latest",
            "viewer",
            None
        )
        .await
        .status,
        403
    );
    assert_eq!(
        rest(&server, Method::GET, "/v2/room/Ops/history", "reader", None)
            .await
            .status,
        200
    );
    for path in [
        "/v2/room/Nope/history",
        "/v2/room/Nope/history/latest",
        "/v2/room/Nope/history/x",
    ] {
        let missing = rest(&server, Method::GET, path, "reader", None).await;
        assert_eq!(
            (missing.status, &missing.body),
            (404, &fixture_body("errors/v2-404-room-not-found.json")),
            "{path}"
        );
    }
    let body = json!({"parentMessageId": "x", "message": "m"});
    let addon = rest(
        &server,
        Method::POST,
        "/v2/room/Ops/reply",
        "addon",
        Some(&body),
    )
    .await;
    assert_eq!(
        (addon.status, addon.body["error"]["message"].as_str()),
        (403, Some("This resource requires a user token"))
    );
    let user = rest(
        &server,
        Method::POST,
        "/v2/room/Ops/reply",
        "user",
        Some(&body),
    )
    .await;
    assert_eq!(
        user.status, 404,
        "a user token gets as far as the parent: {}",
        user.text
    );
}
