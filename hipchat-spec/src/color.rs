use crate::wire_enum::wire_enum;

wire_enum! {
    /// Background color of a notification, with HipChat's exact values.
    ///
    /// ```
    /// use hipchat_spec::Color;
    /// assert_eq!("red".parse::<Color>().unwrap(), Color::Red);
    /// assert_eq!(Color::default().as_str(), "yellow");
    /// let error = "grey".parse::<Color>().unwrap_err();
    /// assert_eq!(error.suggestion(), Some("gray"));
    /// ```
    #[derive(Default)]
    Color, "color" {
        /// `yellow`, HipChat's default.
        #[default]
        Yellow = "yellow",
        /// `green`.
        Green = "green",
        /// `red`.
        Red = "red",
        /// `purple`.
        Purple = "purple",
        /// `gray` (HipChat has no `grey`).
        Gray = "gray",
        /// `random`: HipChat picks one.
        Random = "random",
    }
}

#[cfg(test)]
mod tests {
    use super::Color;

    #[test]
    fn round_trips_every_wire_name() {
        for color in Color::ALL {
            assert_eq!(color.as_str().parse::<Color>(), Ok(*color));
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
