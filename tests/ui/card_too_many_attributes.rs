use hipchat::prelude::*;

#[hipchat(
    room = "Ops",
    message = "Deploy of {{ service }} failed",
    card(
        style = "application",
        title = "Deploy",
        attribute(value = "1"),
        attribute(value = "2"),
        attribute(value = "3"),
        attribute(value = "4"),
        attribute(value = "5"),
        attribute(value = "6"),
        attribute(value = "7"),
        attribute(value = "8"),
        attribute(value = "9"),
        attribute(value = "10"),
        attribute(value = "11"),
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
