//! Long messages, API v1, private messages and share links against hipchat-devserver:
//! what the server recorded is what HipChat would have shown.

use hipchat_devserver::{DevServer, Kind, RateLimitConfig};
use hipchat_runtime::backend::HttpBackend;
use hipchat_runtime::{
    ApiVersion, BackendKind, Color, Error, Format, LongMessage, Message, Notifier, Outgoing,
    Settings, ValidationError,
};

/// Distinctive, so a leak into an error message cannot be a coincidence.
const TOKEN: &str = "tok-V1-SECRET-987";

fn settings(url: &str) -> Settings {
    Settings::new()
        .backend(BackendKind::Http)
        .api_url(url)
        .auth_token(TOKEN)
        .room("Ops")
}

fn v2(url: &str) -> Notifier {
    Notifier::from_settings(settings(url)).unwrap()
}

fn v1(url: &str) -> Notifier {
    Notifier::from_settings(settings(url).api_version(ApiVersion::V1).from("deploy-bot")).unwrap()
}

fn assert_no_token(error: &Error) {
    let shown = format!("{error} | {error:?}");
    assert!(!shown.contains(TOKEN), "token leaked: {shown}");
}

#[tokio::test]
async fn split_parts_arrive_in_order_each_within_the_limit() {
    let server = DevServer::start().await.unwrap();
    let lines: Vec<String> = (0..1_500)
        .map(|i| format!("line {i:04} of the log"))
        .collect();
    let body = lines.join("\n"); // ~30,000 characters
    v2(server.url())
        .send(
            Message::new(body.clone())
                .format(Format::Text)
                .long_message(LongMessage::Split),
        )
        .await
        .unwrap();
    let recorded = server.messages("Ops");
    assert!(recorded.len() >= 3, "{}", recorded.len());
    for part in &recorded {
        assert!(part.message.chars().count() <= 10_000);
        // Cut at line breaks: every part is whole lines.
        assert!(part.message.starts_with("line ") && part.message.ends_with(" of the log"));
    }
    // In order, nothing lost: the parts joined by the dropped line breaks are the body.
    let joined: Vec<&str> = recorded.iter().map(|r| r.message.as_str()).collect();
    assert_eq!(joined.join("\n"), body);
    assert!(recorded.windows(2).all(|w| w[0].seq < w[1].seq));
    server.stop().await.unwrap();
}

#[tokio::test]
async fn truncate_and_error_policies_against_the_server() {
    let server = DevServer::start().await.unwrap();
    let notifier = v2(server.url());
    // At the bound: sent as is, whatever the policy.
    let at = "€".repeat(10_000);
    notifier
        .send(Message::new(at.clone()).long_message(LongMessage::Truncate))
        .await
        .unwrap();
    // Above: truncated to exactly 10,000 characters (30,000 bytes would be refused).
    let above = format!("{}<b>bold</b>", "€".repeat(9_997));
    notifier
        .send(Message::new(above).long_message(LongMessage::Truncate))
        .await
        .unwrap();
    // Default policy: an error, nothing sent.
    let error = notifier
        .send(Message::new("x".repeat(10_001)))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Validation(ValidationError::Limit(_))),
        "{error:?}"
    );
    let recorded = server.messages("Ops");
    assert_eq!(recorded.len(), 2);
    assert_eq!(recorded[0].message, at);
    assert_eq!(recorded[1].message, format!("{}…", "€".repeat(9_997)));
    server.stop().await.unwrap();
}

