//! Add-on tokens (spec §3): the client-credentials grant per installation, cached per
//! (installation, scopes), renewed `min(60 s, expires_in / 2)` before it expires, one
//! request in flight per key however many callers wait for it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use hipchat_runtime::Error;
use hipchat_runtime::rest::{TokenFuture, TokenSource, client_credentials_token};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use tokio::time::Instant;

use crate::installation::Installation;
use crate::store::InstallationStore;

/// The most a token is renewed before it expires (spec §3 decision).
const MAX_MARGIN: Duration = Duration::from_secs(60);

/// A lifetime assumed when the token reply has no `expires_in`: the shortest the docs
/// mention (1 h).
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// The longest a token is kept, whatever the server says (an `expires_in` of years, or
/// one that would overflow the clock, is read as a day).
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// How long a failed token request answers for the callers that waited on it: they get
/// its failure instead of each sending a request of their own in turn.
const FAILURE_HOLD: Duration = Duration::from_secs(2);

/// The cache key: the installation's `oauthId`, token URL and a digest of its secret
/// (a reinstalled installation, with new credentials, never gets an old token), and the
/// scopes asked for (sorted).
type Key = (String, String, String, String);

/// One key's token, behind the lock its fetch holds.
type Slot = Arc<tokio::sync::Mutex<SlotState>>;

/// What a slot knows: a token, or the failure of the last request.
#[derive(Default)]
struct SlotState {
    cached: Option<Cached>,
    failed: Option<(Instant, String)>,
}

/// A token and when to stop using it.
#[derive(Clone)]
struct Cached {
    token: SecretString,
    renew_at: Instant,
}

/// Every installation's add-on tokens. Cheap to clone; clones share the cache.
#[derive(Clone)]
pub struct AddonTokens {
    http: reqwest::Client,
    /// One slot per key; a slot's async lock is held while its token is fetched, so
    /// concurrent callers wait for that one request instead of each sending their own.
    slots: Arc<Mutex<HashMap<Key, Slot>>>,
    /// Where an installation whose credentials the server refuses is removed from.
    store: Option<Arc<dyn InstallationStore>>,
}

impl AddonTokens {
    /// A cache fetching tokens with `http`.
    pub fn new(http: reqwest::Client) -> Self {
        Self {
            http,
            slots: Arc::default(),
            store: None,
        }
    }

    /// Removes from `store` an installation whose credentials the token endpoint
    /// refuses (401): HipChat uninstalled it and the uninstall call was missed (spec
    /// §2.3).
    pub fn with_store(mut self, store: Arc<dyn InstallationStore>) -> Self {
        self.store = Some(store);
        self
    }

    fn slot(&self, key: &Key) -> Slot {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(slots.entry(key.clone()).or_default())
    }

    /// A token of `installation` with `scopes`: the cached one while it is fresh,
    /// else a new one from its token endpoint.
    pub async fn token(
        &self,
        installation: &Installation,
        scopes: &[String],
    ) -> Result<SecretString, Error> {
        let key = key(installation, scopes);
        let slot = self.slot(&key);
        let mut state = slot.lock().await;
        if let Some(fresh) = state
            .cached
            .as_ref()
            .filter(|c| Instant::now() < c.renew_at)
        {
            return Ok(fresh.token.clone());
        }
        if let Some((at, reason)) = &state.failed
            && at.elapsed() < FAILURE_HOLD
        {
            return Err(Error::backend(format!(
                "the add-on token request failed moments ago: {reason}"
            )));
        }
        let reply = match client_credentials_token(
            &self.http,
            &installation.token_url,
            &installation.oauth_id,
            &installation.oauth_secret,
            scopes,
        )
        .await
        {
            Ok(reply) => reply,
            Err(error) => {
                state.failed = Some((Instant::now(), error.to_string()));
                if matches!(error, Error::Unauthorized(_)) {
                    self.revoked(installation).await;
                }
                return Err(error);
            }
        };
        let lifetime = reply
            .expires_in
            .map_or(DEFAULT_LIFETIME, Duration::from_secs)
            .min(MAX_LIFETIME);
        let token = SecretString::from(reply.access_token.expose_secret().to_owned());
        state.failed = None;
        state.cached = Some(Cached {
            token: token.clone(),
            renew_at: Instant::now() + used_for(lifetime),
        });
        tracing::debug!(
            installation = %installation.short_id(),
            lifetime_s = lifetime.as_secs(),
            "add-on token fetched"
        );
        Ok(token)
    }

