//! Cards declared in `#[hipchat(card(...))]`: what they render to, their ids, run-time
//! validation of templated parts, and every shape checked against the server's card schema
//! (the fixture) and delivered through the devserver.

use hipchat::card::{Activity, Attribute, Card, CardFormat, Icon, Lozenge, Thumbnail};
use hipchat::prelude::*;
use hipchat::{BackendKind, Error, Notifier, Settings, ValidationError};
use hipchat_devserver::{DevServer, card_schema};
use serde_json::Value;

const SCHEMA_FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/hipchat-rest/hipchat-card-schema-server-echo.json"
);

fn assert_schema_accepts(card: &Card) {
    let text = std::fs::read_to_string(SCHEMA_FIXTURE).expect("card schema fixture");
    let schema: Value = serde_json::from_str(&text).expect("card schema fixture is JSON");
    let json = serde_json::to_value(card).unwrap();
    if let Err(violation) = card_schema::check(&json, &schema, "") {
        panic!("{violation:?} in {json}");
    }
}

/// Every part of a card, static and templated.
#[hipchat(
    room = "Ops",
    color = "red",
    message = "Deploy of {{ service }} {{ version }} failed",
    card(
        style = "application",
        title = "Deploy of {{ service }} {{ version }}",
        html_description = "<b>{{ service }}</b> failed on <i>{{ region }}</i>",
        format = "medium",
        url = "{{ build_url }}",
        icon(
            url = "https://ci.example.com/icon.png",
            url_2x = "https://ci.example.com/icon@2x.png"
        ),
        thumbnail(url = "https://ci.example.com/t.png", width = 320, height = 240),
        activity(
            html = "<strong>{{ who }}</strong> deployed",
            icon = "https://ci.example.com/a.png"
        ),
        attribute(
            label = "Status",
            value = "failed",
            style = "lozenge-error",
            url = "{{ build_url }}/log"
        ),
        attribute(label = "Region", value = "{{ region }}"),
        attribute(value = "{{ tests }} tests", style = "{{ tests_lozenge }}"),
    )
)]
struct DeployFailed {
    service: String,
    version: String,
    region: String,
    build_url: String,
    who: String,
    tests: u32,
    tests_lozenge: &'static str,
}

fn deploy_failed() -> DeployFailed {
    DeployFailed {
        service: "billing".into(),
        version: "1.4.2".into(),
        region: "eu-west & <north>".into(),
        build_url: "https://ci.example.com/builds/1842".into(),
        who: "ci".into(),
        tests: 1082,
        tests_lozenge: "lozenge-success",
    }
}

#[test]
fn a_declared_card_renders_to_the_card_built_by_hand() {
    let message = deploy_failed().render().unwrap();
    assert_eq!(message.body, "Deploy of billing 1.4.2 failed");
    let expected = Card::application(
        Card::id_from_parts(&[
            "cards",
            "DeployFailed",
            "Deploy of billing 1.4.2 failed",
            "Deploy of billing 1.4.2",
        ]),
        "Deploy of billing 1.4.2",
    )
    // html parts escape interpolated values; plain-text parts send them as they are.
    .html_description("<b>billing</b> failed on <i>eu-west &#38; &#60;north&#62;</i>")
    .format(CardFormat::Medium)
    .url("https://ci.example.com/builds/1842")
    .icon(Icon::new("https://ci.example.com/icon.png").url_2x("https://ci.example.com/icon@2x.png"))
    .thumbnail(Thumbnail::new("https://ci.example.com/t.png").size(320, 240))
    .activity(Activity::new("<strong>ci</strong> deployed").icon("https://ci.example.com/a.png"))
    .attribute(
        Attribute::new("failed")
            .label("Status")
            .style(Lozenge::Error)
            .url("https://ci.example.com/builds/1842/log"),
    )
    .attribute(Attribute::new("eu-west & <north>").label("Region"))
    .attribute(Attribute::new("1082 tests").style(Lozenge::Success));
    assert_eq!(message.card, Some(expected));
    assert_schema_accepts(message.card.as_ref().unwrap());
}

#[test]
fn the_derived_id_is_stable_and_tells_events_apart() {
    let first = deploy_failed().render().unwrap().card.unwrap();
    let again = deploy_failed().render().unwrap().card.unwrap();
    assert_eq!(first.id, again.id);
    // Pinned (FNV-1a of the module, type name, body and title, computed independently):
    // the id must not change between releases, or re-sent cards would duplicate.
    assert_eq!(first.id, "9af88bdbad893ae7");
    // Another deploy, and the same deploy in another region (same title, other body),
    // are other cards.
    let other_version = DeployFailed {
        version: "1.4.3".into(),
        ..deploy_failed()
    };
    assert_ne!(other_version.render().unwrap().card.unwrap().id, first.id);
}

