//! Cards and `attach_to`: every card shape the library produces validates against the
//! server-echo card schema (spec §6, loaded from the fixture), and the devserver records
//! what was sent, identically.

use hipchat_devserver::{DevServer, card_schema};
use hipchat_runtime::card::{
    Activity, Attribute, Card, CardFormat, CardStyle, Format, Icon, Lozenge, Thumbnail,
};
use hipchat_runtime::{BackendKind, Message, Notifier, Settings};
use serde_json::Value;

const SCHEMA_FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../fixtures/hipchat-rest/hipchat-card-schema-server-echo.json"
);

fn fixture_schema() -> Value {
    let text = std::fs::read_to_string(SCHEMA_FIXTURE).expect("card schema fixture");
    serde_json::from_str(&text).expect("card schema fixture is JSON")
}

/// A card with every part set, each at a realistic value.
fn full_card() -> Card {
    Card::application(
        Card::id_from(&("deploy", "billing", "1.4.2")),
        "Deploy of billing 1.4.2",
    )
    .html_description("<b>billing</b> 1.4.2 failed on <i>eu-west</i>")
    .format(CardFormat::Medium)
    .url("https://ci.example.com/builds/1842")
    .icon(Icon::new("https://ci.example.com/icon.png").url_2x("https://ci.example.com/icon@2x.png"))
    .thumbnail(
        Thumbnail::new("https://ci.example.com/thumb.png")
            .url_2x("https://ci.example.com/thumb@2x.png")
            .size(320, 240),
    )
    .activity(
        Activity::new("<strong>ci</strong> failed the deploy").icon(
            Icon::new("https://ci.example.com/a.png").url_2x("https://ci.example.com/a@2x.png"),
        ),
    )
    .attribute(
        Attribute::new("failed")
            .label("Status")
            .style(Lozenge::Error)
            .url("https://ci.example.com/builds/1842/log")
            .icon(
                Icon::new("https://ci.example.com/s.png").url_2x("https://ci.example.com/s@2x.png"),
            ),
    )
    .attribute(Attribute::new("eu-west").label("Region"))
    .attribute(Attribute::new("no label"))
}

/// Every shape: minimal cards of each style, the full card, each lozenge, each
/// description kind and format, thumbnail and icon variants, parts at their bounds.
fn every_card() -> Vec<Card> {
    let mut cards = vec![full_card()];
    for style in CardStyle::ALL {
        cards.push(Card::new(*style, "id", "title"));
    }
    for lozenge in Lozenge::ALL {
        cards.push(Card::file("id", "t").attribute(Attribute::new("v").style(*lozenge)));
    }
    for format in CardFormat::ALL {
        cards.push(Card::link("id", "t").format(*format));
    }
    cards.extend([
        Card::image("id", "t").description(""),
        Card::image("id", "t").description("d".repeat(500)),
        Card::image("id", "t").description_with_format("d".repeat(1_000), Format::Text),
        Card::image("id", "t").html_description("<a href=\"x\">x</a>"),
        Card::media("id", "t".repeat(500)),
        Card::media("id", "t").thumbnail(Thumbnail::new("u".repeat(250))),
        Card::media("id", "t").thumbnail(Thumbnail::new("u").url_2x("u".repeat(250))),
        Card::media("id", "t").icon("https://e.com/i.png"),
        Card::media("id", "t").activity("a"),
        Card::media("id", "t").attribute(Attribute::new("v").label("l".repeat(50))),
        (0..10).fold(Card::file("id", "t"), |card, i| {
            card.attribute(Attribute::new(i.to_string()))
        }),
    ]);
    cards
}

#[test]
fn the_fixture_is_the_schema_the_devserver_validates_with() {
    assert_eq!(&fixture_schema(), card_schema::schema());
}

#[test]
fn every_card_the_library_produces_validates_against_the_server_echo_schema() {
    let schema = fixture_schema();
    for card in every_card() {
        assert_eq!(card.validate(), Ok(()), "{card:?}");
        let json = serde_json::to_value(&card).unwrap();
        if let Err(violation) = card_schema::check(&json, &schema, "") {
            panic!("{violation:?} in {json}");
        }
    }
}

#[test]
fn cards_our_validation_refuses_the_schema_refuses_too() {
    let schema = fixture_schema();
    let refused = [
        Card::file("", "t"),
        Card::file("id", ""),
        Card::file("id", "t".repeat(501)),
        Card::file("id", "t").description("d".repeat(501)),
        Card::file("id", "t").html_description(""),
        Card::file("id", "t").thumbnail(Thumbnail::new("u".repeat(251))),
        Card::file("id", "t").attribute(Attribute::new("v").label("l".repeat(51))),
        (0..11).fold(Card::file("id", "t"), |card, i| {
            card.attribute(Attribute::new(i.to_string()))
        }),
    ];
    for card in refused {
        assert!(card.validate().is_err(), "{card:?}");
        let json = serde_json::to_value(&card).unwrap();
        assert!(card_schema::check(&json, &schema, "").is_err(), "{json}");
    }
}

fn notifier(url: &str) -> Notifier {
    Notifier::from_settings(
        Settings::new()
            .backend(BackendKind::Http)
            .api_url(url)
            .auth_token("tok")
            .room("Ops"),
    )
    .unwrap()
}

#[tokio::test]
async fn a_full_card_and_attach_to_are_recorded_identically() {
    let server = DevServer::start().await.unwrap();
    let card = full_card();
    notifier(server.url())
        .send(
            Message::new("Deploy of billing 1.4.2 failed")
                .attach_to("a".repeat(36))
                .card(card.clone()),
        )
        .await
        .unwrap();
    notifier(server.url())
        .send(Message::new("plain"))
        .await
        .unwrap();
    let recorded = server.messages("Ops");
    assert_eq!(recorded.len(), 2);
    assert_eq!(recorded[0].message, "Deploy of billing 1.4.2 failed");
    assert_eq!(
        recorded[0].attach_to.as_deref(),
        Some("a".repeat(36).as_str())
    );
    assert_eq!(recorded[0].card, Some(serde_json::to_value(&card).unwrap()));
    let back: Card = serde_json::from_value(recorded[0].card.clone().unwrap()).unwrap();
    assert_eq!(back, card);
    // Neither is sent when unset.
    assert_eq!(
        (recorded[1].attach_to.as_ref(), recorded[1].card.as_ref()),
        (None, None)
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn an_invalid_card_or_attach_to_is_never_sent() {
    let server = DevServer::start().await.unwrap();
    let notifier = notifier(server.url());
    let error = notifier
        .send(
            Message::new("x").card(Card::link("id", "t").attribute(Attribute::new("v").label(""))),
        )
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("card.attributes[0].label is empty"),
        "{error}"
    );
    let error = notifier
        .send(Message::new("x").attach_to("a".repeat(37)))
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("attach_to is 37 characters long"),
        "{error}"
    );
    assert!(server.messages("Ops").is_empty());
    server.stop().await.unwrap();
}
