use std::fmt;
use std::str::FromStr;

use crate::UnknownValue;

/// Background color of a notification, with HipChat's exact values.
///
/// ```
/// use hipchat_spec::Color;
/// assert_eq!("red".parse::<Color>().unwrap(), Color::Red);
/// assert_eq!(Color::default().as_str(), "yellow");
/// let error = "grey".parse::<Color>().unwrap_err();
/// assert_eq!(error.suggestion(), Some("gray"));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Color {
    /// `yellow`, HipChat's default.
    #[default]
    Yellow,
    /// `green`.
    Green,
    /// `red`.
    Red,
    /// `purple`.
    Purple,
    /// `gray` (HipChat has no `grey`).
    Gray,
    /// `random`: HipChat picks one.
    Random,
}

impl Color {
    /// Every color, in the order HipChat documents them.
    pub const ALL: [Color; 6] = [
        Color::Yellow,
        Color::Green,
        Color::Red,
        Color::Purple,
        Color::Gray,
        Color::Random,
    ];

    /// Every color's wire name.
    pub const NAMES: &'static [&'static str] =
        &["yellow", "green", "red", "purple", "gray", "random"];

    /// The wire name, as sent in the `color` field.
    pub const fn as_str(self) -> &'static str {
        match self {
            Color::Yellow => "yellow",
            Color::Green => "green",
            Color::Red => "red",
            Color::Purple => "purple",
            Color::Gray => "gray",
            Color::Random => "random",
        }
    }
}

impl FromStr for Color {
    type Err = UnknownValue;

    /// Parses a wire name exactly: HipChat rejects `Red` and `grey`, so do we.
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Color::ALL
            .into_iter()
            .find(|color| color.as_str() == value)
            .ok_or_else(|| UnknownValue::new("color", value, Color::NAMES))
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Color;

    #[test]
    fn round_trips_every_wire_name() {
        for color in Color::ALL {
            assert_eq!(color.as_str().parse::<Color>(), Ok(color));
        }
        assert_eq!(Color::NAMES.len(), Color::ALL.len());
    }

    #[test]
    fn rejects_spellings_hipchat_rejects() {
        let error = "grey".parse::<Color>().unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"unknown color "grey": expected one of yellow, green, red, purple, gray, random (did you mean "gray"?)"#
        );
        assert!("Red".parse::<Color>().is_err());
        assert_eq!("blue".parse::<Color>().unwrap_err().suggestion(), None);
    }
}
