use hipchat::prelude::*;

#[hipchat(
    crate = "not a path",
    room = "Ops",
    message = "Deploy of {{ service }} failed"
)]
struct DeployFailed {
    service: String,
}

fn main() {
    let event = DeployFailed {
        service: "billing".into(),
    };
    let _ = event.render();
    let _ = event.notify();
}
