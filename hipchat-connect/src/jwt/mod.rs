//! Signed requests: the JWT that HipChat attaches to webhooks, glance queries and iframe
//! URLs, and that the add-on's own pages send back (spec §4).
//!
//! The order of the checks is the spec's (§4, steps 1–7):
//!
//! 1. [`find_token`] finds the token in the `Authorization` header (`JWT <t>` or the legacy
//!    `JWT token=<t>`) or in a `signed_request` query or form parameter; `None` is
//!    [`JwtError::Missing`].
//! 2. and 3. [`Unverified::parse`] checks the shape: three base64url parts, header `alg`
//!    exactly `HS256`, payload `iss` (string) and `iat` (number).
//! 4. The caller looks up the installation by [`Unverified::issuer`]; an unknown issuer is
//!    [`Unverified::unknown_issuer`].
//! 5. and 6. [`Unverified::verify`] checks the HMAC-SHA256 signature in constant time, then
//!    the times against a [`Policy`].
//! 7. The result is the caller's [`Claims`]: issuer, user, room, time zone, open context.
//!
//! No check depends on a mode flag (spec §8, item 5). [`sign()`] makes tokens of the same
//! shape, for tests and for pages given a fresh token.

mod claims;
mod error;
mod hs256;
mod policy;
mod sign;
mod transport;
mod verify;

pub use claims::Claims;
pub use error::{IssuerHint, JwtError};
pub use policy::Policy;
pub use sign::sign;
pub use transport::{FoundToken, TokenLocation, find_token};
pub use verify::{MAX_TOKEN_LEN, Unverified};
