//! Making a token: the emulator's shape (spec §4), for tests and for pages that the runtime
//! gives a fresh token (spec §7).

use hmac::Mac as _;
use secrecy::{ExposeSecret as _, SecretString};

use super::hs256;

/// The header HipChat sent, byte for byte.
const HEADER: &str = r#"{"typ":"JWT","alg":"HS256"}"#;

/// Signs `claims_json` with HS256 under `secret`: header `{"typ":"JWT","alg":"HS256"}`,
/// the claims serialized compactly, the HMAC-SHA256 of `header.payload`; all three parts
/// unpadded base64url.
///
/// The claims are signed as given: nothing is added or checked, so a token that
/// [`Unverified::parse`](super::Unverified::parse) will accept needs at least `iss` (string)
/// and `iat` (number), and usually `exp`.
pub fn sign(claims_json: &serde_json::Value, secret: &SecretString) -> String {
    let payload = claims_json.to_string();
    let mut token = hs256::encode(HEADER.as_bytes());
    token.push('.');
    token.push_str(&hs256::encode(payload.as_bytes()));
    let tag = hs256::mac(secret.expose_secret().as_bytes(), token.as_bytes()).finalize();
    token.push('.');
    token.push_str(&hs256::encode(&tag.into_bytes()));
    token
}
