//! An installation of the add-on into a room or a whole group (spec §2): who HipChat
//! said it is, and where its server is.

use std::fmt;

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use url::Url;

/// Where an installation applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstallKind {
    /// One room.
    Room,
    /// The whole group (`allowGlobal`).
    Global,
}

/// One installation: the OAuth client credentials HipChat issued, the group and room,
/// and the server's URLs read from its capabilities document. `Debug` shows neither the
/// secret nor the whole `oauthId` (half of the credentials, and the key of the
/// unauthenticated uninstall call).
#[derive(Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Installation {
    /// The OAuth client id (`oauthId`), also the issuer of the JWTs HipChat signs.
    pub oauth_id: String,
    /// The OAuth client secret: the HMAC key of those JWTs.
    #[serde(with = "secret_serde")]
    pub oauth_secret: SecretString,
    /// The group (`groupId`).
    pub group_id: u64,
    /// The group's name, from the token reply (the install body lacks it).
    pub group_name: Option<String>,
    /// The room, for a room installation.
    pub room_id: Option<u64>,
    /// The capabilities document the install named (`capabilitiesUrl`).
    pub capabilities_url: Url,
    /// The token endpoint (`oauth2Provider.tokenUrl`).
    pub token_url: Url,
    /// The REST API base (`links.api`, `…/v2`), without a trailing slash.
    pub api_base: Url,
    /// HipChat's own page (`links.homepage`), where add-on pages load `all.js`.
    pub homepage: Option<Url>,
}

impl Installation {
    /// A room or a group installation.
    pub fn kind(&self) -> InstallKind {
        match self.room_id {
            Some(_) => InstallKind::Room,
            None => InstallKind::Global,
        }
    }

    /// The `oauthId` as it may be logged: its first 8 characters.
    pub fn short_id(&self) -> String {
        short_id(&self.oauth_id)
    }
}

/// An `oauthId` as it may be logged or shown: its first 8 characters and `…`.
pub fn short_id(oauth_id: &str) -> String {
    let head: String = oauth_id.chars().take(8).collect();
    if head.len() < oauth_id.len() {
        format!("{head}…")
    } else {
        head
    }
}

impl fmt::Debug for Installation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Installation")
            .field("oauth_id", &self.short_id())
            .field("group_id", &self.group_id)
            .field("group_name", &self.group_name)
            .field("room_id", &self.room_id)
            .field("api_base", &self.api_base.as_str())
            .finish_non_exhaustive()
    }
}

/// Stores serialize the secret (that is their job; the SQLite store encrypts it when a
/// key is configured); nothing else does.
mod secret_serde {
    use secrecy::{ExposeSecret, SecretString};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        secret: &SecretString,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(secret.expose_secret())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<SecretString, D::Error> {
        String::deserialize(deserializer).map(SecretString::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_neither_the_secret_nor_the_whole_oauth_id() {
        let installation = Installation {
            oauth_id: "0a1b2c3d-4e5f-6789-abcd-ef0123456789".into(),
            oauth_secret: SecretString::from("s3cr3t-s3cr3t".to_owned()),
            group_id: 1,
            group_name: None,
            room_id: Some(2),
            capabilities_url: "http://h/v2/capabilities".parse().unwrap(),
            token_url: "http://h/v2/oauth/token".parse().unwrap(),
            api_base: "http://h/v2".parse().unwrap(),
            homepage: None,
        };
        let shown = format!("{installation:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(!shown.contains("ef0123456789"), "{shown}");
        assert!(shown.contains("0a1b2c3d…"), "{shown}");
        assert_eq!(installation.kind(), InstallKind::Room);
    }
}
