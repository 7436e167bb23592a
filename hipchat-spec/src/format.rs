use std::fmt;
use std::str::FromStr;

use crate::UnknownValue;

/// How HipChat reads a message body (`message_format`).
///
/// `Html` (HipChat's default) shows a subset of HTML, so interpolated values are escaped.
/// `Text` is read like a typed message: @mentions, emoticons and link previews work, and
/// nothing is escaped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Format {
    /// `html`, HipChat's default.
    #[default]
    Html,
    /// `text`.
    Text,
}

impl Format {
    /// Every format's wire name.
    pub const NAMES: &'static [&'static str] = &["html", "text"];

    /// The wire name, as sent in the `message_format` field.
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Text => "text",
        }
    }
}

impl FromStr for Format {
    type Err = UnknownValue;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value {
            "html" => Ok(Format::Html),
            "text" => Ok(Format::Text),
            _ => Err(UnknownValue::new("format", value, Format::NAMES)),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Format;

    #[test]
    fn parses_wire_names_only() {
        assert_eq!("html".parse(), Ok(Format::Html));
        assert_eq!("text".parse(), Ok(Format::Text));
        let error = "txt".parse::<Format>().unwrap_err();
        assert_eq!(error.suggestion(), Some("text"));
    }
}
