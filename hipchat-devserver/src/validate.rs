//! Field checks for request bodies, in the order HipChat's server ran them (spec §4):
//! parse (see [`crate::body`]), required, types, enums, lengths, card. The first failure
//! becomes a 400 in the §5 shape; lengths count code points.

use serde_json::{Map, Value, json};

use crate::card_schema;
use crate::error::{ApiError, Validation};
use crate::pyrepr::{repr, repr_str};

/// The colors HipChat accepts.
pub const COLORS: &[&str] = &["yellow", "green", "red", "purple", "gray", "random"];
/// The message formats HipChat accepts.
pub const FORMATS: &[&str] = &["html", "text"];

/// What a field must hold.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A string, optionally from a fixed set, with a length range in code points.
    Str {
        /// Allowed values, if any.
        one_of: Option<&'static [&'static str]>,
        /// Fewest code points.
        min: usize,
        /// Most code points.
        max: Option<usize>,
    },
    /// A JSON boolean.
    Bool,
    /// A card (object or null), checked against the server echo schema.
    Card,
    /// A JSON object (`owner` in update_room).
    Object,
    /// A JSON array (`room_roles`).
    Array,
    /// A string or an integer (`owner_user_id`: id, email or @mention).
    IdOrName,
}

/// One top-level field of a request body.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The JSON property name.
    pub name: &'static str,
    /// Must be present.
    pub required: bool,
    /// Its type and limits.
    pub kind: Kind,
}

impl Field {
    /// A string field.
    pub const fn string(
        name: &'static str,
        required: bool,
        min: usize,
        max: Option<usize>,
    ) -> Self {
        Self {
            name,
            required,
            kind: Kind::Str {
                one_of: None,
                min,
                max,
            },
        }
    }

    /// A string field with a fixed set of values.
    pub const fn one_of(name: &'static str, values: &'static [&'static str]) -> Self {
        Self {
            name,
            required: false,
            kind: Kind::Str {
                one_of: Some(values),
                min: 0,
                max: None,
            },
        }
    }

    /// An optional boolean field.
    pub const fn boolean(name: &'static str) -> Self {
        Self {
            name,
            required: false,
            kind: Kind::Bool,
        }
    }

    /// A field of another JSON type ([`Kind::Object`], [`Kind::Array`], [`Kind::IdOrName`]).
    pub const fn of(name: &'static str, required: bool, kind: Kind) -> Self {
        Self {
            name,
            required,
            kind,
        }
    }

    /// A required boolean field.
    pub const fn required_boolean(name: &'static str) -> Self {
        Self {
            name,
            required: true,
            kind: Kind::Bool,
        }
    }

    /// A required string field with a fixed set of values.
    pub const fn required_one_of(name: &'static str, values: &'static [&'static str]) -> Self {
        Self {
            name,
            required: true,
            kind: Kind::Str {
                one_of: Some(values),
                min: 0,
                max: None,
            },
        }
    }

    /// The optional `card` field.
    pub const fn card() -> Self {
        Self {
            name: "card",
            required: false,
            kind: Kind::Card,
        }
    }

    fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Str { .. } => "string",
            Kind::Bool => "boolean",
            Kind::Card | Kind::Object => "object",
            Kind::Array => "array",
            Kind::IdOrName => "string",
        }
    }
}

/// send_room_notification's body (spec §4).
pub const NOTIFICATION: &[Field] = &[
    Field::string("message", true, 1, Some(10_000)),
    Field::one_of("message_format", FORMATS),
    Field::one_of("color", COLORS),
    Field::boolean("notify"),
    Field::string("from", false, 0, Some(64)),
    Field::string("attach_to", false, 0, Some(36)),
    Field::card(),
];

/// send_message's body (spec §9).
pub const ROOM_MESSAGE: &[Field] = &[Field::string("message", true, 1, Some(1_000))];

/// private_message_user's body (spec §9).
pub const PRIVATE_MESSAGE: &[Field] = &[
    Field::string("message", true, 1, Some(10_000)),
    Field::boolean("notify"),
    Field::one_of("message_format", FORMATS),
];

/// share_link_with_room's body (spec §9; limits unrecorded: message as send_message).
pub const SHARE_LINK: &[Field] = &[
    Field::string("message", false, 0, Some(1_000)),
    Field::string("link", true, 1, None),
];

