//! HipChat's fixed vocabulary, as data.
//!
//! Colors, message formats, card styles and field limits are checked twice: at compile time by
//! `hipchat-macros` for values written in the `#[hipchat]` attribute, and at run time by
//! `hipchat-runtime` for rendered values. Both read them from this crate, so the two checks
//! can never disagree, and both report problems with the same wording.
//!
//! Values follow the HipChat v2 REST API (`POST /v2/room/{room}/notification`).

mod card;
mod color;
mod format;
mod limits;
mod suggest;
mod token_name;
mod unknown;
mod wire_enum;

pub use card::{CardFormat, CardStyle, Lozenge};
pub use color::Color;
pub use format::Format;
pub use limits::{
    ATTACH_TO, CARD_ACTIVITY_HTML, CARD_ATTRIBUTE_LABEL, CARD_ATTRIBUTE_VALUE_LABEL,
    CARD_ATTRIBUTE_VALUE_URL, CARD_ATTRIBUTES, CARD_DESCRIPTION, CARD_DESCRIPTION_VALUE,
    CARD_ICON_URL, CARD_ID, CARD_THUMBNAIL_URL, CARD_TITLE, CARD_URL, CharsetLimit,
    CharsetViolation, FROM, INVITE_REASON, Limit, LimitViolation, MAX_RESULTS, MESSAGE, ROOM,
    ROOM_MESSAGE, ROOM_NAME, SHARE_LINK_MESSAGE, TOPIC, USER, USER_NAME, Unit, V1_FROM,
};
pub use suggest::closest;
pub use token_name::{InvalidTokenName, check_token_name};
pub use unknown::UnknownValue;
