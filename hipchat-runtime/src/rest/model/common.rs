//! Objects shared by several responses: links, user references, `201 Created` bodies.

use super::de;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The `links` of an object: URLs of itself and of related collections. Unknown link keys
/// are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Links {
    /// `self`: the object's own URL.
    #[serde(rename = "self", default, skip_serializing_if = "Option::is_none")]
    pub self_url: Option<String>,
    /// `webhooks` (rooms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhooks: Option<String>,
    /// `members` (private rooms only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<String>,
    /// `participants` (rooms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<String>,
}

/// A reference to a user (spec §3.1): room owner, participants, mentions, a message's
/// `from`, list items without `expand`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserRef {
    /// The user's id.
    pub id: u64,
    /// Display name.
    #[serde(default, deserialize_with = "de::null_default")]
    pub name: String,
    /// `@mention` name, without the `@`.
    #[serde(default, deserialize_with = "de::null_default")]
    pub mention_name: String,
    /// Opaque version (8 characters), changed on every update; absent in older samples.
    #[serde(default)]
    pub version: Option<String>,
    /// `links.self`; absent on some member items.
    #[serde(default)]
    pub links: Option<Links>,
}

/// The `201 Created` body of create_room, create_webhook and friends: `{"id","links"}`.
///
/// `id` reads from an integer or a numeric string (spec §12).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Created {
    /// The new object's id.
    #[serde(deserialize_with = "de::u64_or_string")]
    pub id: u64,
    /// `links.self` of the new object.
    #[serde(default)]
    pub links: Links,
}

/// The `201 Created` body of create_user: [`Created`] plus the `password` HipChat generated
/// when the request had none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreatedUser {
    /// The new user's id.
    #[serde(deserialize_with = "de::u64_or_string")]
    pub id: u64,
    /// `links.self` of the new user.
    #[serde(default)]
    pub links: Links,
    /// The generated password, if any. Redacted in `Debug`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<Secret>,
}

/// A secret string received from HipChat (a generated password): `Debug` prints
/// `[REDACTED]`, and the text is zeroed on drop.
///
/// It still serializes as the plain text, so that a model written and read again is equal;
/// serialize a model that holds one only where the secret may go.
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    /// Wraps a secret.
    pub fn new(text: impl Into<String>) -> Self {
        Secret(SecretString::from(text.into()))
    }

    /// The secret text. Keep it out of logs.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose_secret() == other.expose_secret()
    }
}

impl Eq for Secret {}

impl From<String> for Secret {
    fn from(text: String) -> Self {
        Secret::new(text)
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose_secret())
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        SecretString::deserialize(deserializer).map(Secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_ids_are_integers_or_strings() {
        let created: Created = serde_json::from_str(
            r#"{"id":"12345","links":{"self":"https://api.hipchat.com/v2/room/12345"}}"#,
        )
        .unwrap();
        assert_eq!(created.id, 12345);
        let again: Created =
            serde_json::from_str(&serde_json::to_string(&created).unwrap()).unwrap();
        assert_eq!(again, created);
        let created: Created = serde_json::from_str(r#"{"id":46,"links":{"self":"x"}}"#).unwrap();
        assert_eq!(created.id, 46);
    }

    #[test]
    fn a_generated_password_is_not_in_debug() {
        let created: CreatedUser =
            serde_json::from_str(r#"{"id":5,"links":{"self":"x"},"password":"hunter2"}"#).unwrap();
        let debug = format!("{created:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("REDACTED"), "{debug}");
        assert_eq!(
            created.password.as_ref().map(Secret::expose_secret),
            Some("hunter2")
        );
        let again: CreatedUser =
            serde_json::from_str(&serde_json::to_string(&created).unwrap()).unwrap();
        assert_eq!(again, created);
        let created: CreatedUser = serde_json::from_str(r#"{"id":"5","links":{}}"#).unwrap();
        assert_eq!(created.password, None);
    }
}
