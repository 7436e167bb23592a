use hipchat::prelude::*;

#[hipchat(message = "Deploy failed")]
struct DeployFailed(#[hipchat(room)] String);

fn main() {
    let event = DeployFailed("Ops".into());
    let _ = event.render();
    let _ = event.notify();
}
