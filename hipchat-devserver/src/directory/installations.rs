//! Installed Connect add-ons (spec hipchat-connect §2) and the access tokens the token
//! endpoint issued to them (§3): credentials, the descriptor's scopes, the room of a room
//! install. Uninstalling removes the installation and revokes its tokens at once.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use serde_json::Value;

/// The default lifetime of an issued token (`expires_in` 3599, spec §3, recorded).
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(3599);

/// One installation of an add-on, globally or into a room.
#[derive(Debug, Clone)]
pub struct Installation {
    /// The OAuth client id (UUID v4).
    pub oauth_id: String,
    /// The OAuth client secret (40 alphanumeric characters); never shown.
    pub oauth_secret: String,
    /// The add-on's key.
    pub key: String,
    /// The add-on's name.
    pub name: String,
    /// Where the descriptor was fetched.
    pub descriptor_url: String,
    /// The descriptor, as fetched.
    pub descriptor: Value,
    /// The descriptor's `hipchatApiConsumer.scopes`.
    pub scopes: Vec<String>,
    /// The room of a room install (`None`: global).
    pub room_id: Option<u64>,
    /// The capabilities URL sent in the install body.
    pub capabilities_url: String,
    /// When it was installed.
    pub installed: SystemTime,
}

impl Installation {
    /// `capabilities.installable.<name>` of the descriptor, as a string.
    pub fn installable(&self, name: &str) -> Option<&str> {
        self.descriptor
            .pointer(&format!("/capabilities/installable/{name}"))
            .and_then(Value::as_str)
    }
}

/// An access token issued by the token endpoint.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    /// The installation it acts for.
    pub oauth_id: String,
    /// The scopes granted.
    pub scopes: Vec<String>,
    /// When it stops working.
    pub expires: SystemTime,
}

/// Installations, issued tokens and pending `installable` documents.
#[derive(Debug, Clone, Default)]
pub struct Installations {
    /// Installations by oauthId.
    pub installations: BTreeMap<String, Installation>,
    /// Issued access tokens by token.
    pub tokens: BTreeMap<String, IssuedToken>,
    /// `GET /admin/addons/{oauthId}/installable` documents not fetched yet (single use).
    pub installables: BTreeMap<String, Value>,
    /// The lifetime of tokens issued from now on (`None`: [`DEFAULT_TOKEN_LIFETIME`]).
    pub token_lifetime: Option<Duration>,
}

impl Installations {
    /// Removes an installation and revokes its tokens; the installation if there was one.
    pub fn remove(&mut self, oauth_id: &str) -> Option<Installation> {
        self.tokens.retain(|_, token| token.oauth_id != oauth_id);
        self.installations.remove(oauth_id)
    }

    /// The installation of an unexpired issued token, with the token's scopes.
    pub fn token(&self, token: &str, now: SystemTime) -> Option<(&Installation, &IssuedToken)> {
        let issued = self
            .tokens
            .get(token)
            .filter(|issued| now < issued.expires)?;
        Some((self.installations.get(&issued.oauth_id)?, issued))
    }

    /// The lifetime of newly issued tokens.
    pub fn lifetime(&self) -> Duration {
        self.token_lifetime.unwrap_or(DEFAULT_TOKEN_LIFETIME)
    }
}

/// A random string of `length` ASCII letters and digits (from UUID v4 randomness).
pub fn random_alphanumeric(length: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(length);
    while out.len() < length {
        for byte in uuid::Uuid::new_v4().as_bytes() {
            // 62 * 4 = 248: rejecting 248..=255 keeps the choice uniform.
            if *byte < 248 && out.len() < length {
                out.push(char::from(ALPHABET[usize::from(*byte) % ALPHABET.len()]));
            }
        }
    }
    out
}
