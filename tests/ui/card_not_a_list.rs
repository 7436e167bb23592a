use hipchat::prelude::*;

// One error: the card_id field is not also reported as "no card".
#[hipchat(
    room = "Ops",
    message = "Deploy of {{ service }} failed",
    card = "application"
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
