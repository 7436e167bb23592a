//! What `#[hipchat]` generates, observed through `.render()` and a memory notifier.

use std::fmt;

use hipchat::prelude::*;
use hipchat::{BackendKind, Color, Error, Format, Notifier, Outgoing, Settings, ValidationError};

fn memory_notifier(settings: Settings) -> Notifier {
    Notifier::from_settings(settings.backend(BackendKind::Memory)).unwrap()
}

#[hipchat(color = "red", template = "deploy_failed.hipchat")]
struct DeployFailed {
    service: String,
    version: String,
    url: String,
}

fn deploy_failed() -> DeployFailed {
    DeployFailed {
        service: "billing".into(),
        version: "1.4.2".into(),
        url: "https://ci.example.com/builds/42?tab=log&line=7".into(),
    }
}

#[test]
fn ported_django_template_renders_its_message_block_with_values_escaped() {
    let message = deploy_failed().render().unwrap();
    assert_eq!(
        message.body,
        "Deploy of <b>billing</b> 1.4.2 failed: https://ci.example.com/builds/42?tab=log&#38;line=7"
    );
    // The static room_id block overrides; the empty color block leaves the attribute's red.
    assert_eq!(message.room.as_deref(), Some("Ops"));
    assert_eq!(message.color, Color::Red);
    assert_eq!(message.format, Format::Html);
    assert!(!message.notify);
    assert_eq!((message.from, message.token), (None, None));
}

#[hipchat(room = "Ops", message = "{{ who }} said {{ quote }}")]
struct Quote {
    who: String,
    quote: String,
}

#[test]
fn html_format_escapes_every_interpolated_value() {
    let message = Quote {
        who: "<script>alert(1)</script>".into(),
        quote: "\"fish\" & 'chips'".into(),
    }
    .render()
    .unwrap();
    assert_eq!(
        message.body,
        "&#60;script&#62;alert(1)&#60;/script&#62; said &#34;fish&#34; &#38; &#39;chips&#39;"
    );
}

#[hipchat(
    room = "Ops",
    format = "text",
    notify = true,
    message = "@{{ on_call }} <{{ alert }}> & more"
)]
struct Page {
    on_call: String,
    alert: String,
}

#[test]
fn text_format_sends_values_as_written() {
    let message = Page {
        on_call: "alice".into(),
        alert: "disk > 90%".into(),
    }
    .render()
    .unwrap();
    assert_eq!(message.body, "@alice <disk > 90%> & more");
    assert_eq!(message.format, Format::Text);
    assert!(message.notify);
}

#[hipchat(
    room = 12345,
    from = "ci",
    token = "deploys",
    message = "\n\n   {{ text }}  \n\t"
)]
struct Padded {
    text: &'static str,
}

#[test]
fn body_is_stripped_and_static_values_are_carried() {
    let message = Padded { text: "a\n  b" }.render().unwrap();
    assert_eq!(message.body, "a\n  b");
    assert_eq!(message.room.as_deref(), Some("12345"));
    assert_eq!(message.from.as_deref(), Some("ci"));
    assert_eq!(message.token.as_deref(), Some("deploys"));
}

struct Check {
    name: &'static str,
    passed: bool,
    owner: Owner,
}

struct Owner {
    team: &'static str,
}

#[hipchat(
    room = "CI",
    message = "{% for check in checks %}{{ check.name }} ({{ check.owner.team }}): {% if check.passed %}ok{% else %}FAILED{% endif %}{% if !loop.last %}, {% endif %}{% endfor %}"
)]
struct Checks {
    checks: Vec<Check>,
}

#[test]
fn loops_conditions_and_nested_paths() {
    let message = Checks {
        checks: vec![
            Check {
                name: "unit",
                passed: true,
                owner: Owner { team: "core" },
            },
            Check {
                name: "e2e",
                passed: false,
                owner: Owner { team: "web" },
            },
        ],
    }
    .render()
    .unwrap();
    assert_eq!(message.body, "unit (core): ok, e2e (web): FAILED");
}

#[hipchat(template = "release.hipchat", room = "Releases", color = "green")]
struct Released {
    service: String,
    version: String,
    links: Vec<Link>,
}

struct Link {
    title: String,
    url: String,
}

#[test]
fn extends_and_include_work_in_template_files() {
    let message = Released {
        service: "api".into(),
        version: "2.0".into(),
        links: vec![
            Link {
                title: "notes".into(),
                url: "https://x/notes".into(),
            },
            Link {
                title: "diff & log".into(),
                url: "https://x/diff".into(),
            },
        ],
    }
    .render()
    .unwrap();
    assert_eq!(
        message.body,
        "<b>api</b>: released 2.0 · <a href=\"https://x/notes\">notes</a> · <a href=\"https://x/diff\">diff &#38; log</a>"
    );
}

#[hipchat(message = "{{ summary }}")]
struct Routed {
    summary: String,
    #[hipchat(room)]
    room_id: u64,
    #[hipchat(color)]
    severity: Color,
    #[hipchat(from)]
    reporter: String,
}

#[test]
fn fields_supply_room_color_and_sender_at_run_time() {
    let message = Routed {
        summary: "disk full".into(),
        room_id: 4242,
        severity: Color::Purple,
        reporter: "monitor".into(),
    }
    .render()
    .unwrap();
    assert_eq!(message.room.as_deref(), Some("4242"));
    assert_eq!(message.color, Color::Purple);
    assert_eq!(message.from.as_deref(), Some("monitor"));
}

#[hipchat(template = "incident.hipchat", color = "yellow")]
struct Incident {
    summary: String,
    team: String,
    severity: String,
    reporter: String,
}