/// Runs every check on `body`, phase by phase; unknown keys are ignored.
pub fn validate(body: &Map<String, Value>, fields: &[Field]) -> Result<(), ApiError> {
    for field in fields {
        if field.required && !body.contains_key(field.name) {
            return Err(required(field));
        }
    }
    let present = || {
        fields
            .iter()
            .filter_map(|field| body.get(field.name).map(|value| (field, value)))
    };
    for (field, value) in present() {
        let ok = match field.kind {
            Kind::Str { .. } => value.is_string(),
            Kind::Bool => value.is_boolean(),
            Kind::Card => true, // any card failure is reported by the card phase
            Kind::Object => value.is_object(),
            Kind::Array => value.is_array(),
            Kind::IdOrName => value.is_string() || value.is_u64(),
        };
        if !ok {
            return Err(wrong_type(field, value));
        }
    }
    for (field, value) in present() {
        if let (
            Kind::Str {
                one_of: Some(values),
                ..
            },
            Value::String(text),
        ) = (field.kind, value)
            && !values.contains(&text.as_str())
        {
            return Err(not_in_enum(field, value, values));
        }
    }
    for (field, value) in present() {
        if let (Kind::Str { min, max, .. }, Value::String(text)) = (field.kind, value) {
            let length = text.chars().count();
            if length < min {
                return Err(length_error(field, value, "minLength", min));
            }
            if let Some(max) = max
                && length > max
            {
                return Err(length_error(field, value, "maxLength", max));
            }
        }
    }
    for (field, value) in present() {
        if let Kind::Card = field.kind
            && let Err(violation) = card_schema::validate(value)
        {
            tracing::debug!(path = %violation.path, reason = %violation.reason, "card rejected");
            return Err(card_error(value));
        }
    }
    Ok(())
}

/// 400 `required`: `field` is missing.
pub fn required(field: &Field) -> ApiError {
    ApiError::invalid(
        format!("Required field '{}' is missing", field.name),
        Validation {
            field: field.name.into(),
            validation: "required".into(),
            value: Value::Null,
            expected_type: json!(field.type_name()),
            description: None,
        },
    )
}

fn wrong_type(field: &Field, value: &Value) -> ApiError {
    not_of_type(field.name, value, field.type_name())
}

/// 400 `type`: `value` of field (or query parameter) `name` is not a `type_name`.
pub fn not_of_type(name: &str, value: &Value, type_name: &str) -> ApiError {
    ApiError::invalid(
        format!(
            "Value {} for field {} is not of type {}",
            repr(value),
            repr_str(name),
            repr_str(type_name)
        ),
        Validation {
            field: name.into(),
            validation: "type".into(),
            value: value.clone(),
            expected_type: json!(type_name),
            description: None,
        },
    )
}

/// 400 `minimum` / `maximum`: the number `value` of field (or query parameter) `name`
/// is below / above `bound`.
pub fn out_of_range(name: &str, value: &Value, check: &str, bound: i64) -> ApiError {
    let relation = if check == "minimum" {
        "less than the minimum of"
    } else {
        "greater than the maximum of"
    };
    ApiError::invalid(
        format!(
            "Value {} for field {} is {relation} {bound}",
            repr(value),
            repr_str(name)
        ),
        Validation {
            field: name.into(),
            validation: check.into(),
            value: value.clone(),
            expected_type: json!("integer"),
            description: None,
        },
    )
}

fn not_in_enum(field: &Field, value: &Value, values: &[&str]) -> ApiError {
    let options: Vec<Value> = values.iter().map(|v| json!(v)).collect();
    ApiError::invalid(
        format!(
            "Value {} for field {} is not in the enumeration: {}",
            repr(value),
            repr_str(field.name),
            repr(&Value::Array(options))
        ),
        Validation {
            field: field.name.into(),
            validation: "enum".into(),
            value: value.clone(),
            expected_type: json!(field.type_name()),
            description: None,
        },
    )
}

fn length_error(field: &Field, value: &Value, check: &str, bound: usize) -> ApiError {
    let relation = if check == "minLength" {
        "greater than or equal to"
    } else {
        "less than or equal to"
    };
    ApiError::invalid(
        format!(
            "Length of value {} for field {} must be {relation} {bound}",
            repr(value),
            repr_str(field.name)
        ),
        Validation {
            field: field.name.into(),
            validation: check.into(),
            value: value.clone(),
            expected_type: json!(field.type_name()),
            description: None,
        },
    )
}

/// The recorded card error: `card`/`type`, the whole schema as `expected_type`.
fn card_error(card: &Value) -> ApiError {
    let expected = card_schema::expected_type();
    ApiError::invalid(
        format!(
            "Value {} for field 'card' is not of type {}",
            repr(card),
            repr(&expected)
        ),
        Validation {
            field: "card".into(),
            validation: "type".into(),
            value: card.clone(),
            expected_type: expected,
            description: Some("Value {value!r} is not of type {expected_type!r}".into()),
        },
    )
}
