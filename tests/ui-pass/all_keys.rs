use hipchat::prelude::*;

#[hipchat(
    room = "Ops",
    color = "green",
    from = "Deploy Bot",
    notify,
    format = "text",
    token = "deploys_2",
    message = "@here deploy of {{ service }} <done>"
)]
struct Deployed {
    service: String,
}

fn main() {
    let message = Deployed {
        service: "<billing>".into(),
    }
    .render()
    .unwrap();
    // format = "text": nothing is escaped.
    assert_eq!(message.body, "@here deploy of <billing> <done>");
    assert_eq!(message.room.as_deref(), Some("Ops"));
    assert_eq!(message.color, hipchat::Color::Green);
    assert_eq!(message.from.as_deref(), Some("Deploy Bot"));
    assert!(message.notify);
    assert_eq!(message.format, hipchat::Format::Text);
    assert_eq!(message.token.as_deref(), Some("deploys_2"));
}
