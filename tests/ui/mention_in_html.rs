use hipchat::prelude::*;

#[hipchat(
    room = "Ops",
    message = "{{ owner|mention }}: deploy of {{ service }} failed"
)]
struct DeployFailed {
    service: String,
    owner: String,
}

fn main() {
    let event = DeployFailed {
        service: "billing".into(),
        owner: "alice".into(),
    };
    let _ = event.render();
    let _ = event.notify();
}
