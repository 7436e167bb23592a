/// The candidate closest to `value`, if it is close enough to be a likely typo.
///
/// Used for "did you mean" hints on colors, formats and attribute keys.
///
/// ```
/// assert_eq!(hipchat_spec::closest("grey", &["red", "gray"]), Some("gray"));
/// assert_eq!(hipchat_spec::closest("blue", &["red", "gray"]), None);
/// ```
pub fn closest<'a>(value: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let value = value.to_ascii_lowercase();
    // One edit per three characters, at least one: "grey" → "gray", "colour" → "color".
    let budget = (value.chars().count() / 3).max(1);
    candidates
        .iter()
        .map(|candidate| (strsim::damerau_levenshtein(&value, candidate), *candidate))
        .filter(|(distance, _)| *distance <= budget)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggests_near_misses_only() {
        let keys = [
            "room", "color", "from", "notify", "format", "template", "message", "token",
        ];
        assert_eq!(closest("colour", &keys), Some("color"));
        assert_eq!(closest("templte", &keys), Some("template"));
        assert_eq!(closest("ROOM", &keys), Some("room"));
        assert_eq!(closest("background", &keys), None);
        assert_eq!(closest("", &keys), None);
    }
}
