use hipchat::prelude::*;

#[hipchat(
    room = "Ops",
    message = "Deploy of {{ service }} failed"
)]
struct DeployFailed {
    service: String,
    #[hipchat(attach_to)]
    parent: u64,
}

fn main() {
    let event = DeployFailed {
        service: "billing".into(),
        parent: 7,
    };
    let _ = event.render();
    let _ = event.notify();
}
