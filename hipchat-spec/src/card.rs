//! The card's closed sets (spec §6, server-echo schema): styles, formats and lozenges.

use crate::wire_enum::wire_enum;

wire_enum! {
    /// A card's `style`: what kind of thing the card shows.
    CardStyle, "card style" {
        /// `file`.
        File = "file",
        /// `image`.
        Image = "image",
        /// `application`.
        Application = "application",
        /// `link`.
        Link = "link",
        /// `media`.
        Media = "media",
    }
}

wire_enum! {
    /// A card's `format`: `compact` (1 to 2 lines) or `medium` (1 to 5 lines).
    CardFormat, "card format" {
        /// `compact`: 1 to 2 lines.
        Compact = "compact",
        /// `medium`: 1 to 5 lines.
        Medium = "medium",
    }
}

wire_enum! {
    /// The `style` of a card attribute's value: an AUI lozenge.
    Lozenge, "lozenge" {
        /// `lozenge-success` (green).
        Success = "lozenge-success",
        /// `lozenge-error` (red).
        Error = "lozenge-error",
        /// `lozenge-current` (yellow).
        Current = "lozenge-current",
        /// `lozenge-complete` (blue).
        Complete = "lozenge-complete",
        /// `lozenge-moved` (brown).
        Moved = "lozenge-moved",
        /// `lozenge` (gray, the default lozenge).
        Default = "lozenge",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip_and_typos_are_suggested() {
        for style in CardStyle::ALL {
            assert_eq!(style.as_str().parse(), Ok(*style));
        }
        for lozenge in Lozenge::ALL {
            assert_eq!(lozenge.as_str().parse(), Ok(*lozenge));
        }
        assert_eq!("medium".parse(), Ok(CardFormat::Medium));
        let error = "lozenge-sucess".parse::<Lozenge>().unwrap_err();
        assert_eq!(error.suggestion(), Some("lozenge-success"));
        assert_eq!("Image".parse::<CardStyle>().unwrap_err().kind, "card style");
    }
}
