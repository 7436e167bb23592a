use hipchat::prelude::*;

#[hipchat(
    room = "Ops",
    message = "Deploy of {{ service }} failed",
    card(
        url = "https://ci.example.com",
        thumbnail(width = 320, height = 240),
        activity(icon = "https://ci.example.com/a.png"),
        attribute(label = "Status"),
    )
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
