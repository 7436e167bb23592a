//! Paged lists (spec v2 §2): `start-index` (≥ 0, default 0) and `max-results` (0–1000)
//! from the query, and the envelope `{"items","startIndex","maxResults","links"}` where
//! `maxResults` echoes the request, `links.self` is the collection URL without query,
//! `next` is `self` + the original query (minus `auth_token`) with
//! `start-index=start+max` when more items follow, and `prev` (with
//! `start-index=max(start-max,0)`) when `start > 0`; absent otherwise.

use serde_json::{Map, Value, json};

use super::Call;
use crate::error::ApiError;
use crate::validate;

/// The largest `max-results` (spec v2 §2 cap; \[decision\] 1000 everywhere).
pub const MAX_RESULTS: u64 = 1000;

/// A requested page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// `start-index`.
    pub start: usize,
    /// `max-results`.
    pub max: usize,
}

impl Paging {
    /// Reads `start-index` and `max-results` (default `default_max`) from the query:
    /// 400 (`type`, `minimum`, `maximum`) on bad values.
    pub fn from_call(call: &Call, default_max: usize) -> Result<Self, ApiError> {
        let start = integer(call, "start-index")?.unwrap_or(0);
        if start < 0 {
            return Err(validate::out_of_range(
                "start-index",
                &json!(start),
                "minimum",
                0,
            ));
        }
        let max = integer(call, "max-results")?.map_or(Ok(default_max as i64), |max| {
            if max < 0 {
                Err(validate::out_of_range(
                    "max-results",
                    &json!(max),
                    "minimum",
                    0,
                ))
            } else if max > MAX_RESULTS as i64 {
                Err(validate::out_of_range(
                    "max-results",
                    &json!(max),
                    "maximum",
                    MAX_RESULTS as i64,
                ))
            } else {
                Ok(max)
            }
        })?;
        Ok(Self {
            start: usize::try_from(start).unwrap_or(usize::MAX),
            max: usize::try_from(max).unwrap_or(0),
        })
    }

    /// This page of `items`.
    pub fn slice<T>(&self, items: &[T]) -> std::ops::Range<usize> {
        let from = self.start.min(items.len());
        let to = from.saturating_add(self.max).min(items.len());
        from..to
    }
}

/// An integer query parameter: `None` when absent, 400 `type` when not an integer.
pub fn integer(call: &Call, name: &str) -> Result<Option<i64>, ApiError> {
    match call.query.get(name) {
        None => Ok(None),
        Some(text) => text
            .trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| validate::not_of_type(name, &json!(text), "integer")),
    }
}

/// A boolean query parameter (`true`/`false`, any case; `1`/`0`): `default` when
/// absent, 400 `type` otherwise.
pub fn boolean(call: &Call, name: &str, default: bool) -> Result<bool, ApiError> {
    match call.query.get(name) {
        None => Ok(default),
        Some(text) => match text.to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(validate::not_of_type(name, &json!(text), "boolean")),
        },
    }
}

/// The envelope of one page of `all` (already filtered and ordered).
pub fn page(call: &Call, paging: Paging, all: Vec<Value>) -> Value {
    let total = all.len();
    let range = paging.slice(&all);
    let more = range.end < total;
    let items: Vec<Value> = all
        .into_iter()
        .skip(range.start)
        .take(range.len())
        .collect();
    envelope(call, paging, items, more)
}

/// The envelope around `items` (one page), given whether more items follow.
pub fn envelope(call: &Call, paging: Paging, items: Vec<Value>, more: bool) -> Value {
    let this = call.links.request_url();
    let mut links = Map::new();
    links.insert("self".into(), json!(this));
    if more {
        let next = paging.start.saturating_add(paging.max);
        links.insert("next".into(), json!(with_start(call, &this, next)));
    }
    if paging.start > 0 {
        let prev = paging.start.saturating_sub(paging.max);
        links.insert("prev".into(), json!(with_start(call, &this, prev)));
    }
    json!({
        "items": items,
        "startIndex": paging.start,
        "maxResults": paging.max,
        "links": links,
    })
}

/// `url` + the request's query without `auth_token`, `start-index` set to `start`.
fn with_start(call: &Call, url: &str, start: usize) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    let mut placed = false;
    for (key, value) in call.query.pairs() {
        match key.as_str() {
            "auth_token" => {}
            "start-index" if placed => {}
            "start-index" => {
                query.append_pair(key, &start.to_string());
                placed = true;
            }
            _ => {
                query.append_pair(key, value);
            }
        }
    }
    if !placed {
        query.append_pair("start-index", &start.to_string());
    }
    format!("{url}?{}", query.finish())
}
