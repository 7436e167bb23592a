use hipchat::prelude::*;

fn main() {
    #[hipchat(room = "Ops", message = "Deploy of {{ service }} failed")]
    struct DeployFailed {
        service: String,
    }

    let message = DeployFailed {
        service: "billing".into(),
    }
    .render()
    .unwrap();
    assert_eq!(message.body, "Deploy of billing failed");
    assert_eq!(message.room.as_deref(), Some("Ops"));
}
