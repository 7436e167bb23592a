use hipchat::prelude::*;

#[hipchat(message = "Deploy of {{ service }} failed")]
struct DeployFailed {
    service: String,
    #[hipchat(room)]
    team: u32,
    #[hipchat(color)]
    severity: hipchat::Color,
    #[hipchat(from)]
    bot: String,
}

fn main() {
    let message = DeployFailed {
        service: "billing".into(),
        team: 12345,
        severity: hipchat::Color::Gray,
        bot: "Deploy Bot".into(),
    }
    .render()
    .unwrap();
    assert_eq!(message.body, "Deploy of billing failed");
    assert_eq!(message.room.as_deref(), Some("12345"));
    assert_eq!(message.color, hipchat::Color::Gray);
    assert_eq!(message.from.as_deref(), Some("Deploy Bot"));
}
