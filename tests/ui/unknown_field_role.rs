use hipchat::prelude::*;

#[hipchat(message = "Deploy of {{ service }} failed")]
struct DeployFailed {
    service: String,
    #[hipchat(rom)]
    team: String,
}

fn main() {
    let event = DeployFailed {
        service: "billing".into(),
        team: "Ops".into(),
    };
    let _ = event.render();
    let _ = event.notify();
}
