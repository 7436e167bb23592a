use hipchat::prelude::*;

#[hipchat(room = "Ops", message = "{{ value }}")]
struct Event<T: std::fmt::Display> {
    value: T,
}

fn main() {
    let message = Event { value: 42 }.render().unwrap();
    assert_eq!(message.body, "42");
    let message = Event { value: "a < b" }.render().unwrap();
    assert_eq!(message.body, "a &#60; b");
}
