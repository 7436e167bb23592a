//! The two primitives that signing and verification share: unpadded base64url and
//! HMAC-SHA256 keyed by the installation's secret.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// HMAC-SHA256, the only algorithm HipChat used (`HS256`).
pub(super) type HmacSha256 = Hmac<Sha256>;

/// base64url without padding, strict: `=` and non-zero trailing bits are refused, so each
/// byte string has exactly one accepted encoding.
pub(super) fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes a strict unpadded base64url part; `None` if it is not one.
pub(super) fn decode(part: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(part).ok()
}

/// An HMAC-SHA256 keyed by `secret`, fed with `signing_input` (`header.payload`).
pub(super) fn mac(secret: &[u8], signing_input: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length (longer ones are hashed), so this never fails.
    let mut mac =
        <HmacSha256 as KeyInit>::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(signing_input);
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_is_strict_so_each_byte_string_has_one_encoding() {
        assert_eq!(decode("YQ"), Some(b"a".to_vec()));
        // Padding, non-zero trailing bits, the standard alphabet, whitespace: refused.
        for not_canonical in ["YQ==", "YR", "Y+", "Y/", " YQ", "YQ\n", "Y"] {
            assert_eq!(decode(not_canonical), None, "{not_canonical:?}");
        }
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
    }
}
