use hipchat::prelude::*;

#[hipchat(
    room = "Ops",
    message = "Deploy of {{ deploy.service }} to {{ deploy.nope }} failed"
)]
struct DeployFailed {
    deploy: Deploy,
}

struct Deploy {
    service: String,
    env: String,
}

fn main() {
    let event = DeployFailed {
        deploy: Deploy {
            service: "billing".into(),
            env: "prod".into(),
        },
    };
    let _ = event.deploy.env;
    let _ = event.render();
    let _ = event.notify();
}
