//! Secrets encrypted at rest: [`EncryptedStore`] wraps any store and keeps each
//! installation's `oauthSecret` sealed with XChaCha20-Poly1305 under a key the add-on
//! holds, so a copy of the database cannot forge HipChat's signed requests.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use secrecy::{ExposeSecret, SecretString};

use super::{InstallationStore, StoreError, StoreFuture};
use crate::installation::Installation;

/// What a sealed secret starts with in the inner store (a version, for key rotation).
const SEALED: &str = "sealed:v1:";

/// The XChaCha20-Poly1305 nonce length.
const NONCE_LEN: usize = 24;

/// A 256-bit key for [`EncryptedStore`]. `Debug` shows nothing of it.
#[derive(Clone)]
pub struct SecretKey(chacha20poly1305::Key);

impl SecretKey {
    /// The key from 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes.into())
    }

    /// The key from its base64 text (32 bytes; standard alphabet, padding optional), as
    /// an environment variable would hold it. The error says what is wrong, never the
    /// value.
    pub fn from_base64(text: &str) -> Result<Self, StoreError> {
        let trimmed = text.trim().trim_end_matches('=');
        let bytes = STANDARD_NO_PAD
            .decode(trimmed)
            .map_err(|_| StoreError::new("read the secret key", "it is not base64"))?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|bytes: Vec<u8>| {
            StoreError::new(
                "read the secret key",
                format!("it is {} bytes; a key is 32", bytes.len()),
            )
        })?;
        Ok(Self::from_bytes(bytes))
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

/// Any store, with each `oauthSecret` sealed before it is written and opened after it is
/// read. Secrets already in the store unsealed (written before a key was configured) are
/// read as they are and sealed the next time the installation is stored.
///
/// ```no_run
/// # fn run() -> Result<(), hipchat_connect::StoreError> {
/// use hipchat_connect::store::{EncryptedStore, SecretKey};
/// use hipchat_connect::SqliteStore;
///
/// let key = SecretKey::from_base64(&std::env::var("ADDON_SECRET_KEY").unwrap())?;
/// let store = EncryptedStore::new(SqliteStore::open("deploy-bot.db")?, key);
/// # Ok(()) }
/// ```
pub struct EncryptedStore<S> {
    inner: S,
    cipher: XChaCha20Poly1305,
}

impl<S: InstallationStore> EncryptedStore<S> {
    /// `inner`, its secrets sealed with `key`.
    pub fn new(inner: S, key: SecretKey) -> Self {
        Self {
            inner,
            cipher: XChaCha20Poly1305::new(&key.0),
        }
    }

    fn seal(&self, mut installation: Installation) -> Result<Installation, StoreError> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: installation.oauth_secret.expose_secret().as_bytes(),
                    // Bound to its row: a sealed secret moved to another installation
                    // does not open.
                    aad: installation.oauth_id.as_bytes(),
                },
            )
            .map_err(|_| StoreError::new("seal a secret", "encryption failed"))?;
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        installation.oauth_secret =
            SecretString::from(format!("{SEALED}{}", STANDARD_NO_PAD.encode(bytes)));
        Ok(installation)
    }

    fn open(&self, mut installation: Installation) -> Result<Installation, StoreError> {
        let Some(text) = installation
            .oauth_secret
            .expose_secret()
            .strip_prefix(SEALED)
        else {
            return Ok(installation);
        };
        let refused = || {
            StoreError::new(
                "open a sealed secret",
                format!(
                    "installation {} was sealed with another key or for another \
                     installation, or the record is damaged",
                    installation.short_id()
                ),
            )
        };
        let bytes = STANDARD_NO_PAD.decode(text).map_err(|_| refused())?;
        if bytes.len() <= NONCE_LEN {
            return Err(refused());
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let plain = self
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: installation.oauth_id.as_bytes(),
                },
            )
            .map_err(|_| refused())?;
        let secret = String::from_utf8(plain).map_err(|_| refused())?;
        installation.oauth_secret = SecretString::from(secret);
        Ok(installation)
    }
}