#[tokio::test]
async fn v1_sends_the_form_fields_with_notify_as_0_and_1() {
    let server = DevServer::start().await.unwrap();
    let notifier = v1(server.url());
    notifier
        .send(Message::new("<b>up</b>").color(Color::Green).notify(true))
        .await
        .unwrap();
    notifier
        .send(
            Message::new("@here down")
                .format(Format::Text)
                .room("Dev Team")
                .from("a b_c-15 chars!".replace('!', "x")),
        )
        .await
        .unwrap();
    let ops = server.messages("Ops");
    assert_eq!(ops.len(), 1);
    let up = &ops[0];
    assert_eq!(up.kind, Kind::V1);
    assert_eq!(
        (
            up.message.as_str(),
            up.message_format.as_str(),
            up.color.as_str(),
            up.notify
        ),
        ("<b>up</b>", "html", "green", true)
    );
    // v1 has no separate label: the server shows `from` as the sender.
    assert_eq!(up.sender, "deploy-bot");
    let dev = &server.messages("Dev Team")[0];
    assert_eq!(
        (
            dev.message.as_str(),
            dev.message_format.as_str(),
            dev.color.as_str(),
            dev.notify
        ),
        ("@here down", "text", "yellow", false)
    );
    assert_eq!(dev.sender, "a b_c-15 charsx");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn the_api_version_can_be_chosen_on_the_backend() {
    let server = DevServer::start().await.unwrap();
    // The settings say v2 (the default); the backend is told v1, then v2 again.
    let http = HttpBackend::from_settings(&settings(server.url())).unwrap();
    let v1 = Notifier::with_backend(
        settings(server.url()).from("deploy-bot"),
        http.clone().api_version(ApiVersion::V1),
    )
    .unwrap();
    v1.send(Message::new("by form")).await.unwrap();
    let v2 =
        Notifier::with_backend(settings(server.url()), http.api_version(ApiVersion::V2)).unwrap();
    v2.send(Message::new("by json")).await.unwrap();
    let kinds: Vec<Kind> = server.messages("Ops").iter().map(|m| m.kind).collect();
    assert_eq!(kinds, [Kind::V1, Kind::Notification]);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn v1_from_rule_is_checked_before_sending() {
    let server = DevServer::start().await.unwrap();
    let notifier = v1(server.url());
    notifier
        .send(Message::new("ok").from("f".repeat(15)))
        .await
        .unwrap();
    let cases = [
        (
            "f".repeat(16),
            "from \"ffffffffffffffff\" is 16 characters long; HipChat API v1 allows 1 to 15 letters, digits, '-', '_' and space",
        ),
        (
            "deploy.bot".into(),
            "from \"deploy.bot\" contains '.'; HipChat API v1 allows 1 to 15 letters, digits, '-', '_' and space",
        ),
        ("ci@example".into(), "from \"ci@example\" contains '@'"),
    ];
    for (from, expected) in cases {
        let error = notifier
            .send(Message::new("x").from(from))
            .await
            .unwrap_err();
        let Error::Validation(ValidationError::Charset(violation)) = &error else {
            panic!("expected a Charset validation error, got {error:?}")
        };
        assert_eq!(violation.rule.limit.field, "from");
        assert_eq!(violation.rule.limit.max, 15);
        assert!(error.to_string().contains(expected), "{error}");
    }
    // No sender at all.
    let no_from =
        Notifier::from_settings(settings(server.url()).api_version(ApiVersion::V1)).unwrap();
    let error = no_from.send(Message::new("x")).await.unwrap_err();
    assert!(
        matches!(error, Error::Validation(ValidationError::MissingFrom)),
        "{error:?}"
    );
    assert!(error.to_string().contains("HIPCHAT_FROM"), "{error}");
    // Private messages are v2 only.
    let error = notifier
        .send_to_user("@alice", Message::new("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Validation(ValidationError::Unsupported { .. })
        ),
        "{error:?}"
    );
    assert_eq!(server.messages("Ops").len(), 1);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn v1_403_is_rate_limited_and_errors_never_show_the_token() {
    let server = DevServer::start().await.unwrap();
    server.set_rate_limits(RateLimitConfig {
        v1_limit: 1,
        ..RateLimitConfig::default()
    });
    let notifier = v1(server.url());
    notifier.send(Message::new("first")).await.unwrap();
    let error = notifier.send(Message::new("second")).await.unwrap_err();
    let Error::RateLimited { api, reset } = &error else {
        panic!("expected RateLimited, got {error:?}")
    };
    assert_eq!(api.status, 403);
    assert!(reset.is_some(), "X-Ratelimit-Reset is read");
    assert!(
        error
            .to_string()
            .starts_with("rate limited by HipChat (403)"),
        "{error}"
    );
    assert_no_token(&error);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn v1_transport_errors_redact_the_token() {
    // A port nothing listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let error = v1(&url).send(Message::new("x")).await.unwrap_err();
    let Error::Transport { endpoint, .. } = &error else {
        panic!("expected Transport, got {error:?}")
    };
    assert_eq!(
        endpoint,
        &format!("{url}/v1/rooms/message?format=json&auth_token=<redacted>")
    );
    assert_no_token(&error);
    let mut source = std::error::Error::source(&error);
    while let Some(inner) = source {
        assert!(!format!("{inner} {inner:?}").contains(TOKEN));
        source = inner.source();
    }
}

#[tokio::test]
async fn v1_unauthorized_errors_never_show_the_token() {
    let server = DevServer::builder()
        .config(
            hipchat_devserver::Config::from_toml(
                "strict = true\n[[tokens]]\ntoken = \"the-only-good-token\"\nversion = 1\n",
            )
            .unwrap(),
        )
        .start()
        .await
        .unwrap();
    let error = v1(server.url()).send(Message::new("x")).await.unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
    assert_no_token(&error);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn private_messages_and_share_links_reach_their_endpoints() {
    let server = DevServer::start().await.unwrap();
    let notifier = v2(server.url());
    for user in ["12345", "alice@example.com", "@alice"] {
        notifier
            .send_to_user(
                user,
                Message::new(format!("hi {user}"))
                    .format(Format::Text)
                    .notify(true),
            )
            .await
            .unwrap();
        let recorded = server.private_messages(user);
        assert_eq!(recorded.len(), 1, "{user}");
        assert_eq!(recorded[0].kind, Kind::PrivateMessage);
        assert_eq!(recorded[0].message, format!("hi {user}"));
        assert_eq!(recorded[0].message_format, "text");
        assert!(recorded[0].notify);
    }
    notifier
        .send(Message::new("the failing build").share_link("https://ci.example.com/builds/1842"))
        .await
        .unwrap();
    let shared = &server.messages("Ops")[0];
    assert_eq!(shared.kind, Kind::ShareLink);
    assert_eq!(
        shared.link.as_deref(),
        Some("https://ci.example.com/builds/1842")
    );
    assert_eq!(shared.message, "the failing build");
    // Checked locally.
    let error = notifier
        .send(Message::new("x").share_link("not a url"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Validation(ValidationError::InvalidLink { .. })
        ),
        "{error:?}"
    );
    let error = notifier
        .send_to_user("", Message::new("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Validation(ValidationError::Limit(_))),
        "{error:?}"
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn memory_backend_keeps_users_and_links() {
    let notifier =
        Notifier::from_settings(Settings::new().backend(BackendKind::Memory).room("Ops")).unwrap();
    notifier
        .send_to_user("@bob", Message::new("psst"))
        .await
        .unwrap();
    notifier
        .send(Message::new("").share_link("https://example.com/"))
        .await
        .unwrap();
    let sent = notifier.outbox().unwrap().messages();
    let [Outgoing::User(private), Outgoing::Link(link)] = &sent[..] else {
        panic!("a private message, then a shared link: {sent:?}")
    };
    assert_eq!(
        private.user(),
        "@bob",
        "the default room is not a user message's"
    );
    assert_eq!((link.room(), link.link()), ("Ops", "https://example.com/"));
}
