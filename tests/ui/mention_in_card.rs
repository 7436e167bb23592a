use hipchat::prelude::*;

#[hipchat(
    room = "Ops",
    format = "text",
    message = "{{ owner|mention }}: deploy of {{ service }} failed",
    card(style = "application", title = "Deploy for {{ owner|mention }}")
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
