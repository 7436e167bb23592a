//! The group (spec §3.6, §8): view_group and group_statistics.

use super::common::{Links, UserRef};
use super::{de, time};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The body of view_group. Only viascom documents it, so everything but `id` and `name` is
/// optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Group {
    /// The group's id.
    pub id: u64,
    /// The group's name.
    #[serde(default, deserialize_with = "de::null_default")]
    pub name: String,
    /// Google Apps domain, or `null`.
    #[serde(default)]
    pub domain: Option<String>,
    /// The group's subdomain (`{subdomain}.hipchat.com`).
    #[serde(default)]
    pub subdomain: Option<String>,
    /// Creation time.
    #[serde(default, with = "time::rfc3339::option")]
    pub created: Option<Timestamp>,
    /// Avatar URL, or `null`.
    #[serde(default)]
    pub avatar_url: Option<String>,
    /// The plan.
    #[serde(default)]
    pub plan: Option<GroupPlan>,
    /// The owner.
    #[serde(default)]
    pub owner: Option<UserRef>,
    /// `links` (unrecorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
}

/// A group's `plan`: `{id, type}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupPlan {
    /// Plan id (an integer or a numeric string).
    #[serde(default, deserialize_with = "de::option_u64_or_string")]
    pub id: Option<u64>,
    /// Plan type (opaque: values unrecorded).
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
}

/// The body of group_statistics: `{"users": n}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupStatistics {
    /// Number of users in the group.
    #[serde(default, deserialize_with = "de::null_default")]
    pub users: u64,
}