impl<S: InstallationStore> InstallationStore for EncryptedStore<S> {
    fn get<'a>(&'a self, oauth_id: &'a str) -> StoreFuture<'a, Option<Installation>> {
        Box::pin(async move {
            self.inner
                .get(oauth_id)
                .await?
                .map(|installation| self.open(installation))
                .transpose()
        })
    }

    fn put(&self, installation: Installation) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let sealed = self.seal(installation)?;
            self.inner.put(sealed).await
        })
    }

    fn delete<'a>(&'a self, oauth_id: &'a str) -> StoreFuture<'a, bool> {
        self.inner.delete(oauth_id)
    }

    fn list(&self) -> StoreFuture<'_, Vec<Installation>> {
        Box::pin(async move {
            self.inner
                .list()
                .await?
                .into_iter()
                .map(|installation| self.open(installation))
                .collect()
        })
    }
}

impl<S: fmt::Debug> fmt::Debug for EncryptedStore<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptedStore")
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    fn installation(secret: &str) -> Installation {
        serde_json::from_value(serde_json::json!({
            "oauth_id": "0a1b2c3d-4e5f", "oauth_secret": secret, "group_id": 1,
            "group_name": null, "room_id": 7,
            "capabilities_url": "http://h/v2/capabilities",
            "token_url": "http://h/v2/oauth/token", "api_base": "http://h/v2", "homepage": null
        }))
        .unwrap()
    }

    #[tokio::test]
    async fn secrets_are_sealed_in_the_inner_store_and_open_with_the_key_only() {
        let inner = std::sync::Arc::new(MemoryStore::new());
        let key = SecretKey::from_bytes([7; 32]);
        let store = EncryptedStore::new(std::sync::Arc::clone(&inner), key);
        store.put(installation("s3cr3t-secret")).await.unwrap();
        let raw = inner.get("0a1b2c3d-4e5f").await.unwrap().unwrap();
        assert!(raw.oauth_secret.expose_secret().starts_with(SEALED));
        assert!(!raw.oauth_secret.expose_secret().contains("s3cr3t"));
        let opened = store.get("0a1b2c3d-4e5f").await.unwrap().unwrap();
        assert_eq!(opened.oauth_secret.expose_secret(), "s3cr3t-secret");
        assert_eq!(store.list().await.unwrap().len(), 1);

        // Another key cannot open it, and says so without the secret.
        let other = EncryptedStore::new(
            std::sync::Arc::clone(&inner),
            SecretKey::from_bytes([8; 32]),
        );
        let error = other.get("0a1b2c3d-4e5f").await.unwrap_err();
        assert!(error.to_string().contains("another key"), "{error}");
        assert!(!error.to_string().contains("0a1b2c3d-4e5f"), "{error}");

        // A secret stored before the key was configured still reads.
        inner.put(installation("plain-secret")).await.unwrap();
        let read = store.get("0a1b2c3d-4e5f").await.unwrap().unwrap();
        assert_eq!(read.oauth_secret.expose_secret(), "plain-secret");
    }

    #[test]
    fn keys_from_base64_say_what_is_wrong() {
        let good = STANDARD_NO_PAD.encode([1u8; 32]);
        assert!(SecretKey::from_base64(&good).is_ok());
        assert!(SecretKey::from_base64(&format!("{good}=")).is_ok());
        let short = SecretKey::from_base64(&STANDARD_NO_PAD.encode([1u8; 16])).unwrap_err();
        assert!(short.to_string().contains("16 bytes"), "{short}");
        assert!(SecretKey::from_base64("not base64!").is_err());
        assert_eq!(
            format!("{:?}", SecretKey::from_bytes([9; 32])),
            "SecretKey(..)"
        );
    }
}
