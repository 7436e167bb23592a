//! Cards checked against the schema HipChat's server printed in a 400 (spec §6), kept in
//! `schema/hipchat-card-schema-server-echo.json`.
//!
//! That schema is written for the server's Python validator (validictory), not for a
//! standard JSON Schema draft, so off-the-shelf validators (draft 4 and later) misread it:
//! properties are **required unless `"optional": true`** (draft-02/03 style), `type` may be
//! a list of type names *or schemas* (a union), and `minLength`/`maxLength` bound arrays
//! as well as strings (`attributes` holds 1–10 items). This module implements exactly
//! those keywords: `type`, `optional`, `properties`, `additionalProperties` (boolean),
//! `items`, `enum`, `minLength`, `maxLength`; `description` and `$comment` are ignored.
//! String lengths count code points.
//!
//! [`check_draft4`] reads the same keywords the draft-4 way, plus `pattern`: a property
//! is required only when its object's `required` array names it. HipChat's add-on
//! descriptor schema (`hipchat-addon-capabilities.schema.json`) is written so: draft-4
//! `required` arrays, yet draft-03 unions of schemas in `type`, which draft-4 validator
//! crates refuse as an invalid schema. There, as in draft 4, `minLength`/`maxLength`
//! bound strings only (Sentry's add-on sent glances with `"conditions": []`, which the
//! schema's `minLength: 1` would refuse if it bound arrays).

use std::sync::OnceLock;

use serde_json::{Map, Value};

const SCHEMA_TEXT: &str = include_str!("../schema/hipchat-card-schema-server-echo.json");

/// The first place where a card breaks the schema (for logs; HipChat's answer is always
/// the same `card`/`type` error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer-like path to the offending value, `""` for the card itself.
    pub path: String,
    /// What is wrong there.
    pub reason: String,
}

/// The whole schema document.
pub fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(SCHEMA_TEXT).unwrap_or(Value::Null))
}

/// What HipChat put in `expected_type`: the schema's `type` list, without our `$comment`.
pub fn expected_type() -> Value {
    schema().get("type").cloned().unwrap_or(Value::Null)
}

/// Checks a `card` value (`null` is allowed).
pub fn validate(card: &Value) -> Result<(), Violation> {
    check(card, schema(), "")
}

fn fail(path: &str, reason: impl Into<String>) -> Result<(), Violation> {
    Err(Violation {
        path: path.to_owned(),
        reason: reason.into(),
    })
}

/// Checks `value` against `schema`, any schema in the dialect described above (the
/// server echo, or a copy of it loaded from a fixture), reporting paths under `path`.
/// [`validate`] is `check(card, schema(), "")`.
pub fn check(value: &Value, schema: &Value, path: &str) -> Result<(), Violation> {
    check_in(value, schema, path, Dialect::Validictory)
}

/// Checks `value` against a schema whose objects list their required properties in
/// `required` (draft 4), with `pattern`s; see the module docs.
pub fn check_draft4(value: &Value, schema: &Value, path: &str) -> Result<(), Violation> {
    check_in(value, schema, path, Dialect::Draft4)
}

/// How a schema marks required properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    /// Required unless `"optional": true`.
    Validictory,
    /// Required when the object's `required` array names it.
    Draft4,
}

fn check_in(value: &Value, schema: &Value, path: &str, dialect: Dialect) -> Result<(), Violation> {
    let Some(schema) = schema.as_object() else {
        return Ok(());
    };
    match schema.get("type") {
        Some(Value::Array(alternatives)) => {
            let mut first_error = None;
            for alternative in alternatives {
                let result = match alternative {
                    Value::String(name) => {
                        type_matches(value, name)
                            .then_some(())
                            .ok_or_else(|| Violation {
                                path: path.to_owned(),
                                reason: format!("not of type {name}"),
                            })
                    }
                    other => check_in(value, other, path, dialect),
                };
                match result {
                    Ok(()) => return check_keywords(value, schema, path, dialect),
                    Err(error) => {
                        first_error.get_or_insert(error);
                    }
                }
            }
            // A value of the right kind for one alternative explains the failure best.
            let best = alternatives
                .iter()
                .filter_map(|alternative| alternative.get("type").and_then(Value::as_str))
                .any(|name| name != "null" && type_matches(value, name));
            if best {
                for alternative in alternatives {
                    let kind = alternative.get("type").and_then(Value::as_str);
                    if kind.is_some_and(|name| type_matches(value, name)) {
                        return check_in(value, alternative, path, dialect);
                    }
                }
            }
            Err(first_error.unwrap_or_else(|| Violation {
                path: path.to_owned(),
                reason: "matches no alternative".into(),
            }))
        }
        Some(Value::String(name)) if !type_matches(value, name) => {
            fail(path, format!("not of type {name}"))
        }
        _ => check_keywords(value, schema, path, dialect),
    }
}

fn type_matches(value: &Value, name: &str) -> bool {
    match name {
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "null" => value.is_null(),
        "any" => true,
        _ => false,
    }
}

fn check_keywords(
    value: &Value,
    schema: &Map<String, Value>,
    path: &str,
    dialect: Dialect,
) -> Result<(), Violation> {
    if let Some(Value::Array(allowed)) = schema.get("enum")
        && !allowed.contains(value)
    {
        return fail(path, "not one of the enumerated values");
    }
    let length = match value {
        Value::String(text) => Some(text.chars().count()),
        Value::Array(items) if dialect == Dialect::Validictory => Some(items.len()),
        _ => None,
    };
    if let Some(length) = length {
        let bound = |key: &str| schema.get(key).and_then(Value::as_u64);
        if let Some(min) = bound("minLength")
            && (length as u64) < min
        {
            return fail(path, format!("length {length} is below minLength {min}"));
        }
        if let Some(max) = bound("maxLength")
            && (length as u64) > max
        {
            return fail(path, format!("length {length} is above maxLength {max}"));
        }
    }
    if let (Value::String(text), Some(Value::String(pattern))) = (value, schema.get("pattern")) {
        let matches = regex::Regex::new(pattern).map(|regex| regex.is_match(text));
        if matches == Ok(false) {
            return fail(path, format!("does not match the pattern {pattern}"));
        }
    }
    if let (Value::Object(object), Some(Value::Object(properties))) =
        (value, schema.get("properties"))
    {
        for (name, property) in properties {
            let child = format!("{path}/{name}");
            match object.get(name) {
                Some(item) => check_in(item, property, &child, dialect)?,
                None if !is_required(schema, name, property, dialect) => {}
                None => return fail(&child, "required property is missing"),
            }
        }
        if schema.get("additionalProperties") == Some(&Value::Bool(false))
            && let Some(extra) = object.keys().find(|key| !properties.contains_key(*key))
        {
            return fail(
                &format!("{path}/{extra}"),
                "additional property not allowed",
            );
        }
    }
    if let (Value::Array(items), Some(item_schema)) = (value, schema.get("items")) {
        for (index, item) in items.iter().enumerate() {
            check_in(item, item_schema, &format!("{path}/{index}"), dialect)?;
        }
    }
    Ok(())
}

fn is_required(
    parent: &Map<String, Value>,
    name: &str,
    property: &Value,
    dialect: Dialect,
) -> bool {
    match dialect {
        Dialect::Validictory => property.get("optional") != Some(&Value::Bool(true)),
        Dialect::Draft4 => parent
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|required| required.iter().any(|item| item == name)),
    }
}
