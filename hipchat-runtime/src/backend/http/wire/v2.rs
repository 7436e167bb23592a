//! API v2: the rules checked before sending. The requests themselves are the REST
//! client's (`Client::deliver` in `rest/endpoints/notifications.rs`).

use crate::Outgoing;
use crate::error::ValidationError;
use crate::rest::url::segment;

/// The v2 rules beyond HipChat's limits: the room or user must make a path segment
/// (checked again when the request is built; here so that a queue refuses it at once).
pub(super) fn check(outgoing: &Outgoing) -> Result<(), ValidationError> {
    match outgoing {
        Outgoing::Room(n) => segment("room", n.room()),
        Outgoing::User(m) => segment("user", m.user()),
        Outgoing::Link(l) => segment("room", l.room()),
    }
    .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Message;

    #[test]
    fn dot_segments_are_refused_before_sending() {
        for message in [
            Message::new("x").room(".."),
            Message::new("x").room("..").share_link("https://e.com/"),
        ] {
            let outgoing = Outgoing::try_from(message).unwrap();
            assert!(matches!(
                check(&outgoing),
                Err(ValidationError::UnroutableRoom(_))
            ));
        }
        let user = Outgoing::try_from(Message::new("x").to_user(".")).unwrap();
        assert!(matches!(
            check(&user),
            Err(ValidationError::UnroutableSegment { what: "user", .. })
        ));
        let fine = Outgoing::try_from(Message::new("x").room("...")).unwrap();
        assert_eq!(check(&fine), Ok(()));
    }
}
