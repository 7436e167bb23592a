use hipchat::prelude::*;

#[hipchat(room = "Ops", message = "Deploy failed")]
struct DeployFailed;

fn main() {
    let _ = DeployFailed.render();
    let _ = DeployFailed.notify();
}
