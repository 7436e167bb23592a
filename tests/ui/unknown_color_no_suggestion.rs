use hipchat::prelude::*;

#[hipchat(
    room = "Ops",
    color = "blue",
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
