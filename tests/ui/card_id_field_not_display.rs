use hipchat::prelude::*;

#[hipchat(
    room = "Ops",
    message = "Deploy of {{ service }} failed",
    card(style = "application", title = "Deploy")
)]
struct DeployFailed {
    service: String,
    #[hipchat(card_id)]
    id: Vec<u8>,
}

fn main() {
    let event = DeployFailed {
        service: "billing".into(),
        id: vec![1],
    };
    let _ = event.render();
    let _ = event.notify();
}