fn incident(severity: &str) -> Incident {
    Incident {
        summary: "Checkout latency above 2 s for 10 minutes in eu-west-1".into(),
        team: "payments".into(),
        severity: severity.into(),
        reporter: "pagerbot".into(),
    }
}

#[test]
fn interpolated_blocks_are_rendered_and_checked_at_run_time() {
    let message = incident("red").render().unwrap();
    assert_eq!(message.body, "Checkout latency above 2 s for 10 minut…");
    assert_eq!(message.room.as_deref(), Some("payments-oncall"));
    assert_eq!(message.color, Color::Red);
    assert_eq!(message.from.as_deref(), Some("pagerbot"));

    // A blank block leaves the attribute's value.
    assert_eq!(incident("  ").render().unwrap().color, Color::Yellow);

    let error = incident("grey").render().unwrap_err();
    assert!(
        matches!(error, Error::Validation(ValidationError::UnknownValue(_))),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("did you mean \"gray\""),
        "{error}"
    );
}

#[hipchat(
    room = "Ops",
    message = "{{ text|urlize }} | {{ text|truncatechars(9) }} | {{ lines|linebreaksbr }} | {{ name|upper }} {{ name|lower }} {{ name|title }} | {{ owner|default(\"nobody\", true) }}"
)]
struct Filtered {
    text: &'static str,
    lines: &'static str,
    name: &'static str,
    owner: &'static str,
}

#[hipchat(
    room = "Ops",
    message = "{{ owner|default(\"nobody\", true) }} / {{ missing|default(\"n/a\") }} / {% if owner is defined %}defined{% endif %}"
)]
struct Defaults {
    owner: &'static str,
}

#[test]
fn default_sees_the_fields_value() {
    let with_owner = Defaults { owner: "alice" }.render().unwrap();
    assert_eq!(with_owner.body, "alice / n/a / defined");
    let without = Defaults { owner: "" }.render().unwrap();
    assert_eq!(without.body, "nobody / n/a / defined");
}

#[test]
fn django_filters() {
    let message = Filtered {
        text: "see www.example.com & a@b.io",
        lines: "one\n<two>",
        name: "ops TEAM",
        owner: "",
    }
    .render()
    .unwrap();
    assert_eq!(
        message.body,
        "see <a href=\"http://www.example.com\" rel=\"nofollow\">www.example.com</a> &#38; \
         <a href=\"mailto:a@b.io\" rel=\"nofollow\">a@b.io</a> \
         | see www.… \
         | one<br/>&#60;two&#62; \
         | OPS TEAM ops team Ops Team \
         | nobody"
    );
}

struct Failing;

impl fmt::Display for Failing {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        Err(fmt::Error)
    }
}

#[hipchat(room = "Ops", message = "{{ value }}")]
struct Broken {
    value: Failing,
}

#[test]
fn a_failing_display_is_a_render_error_naming_the_notification() {
    let error = Broken { value: Failing }.render().unwrap_err();
    assert!(
        matches!(
            error,
            Error::Render {
                notification: "Broken",
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn notify_via_fills_defaults_and_delivers() {
    let notifier = memory_notifier(Settings::new().from("billing-service"));
    deploy_failed().notify().via(&notifier).await.unwrap();
    let sent = notifier.outbox().unwrap().messages();
    assert_eq!(sent.len(), 1);
    let Outgoing::Room(notification) = &sent[0] else {
        panic!("a room notification: {sent:?}")
    };
    assert_eq!(notification.room(), "Ops");
    assert_eq!(notification.from(), Some("billing-service"));
}

#[hipchat(message = "{{ text }}")]
struct Roomless {
    text: String,
}

#[tokio::test]
async fn bad_rendered_messages_are_typed_errors_and_send_nothing() {
    let notifier = memory_notifier(Settings::new());
    let no_room = Roomless { text: "hi".into() }
        .notify()
        .via(&notifier)
        .await
        .unwrap_err();
    assert!(
        matches!(no_room, Error::Validation(ValidationError::MissingRoom)),
        "{no_room:?}"
    );

    let with_room = memory_notifier(Settings::new().room("Ops"));
    let empty = Roomless {
        text: "  \n ".into(),
    }
    .notify()
    .via(&with_room)
    .await
    .unwrap_err();
    assert_eq!(
        empty.to_string(),
        "invalid notification: message is empty; HipChat requires at least 1 character"
    );

    let long = Roomless {
        text: "é".repeat(10_001),
    }
    .notify()
    .via(&with_room)
    .await
    .unwrap_err();
    assert_eq!(
        long.to_string(),
        "invalid notification: message is 10001 characters long; HipChat allows at most 10000"
    );
    assert!(notifier.outbox().unwrap().is_empty() && with_room.outbox().unwrap().is_empty());
}

#[tokio::test]
async fn fail_silently_covers_render_errors_too() {
    let notifier = memory_notifier(Settings::new().fail_silently(true));
    Broken { value: Failing }
        .notify()
        .via(&notifier)
        .await
        .unwrap();
    Roomless {
        text: "no room".into(),
    }
    .notify()
    .via(&notifier)
    .await
    .unwrap();
    assert!(notifier.outbox().unwrap().is_empty());
}

#[tokio::test]
async fn delivery_futures_can_be_spawned() {
    let notifier = memory_notifier(Settings::new());
    // The event is borrowed only while rendering: the future owns what it needs.
    let delivery = deploy_failed().notify().via(&notifier).into_future();
    tokio::spawn(delivery).await.unwrap().unwrap();
    assert_eq!(notifier.outbox().unwrap().len(), 1);
}