/// Same title and a body that differs only in a field the title does not show.
#[hipchat(
    room = "Ops",
    message = "Disk {{ disk }} full on {{ host }}",
    card(style = "application", title = "Disk full")
)]
struct DiskFull {
    host: &'static str,
    disk: &'static str,
}

#[test]
fn events_with_a_fixed_title_are_told_apart_by_their_message() {
    let id = |host| {
        let event = DiskFull { host, disk: "/var" };
        event.render().unwrap().card.unwrap().id
    };
    assert_eq!(id("db-1"), id("db-1"));
    assert_ne!(id("db-1"), id("db-2"));
}

/// The smallest card: style and title; the id from a marked field, used as written.
#[hipchat(
    room = "Ops",
    message = "Incident {{ id }}: {{ status }}",
    card(style = "link", title = "Incident {{ id }}: {{ status }}")
)]
struct IncidentUpdate {
    #[hipchat(card_id)]
    id: String,
    status: &'static str,
}

#[test]
fn a_card_id_field_makes_every_update_of_one_incident_the_same_card() {
    let opened = IncidentUpdate {
        id: "INC-7".into(),
        status: "open",
    };
    let resolved = IncidentUpdate {
        id: "INC-7".into(),
        status: "resolved",
    };
    let opened = opened.render().unwrap().card.unwrap();
    let resolved = resolved.render().unwrap().card.unwrap();
    assert_eq!(
        (opened.id.as_str(), resolved.id.as_str()),
        ("INC-7", "INC-7")
    );
    assert_eq!(resolved.title, "Incident INC-7: resolved");
    assert_eq!(resolved, Card::link("INC-7", "Incident INC-7: resolved"));
    assert_schema_accepts(&resolved);
}

/// An id template; optional parts that render blank are left out.
#[hipchat(
    room = "Ops",
    message = "Build {{ number }}",
    card(
        style = "file",
        id = "build-{{ number }}",
        title = "Build {{ number }}",
        description = "{% if let Some(notes) = notes %}{{ notes }}{% endif %}",
        thumbnail = "{% if let Some(shot) = screenshot %}{{ shot }}{% endif %}",
        attribute(label = "{{ label }}", value = "{{ number }}"),
    )
)]
struct Build {
    number: u32,
    notes: Option<String>,
    screenshot: Option<String>,
    label: &'static str,
}

#[test]
fn optional_parts_that_render_blank_are_left_out() {
    let bare = Build {
        number: 42,
        notes: None,
        screenshot: None,
        label: "",
    };
    let card = bare.render().unwrap().card.unwrap();
    assert_eq!(
        card,
        Card::file("build-42", "Build 42").attribute(Attribute::new("42"))
    );
    assert_schema_accepts(&card);

    let full = Build {
        number: 42,
        notes: Some("all green".into()),
        screenshot: Some("https://ci.example.com/42.png".into()),
        label: "Number",
    };
    let card = full.render().unwrap().card.unwrap();
    assert_eq!(
        card,
        Card::file("build-42", "Build 42")
            .description("all green")
            .thumbnail(Thumbnail::new("https://ci.example.com/42.png"))
            .attribute(Attribute::new("42").label("Number"))
    );
    assert_schema_accepts(&card);
}

fn memory_notifier() -> Notifier {
    Notifier::from_settings(Settings::new().backend(BackendKind::Memory)).unwrap()
}

