//! The objects of the REST API v2, as HipChat sends them.
//!
//! Every response body has a type here (request bodies live with the client). The models are
//! lenient where the sources disagree (spec §1.1, §12):
//!
//! * unknown keys are ignored everywhere, and kept in [`HistoryItem::extra`] and
//!   [`Session::extra`];
//! * every enum is open: an unknown value is kept in its `Other` variant and written back
//!   unchanged, so a new value never fails the parse of a page;
//! * dates read RFC 3339 with or without a fraction and with or without an offset (none =
//!   UTC), and `last_active` also Unix seconds (string or integer) and `null`; they are
//!   [`jiff::Timestamp`]s and serialize as RFC 3339 in UTC ([`time`]);
//! * ids of created objects and webhooks read from integers or numeric strings;
//! * fields that some sources omit are `Option` or default to empty.
//!
//! Every model also serializes, so that reading, writing and reading again gives an equal
//! value. Secrets (a generated password, an access token) are [`Secret`]s: redacted in `Debug`.
//!
//! | endpoint | body |
//! |---|---|
//! | lists (rooms, auto-join) | [`Page`] of [`RoomRef`] |
//! | get_room / get_room_statistics | [`Room`] / [`RoomStatistics`] |
//! | create_* (201) | [`Created`]; create_user: [`CreatedUser`] |
//! | get_all_members / get_all_participants | [`Page`] of [`Member`] / [`Page`] of [`UserRef`] |
//! | view_*_history, latest | [`Page`] of [`HistoryItem`] |
//! | get_room_message, get_privatechat_message | [`MessageEnvelope`] |
//! | `GET /v2/file/{id}` | [`FileUrl`] |
//! | get_all_webhooks / get_webhook | [`Page`] of [`Webhook`] / [`Webhook`] |
//! | get_all_users / view_user | [`Page`] of [`UserRef`] / [`User`] |
//! | get_all_emoticons / get_emoticon | [`Page`] of [`Emoticon`] / [`Emoticon`] |
//! | view_group / group_statistics | [`Group`] / [`GroupStatistics`] |
//! | get_session / `POST /v2/oauth/token` / `auth_test=true` | [`Session`] / [`TokenResponse`] / [`AuthTest`] |

mod common;
#[doc(hidden)]
pub mod de;
mod emoticon;
mod enums;
mod group;
mod history;
mod page;
mod room;
mod session;
pub mod time;
mod user;
mod webhook;

pub use common::{Created, CreatedUser, Links, Secret, UserRef};
pub use emoticon::Emoticon;
pub use enums::{
    EmoticonType, HistoryItemType, MessageColor, MessageFormat, MessageLinkType, PresenceShow,
    Privacy, RoomRole, WebhookAuthentication, WebhookEvent,
};
pub use group::{Group, GroupPlan, GroupStatistics};
pub use history::{
    AuthenticatedFile, CardError, FileAttachment, FileUrl, HistoryItem, ImageLink, MessageEnvelope,
    MessageLink, NotificationSender, Sender,
};
pub use page::{Page, PageLinks};
pub use room::{Member, Room, RoomRef, RoomStatistics, RoomStatisticsLink};
pub use session::{AuthTest, AuthTestSuccess, Session, SessionClient, SessionRoom, TokenResponse};
pub use user::{GroupRef, Presence, PresenceClient, User};
pub use webhook::Webhook;
