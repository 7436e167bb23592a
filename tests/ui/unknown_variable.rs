use hipchat::prelude::*;

#[hipchat(room = "Ops", message = "Deploy of {{ servce }} {{ version }} failed")]
struct DeployFailed {
    service: String,
    version: String,
}

fn main() {
    let event = DeployFailed {
        service: "billing".into(),
        version: "1.4.2".into(),
    };
    let _ = event.render();
    let _ = event.notify();
}
