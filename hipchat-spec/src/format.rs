use crate::wire_enum::wire_enum;

wire_enum! {
    /// How HipChat reads a message body (`message_format`).
    ///
    /// `Html` (HipChat's default) shows a subset of HTML, so interpolated values are escaped.
    /// `Text` is read like a typed message: @mentions, emoticons and link previews work, and
    /// nothing is escaped.
    #[derive(Default)]
    Format, "format" {
        /// `html`, HipChat's default.
        #[default]
        Html = "html",
        /// `text`.
        Text = "text",
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
