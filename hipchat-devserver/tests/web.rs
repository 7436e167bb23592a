//! The page at `/` and its feed: sanitized html, escaped text with @mentions, cards.

mod common;

use common::{call, chars, client, get_json, notify, post_json, put_json, server};
use serde_json::{Value, json};

async fn feed(server: &hipchat_devserver::DevServer, after: u64) -> Vec<Value> {
    let feed: Value = client()
        .get(format!("{}/web/feed?after={after}", server.url()))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("json");
    feed["messages"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn the_page_is_served_and_polls_the_feed() {
    let (server, _clock) = server().await;
    let response = client()
        .get(format!("{}/", server.url()))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/html")
    );
    let page = response.text().await.expect("body");
    assert!(
        page.contains("/web/feed?after="),
        "the page fetches new messages without reload"
    );
}

#[tokio::test]
async fn html_is_sanitized_to_hipchats_subset() {
    let (server, _clock) = server().await;
    let html = r#"<b>bold</b> <script>alert(1)</script><a href="javascript:alert(1)" onclick="x()">js</a> <a href="https://ok.example/">ok</a> <img src="https://i.example/x.png" onerror="x()" width="10"> <span style="color: red; position: fixed">red</span> <iframe src="https://x"></iframe><table><tr><td colspan="2">c</td></tr></table>"#;
    notify(
        &server,
        &json!({"message": html, "color": "purple", "from": "ci"}),
    )
    .await;
    let messages = feed(&server, 0).await;
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["label"], "Ops");
    let rendered = messages[0]["html"].as_str().unwrap_or_default();
    for kept in [
        "<b>bold</b>",
        "href=\"https://ok.example/\"",
        "<img src=\"https://i.example/x.png\" width=\"10\"",
        "color:red",
        "<td colspan=\"2\">c</td>",
        "color-purple",
        "Dev - ci",
    ] {
        assert!(rendered.contains(kept), "{kept} missing in {rendered}");
    }
    for dropped in [
        "<script",
        "alert(1)",
        "javascript:",
        "onclick",
        "onerror",
        "<iframe",
        "position",
    ] {
        assert!(!rendered.contains(dropped), "{dropped} left in {rendered}");
    }
}

#[tokio::test]
async fn text_is_escaped_and_mentions_are_highlighted() {
    let (server, _clock) = server().await;
    let text = "hey @alice and @bob.smith: <b>not bold</b> mail a@b.c & more";
    notify(&server, &json!({"message": text, "message_format": "text"})).await;
    let rendered = feed(&server, 0).await[0]["html"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        rendered.contains("<span class=\"mention\">@alice</span>"),
        "{rendered}"
    );
    assert!(
        rendered.contains("<span class=\"mention\">@bob.smith</span>"),
        "{rendered}"
    );
    assert!(
        rendered.contains("&lt;b&gt;not bold&lt;/b&gt;"),
        "{rendered}"
    );
    assert!(
        rendered.contains("a@b.c &amp; more"),
        "an email address is not a mention: {rendered}"
    );
}

#[tokio::test]
async fn cards_are_drawn() {
    let (server, _clock) = server().await;
    let card = json!({"style":"application","id":"build-42","title":"Build <42>","url":"https://ci.example.com/42",
        "description":{"format":"html","value":"<b>main</b> passed<img src=x>"},
        "icon":{"url":"https://ci.example.com/icon.png"},
        "attributes":[{"label":"Tests","value":{"label":"1082 passed","style":"lozenge-success"}}],
        "activity":{"html":"<strong>ci</strong> finished <em>42</em>"}});
    notify(
        &server,
        &json!({"message": "Build 42 passed", "color": "green", "card": card}),
    )
    .await;
    let rendered = feed(&server, 0).await[0]["html"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    for expected in [
        "card-title",
        "Build &lt;42&gt;",
        "href=\"https://ci.example.com/42\"",
        "<b>main</b> passed",
        "card-icon",
        "src=\"https://ci.example.com/icon.png\"",
        "lozenge lozenge-success",
        "1082 passed",
        "Tests",
        "<strong>ci</strong> finished 42",
    ] {
        assert!(
            rendered.contains(expected),
            "{expected} missing in {rendered}"
        );
    }
    assert!(
        !rendered.contains("src=\"x\""),
        "card html allows no img: {rendered}"
    );
}

#[tokio::test]
async fn the_feed_returns_only_newer_messages_in_order() {
    let (server, _clock) = server().await;
    notify(&server, &json!({"message": "one"})).await;
    post_json(
        &server,
        "/v2/room/Dev/notification",
        &json!({"message": "two"}),
    )
    .await;
    post_json(
        &server,
        "/v2/user/@bob/message",
        &json!({"message": "three"}),
    )
    .await;
    let all = feed(&server, 0).await;
    let seqs: Vec<u64> = all.iter().filter_map(|m| m["seq"].as_u64()).collect();
    assert_eq!(seqs, [1, 2, 3]);
    assert_eq!(all[2]["label"], "Private: @bob");
    assert_eq!(feed(&server, 2).await.len(), 1);
    assert!(feed(&server, 3).await.is_empty());
}

#[tokio::test]
async fn the_page_forms_create_rooms_and_set_topics() {
    let (server, _clock) = server().await;
    let created = call(
        &server,
        reqwest::Method::POST,
        "/web/rooms",
        Some(&json!({"name": "Standup"})),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["id"], 1);
    let duplicate = call(
        &server,
        reqwest::Method::POST,
        "/web/rooms",
        Some(&json!({"name": "Standup"})),
    )
    .await;
    assert_eq!(duplicate.status, 400);
    assert_eq!(
        duplicate.body["error"]["message"],
        "Another room exists with that name."
    );
    let too_long = call(
        &server,
        reqwest::Method::POST,
        "/web/rooms",
        Some(&json!({"name": chars(51)})),
    )
    .await;
    assert_eq!(too_long.body["error"]["validation"], "maxLength");
    let topic = put_json(
        &server,
        "/web/rooms/Standup/topic",
        &json!({"topic": "Daily"}),
    )
    .await;
    assert_eq!(topic.status, 204, "{}", topic.text);
    assert_eq!(
        put_json(&server, "/web/rooms/Nope/topic", &json!({"topic": "x"}))
            .await
            .status,
        404
    );
    assert_eq!(
        put_json(
            &server,
            "/web/rooms/Standup/topic",
            &json!({"topic": chars(251)})
        )
        .await
        .status,
        400
    );
    let feed = get_json(&server, "/web/feed?after=0").await;
    assert_eq!(
        feed["rooms"],
        json!([{"key": "room:Standup", "label": "Standup", "topic": "Daily"}])
    );
    assert_eq!(server.room_history("Standup")[0]["type"], "topic");
    let page = call(&server, reqwest::Method::GET, "/", None).await.text;
    assert!(
        page.contains("id=\"new-room\"") && page.contains("/web/rooms/"),
        "the forms"
    );
}
