use hipchat::prelude::*;

#[hipchat(
    room = "Ops",
    message = "Failed checks:{% for c in checks %} {{ c.missing }}{% endfor %}"
)]
struct ChecksFailed {
    checks: Vec<Check>,
}

struct Check {
    name: String,
}

fn main() {
    let event = ChecksFailed {
        checks: vec![Check {
            name: "disk".into(),
        }],
    };
    let _ = &event.checks[0].name;
    let _ = event.render();
    let _ = event.notify();
}
