//! `{{ name|mention }}`: an @mention from a field, in text notifications (HipChat makes
//! mentions only of text; an html template using it does not compile, see
//! `tests/ui/mention_in_html.rs`).

use hipchat::filters::InvalidMention;
use hipchat::prelude::*;
use hipchat::{BackendKind, Error, Format, Notifier, Settings};
use hipchat_devserver::DevServer;
use hipchat_devserver::web::render::text_with_mentions;

#[hipchat(
    room = "Ops",
    format = "text",
    message = "{{ owner|mention }} deploy of {{ service }} failed, cc {{ lead|mention }}"
)]
struct DeployFailed {
    owner: String,
    lead: &'static str,
    service: &'static str,
}

fn event(owner: &str) -> DeployFailed {
    DeployFailed {
        owner: owner.into(),
        lead: "@bob",
        service: "billing <eu>",
    }
}

#[test]
fn a_mention_is_the_name_after_one_at_sign_and_text_is_not_escaped() {
    let message = event("alice").render().unwrap();
    assert_eq!(
        message.body,
        "@alice deploy of billing <eu> failed, cc @bob"
    );
    assert_eq!(message.format, Format::Text);
}

#[test]
fn a_value_that_is_no_mention_name_fails_rendering_with_a_typed_error() {
    for (owner, reason) in [
        ("Alice Smith", "it holds whitespace"),
        ("", "it is empty"),
        ("@", "it is empty"),
        (
            "alice@example.com",
            "it holds `@` after the first character",
        ),
    ] {
        let error = event(owner).render().unwrap_err();
        let Error::Render {
            notification,
            source,
        } = &error
        else {
            panic!("expected a render error for {owner:?}, got {error:?}");
        };
        assert_eq!(*notification, "DeployFailed");
        let invalid = std::error::Error::source(source)
            .and_then(|inner| inner.downcast_ref::<InvalidMention>())
            .unwrap_or_else(|| panic!("no InvalidMention inside {source:?}"));
        assert_eq!((invalid.value.as_str(), invalid.reason), (owner, reason));
        assert!(
            error
                .to_string()
                .contains(&format!("cannot mention {owner:?}")),
            "{error}"
        );
    }
}

#[tokio::test]
async fn the_server_receives_a_text_message_whose_mentions_it_recognises() {
    let server = DevServer::start().await.unwrap();
    let notifier = Notifier::from_settings(
        Settings::new()
            .backend(BackendKind::Http)
            .api_url(server.url())
            .auth_token("token"),
    )
    .unwrap();
    event("alice").notify().via(&notifier).await.unwrap();
    let recorded = server.messages("Ops");
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].message_format, "text");
    assert_eq!(
        recorded[0].message,
        "@alice deploy of billing <eu> failed, cc @bob"
    );
    assert_eq!(
        text_with_mentions(&recorded[0].message),
        "<span class=\"mention\">@alice</span> deploy of billing &lt;eu&gt; failed, cc \
         <span class=\"mention\">@bob</span>"
    );
    server.stop().await.unwrap();
}
