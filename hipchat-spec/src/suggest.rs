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
    candidates
        .iter()
        .map(|candidate| (strsim::damerau_levenshtein(&value, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= budget(&value, candidate))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// One edit per three characters, at least one ("grey" → "gray", "colour" → "color"),
/// counting only the characters after the prefix `value` shares with `candidate`: a
/// shared `lozenge-` makes `lozenge-blue` no nearer to `lozenge-moved`.
fn budget(value: &str, candidate: &str) -> usize {
    let shared = value
        .chars()
        .zip(candidate.chars())
        .take_while(|(a, b)| a == b)
        .count();
    ((value.chars().count() - shared) / 3).max(1)
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
        let lozenges = ["lozenge-success", "lozenge-moved", "lozenge"];
        assert_eq!(
            closest("lozenge-sucess", &lozenges),
            Some("lozenge-success")
        );
        assert_eq!(closest("lozenge-blue", &lozenges), None);
    }
}
