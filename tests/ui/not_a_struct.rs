use hipchat::prelude::*;

#[hipchat(room = "Ops", message = "Deploy failed")]
enum DeployFailed {
    Billing,
    Search,
}

fn main() {
    let _ = DeployFailed::Search;
    let event = DeployFailed::Billing;
    let _ = event.render();
    let _ = event.notify();
}
