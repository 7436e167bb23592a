use hipchat::prelude::*;

#[hipchat(template = "ui_django_port.hipchat")]
struct DeployFailed {
    service: String,
}

fn main() {
    let message = DeployFailed {
        service: "<billing>".into(),
    }
    .render()
    .unwrap();
    assert_eq!(message.body, "Deploy of <b>&#60;billing&#62;</b> failed");
    assert_eq!(message.room.as_deref(), Some("Ops"));
    assert_eq!(message.from.as_deref(), Some("Deploy Bot"));
    assert_eq!(message.color, hipchat::Color::Red);
}
