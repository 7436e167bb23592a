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
