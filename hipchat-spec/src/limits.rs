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

/// `message`: 1 to 10,000 characters.
pub const MESSAGE: Limit = Limit {
    field: "message",
    min: 1,
    max: 10_000,
};

/// `from`, the label shown beside the sender in API v2: at most 64 characters.
pub const FROM: Limit = Limit {
    field: "from",
    min: 0,
    max: 64,
};

/// `from` in API v1 (`POST /v1/rooms/message`): required, at most 15 characters, and
/// only letters, digits, `-`, `_` and space (spec §7). Unlike [`FROM`], a v1 server
/// refuses the whole message when the sender breaks it.
pub const V1_FROM: CharsetLimit = CharsetLimit {
    limit: Limit {
        field: "from",
        min: 1,
        max: 15,
    },
    api: "HipChat API v1",
    allowed: "letters, digits, '-', '_' and space",
    extra: &['-', '_', ' '],
};

/// The `message` of share_link_with_room (`POST /v2/room/{room}/share/link`, spec §9):
/// optional, at most 1,000 characters (as send_message; unrecorded for share links).
pub const SHARE_LINK_MESSAGE: Limit = Limit {
    field: "message",
    min: 0,
    max: 1_000,
};

/// The user of private_message_user (`POST /v2/user/{user}/message`): an id, an email or
/// an `@mention` name, never empty. Emails are at most 254 characters (RFC 5321).
pub const USER: Limit = Limit {
    field: "user",
    min: 1,
    max: 254,
};

/// A room id or name in the request path: 1 to 100 characters.
pub const ROOM: Limit = Limit {
    field: "room",
    min: 1,
    max: 100,
};

/// `attach_to`, the id of a message to show this one under: at most 36 characters.
pub const ATTACH_TO: Limit = Limit {
    field: "attach_to",
    min: 0,
    max: 36,
};

impl Limit {
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
}

impl fmt::Display for LimitViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Limit { field, min, max } = self.limit;
        if self.actual == 0 {
            write!(
                f,
                "{field} is empty; HipChat requires at least {min} character"
            )?;
            if min > 1 {
                f.write_str("s")?;
            }
            Ok(())
        } else if self.actual < min {
            write!(
                f,
                "{field} is {} characters long; HipChat requires at least {min}",
                self.actual
            )
        } else {
            write!(
                f,
                "{field} is {} characters long; HipChat allows at most {max}",
                self.actual
            )
        }
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
