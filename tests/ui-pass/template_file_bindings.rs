use hipchat::prelude::*;

#[hipchat(room = "Ops", format = "text", template = "ui_macro_bindings.hipchat")]
struct Values {
    service: String,
    values: Vec<u32>,
}

fn main() {
    let event = Values {
        service: "billing".into(),
        values: vec![1, 2],
    };
    let message = event.render().unwrap();
    assert_eq!(message.body, "billing=1 billing=2");
}
