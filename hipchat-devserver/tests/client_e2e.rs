//! End to end through the real client (`hipchat::Notifier` with the http backend).

mod common;

use common::notifier;
use hipchat::{BackendKind, Color, Error, Format, Message, Notifier, Settings};
use hipchat_devserver::{Config, DevServer, FaultConfig, RateLimitConfig};

#[tokio::test]
async fn the_client_delivers_and_the_devserver_records_it() {
    let server = DevServer::start().await.expect("starts");
    let notifier = Notifier::from_settings(
        Settings::new()
            .backend(BackendKind::Http)
            .api_url(server.url())
            .auth_token("dev"),
    )
    .expect("notifier builds");
    notifier
        .send(
            Message::new("Deploy of <b>billing</b> failed")
                .room("Ops")
                .color(Color::Red)
                .notify(true)
                .from("deploy-bot"),
        )
        .await
        .expect("delivered");
    notifier
        .send(
            Message::new("@alice look")
                .room("Ops+Alerts / EU")
                .format(Format::Text),
        )
        .await
        .expect("delivered");
    notifier
        .send(Message::new("by id").room("12345"))
        .await
        .expect("delivered");

    let ops = server.messages("Ops");
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].message, "Deploy of <b>billing</b> failed");
    assert_eq!(ops[0].color, "red");
    assert!(ops[0].notify);
    assert_eq!(ops[0].from.as_deref(), Some("deploy-bot"));
    assert_eq!(ops[0].message_format, "html");
    let eu = server.messages("Ops+Alerts / EU");
    assert_eq!(
        eu.len(),
        1,
        "the client encodes the room as one path segment"
    );
    assert_eq!(eu[0].message_format, "text");
    assert_eq!(server.messages("12345")[0].room_id, Some(12345));
    server.stop().await.expect("stops");
}

#[tokio::test]
async fn the_client_maps_devserver_errors_to_its_variants() {
    let config = Config::from_toml(
        "strict = true\n[[tokens]]\ntoken = \"good\"\n[[rooms]]\nid = 1\nname = \"Ops\"",
    )
    .expect("parses");
    let server = DevServer::builder()
        .config(config)
        .rate_limits(RateLimitConfig {
            flood_limit: 1,
            ..RateLimitConfig::default()
        })
        .start()
        .await
        .expect("starts");
    let error = notifier(&server, "bad")
        .send(Message::new("m").room("Ops"))
        .await
        .expect_err("401");
    assert!(
        matches!(&error, Error::Unauthorized(api) if api.message == "Invalid OAuth session"),
        "{error:?}"
    );
    let good = notifier(&server, "good");
    let error = good
        .send(Message::new("m").room("Nowhere"))
        .await
        .expect_err("404");
    assert!(
        matches!(&error, Error::RoomNotFound { room, .. } if room == "Nowhere"),
        "{error:?}"
    );
    good.send(Message::new("m").room("Ops"))
        .await
        .expect("delivered");
    let error = good
        .send(Message::new("m").room("Ops"))
        .await
        .expect_err("429");
    match &error {
        Error::RateLimited { api, .. } => {
            assert_eq!(api.status, 429);
            assert_eq!(api.rate_limit.flood_remaining, Some(0));
            assert_eq!(api.rate_limit.flood_limit, Some(1));
            assert!(api.rate_limit.remaining.is_some());
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    server
        .set_faults(FaultConfig {
            error_503_rate: 1.0,
            ..FaultConfig::default()
        })
        .expect("valid");
    let error = good
        .send(Message::new("m").room("Ops"))
        .await
        .expect_err("503");
    assert!(
        matches!(&error, Error::Server(api) if api.status == 503),
        "{error:?}"
    );
    server
        .set_faults(FaultConfig {
            reset_rate: 1.0,
            ..FaultConfig::default()
        })
        .expect("valid");
    let error = good
        .send(Message::new("m").room("Ops"))
        .await
        .expect_err("reset");
    assert!(matches!(&error, Error::Transport { .. }), "{error:?}");
    assert_eq!(server.messages("Ops").len(), 1);
}
