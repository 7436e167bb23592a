use hipchat::prelude::*;

#[hipchat(room = "Ops", message = "Deploy failed")]
union DeployFailed {
    code: u32,
    id: f32,
}

fn main() {
    let event = DeployFailed { code: 1 };
    let _ = unsafe { event.id };
    let _ = event.render();
    let _ = event.notify();
}