#[tokio::test]
async fn a_templated_part_over_its_limit_is_a_typed_error_and_nothing_is_sent() {
    let notifier = memory_notifier();
    let long = Build {
        number: 1,
        notes: None,
        screenshot: None,
        label: "a label far longer than the fifty characters HipChat allows",
    };
    let error = long.notify().via(&notifier).await.unwrap_err();
    match &error {
        Error::Validation(ValidationError::Card { field, violation }) => {
            assert_eq!(field, "card.attributes[0].label");
            assert_eq!((violation.actual, violation.limit.max), (59, 50));
        }
        other => panic!("expected a card validation error, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "invalid notification: card.attributes[0].label is 59 characters long; HipChat allows at most 50"
    );
    assert!(notifier.outbox().unwrap().messages().is_empty());
}

#[tokio::test]
async fn a_templated_lozenge_that_is_not_one_is_a_typed_error() {
    let notifier = memory_notifier();
    let event = DeployFailed {
        tests_lozenge: "lozenge-sucess",
        ..deploy_failed()
    };
    let error = event.notify().via(&notifier).await.unwrap_err();
    match &error {
        Error::Validation(ValidationError::CardValue { field, unknown }) => {
            assert_eq!(field, "card.attributes[2].value.style");
            assert_eq!(unknown.kind, "lozenge");
            assert_eq!(unknown.suggestion(), Some("lozenge-success"));
        }
        other => panic!("expected an unknown lozenge, got {other:?}"),
    }
    assert!(notifier.outbox().unwrap().messages().is_empty());
}

/// `attach_to` from a field: text, or an `Option` of text.
#[hipchat(room = "Ops", message = "Rollback of {{ service }} started")]
struct RollbackStarted {
    service: &'static str,
    #[hipchat(attach_to)]
    deploy_message: Option<String>,
}

#[test]
fn an_attach_to_field_sets_attach_to_only_when_present() {
    let attached = RollbackStarted {
        service: "billing",
        deploy_message: Some("4f6c2a5e-3b0e-4c1b-9f0a-0d2b6f6c2a5e".into()),
    };
    assert_eq!(
        attached.render().unwrap().attach_to.as_deref(),
        Some("4f6c2a5e-3b0e-4c1b-9f0a-0d2b6f6c2a5e")
    );
    let alone = RollbackStarted {
        service: "billing",
        deploy_message: None,
    };
    assert_eq!(alone.render().unwrap().attach_to, None);
}

#[tokio::test]
async fn declared_cards_reach_the_server_as_declared() {
    let server = DevServer::start().await.unwrap();
    let notifier = Notifier::from_settings(
        Settings::new()
            .backend(BackendKind::Http)
            .api_url(server.url())
            .auth_token("token"),
    )
    .unwrap();
    let event = deploy_failed();
    let card = event.render().unwrap().card.unwrap();
    event.notify().via(&notifier).await.unwrap();
    RollbackStarted {
        service: "billing",
        deploy_message: Some("4f6c2a5e".into()),
    }
    .notify()
    .via(&notifier)
    .await
    .unwrap();
    let recorded = server.messages("Ops");
    assert_eq!(recorded.len(), 2);
    assert_eq!(recorded[0].message, "Deploy of billing 1.4.2 failed");
    assert_eq!(recorded[0].card, Some(serde_json::to_value(&card).unwrap()));
    assert_eq!(recorded[1].attach_to.as_deref(), Some("4f6c2a5e"));
    assert_eq!(recorded[1].card, None);
    server.stop().await.unwrap();
}

/// Required parts that render blank, and optional nested parts that do.
#[hipchat(
    room = "Ops",
    message = "Build {{ number }}",
    card(
        style = "image",
        title = "{{ title }}",
        icon(url = "https://ci.example.com/i.png", url_2x = "{{ hidpi }}"),
        activity(html = "{{ activity }}", icon = "https://ci.example.com/a.png"),
        attribute(value = "{{ value }}", style = "{{ lozenge }}"),
    )
)]
struct Sparse {
    number: u32,
    title: &'static str,
    hidpi: &'static str,
    activity: &'static str,
    value: &'static str,
    lozenge: &'static str,
}

#[test]
fn blank_optional_parts_are_left_out_and_blank_required_ones_are_errors() {
    let sparse = Sparse {
        number: 7,
        title: "Build 7",
        hidpi: "",
        activity: " ",
        value: "green",
        lozenge: "",
    };
    let card = sparse.render().unwrap().card.unwrap();
    assert_eq!(card.icon, Some(Icon::new("https://ci.example.com/i.png")));
    assert_eq!(card.activity, None);
    assert_eq!(card.attributes, vec![Attribute::new("green")]);
    assert_schema_accepts(&card);

    let untitled = Sparse {
        title: "",
        ..sparse
    };
    match untitled.render().unwrap().card.unwrap().validate() {
        Err(ValidationError::Card { field, .. }) => assert_eq!(field, "card.title"),
        other => panic!("expected card.title to be refused, got {other:?}"),
    }
    let no_value = Sparse {
        value: "",
        ..sparse
    };
    match no_value.render().unwrap().card.unwrap().validate() {
        Err(ValidationError::Card { field, .. }) => {
            assert_eq!(field, "card.attributes[0].value.label")
        }
        other => panic!("expected the attribute's value to be refused, got {other:?}"),
    }
}
