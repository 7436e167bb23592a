use hipchat::prelude::*;

#[hipchat(room = "Ops", message = "Deploy of {{ service }} failed")]
struct DeployFailed {
    service: String,
    #[hipchat(color)]
    severity: String,
}

fn main() {
    let event = DeployFailed {
        service: "billing".into(),
        severity: "red".into(),
    };
    let _ = event.render();
    let _ = event.notify();
}
