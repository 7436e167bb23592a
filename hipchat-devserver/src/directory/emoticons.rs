//! Emoticons (spec v2 §3.6, §8): global ones seeded at start, group ones none.

/// One emoticon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Emoticon {
    /// Numeric id.
    pub id: u64,
    /// The `(shortcut)` typed in chat.
    pub shortcut: String,
    /// Global (HipChat's) or the group's own.
    pub global: bool,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The user who added it (group emoticons).
    pub creator: Option<u64>,
    /// Its image ([`super::files`]).
    pub file: u64,
}

/// The global emoticons seeded at start: (id, shortcut).
pub const SEEDED: &[(u64, &str)] = &[(41, "allthethings"), (203, "dog"), (207, "thumbsup")];
