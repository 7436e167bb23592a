use hipchat::prelude::*;

#[hipchat(
    room = "Ops rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr",
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
        message.room.as_deref(),
        Some(
            "Ops rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr"
        )
    );
}
