//! Emoticons (spec §3.6, §8): list items and get_emoticon.

use super::common::{Links, UserRef};
use super::de;
use serde::{Deserialize, Serialize};

/// An emoticon: an item of get_all_emoticons (`id, url, shortcut, links`), or get_emoticon's
/// body, which adds `width`, `height`, `creator` and maybe `audio_path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Emoticon {
    /// The emoticon's id.
    pub id: u64,
    /// Image URL.
    #[serde(default, deserialize_with = "de::null_default")]
    pub url: String,
    /// The shortcut typed in parentheses, e.g. `dog` for `(dog)`.
    #[serde(default, deserialize_with = "de::null_default")]
    pub shortcut: String,
    /// `links.self`.
    #[serde(default)]
    pub links: Option<Links>,
    /// get only: width in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// get only: height in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// get only: who added it (group emoticons).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator: Option<UserRef>,
    /// get only: a sound ("not implemented by hipchat").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_path: Option<String>,
}
