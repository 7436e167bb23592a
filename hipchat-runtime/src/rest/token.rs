//! Who is calling: where a request's bearer token comes from.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use secrecy::SecretString;

use crate::Error;

/// The future a [`TokenSource`] answers with.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<SecretString, Error>> + Send + 'a>>;

/// Where a [`Client`](super::Client) gets the bearer token of each request: a static
/// token ([`StaticToken`], from [`Settings`](crate::Settings)), or a source that fetches
/// and renews tokens (an add-on installation's, from its OAuth client credentials).
///
/// The client asks before every attempt, so a source that renews is asked again after
/// it was told a token was [`rejected`](Self::rejected); a request rejected with a token
/// the source then renewed is sent once more. Sources are dyn-compatible: a client holds
/// one as `Arc<dyn TokenSource>`.
pub trait TokenSource: Send + Sync + fmt::Debug + 'static {
    /// The token for the next request.
    fn token(&self) -> TokenFuture<'_>;

    /// A name for the token that may be shown and logged (never the token): it keys the
    /// client's pacing, as one budget per token.
    fn name(&self) -> &str;

    /// The server answered 401 to a request made with `token`: a source that renews
    /// forgets it and returns `true` when the next [`token`](Self::token) will be
    /// another one; the client then sends the request again, once, at once. A static
    /// token cannot do anything about it (the default: `false`, the 401 is the answer).
    fn rejected(&self, token: &SecretString) -> bool {
        let _ = token;
        false
    }
}

/// One token for every request, from [`Settings`](crate::Settings) or given in code. Its
/// `Debug` shows the name only.
///
/// ```
/// use hipchat_runtime::rest::StaticToken;
///
/// let token = StaticToken::new("s3cr3t");
/// assert!(!format!("{token:?}").contains("s3cr3t"));
/// ```
#[derive(Clone)]
pub struct StaticToken {
    name: String,
    token: SecretString,
}

impl StaticToken {
    /// The token, named `default`.
    pub fn new(token: impl Into<String>) -> Self {
        Self::named("default", token)
    }

    /// The token under a name of yours (shown in logs, keys the pacing).
    pub fn named(name: impl Into<String>, token: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            token: SecretString::from(token.into()),
        }
    }

    pub(crate) fn from_secret(name: impl Into<String>, token: SecretString) -> Self {
        Self {
            name: name.into(),
            token,
        }
    }
}

impl TokenSource for StaticToken {
    fn token(&self) -> TokenFuture<'_> {
        let token = self.token.clone();
        Box::pin(async move { Ok(token) })
    }

    fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticToken")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}
