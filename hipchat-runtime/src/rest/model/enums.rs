//! The open enums of the REST API: each known wire value is a variant, and any other value is
//! kept in `Other` (written back unchanged), so a value HipChat added later never fails the
//! parse of an object or a page.
//!
//! All of them come from one macro, `open_enum!`: `as_str`, `Display`, `From<&str>`,
//! `From<String>`, an infallible `FromStr`, and serde by wire name. Build values from text with
//! `From`/`parse` rather than by writing `Other("public")` by hand: that would serialize as
//! `public` and read back as the known variant.

/// Defines an open enum: the listed values, each with its wire spelling (the first is
/// the one written; any further ones, after `|`, are accepted when reading), and
/// `Other(String)` for anything else. Generates `KNOWN`, `as_str`, `is_known`,
/// `Display`, `From<&str>`, `From<String>`, an infallible `FromStr`, and serde by wire
/// name. Shared with hipchat-connect's descriptor (as `hipchat_runtime::__open_enum`).
#[doc(hidden)]
#[macro_export]
macro_rules! __open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this crate does not know, kept exactly as sent.
            Other(String),
        }

        impl $name {
            /// Every known value, in the spec's order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The wire value (for `Other`, the text as sent).
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Other(value) => value,
                }
            }

            /// Whether this is one of the values the spec lists (not `Other`).
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $wire $(| $alias)* => $name::$variant, )+
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match $name::from(value.as_str()) {
                    $name::Other(_) => $name::Other(value),
                    known => known,
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            /// Never fails: an unknown value becomes `Other`.
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok($name::from(value))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <String as ::serde::Deserialize>::deserialize(deserializer).map($name::from)
            }
        }
    };
}
use crate::__open_enum as open_enum;

open_enum! {
    /// A room's `privacy`.
    pub enum Privacy {
        /// `public`: anyone in the group can join.
        Public = "public",
        /// `private`: members only.
        Private = "private",
    }
}

open_enum! {
    /// A member's role in a private room (`room_roles`).
    pub enum RoomRole {
        /// `room_member`.
        Member = "room_member",
        /// `room_admin`.
        Admin = "room_admin",
    }
}

open_enum! {
    /// The `type` of a history item.
    pub enum HistoryItemType {
        /// `message`: a user's message (`from` is a user reference).
        Message = "message",
        /// `notification`: sent by an integration (`from` is a string).
        Notification = "notification",
        /// `topic`: a topic change.
        Topic = "topic",
        /// `guest_access`: guest access turned on or off.
        GuestAccess = "guest_access",
    }
}

open_enum! {
    /// The room event a webhook listens to (spec §6).
    pub enum WebhookEvent {
        /// `room_archived`.
        RoomArchived = "room_archived",
        /// `room_created`.
        RoomCreated = "room_created",
        /// `room_deleted`.
        RoomDeleted = "room_deleted",
        /// `room_enter`.
        RoomEnter = "room_enter",
        /// `room_exit`.
        RoomExit = "room_exit",
        /// `room_file_upload`.
        RoomFileUpload = "room_file_upload",
        /// `room_message` (`pattern` applies).
        RoomMessage = "room_message",
        /// `room_notification`.
        RoomNotification = "room_notification",
        /// `room_topic_change`.
        RoomTopicChange = "room_topic_change",
        /// `room_unarchived`.
        RoomUnarchived = "room_unarchived",
    }
}

open_enum! {
    /// Which emoticons `GET /v2/emoticon` lists (`type`).
    pub enum EmoticonType {
        /// `global`: HipChat's own.
        Global = "global",
        /// `group`: the group's custom ones.
        Group = "group",
        /// `all`: both (the default).
        All = "all",
    }
}

open_enum! {
    /// A user's presence `show`.
    pub enum PresenceShow {
        /// `away`.
        Away = "away",
        /// `chat`: available.
        Chat = "chat",
        /// `dnd`: do not disturb.
        Dnd = "dnd",
        /// `xa`: extended away.
        Xa = "xa",
    }
}