    /// Drops `token` of `installation` if it is the cached one (the API answered 401
    /// to it); whether it was.
    pub fn forget(
        &self,
        installation: &Installation,
        scopes: &[String],
        token: &SecretString,
    ) -> bool {
        let slot = self.slot(&key(installation, scopes));
        // A slot being refreshed holds a new token already: nothing to forget.
        let Ok(mut state) = slot.try_lock() else {
            return true;
        };
        let same = state
            .cached
            .as_ref()
            .is_some_and(|c| c.token.expose_secret() == token.expose_secret());
        if same {
            state.cached = None;
        }
        same
    }

    /// The token endpoint refused the installation's credentials: it is gone.
    async fn revoked(&self, installation: &Installation) {
        let Some(store) = &self.store else {
            return;
        };
        // Only the record whose credentials were refused: a newer installation under
        // the same oauthId (reinstalled) keeps its own.
        let same = match store.get(&installation.oauth_id).await {
            Ok(Some(stored)) => {
                stored.token_url == installation.token_url
                    && stored.oauth_secret.expose_secret()
                        == installation.oauth_secret.expose_secret()
            }
            Ok(None) | Err(_) => false,
        };
        if !same {
            return;
        }
        self.forget_installation(&installation.oauth_id);
        match store.delete(&installation.oauth_id).await {
            Ok(_) => tracing::warn!(
                installation = %installation.short_id(),
                "HipChat refused the installation's credentials: removed (a missed uninstall)"
            ),
            Err(error) => tracing::error!(
                installation = %installation.short_id(),
                %error,
                "HipChat refused the installation's credentials; removing it failed"
            ),
        }
    }

    /// Drops every token of the installation `oauth_id` (uninstalled).
    pub fn forget_installation(&self, oauth_id: &str) {
        self.slots
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|(id, ..), _| id != oauth_id);
    }

    /// The token source of `installation` with `scopes`, for a REST client.
    pub fn source(&self, installation: Installation, scopes: Vec<String>) -> InstallationTokens {
        InstallationTokens {
            tokens: self.clone(),
            name: format!("installation {}", installation.short_id()),
            installation,
            scopes,
        }
    }
}

/// How long a token with `lifetime` is used: until `min(60 s, lifetime / 2)` before it
/// expires (spec §3 decision; earlier frameworks renewed with no margin).
fn used_for(lifetime: Duration) -> Duration {
    lifetime - MAX_MARGIN.min(lifetime / 2)
}

fn key(installation: &Installation, scopes: &[String]) -> Key {
    let mut sorted: Vec<&str> = scopes.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let digest = Sha256::digest(installation.oauth_secret.expose_secret().as_bytes());
    let fingerprint: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    (
        installation.oauth_id.clone(),
        installation.token_url.to_string(),
        fingerprint,
        sorted.join(" "),
    )
}

impl std::fmt::Debug for AddonTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cached = self.slots.lock().map(|s| s.len()).unwrap_or_default();
        f.debug_struct("AddonTokens")
            .field("cached_keys", &cached)
            .finish_non_exhaustive()
    }
}

/// One installation's tokens as a [`TokenSource`]: a REST client (or a notifier) built
/// on it calls as the installation; a 401 drops the cached token and the request is
/// sent once more with a new one.
#[derive(Clone)]
pub struct InstallationTokens {
    tokens: AddonTokens,
    installation: Installation,
    scopes: Vec<String>,
    name: String,
}

impl TokenSource for InstallationTokens {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self.tokens.token(&self.installation, &self.scopes))
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn rejected(&self, token: &SecretString) -> bool {
        self.tokens.forget(&self.installation, &self.scopes, token)
    }
}

impl std::fmt::Debug for InstallationTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InstallationTokens")
            .field("installation", &self.installation)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_renewed_before_they_expire() {
        let secs = Duration::from_secs;
        assert_eq!(used_for(secs(3599)), secs(3539), "a minute early");
        assert_eq!(used_for(secs(60)), secs(30), "half of a short lifetime");
        assert_eq!(used_for(secs(10)), secs(5));
        assert_eq!(
            used_for(secs(0)),
            secs(0),
            "a token already expired is not used"
        );
    }
}
