use std::fmt;

/// Checks the name of a named token (`#[hipchat(token = "deploys")]`).
///
/// Names are lowercase ASCII letters, digits and `_`, starting with a letter, so that each
/// maps to exactly one environment variable (`deploys` → `HIPCHAT_TOKEN_DEPLOYS`).
///
/// ```
/// assert!(hipchat_spec::check_token_name("deploys").is_ok());
/// assert!(hipchat_spec::check_token_name("Deploys").is_err());
/// ```
pub fn check_token_name(name: &str) -> Result<(), InvalidTokenName> {
    let mut chars = name.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    if starts_with_letter && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        Ok(())
    } else {
        Err(InvalidTokenName {
            name: name.to_owned(),
        })
    }
}

/// A token name that [`check_token_name`] rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidTokenName {
    /// The name as given.
    pub name: String,
}

impl fmt::Display for InvalidTokenName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid token name {:?}: use lowercase letters, digits and `_`, starting with a letter",
            self.name
        )
    }
}

impl std::error::Error for InvalidTokenName {}

#[cfg(test)]
mod tests {
    use super::check_token_name;

    #[test]
    fn accepts_snake_case_only() {
        for good in ["deploys", "ops_2", "a"] {
            assert!(check_token_name(good).is_ok(), "{good}");
        }
        for bad in ["", "2ops", "_ops", "Ops", "ops-room", "ops room", "é"] {
            assert!(check_token_name(bad).is_err(), "{bad}");
        }
    }
}
