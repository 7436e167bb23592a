use hipchat::prelude::*;

#[hipchat(
    room = "Ops",
    from = "Deploy Bot xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    message = "Deploy of {{ service }} failed"
)]
struct DeployFailed {
    service: String,
}

fn main() {
    let message = DeployFailed {
        service: "billing".into(),
    }
    .render()
    .unwrap();
    assert_eq!(message.body, "Deploy of billing failed");
    assert_eq!(
        message.from.as_deref().map(|from| from.chars().count()),
        Some(64)
    );
}
