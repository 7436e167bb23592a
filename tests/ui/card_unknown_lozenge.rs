use hipchat::prelude::*;

#[hipchat(
    room = "Ops",
    message = "Deploy of {{ service }} failed",
    card(
        style = "application",
        title = "Deploy",
        attribute(label = "Status", value = "failed", style = "error"),
        attribute(label = "Tests", value = "passed", style = "lozenge-sucess"),
        attribute(label = "Region", value = "eu", style = "lozenge-blue"),
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
