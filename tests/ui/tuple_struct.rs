use hipchat::prelude::*;

#[hipchat(room = "Ops", message = "Deploy of {{ 0 }} failed")]
struct DeployFailed(String);

fn main() {
    let event = DeployFailed("billing".into());
    let _ = event.render();
    let _ = event.notify();
}
