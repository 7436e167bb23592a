use std::fmt;

/// A length limit of one field of a HipChat notification, counted in characters
/// (Unicode scalar values), as HipChat counted them, never in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// The field's name as users know it (`message`, `from`, `room`).
    pub field: &'static str,
    /// Fewest characters allowed.
    pub min: usize,
    /// Most characters allowed.
    pub max: usize,
}

/// What a [`Limit`] counted when it was broken: characters ([`Limit::check`]) or items
/// ([`Limit::check_count`], for `card.attributes`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Unit {
    /// Characters (Unicode scalar values) of a string.
    #[default]
    Characters,
    /// Items of a list.
    Items,
}

impl Unit {
    fn plural(self) -> &'static str {
        match self {
            Unit::Characters => "characters",
            Unit::Items => "items",
        }
    }

    fn singular(self) -> &'static str {
        match self {
            Unit::Characters => "character",
            Unit::Items => "item",
        }
    }
}

/// A string limit of `field`, `min` to `max` characters.
const fn chars(field: &'static str, min: usize, max: usize) -> Limit {
    Limit { field, min, max }
}

/// `message`: 1 to 10,000 characters.
pub const MESSAGE: Limit = chars("message", 1, 10_000);

/// `from`, the label shown beside the sender in API v2: at most 64 characters.
pub const FROM: Limit = chars("from", 0, 64);

/// `from` in API v1 (`POST /v1/rooms/message`): required, at most 15 characters, and
/// only letters, digits, `-`, `_` and space (spec §7). Unlike [`FROM`], a v1 server
/// refuses the whole message when the sender breaks it.
pub const V1_FROM: CharsetLimit = CharsetLimit {
    limit: chars("from", 1, 15),
    api: "HipChat API v1",
    allowed: "letters, digits, '-', '_' and space",
    extra: &['-', '_', ' '],
};

/// The `message` of share_link_with_room (`POST /v2/room/{room}/share/link`, spec §9):
/// optional, at most 1,000 characters (as send_message; unrecorded for share links).
pub const SHARE_LINK_MESSAGE: Limit = chars("message", 0, 1_000);

/// The user of private_message_user (`POST /v2/user/{user}/message`): an id, an email or
/// an `@mention` name, never empty. Emails are at most 254 characters (RFC 5321).
pub const USER: Limit = chars("user", 1, 254);

/// A room id or name in the request path: 1 to 100 characters.
pub const ROOM: Limit = chars("room", 1, 100);

/// `attach_to`, the id of a message to show this one under: at most 36 characters.
pub const ATTACH_TO: Limit = chars("attach_to", 0, 36);

/// The `message` of send_message (`POST /v2/room/{room}/message`, base §9): 1 to 1,000
/// characters.
pub const ROOM_MESSAGE: Limit = chars("message", 1, 1_000);

/// A room's `name` on create_room and update_room (REST v2 §4): 1 to 50 characters.
pub const ROOM_NAME: Limit = chars("name", 1, 50);

/// A room's `topic` (set_topic, update_room; REST v2 §4, §12): at most 250 characters.
pub const TOPIC: Limit = chars("topic", 0, 250);

/// A user's `name` on create_user and update_user (REST v2 §7): 1 to 50 characters.
pub const USER_NAME: Limit = chars("name", 1, 50);

/// The `reason` of invite_user (REST v2 §5.1): 1 to 250 characters.
pub const INVITE_REASON: Limit = chars("reason", 1, 250);

/// `max-results`, the page size of a list (REST v2 §2): 0 to 1,000 items (checked with
/// [`Limit::check_count`]).
pub const MAX_RESULTS: Limit = chars("max-results", 0, 1_000);

/// No upper bound: the schema gives none.
const UNBOUNDED: usize = usize::MAX;

/// `card.id` (spec §6): at least 1 character; lets HipChat spot repeats of one card.
pub const CARD_ID: Limit = chars("card.id", 1, UNBOUNDED);

