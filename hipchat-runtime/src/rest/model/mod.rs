//! The objects of the REST API v2, as HipChat sends them.
//!
//! Every response body has a type here (request bodies live with the client). The models are
//! lenient where the sources disagree (spec §1.1, §12):
//!
//! * unknown keys are ignored;
//! * every enum is open: an unknown value is kept in its `Other` variant and written back
//!   unchanged, so a new value never fails the parse of a page;
//! * dates read RFC 3339 with or without a fraction and with or without an offset (none =
//!   UTC), and `last_active` also Unix seconds (string or integer) and `null`; they are
//!   [`jiff::Timestamp`]s and serialize as RFC 3339 in UTC ([`time`]);
//! * ids of created objects and webhooks read from integers or numeric strings;
//! * fields that some sources omit are `Option` or default to empty.
//!
//! Every model also serializes, so that reading, writing and reading again gives an equal
//! value. Secrets (a generated password) are [`Secret`]s: redacted in `Debug`.

mod common;
mod de;
mod enums;
mod page;
mod room;
pub mod time;
mod user;
mod webhook;

pub use common::{Created, CreatedUser, Links, Secret, UserRef};
pub use enums::{
    EmoticonType, HistoryItemType, MessageColor, MessageFormat, MessageLinkType, PresenceShow,
    Privacy, RoomRole, WebhookAuthentication, WebhookEvent,
};
pub use page::{Page, PageLinks};
pub use room::{Member, Room, RoomRef, RoomStatistics, RoomStatisticsLink};
pub use user::{GroupRef, Presence, PresenceClient, User};
pub use webhook::Webhook;
