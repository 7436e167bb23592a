//! JWTs the server signs for an add-on installation (spec hipchat-connect §4
//! \[emulator\]): header `{"typ":"JWT","alg":"HS256"}`, claims `{iss: oauthId, sub: user
//! id (string), iat, exp: iat + 3600, jti (20 random characters), context: {room_id,
//! user_tz}}`, HMAC-SHA256 keyed by the installation's oauthSecret.

use std::time::SystemTime;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::json;
use sha2::Sha256;

use crate::clock::unix_seconds;
use crate::directory::installations::{Installation, random_alphanumeric};

/// How long a signed token is valid: `exp` = `iat` + this (seconds).
pub const LIFETIME_SECONDS: u64 = 3600;

/// The `context.user_tz` the server puts in tokens.
pub const USER_TZ: &str = "UTC";

/// A token for `installation`, for user `user_id` in room `room_id`, issued at `now`.
pub fn sign_jwt(
    installation: &Installation,
    user_id: u64,
    room_id: Option<u64>,
    now: SystemTime,
) -> String {
    let iat = unix_seconds(now);
    let claims = json!({
        "iss": installation.oauth_id,
        "sub": user_id.to_string(),
        "iat": iat,
        "exp": iat + LIFETIME_SECONDS,
        "jti": random_alphanumeric(20),
        "context": {"room_id": room_id, "user_tz": USER_TZ},
    });
    sign(&claims, &installation.oauth_secret)
}

/// `claims` signed with HS256 under `secret`.
pub fn sign(claims: &serde_json::Value, secret: &str) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"HS256"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let input = format!("{header}.{payload}");
    let signature = signature(&input, secret);
    format!("{input}.{signature}")
}

/// The base64url HS256 signature of `input` (`header.payload`) under `secret`.
pub fn signature(input: &str, secret: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(input.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use serde_json::Value;

    use super::*;

    fn installation() -> Installation {
        Installation {
            oauth_id: "778b83b9-2c08-4550-8909-edeeb32b2f6b".into(),
            oauth_secret: "a1b2c3d4e5f6".into(),
            key: "my-add-on".into(),
            name: "Mine".into(),
            descriptor_url: String::new(),
            descriptor: Value::Null,
            scopes: Vec::new(),
            room_id: Some(7),
            capabilities_url: String::new(),
            installed: UNIX_EPOCH,
        }
    }

    #[test]
    fn signs_the_documented_claims() {
        let now = UNIX_EPOCH + Duration::from_secs(1_500_000_000);
        let token = sign_jwt(&installation(), 42, Some(7), now);
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let decode = |part: &str| -> Value {
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
        };
        assert_eq!(decode(parts[0]), json!({"typ": "JWT", "alg": "HS256"}));
        let claims = decode(parts[1]);
        assert_eq!(claims["iss"], "778b83b9-2c08-4550-8909-edeeb32b2f6b");
        assert_eq!(claims["sub"], "42");
        assert_eq!(claims["iat"], 1_500_000_000);
        assert_eq!(claims["exp"], 1_500_003_600);
        assert_eq!(claims["context"], json!({"room_id": 7, "user_tz": "UTC"}));
        let jti = claims["jti"].as_str().unwrap();
        assert_eq!(jti.len(), 20);
        assert!(jti.bytes().all(|b| b.is_ascii_alphanumeric()));
        let mut mac = Hmac::<Sha256>::new_from_slice(b"a1b2c3d4e5f6").unwrap();
        mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
        mac.verify_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap())
            .unwrap();
    }

    #[test]
    fn matches_the_synthesized_vector() {
        let cases: Value = serde_json::from_str(include_str!(
            "../../../../fixtures/hipchat-connect/jwt-cases.synthesized.json"
        ))
        .unwrap();
        let token = cases["cases"][0]["token"].as_str().unwrap();
        let (input, expected) = token.rsplit_once('.').unwrap();
        assert_eq!(
            signature(input, cases["secret"].as_str().unwrap()),
            expected
        );
    }
}