/// `card.title`: 1 to 500 characters.
pub const CARD_TITLE: Limit = chars("card.title", 1, 500);

/// `card.description` given as a string: 0 to 500 characters.
pub const CARD_DESCRIPTION: Limit = chars("card.description", 0, 500);

/// `card.description.value`, the description given as `{value, format}`: 1 to 1,000
/// characters.
pub const CARD_DESCRIPTION_VALUE: Limit = chars("card.description.value", 1, 1_000);

/// `card.url`, opened on click: at least 1 character.
pub const CARD_URL: Limit = chars("card.url", 1, UNBOUNDED);

/// `url` and `url@2x` of an icon (`card.icon`, `card.activity.icon`,
/// `card.attributes[].value.icon`): at least 1 character each.
pub const CARD_ICON_URL: Limit = chars("card.icon.url", 1, UNBOUNDED);

/// `card.thumbnail.url` and `card.thumbnail.url@2x`: 1 to 250 characters.
pub const CARD_THUMBNAIL_URL: Limit = chars("card.thumbnail.url", 1, 250);

/// `card.activity.html`: at least 1 character.
pub const CARD_ACTIVITY_HTML: Limit = chars("card.activity.html", 1, UNBOUNDED);

/// `card.attributes`, when given: 1 to 10 attributes (a count of items: check it with
/// [`Limit::check_count`]).
pub const CARD_ATTRIBUTES: Limit = chars("card.attributes", 1, 10);

/// `card.attributes[].label`, when given: 1 to 50 characters.
pub const CARD_ATTRIBUTE_LABEL: Limit = chars("card.attributes[].label", 1, 50);

/// `card.attributes[].value.label`: at least 1 character.
pub const CARD_ATTRIBUTE_VALUE_LABEL: Limit = chars("card.attributes[].value.label", 1, UNBOUNDED);

/// `card.attributes[].value.url`, when given: at least 1 character.
pub const CARD_ATTRIBUTE_VALUE_URL: Limit = chars("card.attributes[].value.url", 1, UNBOUNDED);

impl Limit {
    /// Checks a list of `count` items against this limit (`card.attributes`).
    ///
    /// ```
    /// let error = hipchat_spec::CARD_ATTRIBUTES.check_count(11).unwrap_err();
    /// assert_eq!(error.to_string(), "card.attributes has 11 items; HipChat allows at most 10");
    /// ```
    pub fn check_count(&self, count: usize) -> Result<(), LimitViolation> {
        if (self.min..=self.max).contains(&count) {
            Ok(())
        } else {
            Err(LimitViolation {
                limit: *self,
                actual: count,
                preview: format!("{count} items"),
                unit: Unit::Items,
            })
        }
    }

    /// Checks `value` against this limit.
    ///
    /// ```
    /// let error = hipchat_spec::FROM.check(&"x".repeat(65)).unwrap_err();
    /// assert_eq!(error.to_string(), "from is 65 characters long; HipChat allows at most 64");
    /// ```
    pub fn check(&self, value: &str) -> Result<(), LimitViolation> {
        let actual = value.chars().count();
        if (self.min..=self.max).contains(&actual) {
            Ok(())
        } else {
            Err(LimitViolation {
                limit: *self,
                actual,
                preview: preview(value),
                unit: Unit::Characters,
            })
        }
    }
}

/// A value outside its field's [`Limit`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LimitViolation {
    /// The limit that was broken; `limit.field` names the field.
    pub limit: Limit,
    /// The value's length in characters.
    pub actual: usize,
    /// The start of the value, enough to recognise it in a log.
    pub preview: String,
    /// What [`actual`](Self::actual) counts.
    pub unit: Unit,
}