open_enum! {
    /// How HipChat authenticates the requests of an add-on webhook.
    pub enum WebhookAuthentication {
        /// `jwt`: a signed JWT.
        Jwt = "jwt",
        /// `none` (the default).
        None = "none",
    }
}

open_enum! {
    /// The `message_format` of a received notification.
    pub enum MessageFormat {
        /// `html`.
        Html = "html",
        /// `text`.
        Text = "text",
    }
}

open_enum! {
    /// The `color` of a received notification.
    ///
    /// Open, unlike [`hipchat_spec::Color`] (which is what we *send* and so must be closed):
    /// a received item must never fail to parse because HipChat stored or added a color we do
    /// not know, and one unknown color would otherwise lose a whole history page.
    /// [`MessageColor::to_color`] converts the known ones.
    pub enum MessageColor {
        /// `yellow`.
        Yellow = "yellow",
        /// `green`.
        Green = "green",
        /// `red`.
        Red = "red",
        /// `purple`.
        Purple = "purple",
        /// `gray`.
        Gray = "gray",
        /// `random` (a request value; not expected in history, kept for symmetry).
        Random = "random",
    }
}

impl MessageColor {
    /// The closed [`hipchat_spec::Color`] for a known value; `None` for `Other`.
    pub fn to_color(&self) -> Option<hipchat_spec::Color> {
        self.as_str().parse().ok()
    }
}

impl From<hipchat_spec::Color> for MessageColor {
    fn from(color: hipchat_spec::Color) -> Self {
        MessageColor::from(color.as_str())
    }
}

open_enum! {
    /// The `type` of a link preview in a message's `message_links`.
    pub enum MessageLinkType {
        /// `image` (recorded).
        Image = "image",
        /// `link`: a page preview.
        Link = "link",
        /// `video`.
        Video = "video",
        /// `twitter_status`: a tweet.
        TwitterStatus = "twitter_status",
        /// `twitter_user`: a Twitter profile.
        TwitterUser = "twitter_user",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_unknown_values_round_trip() {
        assert_eq!(
            serde_json::from_str::<Privacy>("\"private\"").unwrap(),
            Privacy::Private
        );
        let secret: Privacy = serde_json::from_str("\"secret\"").unwrap();
        assert_eq!(secret, Privacy::Other("secret".into()));
        assert!(!secret.is_known());
        assert_eq!(serde_json::to_string(&secret).unwrap(), "\"secret\"");
        for event in WebhookEvent::KNOWN {
            let text = serde_json::to_string(event).unwrap();
            assert_eq!(&serde_json::from_str::<WebhookEvent>(&text).unwrap(), event);
        }
        assert_eq!(WebhookEvent::KNOWN.len(), 10);
        assert_eq!(
            "guest_access".parse::<HistoryItemType>(),
            Ok(HistoryItemType::GuestAccess)
        );
        assert_eq!(
            WebhookAuthentication::from("none"),
            WebhookAuthentication::None
        );
        assert_eq!(RoomRole::Admin.to_string(), "room_admin");
    }

    #[test]
    fn colors_convert_to_the_closed_enum() {
        assert_eq!(
            MessageColor::from("gray").to_color(),
            Some(hipchat_spec::Color::Gray)
        );
        assert_eq!(MessageColor::from("grey").to_color(), None);
        assert_eq!(
            MessageColor::from(hipchat_spec::Color::Red),
            MessageColor::Red
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_reads_and_writes_back_unchanged(text in ".{0,20}") {
            let json = serde_json::to_string(&text).unwrap();
            let event: WebhookEvent = serde_json::from_str(&json).unwrap();
            proptest::prop_assert_eq!(event.as_str(), text.as_str());
            proptest::prop_assert_eq!(serde_json::to_string(&event).unwrap(), json);
            let privacy: Privacy = serde_json::from_str(&serde_json::to_string(&text).unwrap()).unwrap();
            proptest::prop_assert_eq!(privacy.is_known(), text == "public" || text == "private");
        }
    }
}
