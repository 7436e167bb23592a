use hipchat::prelude::*;

#[hipchat(
    room = "Ops",
    message = "Deploy of {{ service }} failed",
    card(style = "aplication", title = "Deploy of {{ service }}")
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
