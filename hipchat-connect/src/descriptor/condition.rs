//! Conditions: whether a glance, web panel or action shows (spec §1 "Conditions").

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::one_or_many;
use hipchat_runtime::__open_enum as open_enum;

open_enum! {
    /// A built-in condition (`condition`). Glances take the first four and
    /// `glance_matches`; web panels the first four; actions the first four and the
    /// `message_*` ones and `card_matches`.
    pub enum ConditionName {
        /// `room_is_public`.
        RoomIsPublic = "room_is_public",
        /// `user_is_admin`.
        UserIsAdmin = "user_is_admin",
        /// `user_is_guest`.
        UserIsGuest = "user_is_guest",
        /// `user_is_room_owner`.
        UserIsRoomOwner = "user_is_room_owner",
        /// `glance_matches`: the glance's metadata matches `params.metadata` (glances).
        GlanceMatches = "glance_matches",
        /// `message_matches` (actions).
        MessageMatches = "message_matches",
        /// `message_contains_link` (actions).
        MessageContainsLink = "message_contains_link",
        /// `message_sent_by_current_user` (actions).
        MessageSentByCurrentUser = "message_sent_by_current_user",
        /// `card_matches`: the message card's metadata matches `params.metadata` (actions).
        CardMatches = "card_matches",
    }
}

impl ConditionName {
    /// The conditions every module kind takes.
    const COMMON: [ConditionName; 4] = [
        ConditionName::RoomIsPublic,
        ConditionName::UserIsAdmin,
        ConditionName::UserIsGuest,
        ConditionName::UserIsRoomOwner,
    ];

    /// Whether a glance may use this condition.
    pub fn applies_to_glance(&self) -> bool {
        Self::COMMON.contains(self) || *self == ConditionName::GlanceMatches
    }

    /// Whether a web panel may use this condition.
    pub fn applies_to_web_panel(&self) -> bool {
        Self::COMMON.contains(self)
    }

    /// Whether an action may use this condition.
    pub fn applies_to_action(&self) -> bool {
        self.is_known() && *self != ConditionName::GlanceMatches
    }
}

open_enum! {
    /// How a compound condition combines its parts (`type`).
    pub enum Combinator {
        /// `and` (`AND` accepted).
        And = "and" | "AND",
        /// `or` (`OR` accepted).
        Or = "or" | "OR",
    }
}

/// A condition: a single built-in one, or `{type: and|or, conditions}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Condition {
    /// One built-in condition.
    Single(SingleCondition),
    /// Several combined.
    Compound(CompoundCondition),
}

/// `{condition, invert?, params?}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SingleCondition {
    /// Which condition.
    pub condition: ConditionName,
    /// Negates it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invert: Option<bool>,
    /// Its parameters, e.g. `{"metadata": [{"attr": …, "eq": …}]}`; kept as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<Map<String, Value>>,
}

/// `{type, conditions}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompoundCondition {
    /// `and` or `or`.
    #[serde(rename = "type")]
    pub combinator: Combinator,
    /// The parts.
    #[serde(deserialize_with = "one_or_many::deserialize")]
    pub conditions: Vec<Condition>,
}

impl Condition {
    /// The built-in condition `name`, without parameters.
    pub fn is(name: ConditionName) -> Self {
        Self::Single(SingleCondition {
            condition: name,
            invert: None,
            params: None,
        })
    }

    /// The built-in condition `name`, negated.
    pub fn not(name: ConditionName) -> Self {
        Self::Single(SingleCondition {
            condition: name,
            invert: Some(true),
            params: None,
        })
    }

    /// `glance_matches` or `card_matches` on metadata: each `(attr, eq)` pair becomes
    /// `{"attr": attr, "eq": eq}` under `params.metadata`.
    pub fn metadata<A, V>(name: ConditionName, matches: impl IntoIterator<Item = (A, V)>) -> Self
    where
        A: Into<String>,
        V: Into<Value>,
    {
        let metadata = matches
            .into_iter()
            .map(|(attr, eq)| {
                let mut pair = Map::new();
                pair.insert("attr".to_owned(), Value::String(attr.into()));
                pair.insert("eq".to_owned(), eq.into());
                Value::Object(pair)
            })
            .collect();
        let mut params = Map::new();
        params.insert("metadata".to_owned(), Value::Array(metadata));
        Self::Single(SingleCondition {
            condition: name,
            invert: None,
            params: Some(params),
        })
    }

    /// All of `conditions`.
    pub fn and(conditions: impl IntoIterator<Item = Condition>) -> Self {
        Self::compound(Combinator::And, conditions)
    }

    /// Any of `conditions`.
    pub fn or(conditions: impl IntoIterator<Item = Condition>) -> Self {
        Self::compound(Combinator::Or, conditions)
    }

    fn compound(combinator: Combinator, conditions: impl IntoIterator<Item = Condition>) -> Self {
        Self::Compound(CompoundCondition {
            combinator,
            conditions: conditions.into_iter().collect(),
        })
    }

    /// Every built-in condition named here, nested ones included.
    pub fn names(&self) -> Vec<&ConditionName> {
        match self {
            Self::Single(single) => vec![&single.condition],
            Self::Compound(compound) => compound
                .conditions
                .iter()
                .flat_map(Condition::names)
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_single_and_compound_conditions() {
        let json = r#"[{"condition":"user_is_admin","invert":true},
            {"type":"OR","conditions":[{"condition":"room_is_public"},
              {"condition":"card_matches","params":{"metadata":[{"attr":"a","eq":true}]}}]}]"#;
        let conditions: Vec<Condition> = serde_json::from_str(json).unwrap();
        assert_eq!(conditions[0], Condition::not(ConditionName::UserIsAdmin));
        assert_eq!(
            conditions[1],
            Condition::or([
                Condition::is(ConditionName::RoomIsPublic),
                Condition::metadata(ConditionName::CardMatches, [("a", true)]),
            ])
        );
        let written = serde_json::to_value(&conditions[1]).unwrap();
        assert_eq!(written["type"], "or");
    }

    #[test]
    fn which_modules_take_which_conditions() {
        assert!(ConditionName::GlanceMatches.applies_to_glance());
        assert!(!ConditionName::GlanceMatches.applies_to_action());
        assert!(ConditionName::CardMatches.applies_to_action());
        assert!(!ConditionName::CardMatches.applies_to_web_panel());
        assert!(!ConditionName::from("teleported").applies_to_action());
    }
}
