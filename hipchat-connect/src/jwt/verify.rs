//! Checking a token in the spec's order (§4, steps 2–6): shape and algorithm, then (with
//! the installation's secret) signature, then times.

use std::fmt;
use std::time::SystemTime;

use hmac::Mac as _;
use secrecy::{ExposeSecret as _, SecretString};
use serde_json::{Map, Value};

use super::claims::{Claims, Parsed, parse_payload};
use super::error::{IssuerHint, JwtError};
use super::hs256;
use super::policy::Policy;

/// The longest token accepted, in bytes (8 KiB); HipChat's were a few hundred. Longer ones
/// are [`JwtError::Malformed`] before anything is decoded.
pub const MAX_TOKEN_LEN: usize = 8 * 1024;

/// How many characters of a refused `alg` an error keeps.
const ALG_KEPT: usize = 16;

/// A token whose shape has been checked but whose signature has not: only its issuer may be
/// read, to find the installation's secret.
pub struct Unverified {
    /// `header.payload`, exactly as received: the bytes the signature covers.
    signing_input: String,
    signature: Vec<u8>,
    parsed: Parsed,
}

impl fmt::Debug for Unverified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Unverified")
            .field("issuer", &IssuerHint::new(self.issuer()))
            .finish_non_exhaustive()
    }
}

impl Unverified {
    /// Checks the token's shape (spec §4, steps 2 and 3): at most [`MAX_TOKEN_LEN`] bytes;
    /// three strict unpadded base64url parts separated by dots; a JSON header whose `alg`
    /// is exactly `HS256` (else [`JwtError::Algorithm`]; `typ`, `kid`, `jku` and any other
    /// key are ignored: the header never chooses the key); a JSON payload with `iss` (a
    /// non-empty string) and `iat` (a number), and the optional claims of [`Claims`] with
    /// their documented types. Anything else is [`JwtError::Malformed`].
    ///
    /// The token is taken as found: no whitespace or `JWT ` prefix is stripped here (that
    /// is [`find_token`](super::find_token)'s job).
    pub fn parse(token: &str) -> Result<Unverified, JwtError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(malformed("longer than 8 KiB"));
        }
        let Some((signing_input, signature)) = token.rsplit_once('.') else {
            return Err(malformed("not three dot-separated parts"));
        };
        let Some((header, payload)) = signing_input.split_once('.') else {
            return Err(malformed("not three dot-separated parts"));
        };
        if payload.contains('.') {
            return Err(malformed("not three dot-separated parts"));
        }
        let header = json_object(
            header,
            "header is not unpadded base64url",
            "header is not a JSON object",
        )?;
        match header.get("alg") {
            Some(Value::String(alg)) if alg == "HS256" => {}
            Some(alg) => {
                // A non-string is shown as its JSON.
                let alg = alg.as_str().map_or_else(|| alg.to_string(), str::to_owned);
                return Err(JwtError::Algorithm {
                    alg: alg.chars().take(ALG_KEPT).collect(),
                });
            }
            None => return Err(malformed("header has no alg")),
        }
        let payload = json_object(
            payload,
            "payload is not unpadded base64url",
            "payload is not a JSON object",
        )?;
        let signature =
            hs256::decode(signature).ok_or(malformed("signature is not unpadded base64url"))?;
        let parsed = parse_payload(payload)?;
        Ok(Unverified {
            signing_input: signing_input.to_owned(),
            signature,
            parsed,
        })
    }

    /// The `iss` claim, unverified: the installation's oauthId, by which the caller finds
    /// its secret (spec §4, step 4).
    pub fn issuer(&self) -> &str {
        &self.parsed.claims.issuer
    }

    /// The error for an issuer that names no installation (spec §4, step 4): 401.
    pub fn unknown_issuer(&self) -> JwtError {
        JwtError::UnknownIssuer {
            issuer: IssuerHint::new(self.issuer()),
        }
    }

    /// Checks the signature with the installation's `secret` in constant time (spec §4,
    /// step 5; an empty secret verifies nothing), then the times at `now` under `policy`
    /// (step 6; see [`Policy`]). Returns the claims only if every check passes.
    pub fn verify(
        self,
        secret: &SecretString,
        now: SystemTime,
        policy: &Policy,
    ) -> Result<Claims, JwtError> {
        let secret = secret.expose_secret().as_bytes();
        if secret.is_empty() {
            return Err(JwtError::Signature);
        }
        hs256::mac(secret, self.signing_input.as_bytes())
            .verify_slice(&self.signature)
            .map_err(|_| JwtError::Signature)?;
        check_times(&self.parsed, now, policy)?;
        Ok(self.parsed.claims)
    }
}

/// Step 6. Sums that overflow [`SystemTime`] count as "never" (no limit); the claims
/// themselves end in year 9999, so only a huge policy or `now` can overflow.
fn check_times(parsed: &Parsed, now: SystemTime, policy: &Policy) -> Result<(), JwtError> {
    let claims = &parsed.claims;
    let now_plus_leeway = now.checked_add(policy.leeway);
    let later_than_leeway = |t: SystemTime| now_plus_leeway.is_some_and(|limit| t > limit);
    if later_than_leeway(claims.issued_at) {
        return Err(JwtError::IssuedInFuture);
    }
    if parsed.not_before.is_some_and(later_than_leeway) {
        return Err(JwtError::NotYetValid);
    }
    let passed = |t: Option<SystemTime>| t.is_some_and(|t| now >= t);
    match claims.expires_at {
        Some(exp) if passed(exp.checked_add(policy.leeway)) => return Err(JwtError::Expired),
        Some(_) => {}
        None if passed(claims.issued_at.checked_add(policy.max_age)) => {
            return Err(JwtError::TooOld);
        }
        None => {}
    }
    if let Some(cap) = policy.max_age_from_iat
        && passed(claims.issued_at.checked_add(cap))
    {
        return Err(JwtError::TooOld);
    }
    Ok(())
}

fn malformed(reason: &'static str) -> JwtError {
    JwtError::Malformed { reason }
}

/// A base64url part holding a JSON object.
fn json_object(
    part: &str,
    not_base64: &'static str,
    not_object: &'static str,
) -> Result<Map<String, Value>, JwtError> {
    let bytes = hs256::decode(part).ok_or(malformed(not_base64))?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(malformed(not_object)),
    }
}
