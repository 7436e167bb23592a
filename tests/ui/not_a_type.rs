use hipchat::prelude::*;

#[hipchat(room = "Ops", message = "Deploy failed")]
fn deploy_failed() {}

fn main() {
    deploy_failed();
}
