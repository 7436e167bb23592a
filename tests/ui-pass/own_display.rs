use hipchat::prelude::*;

#[hipchat(
    room = "Ops",
    color = "red",
    message = "Deploy of {{ service }} failed"
)]
struct DeployFailed {
    service: String,
}

// askama implements `Display` for what it derives on: that must not be this struct.
impl std::fmt::Display for DeployFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "deploy of {} failed", self.service)
    }
}

fn main() {
    let event = DeployFailed {
        service: "billing".into(),
    };
    assert_eq!(event.to_string(), "deploy of billing failed");
    let message = event.render().unwrap();
    assert_eq!(message.body, "Deploy of billing failed");
    assert_eq!(message.color, hipchat::Color::Red);
}