impl LimitViolation {
    /// The message of this violation naming `field` instead of `limit.field`: the path of
    /// one value where the limit covers several (`card.attributes[2].label`).
    ///
    /// ```
    /// let violation = hipchat_spec::CARD_ATTRIBUTE_LABEL.check(&"x".repeat(51)).unwrap_err();
    /// assert_eq!(
    ///     violation.display_as("card.attributes[2].label").to_string(),
    ///     "card.attributes[2].label is 51 characters long; HipChat allows at most 50"
    /// );
    /// ```
    pub fn display_as<'a>(&'a self, field: &'a str) -> impl fmt::Display + 'a {
        DisplayAs {
            violation: self,
            field,
        }
    }
}

struct DisplayAs<'a> {
    violation: &'a LimitViolation,
    field: &'a str,
}

impl fmt::Display for DisplayAs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Limit { min, max, .. } = self.violation.limit;
        let unit = self.violation.unit;
        let (field, actual) = (self.field, self.violation.actual);
        let units = unit.plural();
        let long = match unit {
            Unit::Characters => format!("is {actual} {units} long"),
            Unit::Items => format!("has {actual} {units}"),
        };
        if actual == 0 {
            write!(
                f,
                "{field} is empty; HipChat requires at least {min} {}",
                if min > 1 { units } else { unit.singular() }
            )
        } else if actual < min {
            write!(f, "{field} {long}; HipChat requires at least {min}")
        } else {
            write!(f, "{field} {long}; HipChat allows at most {max}")
        }
    }
}

impl fmt::Display for LimitViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.display_as(self.limit.field), f)
    }
}

impl std::error::Error for LimitViolation {}

const PREVIEW_CHARS: usize = 40;

fn preview(value: &str) -> String {
    match value.char_indices().nth(PREVIEW_CHARS) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_owned(),
    }
}

/// A [`Limit`] whose characters are restricted too: letters and digits (any script, as
/// `char::is_alphanumeric`) plus a few others.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CharsetLimit {
    /// The length limit; `limit.field` names the field.
    pub limit: Limit,
    /// Which API has the rule (`"HipChat API v1"`), for messages.
    pub api: &'static str,
    /// The allowed characters, in words, for messages.
    pub allowed: &'static str,
    /// Characters allowed besides letters and digits.
    pub extra: &'static [char],
}

impl CharsetLimit {
    /// Checks `value`'s length, then its characters.
    ///
    /// ```
    /// use hipchat_spec::V1_FROM;
    /// assert!(V1_FROM.check("deploy-bot_2 eu").is_ok());
    /// assert_eq!(
    ///     V1_FROM.check("deploy.bot").unwrap_err().to_string(),
    ///     "from \"deploy.bot\" contains '.'; HipChat API v1 allows 1 to 15 letters, digits, '-', '_' and space"
    /// );
    /// ```
    pub fn check(&self, value: &str) -> Result<(), CharsetViolation> {
        let actual = value.chars().count();
        let found = value
            .chars()
            .find(|c| !(c.is_alphanumeric() || self.extra.contains(c)));
        let length_ok = (self.limit.min..=self.limit.max).contains(&actual);
        if length_ok && found.is_none() {
            return Ok(());
        }
        Err(CharsetViolation {
            rule: *self,
            value: value.to_owned(),
            actual,
            found: if length_ok { found } else { None },
        })
    }
}

/// A value outside its field's [`CharsetLimit`]: too short, too long, or with a character
/// the field does not allow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CharsetViolation {
    /// The rule that was broken; `rule.limit` holds field and bounds.
    pub rule: CharsetLimit,
    /// The value as given (a sender label, never a secret).
    pub value: String,
    /// The value's length in characters.
    pub actual: usize,
    /// The first character not allowed (`None`: the length is what is wrong).
    pub found: Option<char>,
}

impl fmt::Display for CharsetViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let CharsetLimit {
            limit: Limit { field, min, max },
            api,
            allowed,
            ..
        } = self.rule;
        let value = &self.value;
        match self.found {
            Some(c) => write!(f, "{field} {value:?} contains {c:?}")?,
            None if self.actual == 0 => write!(f, "{field} is empty")?,
            None => write!(f, "{field} {value:?} is {} characters long", self.actual)?,
        }
        write!(f, "; {api} allows {min} to {max} {allowed}")
    }
}

