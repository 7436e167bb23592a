//! The list envelope shared by every paged endpoint (spec §2).

use serde::{Deserialize, Serialize};

/// One page of a list: `{"items":[…],"startIndex":n,"maxResults":n,"links":{…}}`.
///
/// `startIndex` and `maxResults` read as 0 when absent (recent-history pages omit
/// `startIndex`). `maxResults` echoes the page size that was *requested*, not the item count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The offset of the first item (`startIndex`); 0 when absent.
    #[serde(rename = "startIndex", default)]
    pub start_index: u64,
    /// The requested page size (`maxResults`); 0 when absent.
    #[serde(rename = "maxResults", default)]
    pub max_results: u64,
    /// `self`, and `prev`/`next` when there is more in that direction.
    #[serde(default)]
    pub links: PageLinks,
}

/// The `links` of a [`Page`]: absolute URLs, to follow as opaque strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PageLinks {
    /// `self`: the collection URL as requested, without the query string.
    #[serde(rename = "self", default, skip_serializing_if = "Option::is_none")]
    pub self_url: Option<String>,
    /// `prev`: the previous page, present only when `startIndex > 0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
    /// `next`: the next page, present only when there are more items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_envelope_keys_default() {
        let page: Page<u32> =
            serde_json::from_str(r#"{"items":[1,2],"links":{"self":"s"}}"#).unwrap();
        assert_eq!(page.items, [1, 2]);
        assert_eq!((page.start_index, page.max_results), (0, 0));
        assert_eq!(page.links.self_url.as_deref(), Some("s"));
        assert_eq!(page.links.next, None);
        let page: Page<u32> = serde_json::from_str(r#"{"items":[]}"#).unwrap();
        assert_eq!(page.links, PageLinks::default());
    }

    #[test]
    fn round_trips_with_camel_case_keys() {
        let text = r#"{"items":[3],"startIndex":100,"maxResults":100,"links":{"self":"s","prev":"p","next":"n"}}"#;
        let page: Page<u32> = serde_json::from_str(text).unwrap();
        assert_eq!(page.links.prev.as_deref(), Some("p"));
        assert_eq!(serde_json::to_string(&page).unwrap(), text);
    }
}
