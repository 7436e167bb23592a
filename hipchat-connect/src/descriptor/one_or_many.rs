//! One-or-many lists: real descriptors put a single object where the schema has an
//! array (the ACE template's `webhook`, spec §1 "Tolerance"). Every list of the
//! descriptor reads through [`deserialize`]; lists are always written as arrays.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, StrDeserializer, StringDeserializer};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// Reads an array, a single value (object or string) as a one-element list, or `null`
/// as an empty list. Use with `#[serde(default, deserialize_with = "…")]`.
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(OneOrMany(PhantomData))
}

struct OneOrMany<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrMany<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array, a single object or string, or null")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(items)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(|one| vec![one])
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
        T::deserialize(StrDeserializer::new(value)).map(|one| vec![one])
    }

    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<Self::Value, E> {
        T::deserialize(StringDeserializer::new(value)).map(|one| vec![one])
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        a: u8,
    }

    #[derive(Debug, Deserialize)]
    struct Holder {
        #[serde(default, deserialize_with = "super::deserialize")]
        items: Vec<Item>,
        #[serde(default, deserialize_with = "super::deserialize")]
        words: Vec<String>,
    }

    fn parse(json: &str) -> Holder {
        serde_json::from_str(json).expect("parses")
    }

    #[test]
    fn reads_arrays_single_values_null_and_absence() {
        assert_eq!(
            parse(r#"{"items":[{"a":1},{"a":2}]}"#).items,
            [Item { a: 1 }, Item { a: 2 }]
        );
        assert_eq!(parse(r#"{"items":{"a":3}}"#).items, [Item { a: 3 }]);
        assert_eq!(parse(r#"{"items":null}"#).items, []);
        assert_eq!(parse("{}").items, []);
        assert_eq!(parse(r#"{"words":"one"}"#).words, ["one"]);
        assert_eq!(parse(r#"{"words":["a","b"]}"#).words, ["a", "b"]);
    }

    #[test]
    fn a_wrong_shape_is_an_error_not_a_panic() {
        let err = serde_json::from_str::<Holder>(r#"{"items":7}"#).unwrap_err();
        assert!(
            err.to_string().contains("an array, a single object"),
            "{err}"
        );
        assert!(serde_json::from_str::<Holder>(r#"{"items":{"b":1}}"#).is_err());
    }
}