impl std::error::Error for CharsetViolation {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_inclusive_and_count_characters() {
        assert!(MESSAGE.check(&"é".repeat(10_000)).is_ok());
        let over = MESSAGE.check(&"é".repeat(10_001)).unwrap_err();
        assert_eq!(over.actual, 10_001);
        assert_eq!(over.preview.chars().count(), PREVIEW_CHARS + 1);
        assert!(FROM.check("").is_ok());
        assert!(ROOM.check(&"r".repeat(100)).is_ok());
        assert!(ROOM.check(&"r".repeat(101)).is_err());
    }

    #[test]
    fn v1_from_bounds_and_characters() {
        assert!(V1_FROM.check(&"a".repeat(15)).is_ok());
        assert!(V1_FROM.check("Équipe 1").is_ok());
        let long = V1_FROM.check(&"a".repeat(16)).unwrap_err();
        assert_eq!((long.actual, long.found), (16, None));
        assert_eq!(
            long.to_string(),
            format!(
                "from {:?} is 16 characters long; HipChat API v1 allows 1 to 15 letters, digits, '-', '_' and space",
                "a".repeat(16)
            )
        );
        assert_eq!(V1_FROM.check("a@b").unwrap_err().found, Some('@'));
        assert!(
            V1_FROM
                .check("")
                .unwrap_err()
                .to_string()
                .starts_with("from is empty")
        );
    }

    #[test]
    fn card_limits_at_below_and_above_their_bounds() {
        let cases = [
            (CARD_TITLE, 1, 500),
            (CARD_DESCRIPTION, 0, 500),
            (CARD_DESCRIPTION_VALUE, 1, 1_000),
            (CARD_THUMBNAIL_URL, 1, 250),
            (CARD_ATTRIBUTE_LABEL, 1, 50),
            (CARD_ID, 1, UNBOUNDED),
            (CARD_URL, 1, UNBOUNDED),
            (CARD_ICON_URL, 1, UNBOUNDED),
            (CARD_ACTIVITY_HTML, 1, UNBOUNDED),
            (CARD_ATTRIBUTE_VALUE_LABEL, 1, UNBOUNDED),
            (CARD_ATTRIBUTE_VALUE_URL, 1, UNBOUNDED),
        ];
        for (limit, min, max) in cases {
            assert_eq!((limit.min, limit.max), (min, max), "{}", limit.field);
            assert!(limit.check(&"é".repeat(min)).is_ok(), "{}", limit.field);
            if min > 0 {
                let below = limit.check(&"é".repeat(min - 1)).unwrap_err();
                assert_eq!(below.actual, min - 1);
            }
            if max != UNBOUNDED {
                assert!(limit.check(&"é".repeat(max)).is_ok(), "{}", limit.field);
                let above = limit.check(&"é".repeat(max + 1)).unwrap_err();
                assert_eq!(above.actual, max + 1);
            }
        }
        assert!(CARD_ATTRIBUTES.check_count(1).is_ok());
        assert!(CARD_ATTRIBUTES.check_count(10).is_ok());
        assert_eq!(
            CARD_ATTRIBUTES.check_count(0).unwrap_err().to_string(),
            "card.attributes is empty; HipChat requires at least 1 item"
        );
        assert_eq!(CARD_ATTRIBUTES.check_count(11).unwrap_err().actual, 11);
        assert_eq!(
            CARD_TITLE.check("").unwrap_err().to_string(),
            "card.title is empty; HipChat requires at least 1 character"
        );
    }

    #[test]
    fn names_field_and_limit() {
        assert_eq!(
            ROOM.check("").unwrap_err().to_string(),
            "room is empty; HipChat requires at least 1 character"
        );
        assert_eq!(
            ROOM.check(&"r".repeat(101)).unwrap_err().to_string(),
            "room is 101 characters long; HipChat allows at most 100"
        );
    }
}
