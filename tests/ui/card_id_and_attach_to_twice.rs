use hipchat::prelude::*;

#[hipchat(
    room = "Ops",
    message = "Deploy of {{ service }} failed",
    card(style = "application", title = "Deploy")
)]
struct DeployFailed {
    #[hipchat(card_id)]
    service: String,
    #[hipchat(card_id)]
    deploy: String,
    #[hipchat(attach_to)]
    parent: String,
    #[hipchat(attach_to)]
    thread: String,
}

fn main() {
    let event = DeployFailed {
        service: "billing".into(),
        deploy: "1842".into(),
        parent: "a".into(),
        thread: "b".into(),
    };
    let _ = event.render();
    let _ = event.notify();
}
