//! Signed requests (spec §4): the synthesized fixture's verdicts, our own refusals, every
//! transport, and properties (no single-byte change of a token is accepted; nothing panics).

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, HeaderValue, Uri, header::AUTHORIZATION};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hipchat_connect::jwt::{
    Claims, JwtError, MAX_TOKEN_LEN, Policy, TokenLocation, Unverified, find_token, sign,
};
use hmac::{Hmac, KeyInit, Mac};
use proptest::prelude::*;
use secrecy::SecretString;
use serde_json::{Value, json};

/// `fixtures/hipchat-connect/jwt-cases.synthesized.json` (see that folder's README).
const FIXTURE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../fixtures/hipchat-connect/jwt-cases.synthesized.json"
));

/// The fixture's installation.
const ISSUER: &str = "1234-5678-9876-5432";
const SECRET: &str = "a1b2c3d4e5f6";
/// The fixture's `iat`.
const IAT: u64 = 1_500_000_000;

fn secret() -> SecretString {
    SecretString::from(SECRET)
}

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// Steps 2–6 as a caller runs them: parse, find the installation by issuer, verify.
fn check_with(token: &str, now: SystemTime, policy: &Policy) -> Result<Claims, JwtError> {
    let installations = HashMap::from([(ISSUER, secret())]);
    let unverified = Unverified::parse(token)?;
    let Some(secret) = installations.get(unverified.issuer()) else {
        return Err(unverified.unknown_issuer());
    };
    unverified.verify(secret, now, policy)
}

fn check(token: &str, now: SystemTime) -> Result<Claims, JwtError> {
    check_with(token, now, &Policy::default())
}

/// An independent HS256 signer over any header and payload text, for tokens `sign` does
/// not make (other algorithms, extra header keys, payloads of any shape).
fn forge(header: &str, payload: &str, key: &str) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(input.as_bytes());
    format!(
        "{input}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    )
}

const HS256_HEADER: &str = r#"{"typ":"JWT","alg":"HS256"}"#;

/// The docs-shaped claims, issued at `IAT`, expiring an hour later.
fn docs_claims() -> Value {
    json!({"iss": ISSUER, "sub": "4979430", "iat": IAT, "exp": IAT + 3600,
           "jti": "AbCdEfGhIjKlMnOpQrSt",
           "context": {"room_id": 9876, "user_tz": "Europe/Paris"}})
}

/// `claims` with the keys of `changes` set, or removed where `changes` has `null`.
fn with(claims: Value, changes: Value) -> Value {
    let mut claims = claims;
    for (key, value) in changes.as_object().unwrap() {
        if value.is_null() {
            claims.as_object_mut().unwrap().remove(key);
        } else {
            claims[key] = value.clone();
        }
    }
    claims
}

