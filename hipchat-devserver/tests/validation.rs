//! Spec §4–§6: every field limit at, below and above its bound, check order, exact error
//! bodies, cards against the server echo schema, and the other body content types.

mod common;

use common::{chars, fixture, notify, post_raw, server};
use serde_json::{Value, json};

fn error_of(body: &Value) -> &Value {
    &body["error"]
}

async fn assert_ok(server: &hipchat_devserver::DevServer, body: Value) {
    let answer = notify(server, &body).await;
    assert_eq!(answer.status, 204, "{body} → {}", answer.text);
    assert_eq!(answer.text, "");
}

async fn assert_rejected(
    server: &hipchat_devserver::DevServer,
    body: Value,
    field: &str,
    validation: &str,
) -> Value {
    let answer = notify(server, &body).await;
    assert_eq!(answer.status, 400, "{body} → {}", answer.text);
    assert_eq!(
        answer
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    let error = error_of(&answer.body);
    assert_eq!(error["code"], 400);
    assert_eq!(error["type"], "Bad Request");
    assert_eq!(error["field"], field, "{}", answer.text);
    assert_eq!(error["validation"], validation, "{}", answer.text);
    answer.body
}

#[tokio::test]
async fn message_length_is_1_to_10000_code_points() {
    let (server, _clock) = server().await;
    let body = assert_rejected(&server, json!({"message": ""}), "message", "minLength").await;
    assert_eq!(
        body,
        json!({"error": {"code": 400, "type": "Bad Request", "field": "message",
            "validation": "minLength", "value": "", "expected_type": "string",
            "message": "Length of value u'' for field 'message' must be greater than or equal to 1"}})
    );
    assert_ok(&server, json!({"message": chars(1)})).await;
    assert_ok(&server, json!({"message": chars(10_000)})).await;
    let body = assert_rejected(
        &server,
        json!({"message": chars(10_001)}),
        "message",
        "maxLength",
    )
    .await;
    assert_eq!(error_of(&body)["value"], chars(10_001));
    assert_eq!(error_of(&body)["expected_type"], "string");
    assert_eq!(server.messages("Ops").len(), 2);
}

#[tokio::test]
async fn from_is_at_most_64_and_attach_to_at_most_36() {
    let (server, _clock) = server().await;
    assert_ok(&server, json!({"message": "m", "from": ""})).await;
    assert_ok(&server, json!({"message": "m", "from": chars(63)})).await;
    assert_ok(&server, json!({"message": "m", "from": chars(64)})).await;
    assert_rejected(
        &server,
        json!({"message": "m", "from": chars(65)}),
        "from",
        "maxLength",
    )
    .await;
    assert_ok(&server, json!({"message": "m", "attach_to": chars(35)})).await;
    assert_ok(&server, json!({"message": "m", "attach_to": chars(36)})).await;
    let body = assert_rejected(
        &server,
        json!({"message": "m", "attach_to": chars(37)}),
        "attach_to",
        "maxLength",
    )
    .await;
    assert_eq!(
        error_of(&body)["message"],
        format!(
            "Length of value u'{}' for field 'attach_to' must be less than or equal to 36",
            "\\xe9".repeat(37)
        )
    );
}

#[tokio::test]
async fn message_is_required_even_with_a_card() {
    let (server, _clock) = server().await;
    let card = json!({"style": "link", "id": "1", "title": "t"});
    let body = assert_rejected(&server, json!({"card": card}), "message", "required").await;
    assert_eq!(
        body,
        json!({"error": {"code": 400, "type": "Bad Request", "field": "message",
            "validation": "required", "value": null, "expected_type": "string",
            "message": "Required field 'message' is missing"}})
    );
    assert_rejected(&server, json!({}), "message", "required").await;
}

#[tokio::test]
async fn notify_string_gives_the_recorded_error_body() {
    let (server, _clock) = server().await;
    let answer = notify(&server, &json!({"message": "m", "notify": "true"})).await;
    assert_eq!(answer.status, 400);
    assert_eq!(
        answer.body,
        fixture("errors/v2-400-notify-not-boolean.json")
    );
    assert_ok(&server, json!({"message": "m", "notify": true})).await;
    assert_ok(&server, json!({"message": "m", "notify": false})).await;
    assert_rejected(
        &server,
        json!({"message": "m", "notify": 1}),
        "notify",
        "type",
    )
    .await;
    assert_rejected(
        &server,
        json!({"message": "m", "notify": null}),
        "notify",
        "type",
    )
    .await;
}

#[tokio::test]
async fn types_of_every_string_field_are_checked() {
    let (server, _clock) = server().await;
    for field in ["message", "message_format", "color", "from", "attach_to"] {
        let mut body = json!({"message": "m"});
        body[field] = json!(5);
        let rejected = assert_rejected(&server, body, field, "type").await;
        assert_eq!(error_of(&rejected)["value"], 5);
        assert_eq!(error_of(&rejected)["expected_type"], "string");
        assert_eq!(
            error_of(&rejected)["message"],
            format!("Value 5 for field '{field}' is not of type 'string'")
        );
    }
}

#[tokio::test]
async fn colors_and_formats_are_enumerations() {
    let (server, _clock) = server().await;
    for color in ["yellow", "green", "red", "purple", "gray", "random"] {
        assert_ok(&server, json!({"message": "m", "color": color})).await;
    }
    for color in ["grey", "blue", "Red", ""] {
        let body = assert_rejected(
            &server,
            json!({"message": "m", "color": color}),
            "color",
            "enum",
        )
        .await;
        assert_eq!(error_of(&body)["value"], color);
    }
    for format in ["html", "text"] {
        assert_ok(&server, json!({"message": "m", "message_format": format})).await;
    }
    assert_rejected(
        &server,
        json!({"message": "m", "message_format": "markdown"}),
        "message_format",
        "enum",
    )
    .await;
    let recorded = server.messages("Ops");
    assert_eq!(recorded[0].color, "yellow");
    assert_eq!(recorded[5].color, "random");
    assert_eq!(recorded[6].message_format, "html");
    assert_eq!(recorded[7].message_format, "text");
}

#[tokio::test]
async fn checks_run_in_order_required_types_enums_lengths_card() {
    let (server, _clock) = server().await;
    let bad_card = json!({"style": "nope"});
    // required before type
    assert_rejected(
        &server,
        json!({"notify": "x", "color": "grey"}),
        "message",
        "required",
    )
    .await;
    // type before enum, even for a later field
    assert_rejected(
        &server,
        json!({"message": "m", "color": "grey", "notify": "x"}),
        "notify",
        "type",
    )
    .await;
    // enum before length
    assert_rejected(
        &server,
        json!({"message": "", "color": "grey", "card": bad_card}),
        "color",
        "enum",
    )
    .await;
    // length before card
    assert_rejected(
        &server,
        json!({"message": "", "card": bad_card}),
        "message",
        "minLength",
    )
    .await;
    assert_rejected(
        &server,
        json!({"message": "m", "card": bad_card}),
        "card",
        "type",
    )
    .await;
    assert!(server.messages("Ops").is_empty());
}

#[tokio::test]
async fn unknown_keys_are_ignored() {
    let (server, _clock) = server().await;
    assert_ok(
        &server,
        json!({"message": "m", "room_id": 5, "extra": {"a": 1}}),
    )
    .await;
}

fn spec_card() -> Value {
    json!({"style":"application","id":"build-42","title":"Build 42","url":"https://ci.example.com/42",
        "format":"medium","description":{"format":"html","value":"<b>main</b> passed"},
        "attributes":[{"label":"Tests","value":{"label":"1082 passed","style":"lozenge-success"}}],
        "activity":{"html":"<strong>ci</strong> finished build 42"}})
}

#[tokio::test]
async fn the_spec_card_example_is_accepted_and_recorded() {
    let (server, _clock) = server().await;
    assert_ok(
        &server,
        json!({"message": "Build 42 passed", "color": "green", "card": spec_card()}),
    )
    .await;
    assert_ok(&server, json!({"message": "no card", "card": null})).await;
    let recorded = server.messages("Ops");
    assert_eq!(recorded[0].card, Some(spec_card()));
    assert_eq!(recorded[1].card, None);
}

#[tokio::test]
async fn the_recorded_card_violation_is_reproduced() {
    let (server, _clock) = server().await;
    let recorded = fixture("errors/v2-400-card-schema-violation.json");
    let card = recorded["error"]["value"].clone();
    let answer = notify(&server, &json!({"message": "m", "card": card})).await;
    assert_eq!(answer.status, 400);
    let error = error_of(&answer.body);
    let expected = &recorded["error"];
    for key in [
        "code",
        "type",
        "field",
        "validation",
        "value",
        "expected_type",
        "description",
    ] {
        assert_eq!(error[key], expected[key], "key {key}");
    }
    let message = error["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("Value {u'attributes': [{u'label': u'TimeStamp'"),
        "{message}"
    );
    assert!(
        message.contains("for field 'card' is not of type [{u'type': u'null'}"),
        "{message}"
    );
    // The same card with numeric sizes is fine.
    let mut fixed = card;
    fixed["thumbnail"]["width"] = json!(43);
    fixed["thumbnail"]["height"] = json!(64.5);
    assert_ok(&server, json!({"message": "m", "card": fixed})).await;
}

#[tokio::test]
async fn card_limits_at_below_and_above_their_bounds() {
    let (server, _clock) = server().await;
    let with = |key: &str, value: Value| {
        let mut card = json!({"style": "application", "id": "x", "title": "t"});
        card[key] = value;
        json!({"message": "m", "card": card})
    };
    let attribute = json!({"label": "l", "value": {"label": "v"}});
    let good = [
        with("title", json!(chars(1))),
        with("title", json!(chars(500))),
        with("id", json!("i")),
        with("description", json!("")),
        with("description", json!(chars(500))),
        with("description", json!({"value": chars(1), "format": "text"})),
        with(
            "description",
            json!({"value": chars(1000), "format": "html"}),
        ),
        with("attributes", json!(vec![attribute.clone(); 1])),
        with("attributes", json!(vec![attribute.clone(); 10])),
        with(
            "attributes",
            json!([{"value": {"label": "v", "style": "lozenge-moved", "url": "u", "icon": "i"}}]),
        ),
        with(
            "attributes",
            json!([{"label": chars(50), "value": {"label": "v"}}]),
        ),
        with(
            "thumbnail",
            json!({"url": chars(250), "url@2x": chars(250), "width": 1, "height": 2.5}),
        ),
        with("icon", json!("https://x/icon.png")),
        with("icon", json!({"url": "u", "url@2x": "v", "extra": true})),
        with("activity", json!({"html": "h", "icon": {"url": "u"}})),
        with("format", json!("compact")),
        with("url", json!("u")),
        with("anything_else", json!([1, 2])),
    ];
    for body in good {
        assert_ok(&server, body).await;
    }
    let bad = [
        with("title", json!("")),
        with("title", json!(chars(501))),
        with("id", json!("")),
        with("id", json!(5)),
        with("style", json!("card")),
        with("description", json!(chars(501))),
        with("description", json!({"value": "", "format": "text"})),
        with(
            "description",
            json!({"value": chars(1001), "format": "html"}),
        ),
        with("description", json!({"value": "v"})),
        with("description", json!({"value": "v", "format": "md"})),
        with(
            "description",
            json!({"value": "v", "format": "html", "extra": 1}),
        ),
        with("attributes", json!([])),
        with("attributes", json!(vec![attribute.clone(); 11])),
        with(
            "attributes",
            json!([{"label": chars(51), "value": {"label": "v"}}]),
        ),
        with(
            "attributes",
            json!([{"label": "", "value": {"label": "v"}}]),
        ),
        with("attributes", json!([{"label": "l"}])),
        with("attributes", json!([{"value": {"label": ""}}])),
        with(
            "attributes",
            json!([{"value": {"label": "v", "style": "lozenge-big"}}]),
        ),
        with("attributes", json!([{"value": {"label": "v", "extra": 1}}])),
        with("attributes", json!([{"value": {"label": "v"}, "extra": 1}])),
        with("thumbnail", json!({"url": chars(251)})),
        with("thumbnail", json!({"url": ""})),
        with("thumbnail", json!({"width": 5})),
        with("thumbnail", json!({"url": "u", "url@2x": chars(251)})),
        with("thumbnail", json!({"url": "u", "width": "43"})),
        with("icon", json!({"url@2x": "v"})),
        with("icon", json!(5)),
        with("activity", json!({})),
        with("activity", json!({"html": ""})),
        with("activity", json!({"html": "h", "extra": 1})),
        with("format", json!("large")),
        with("url", json!("")),
        json!({"message": "m", "card": "a string"}),
        json!({"message": "m", "card": [1]}),
        json!({"message": "m", "card": {"id": "x", "title": "t"}}),
    ];
    for body in bad {
        let rejected = assert_rejected(&server, body.clone(), "card", "type").await;
        assert_eq!(error_of(&rejected)["value"], body["card"]);
    }
}

#[tokio::test]
async fn the_crate_schema_is_the_shared_fixture() {
    assert_eq!(
        hipchat_devserver::card_schema::schema(),
        &fixture("hipchat-card-schema-server-echo.json")
    );
}

#[tokio::test]
async fn bodies_that_do_not_parse_are_400() {
    let (server, _clock) = server().await;
    for bad in ["{", "[1]", "\"m\"", ""] {
        let answer = post_raw(
            &server,
            "/v2/room/Ops/notification",
            "application/json",
            bad,
        )
        .await;
        assert_eq!(answer.status, 400, "{bad:?}");
        assert_eq!(answer.body["error"]["type"], "Bad Request");
        assert_eq!(answer.body["error"]["code"], 400);
    }
    let answer = post_raw(
        &server,
        "/v2/room/Ops/notification",
        "application/xml",
        "<m/>",
    )
    .await;
    assert_eq!(answer.status, 415);
    assert_eq!(answer.body["error"]["type"], "Unsupported Media Type");
}

#[tokio::test]
async fn form_text_and_html_bodies() {
    let (server, _clock) = server().await;
    let path = "/v2/room/Ops/notification";
    let form = "application/x-www-form-urlencoded";
    let answer = post_raw(
        &server,
        path,
        form,
        "message=Hi+there%21&color=red&notify=true&from=ci",
    )
    .await;
    assert_eq!(answer.status, 204, "{}", answer.text);
    let answer = post_raw(&server, path, form, "message=x&notify=yes").await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.body["error"]["field"], "notify");
    assert_eq!(answer.body["error"]["validation"], "type");
    let answer = post_raw(&server, path, form, "color=grey&message=x").await;
    assert_eq!(answer.body["error"]["validation"], "enum");
    let answer = post_raw(&server, path, form, "color=red").await;
    assert_eq!(answer.body["error"]["validation"], "required");
    let card = r#"{"style":"link","id":"1","title":"t"}"#;
    let body = format!(
        "message=c&card={}",
        card.replace('"', "%22")
            .replace(':', "%3A")
            .replace(',', "%2C")
            .replace('{', "%7B")
            .replace('}', "%7D")
    );
    let answer = post_raw(&server, path, form, &body).await;
    assert_eq!(answer.status, 204, "{}", answer.text);

    let answer = post_raw(&server, path, "text/plain; charset=utf-8", "plain @bob <b>").await;
    assert_eq!(answer.status, 204);
    let answer = post_raw(&server, path, "text/html", "<b>bold</b>").await;
    assert_eq!(answer.status, 204);
    let answer = post_raw(&server, path, "text/plain", "").await;
    assert_eq!(answer.body["error"]["validation"], "minLength");
    let answer = post_raw(&server, path, "text/plain", &"x".repeat(10_001)).await;
    assert_eq!(answer.body["error"]["validation"], "maxLength");

    let recorded = server.messages("Ops");
    assert_eq!(recorded.len(), 4);
    assert_eq!(
        (
            recorded[0].message.as_str(),
            recorded[0].color.as_str(),
            recorded[0].notify,
            recorded[0].from.as_deref()
        ),
        ("Hi there!", "red", true, Some("ci"))
    );
    assert_eq!(
        recorded[1].card,
        Some(serde_json::from_str(card).unwrap_or_default())
    );
    assert_eq!(
        (
            recorded[2].message.as_str(),
            recorded[2].message_format.as_str(),
            recorded[2].color.as_str(),
            recorded[2].notify
        ),
        ("plain @bob <b>", "text", "yellow", false)
    );
    assert_eq!(recorded[3].message_format, "html");
}
