use hipchat::prelude::*;

#[hipchat(
    room = "Ops",
    message = "Deploy of {{ service }} failed"
)]
struct DeployFailed {
    #[hipchat(card_id)]
    service: String,
}

fn main() {
    let event = DeployFailed {
        service: "billing".into(),
    };
    let _ = event.render();
    let _ = event.notify();
}