/// The reason of the `Malformed` that `token` must be refused with.
fn malformed(token: &str) -> &'static str {
    match check(token, at(IAT + 60)) {
        Err(JwtError::Malformed { reason }) => reason,
        other => panic!("expected Malformed, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// The fixture

fn fixture_case(name: &str) -> Value {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    assert_eq!(fixture["secret"], SECRET);
    fixture["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|case| case["name"] == name)
        .unwrap_or_else(|| panic!("no case {name}"))
        .clone()
}

fn fixture_token(name: &str) -> String {
    fixture_case(name)["token"].as_str().unwrap().to_owned()
}

/// `sign` makes, from the fixture's claims, a token with the same header and the same
/// verified claims (the payload's key order may differ: serde_json sorts keys).
fn assert_same_as_signed(claims: &Value, token: &str) {
    let ours = sign(claims, &secret());
    assert_eq!(ours.split('.').next(), token.split('.').next());
    assert_eq!(check(&ours, at(IAT + 60)), check(token, at(IAT + 60)));
}

#[test]
fn fixture_has_the_four_cases_this_file_checks() {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let names: Vec<&str> = fixture["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| case["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "valid-docs-shape",
            "legacy-prn-shape-as-in-ac-node-hipchat-tests",
            "bad-signature",
            "unknown-issuer"
        ]
    );
}

#[test]
fn fixture_valid_docs_shape_is_valid_until_exp_plus_leeway() {
    let case = fixture_case("valid-docs-shape");
    let token = case["token"].as_str().unwrap();
    // "valid signature; expired if now > exp": valid from iat to exp + 60 s of leeway.
    let claims = check(token, at(IAT + 60)).unwrap();
    assert_eq!(claims.issuer, ISSUER);
    assert_eq!(claims.user.as_deref(), Some("4979430"));
    assert_eq!(claims.room, Some(9876));
    assert_eq!(claims.timezone.as_deref(), Some("Europe/Paris"));
    assert_eq!(claims.jti.as_deref(), Some("AbCdEfGhIjKlMnOpQrSt"));
    assert_eq!(claims.issued_at, at(IAT));
    assert_eq!(claims.expires_at, Some(at(IAT + 3600)));
    assert_eq!(Value::Object(claims.context), case["claims"]["context"]);
    assert!(check(token, at(IAT)).is_ok());
    assert!(check(token, at(IAT + 3600 + 59)).is_ok());
    assert_eq!(check(token, at(IAT + 3600 + 60)), Err(JwtError::Expired));
    assert_same_as_signed(&case["claims"], token);
}

#[test]
fn fixture_legacy_prn_without_exp_lives_max_age_from_iat() {
    let case = fixture_case("legacy-prn-shape-as-in-ac-node-hipchat-tests");
    let token = case["token"].as_str().unwrap();
    // "valid signature; user id in prn": the number 1 is the user "1"; tz is the legacy key.
    let claims = check(token, at(IAT + 60)).unwrap();
    assert_eq!(claims.issuer, ISSUER);
    assert_eq!(claims.user.as_deref(), Some("1"));
    assert_eq!(claims.timezone.as_deref(), Some("GMT"));
    assert_eq!(claims.room, None);
    assert_eq!(claims.expires_at, None);
    assert_eq!(claims.jti, None);
    // No exp: valid while now < iat + 3600 s.
    assert!(check(token, at(IAT + 3599)).is_ok());
    assert_eq!(check(token, at(IAT + 3600)), Err(JwtError::TooOld));
    assert_same_as_signed(&case["claims"], token);
}

#[test]
fn fixture_bad_signature_is_refused_401() {
    let err = check(&fixture_token("bad-signature"), at(IAT + 60)).unwrap_err();
    assert_eq!(err, JwtError::Signature);
    assert_eq!(err.status(), 401);
    assert_eq!(err.www_authenticate(), Some("JWT"));
}

#[test]
fn fixture_unknown_issuer_is_refused_401_and_shown_truncated() {
    let token = fixture_token("unknown-issuer");
    let err = check(&token, at(IAT + 60)).unwrap_err();
    assert!(matches!(err, JwtError::UnknownIssuer { .. }), "{err:?}");
    assert_eq!(err.status(), 401);
    let shown = err.to_string();
    assert!(shown.contains("unknown-…"), "{shown}");
    assert!(!shown.contains("unknown-oauth-id"), "{shown}");
    assert!(!format!("{err:?}").contains("unknown-oauth-id"));
    // "validly signed": with the secret it would pass, so only the lookup refuses it.
    let unverified = Unverified::parse(&token).unwrap();
    assert_eq!(unverified.issuer(), "unknown-oauth-id");
    assert!(
        unverified
            .verify(&secret(), at(IAT + 60), &Policy::default())
            .is_ok()
    );
}

// ---------------------------------------------------------------------------------------
// Algorithm and header

#[test]
fn only_exactly_hs256_is_accepted() {
    let payload = docs_claims().to_string();
    for alg in ["none", "HS512", "hs256", "RS256", "HS256 ", ""] {
        let header = json!({"typ": "JWT", "alg": alg}).to_string();
        let err = check(&forge(&header, &payload, SECRET), at(IAT + 60)).unwrap_err();
        assert_eq!(
            err,
            JwtError::Algorithm {
                alg: alg.to_owned()
            },
            "{alg:?}"
        );
        assert_eq!(err.status(), 401);
    }
    // `alg: none` with the empty signature such tokens carry.
    let none = forge(r#"{"alg":"none"}"#, &payload, SECRET);
    let unsigned = format!("{}.", none.rsplit_once('.').unwrap().0);
    assert!(matches!(
        check(&unsigned, at(IAT + 60)),
        Err(JwtError::Algorithm { .. })
    ));
    // Not a string, or absent.
    let err = check(&forge(r#"{"alg":256}"#, &payload, SECRET), at(IAT + 60)).unwrap_err();
    assert_eq!(err, JwtError::Algorithm { alg: "256".into() });
    assert_eq!(
        malformed(&forge(r#"{"typ":"JWT"}"#, &payload, SECRET)),
        "header has no alg"
    );
    // A long alg is cut in the error.
    let long = json!({"alg": "X".repeat(1000)}).to_string();
    match check(&forge(&long, &payload, SECRET), at(IAT + 60)) {
        Err(JwtError::Algorithm { alg }) => assert_eq!(alg.len(), 16),
        other => panic!("{other:?}"),
    }
}

#[test]
fn header_keys_never_choose_the_key() {
    let payload = docs_claims().to_string();
    let header = r#"{"typ":"JWT","alg":"HS256","kid":"other","jku":"https://evil.example/k"}"#;
    // kid/jku are ignored: signed with the installation's secret it passes...
    let claims = check(&forge(header, &payload, SECRET), at(IAT + 60)).unwrap();
    assert_eq!(claims.user.as_deref(), Some("4979430"));
    // ...and signed with the key they point at it fails.
    assert_eq!(
        check(&forge(header, &payload, "other"), at(IAT + 60)),
        Err(JwtError::Signature)
    );
    // typ is optional and its value is not checked.
    assert!(check(&forge(r#"{"alg":"HS256"}"#, &payload, SECRET), at(IAT + 60)).is_ok());
    assert!(
        check(
            &forge(r#"{"alg":"HS256","typ":"other"}"#, &payload, SECRET),
            at(IAT + 60)
        )
        .is_ok()
    );
}

#[test]
fn an_empty_secret_verifies_nothing() {
    let token = forge(HS256_HEADER, &docs_claims().to_string(), "");
    let unverified = Unverified::parse(&token).unwrap();
    assert_eq!(
        unverified.verify(&SecretString::from(""), at(IAT + 60), &Policy::default()),
        Err(JwtError::Signature)
    );
}

// ---------------------------------------------------------------------------------------
// Times

#[test]
fn expired_beyond_the_leeway_but_not_within_it() {
    let token = sign(&docs_claims(), &secret());
    let exp = IAT + 3600;
    assert!(check(&token, at(exp - 1)).is_ok());
    assert!(check(&token, at(exp)).is_ok(), "within the 60 s leeway");
    assert!(check(&token, at(exp + 59)).is_ok());
    assert_eq!(check(&token, at(exp + 60)), Err(JwtError::Expired));
    assert_eq!(check(&token, at(exp + 86_400)), Err(JwtError::Expired));
    let strict = Policy::default().with_leeway(Duration::ZERO);
    assert_eq!(check_with(&token, at(exp), &strict), Err(JwtError::Expired));
}

#[test]
fn issued_in_the_future_beyond_the_leeway_but_not_within_it() {
    let token = sign(&docs_claims(), &secret());
    assert!(
        check(&token, at(IAT - 60)).is_ok(),
        "within the 60 s leeway"
    );
    assert_eq!(check(&token, at(IAT - 61)), Err(JwtError::IssuedInFuture));
    assert_eq!(check(&token, at(0)), Err(JwtError::IssuedInFuture));
}

#[test]
fn nbf_later_than_the_leeway_is_not_valid_yet() {
    let token = sign(&with(docs_claims(), json!({"nbf": IAT + 600})), &secret());
    assert_eq!(check(&token, at(IAT + 539)), Err(JwtError::NotYetValid));
    assert!(check(&token, at(IAT + 540)).is_ok());
}

#[test]
fn without_exp_older_than_max_age_is_too_old() {
    let token = sign(&with(docs_claims(), json!({"exp": null})), &secret());
    assert!(check(&token, at(IAT + 3599)).is_ok());
    assert_eq!(check(&token, at(IAT + 3600)), Err(JwtError::TooOld));
    let short = Policy::default().with_max_age(Duration::from_secs(600));
    assert_eq!(
        check_with(&token, at(IAT + 600), &short),
        Err(JwtError::TooOld)
    );
    // `exp: null` counts as no exp.
    let mut null_exp = docs_claims();
    null_exp["exp"] = Value::Null;
    let token = sign(&null_exp, &secret());
    assert!(check(&token, at(IAT + 3599)).is_ok());
    assert_eq!(check(&token, at(IAT + 3600)), Err(JwtError::TooOld));
}

#[test]
fn the_cap_from_iat_applies_even_before_exp() {
    let token = sign(
        &with(docs_claims(), json!({"exp": IAT + 86_400})),
        &secret(),
    );
    let capped = Policy::default().with_max_age_from_iat(Duration::from_secs(900));
    assert!(check_with(&token, at(IAT + 899), &capped).is_ok());
    assert_eq!(
        check_with(&token, at(IAT + 900), &capped),
        Err(JwtError::TooOld)
    );
    assert!(check(&token, at(IAT + 900)).is_ok(), "no cap by default");
}

#[test]
fn fractional_times_are_seconds() {
    let claims = with(
        docs_claims(),
        json!({"iat": 1_500_000_000.5, "exp": 1_500_003_600.25}),
    );
    let claims = check(&sign(&claims, &secret()), at(IAT + 60)).unwrap();
    assert_eq!(claims.issued_at, at(IAT) + Duration::from_millis(500));
    assert_eq!(
        claims.expires_at,
        Some(at(IAT + 3600) + Duration::from_millis(250))
    );
}

// ---------------------------------------------------------------------------------------
// Claims

#[test]
fn required_claims_and_their_types() {
    let signed = |changes: Value| sign(&with(docs_claims(), changes), &secret());
    assert_eq!(malformed(&signed(json!({"iss": null}))), "iss is missing");
    assert_eq!(
        malformed(&signed(json!({"iss": 12}))),
        "iss is not a string"
    );
    assert_eq!(malformed(&signed(json!({"iss": ""}))), "iss is empty");
    assert_eq!(malformed(&signed(json!({"iat": null}))), "iat is missing");
    for bad in [
        json!("1500000000"),
        json!(-1),
        json!(1e300),
        json!(253_402_300_800_u64),
        json!(true),
        json!([1]),
    ] {
        let reason = malformed(&signed(json!({ "iat": bad })));
        assert!(reason.starts_with("iat is not a number"), "{bad}");
        let reason = malformed(&signed(json!({ "exp": bad })));
        assert!(reason.starts_with("exp is not a number"), "{bad}");
    }
    assert!(malformed(&signed(json!({"jti": 1}))).starts_with("jti"));
    assert!(malformed(&signed(json!({"context": "room"}))).starts_with("context"));
    let err = check(&sign(&json!({"iss": ISSUER}), &secret()), at(IAT)).unwrap_err();
    assert_eq!(err.status(), 400);
    assert_eq!(err.www_authenticate(), None);
    // A payload that is not an object.
    assert_eq!(
        malformed(&forge(HS256_HEADER, "[1,2]", SECRET)),
        "payload is not a JSON object"
    );
    // Malformed is decided before the issuer is looked up.
    let stranger = sign(&json!({"iss": "stranger", "iat": "now"}), &secret());
    assert!(malformed(&stranger).starts_with("iat"));
}

#[test]
fn room_id_as_integer_or_numeric_string() {
    let room = |room_id: Value| {
        let claims = with(docs_claims(), json!({"context": {"room_id": room_id}}));
        check(&sign(&claims, &secret()), at(IAT + 60)).map(|claims| claims.room)
    };
    assert_eq!(room(json!(9876)), Ok(Some(9876)));
    assert_eq!(room(json!("9876")), Ok(Some(9876)));
    assert_eq!(room(Value::Null), Ok(None));
    for bad in [
        json!("12a"),
        json!(""),
        json!("-1"),
        json!(-1),
        json!(1.5),
        json!("99999999999999999999999"),
        json!([]),
    ] {
        assert!(
            matches!(room(bad.clone()), Err(JwtError::Malformed { .. })),
            "{bad}"
        );
    }
    // The context stays open.
    let claims = with(
        docs_claims(),
        json!({"context": {"room_id": 1, "extra": {"a": 1}}}),
    );
    let claims = check(&sign(&claims, &secret()), at(IAT + 60)).unwrap();
    assert_eq!(claims.context["extra"], json!({"a": 1}));
    assert_eq!(claims.timezone, None);
}

#[test]
fn user_is_sub_or_prn_as_a_string() {
    let user = |changes: Value| {
        let claims = with(docs_claims(), changes);
        check(&sign(&claims, &secret()), at(IAT + 60)).map(|claims| claims.user)
    };
    assert_eq!(
        user(json!({"sub": null, "prn": 4979430})),
        Ok(Some("4979430".into()))
    );
    assert_eq!(
        user(json!({"sub": null, "prn": "42"})),
        Ok(Some("42".into()))
    );
    assert_eq!(user(json!({"sub": 7})), Ok(Some("7".into())));
    assert_eq!(
        user(json!({"prn": 1})),
        Ok(Some("4979430".into())),
        "sub wins"
    );
    assert_eq!(user(json!({"sub": null})), Ok(None));
    assert_eq!(user(json!({"sub": ""})), Ok(None));
    assert!(matches!(
        user(json!({"sub": {}})),
        Err(JwtError::Malformed { .. })
    ));
    assert!(matches!(
        user(json!({"sub": null, "prn": 1.5})),
        Err(JwtError::Malformed { .. })
    ));
}

#[test]
fn timezone_is_user_tz_else_tz() {
    let tz = |context: Value| {
        let claims = with(docs_claims(), json!({ "context": context }));
        check(&sign(&claims, &secret()), at(IAT + 60)).map(|claims| claims.timezone)
    };
    assert_eq!(tz(json!({"tz": "GMT"})), Ok(Some("GMT".into())));
    assert_eq!(
        tz(json!({"tz": "GMT", "user_tz": "Europe/Paris"})),
        Ok(Some("Europe/Paris".into()))
    );
    assert!(matches!(
        tz(json!({"tz": 1})),
        Err(JwtError::Malformed { .. })
    ));
}

// ---------------------------------------------------------------------------------------
// Shape

#[test]
fn shapes_that_are_not_a_jwt_are_malformed() {
    let token = sign(&docs_claims(), &secret());
    let (head, signature) = token.rsplit_once('.').unwrap();
    let (header, payload) = head.split_once('.').unwrap();
    let cases = [
        String::new(),
        ".".into(),
        "..".into(),
        "...".into(),
        header.into(),
        head.into(),
        format!("{token}."),
        format!("{head}.{signature}.{signature}"),
        format!(".{payload}.{signature}"),
        format!("{header}..{signature}"),
        format!("{header}=.{payload}.{signature}"),
        format!("{header}.{payload}.{signature}="),
        format!(" {token}"),
        format!("{token}\n"),
        format!(
            "{}.{payload}.{signature}",
            URL_SAFE_NO_PAD.encode([0xff, 0xfe])
        ),
        format!(
            "{header}.{}.{signature}",
            URL_SAFE_NO_PAD.encode([0xc3, 0x28])
        ),
        format!("{header}.{payload}.!!"),
        format!("{header}.{payload}.{}", signature.replace('-', "+")),
        format!("{header}.{payload}.{}", signature.replace('_', "/")),
    ];
    for case in &cases {
        assert!(
            matches!(check(case, at(IAT + 60)), Err(JwtError::Malformed { .. })),
            "{case:?}"
        );
    }
    // Decodes fine but is the wrong length: a signature mismatch.
    assert_eq!(
        check(&format!("{head}."), at(IAT + 60)),
        Err(JwtError::Signature)
    );
}

#[test]
fn huge_tokens_are_refused_before_decoding() {
    let padding = "A".repeat(10 * 1024 * 1024);
    assert_eq!(
        malformed(&format!("{padding}.{padding}.{padding}")),
        "longer than 8 KiB"
    );
    // Right at the limit a well-formed token still parses.
    let claims = with(docs_claims(), json!({"context": {"pad": ""}}));
    let base = sign(&claims, &secret()).len();
    let pad = "x".repeat((MAX_TOKEN_LEN - base) / 4 * 3);
    let token = sign(
        &with(docs_claims(), json!({"context": {"pad": pad}})),
        &secret(),
    );
    assert!(token.len() <= MAX_TOKEN_LEN && token.len() > MAX_TOKEN_LEN - 8);
    assert!(check(&token, at(IAT + 60)).is_ok());
}

#[test]
fn errors_never_show_the_token_or_the_secret() {
    let token = sign(&docs_claims(), &secret());
    let every_error = [
        check(&token, at(IAT + 7200)).unwrap_err(),
        check(&fixture_token("bad-signature"), at(IAT)).unwrap_err(),
        check(&fixture_token("unknown-issuer"), at(IAT)).unwrap_err(),
        check(&token[1..], at(IAT)).unwrap_err(),
    ];
    let unverified = Unverified::parse(&token).unwrap();
    let claims = check(&token, at(IAT)).unwrap();
    let shown = format!("{every_error:?} {unverified:?} {claims:?}")
        + &every_error
            .iter()
            .map(ToString::to_string)
            .collect::<String>();
    for part in token.split('.') {
        assert!(!shown.contains(part), "{shown}");
    }
    assert!(!shown.contains(SECRET));
    assert!(!shown.contains(ISSUER), "{shown}");
    assert!(shown.contains("1234-567…"), "{shown}");
}

// ---------------------------------------------------------------------------------------
// Transport

fn headers(authorization: &[&str]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for value in authorization {
        headers.append(AUTHORIZATION, HeaderValue::from_str(value).unwrap());
    }
    headers
}

fn found(headers: &HeaderMap, uri: &str, form: Option<&str>) -> Option<(String, TokenLocation)> {
    let uri: Uri = uri.parse().unwrap();
    find_token(headers, &uri, form.map(str::as_bytes)).map(|found| (found.token, found.source))
}

#[test]
fn every_transport_form_is_found() {
    let token = fixture_token("valid-docs-shape");
    let t = token.as_str();
    let header = |value: String| found(&headers(&[&value]), "/hook", None);
    let expected = Some((token.clone(), TokenLocation::Header));
    assert_eq!(header(format!("JWT {t}")), expected);
    assert_eq!(header(format!("jwt {t}")), expected);
    assert_eq!(header(format!("Jwt   {t}  ")), expected);
    assert_eq!(header(format!("  JWT\t{t}")), expected);
    let legacy = Some((token.clone(), TokenLocation::LegacyHeader));
    assert_eq!(header(format!("JWT token={t}")), legacy);
    assert_eq!(header(format!("jwt Token= {t} ")), legacy);
    assert_eq!(header(format!("JWT token=\"{t}\"")), legacy);
    assert_eq!(
        found(
            &HeaderMap::new(),
            &format!("/glance?x=1&signed_request={t}"),
            None
        ),
        Some((token.clone(), TokenLocation::Query))
    );
    assert_eq!(
        found(
            &HeaderMap::new(),
            "/hook",
            Some(&format!("a=b&signed_request={t}"))
        ),
        Some((token.clone(), TokenLocation::Form))
    );
    // What is found verifies.
    let (found_token, _) = header(format!("JWT token={t}")).unwrap();
    assert!(check(&found_token, at(IAT + 60)).is_ok());
}

#[test]
fn nothing_else_is_a_token() {
    let none = |values: &[&str]| found(&headers(values), "/hook", None);
    assert_eq!(none(&["Bearer abc.def.ghi"]), None);
    assert_eq!(none(&["Basic YTpi"]), None);
    assert_eq!(none(&["JWT"]), None);
    assert_eq!(none(&["JWT   "]), None);
    assert_eq!(none(&["JWT token="]), None);
    assert_eq!(none(&["JWTabc.def.ghi"]), None);
    assert_eq!(none(&["abc.def.ghi"]), None);
    assert_eq!(found(&HeaderMap::new(), "/p?signed_request=", None), None);
    assert_eq!(found(&HeaderMap::new(), "/p?jwt=a.b.c", None), None);
    assert_eq!(
        found(&HeaderMap::new(), "/p", Some("signed_request=")),
        None
    );
    assert_eq!(found(&HeaderMap::new(), "/p", None), None);
    // A Bearer header does not hide a signed_request, and a JWT header comes first.
    assert_eq!(
        found(&headers(&["Bearer x"]), "/p?signed_request=q", None),
        Some(("q".into(), TokenLocation::Query))
    );
    assert_eq!(
        found(
            &headers(&["Bearer x", "JWT h"]),
            "/p?signed_request=q",
            Some("signed_request=f")
        ),
        Some(("h".into(), TokenLocation::Header))
    );
    assert_eq!(
        found(
            &HeaderMap::new(),
            "/p?signed_request=q",
            Some("signed_request=f")
        ),
        Some(("q".into(), TokenLocation::Query))
    );
    // Percent-encoding in the query is decoded.
    assert_eq!(
        found(&HeaderMap::new(), "/p?signed_request=a%2Eb", None),
        Some(("a.b".into(), TokenLocation::Query))
    );
    // A header value that is not visible ASCII is no token.
    let mut opaque = HeaderMap::new();
    opaque.insert(
        AUTHORIZATION,
        HeaderValue::from_bytes(b"JWT \xff.a.b").unwrap(),
    );
    assert_eq!(found(&opaque, "/p", None), None);
    // `None` is the 401 with the challenge.
    assert_eq!(JwtError::Missing.status(), 401);
    assert_eq!(JwtError::Missing.www_authenticate(), Some("JWT"));
}

#[test]
fn found_token_debug_hides_the_token() {
    let found = find_token(
        &headers(&["JWT secret.token.here"]),
        &Uri::from_static("/"),
        None,
    );
    let shown = format!("{found:?}");
    assert!(!shown.contains("secret"), "{shown}");
    assert!(shown.contains("Header"), "{shown}");
}

// ---------------------------------------------------------------------------------------
// Properties

/// One change of a token's bytes.
#[derive(Debug, Clone)]
enum Mutation {
    Change(usize, u8),
    Insert(usize, u8),
    Delete(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Change(i, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<usize>().prop_map(Mutation::Delete),
        // Bytes tokens are made of, or that a lenient decoder would take: the likeliest
        // to decode.
        (
            any::<usize>(),
            prop::sample::select(b"AQgw_-.=+/ ".to_vec())
        )
            .prop_map(|(i, b)| Mutation::Change(i, b)),
        (any::<usize>(), prop::sample::select(b"A.= \n".to_vec()))
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
    ]
}

/// `token` with `mutation` applied; `None` if nothing changed or the bytes are not UTF-8
/// (no `&str` token can be made of them).
fn mutate(token: &str, mutation: &Mutation) -> Option<String> {
    let mut bytes = token.as_bytes().to_vec();
    match *mutation {
        Mutation::Change(i, b) => {
            let i = i % bytes.len();
            if bytes[i] == b {
                return None;
            }
            bytes[i] = b;
        }
        Mutation::Insert(i, b) => bytes.insert(i % (bytes.len() + 1), b),
        Mutation::Delete(i) => {
            bytes.remove(i % bytes.len());
        }
    }
    String::from_utf8(bytes).ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Decoding is strict (no `=`, no non-zero trailing bits, no whitespace trimmed), so
    /// each part has exactly one accepted encoding, and the signature covers
    /// `header.payload` as text. Hence no mutation is accepted at all, not even one with
    /// equal claims: a changed header or payload changes the signed text (signature
    /// mismatch or malformed), a changed signature decodes to other bytes, is the wrong
    /// length or is not base64url, and a changed or added dot breaks the three parts.
    #[test]
    fn no_single_byte_mutation_is_accepted(
        mutation in mutation(),
        user in "[0-9]{1,9}",
        room in any::<u64>(),
        legacy in any::<bool>(),
    ) {
        let claims = if legacy {
            json!({"iss": ISSUER, "prn": user.parse::<u64>().unwrap(), "iat": IAT,
                   "context": {"tz": "GMT"}})
        } else {
            with(docs_claims(), json!({"sub": user, "context": {"room_id": room}}))
        };
        let token = sign(&claims, &secret());
        prop_assert!(check(&token, at(IAT + 60)).is_ok());
        if let Some(mutated) = mutate(&token, &mutation) {
            let verdict = check(&mutated, at(IAT + 60));
            prop_assert!(verdict.is_err(), "{:?} accepted: {}", mutation, mutated);
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(token in any::<String>()) {
        let _ = check(&token, at(IAT));
        let _ = found(&headers(&[]), "/", Some(&token));
    }

    #[test]
    fn arbitrary_dotted_base64_never_panics(token in "[A-Za-z0-9_=.-]{0,300}") {
        let _ = check(&token, at(IAT));
    }

    #[test]
    fn arbitrary_claim_values_never_panic(
        iat in prop_oneof![
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
        ],
        exp in prop_oneof![
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            Just(Value::Null),
        ],
        now in any::<u64>(),
        leeway in any::<u64>(),
    ) {
        let token = sign(&json!({"iss": ISSUER, "iat": iat, "exp": exp}), &secret());
        let policy = Policy::default()
            .with_leeway(Duration::from_secs(leeway))
            .with_max_age(Duration::from_secs(u64::MAX))
            .with_max_age_from_iat(Duration::MAX);
        let now = UNIX_EPOCH.checked_add(Duration::from_secs(now)).unwrap_or(UNIX_EPOCH);
        let _ = check_with(&token, now, &policy);
    }

    #[test]
    fn arbitrary_authorization_headers_never_panic(value in "[ -~\t]{0,200}") {
        if let Ok(value) = HeaderValue::from_str(&value) {
            let mut headers = HeaderMap::new();
            headers.insert(AUTHORIZATION, value);
            let _ = find_token(&headers, &Uri::from_static("/"), None);
        }
    }
}

/// The property above, exhaustively for one token: every byte changed to every other
/// ASCII byte, every deletion, every insertion of a base64url character, `.`, `=` or a
/// space.
#[test]
fn no_single_byte_mutation_is_accepted_exhaustively() {
    let token = fixture_token("valid-docs-shape");
    let mut mutations = Vec::new();
    for i in 0..token.len() {
        mutations.extend((0..128).map(|b| Mutation::Change(i, b)));
        mutations.push(Mutation::Delete(i));
    }
    let inserted = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.= ";
    for i in 0..=token.len() {
        mutations.extend(inserted.iter().map(|&b| Mutation::Insert(i, b)));
    }
    for mutation in &mutations {
        if let Some(mutated) = mutate(&token, mutation) {
            assert!(
                check(&mutated, at(IAT + 60)).is_err(),
                "{mutation:?} accepted"
            );
        }
    }
}
