use std::fmt;

use crate::closest;

/// A value outside a closed set, such as the color `"grey"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownValue {
    /// What kind of value it is: `"color"`, `"format"`.
    pub kind: &'static str,
    /// The value as given.
    pub value: String,
    /// Every accepted value, in HipChat's spelling.
    pub expected: &'static [&'static str],
}

impl UnknownValue {
    /// Builds the error for `value`, which is not one of `expected`.
    pub fn new(kind: &'static str, value: &str, expected: &'static [&'static str]) -> Self {
        Self {
            kind,
            value: value.to_owned(),
            expected,
        }
    }

    /// The accepted value closest to the one given, if it looks like a typo.
    pub fn suggestion(&self) -> Option<&'static str> {
        closest(&self.value, self.expected)
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} {:?}: expected one of {}",
            self.kind,
            self.value,
            self.expected.join(", ")
        )?;
        if let Some(suggestion) = self.suggestion() {
            write!(f, " (did you mean {suggestion:?}?)")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownValue {}
