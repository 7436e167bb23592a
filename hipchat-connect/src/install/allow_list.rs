//! Which HipChat servers may install the add-on (spec §2.1 step 3a): hosts of
//! `capabilitiesUrl` (and of the redirect uninstall's URLs), checked before any request
//! leaves the add-on.

use url::Url;

use super::Refusal;

/// Hosts allowed to install the add-on: none configured means any.
#[derive(Debug, Clone, Default)]
pub(crate) struct AllowedHosts {
    hosts: Vec<String>,
}

impl AllowedHosts {
    /// `hosts`: exact names (`hipchat.example.com`), or `*.example.com` for every
    /// subdomain. Case-insensitive.
    pub(crate) fn new<I, S>(hosts: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            hosts: hosts
                .into_iter()
                .map(|host| host.into().to_ascii_lowercase())
                .collect(),
        }
    }

    /// Whether no list is configured (every host allowed).
    pub(crate) fn is_open(&self) -> bool {
        self.hosts.is_empty()
    }

    /// Refuses `url` unless its host is allowed: 403 naming the host.
    pub(crate) fn check(&self, url: &Url) -> Result<(), Refusal> {
        if self.is_open() {
            return Ok(());
        }
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let allowed = self
            .hosts
            .iter()
            .any(|pattern| match pattern.strip_prefix("*.") {
                Some(domain) => host
                    .strip_suffix(domain)
                    .is_some_and(|sub| sub.ends_with('.') && sub.len() > 1),
                None => *pattern == host,
            });
        if allowed {
            Ok(())
        } else {
            Err(Refusal::forbidden(format!(
                "this add-on only accepts installations from {}; {host:?} is not one of them",
                self.hosts.join(", ")
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn exact_hosts_and_subdomain_patterns() {
        let hosts = AllowedHosts::new(["hipchat.example.com", "*.corp.example"]);
        assert!(
            hosts
                .check(&url("https://HipChat.example.com/v2/capabilities"))
                .is_ok()
        );
        assert!(
            hosts
                .check(&url("https://chat.corp.example/v2/capabilities"))
                .is_ok()
        );
        for refused in [
            "https://corp.example/v2/capabilities",
            "https://evilcorp.example/v2/capabilities",
            "https://hipchat.example.com.evil.example/v2/capabilities",
            "https://127.0.0.1/v2/capabilities",
        ] {
            let refusal = hosts.check(&url(refused)).unwrap_err();
            assert_eq!(
                refusal.status,
                axum::http::StatusCode::FORBIDDEN,
                "{refused}"
            );
        }
        assert!(
            AllowedHosts::default()
                .check(&url("http://anything/"))
                .is_ok()
        );
    }
}
