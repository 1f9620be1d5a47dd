//! `[default.security.oauth]`: signing in through GitHub, Google or any
//! OpenID Connect provider (Flask-Security's OAuth glue, completed). OAuth is
//! on as soon as one provider is configured; each provider's table is
//! checked at launch, naming the key that is wrong.

use serde::Deserialize;
use std::collections::BTreeMap;

/// Google's issuer: a `"google"` provider is OpenID Connect at this address.
pub const GOOGLE_ISSUER: &str = "https://accounts.google.com";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    Github,
    Google,
    Oidc,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    pub kind: ProviderKind,
    /// Required for `"oidc"`; not allowed for the two built in.
    pub issuer: Option<String>,
    pub client_id: String,
    pub client_secret: String,
    pub scopes: Option<Vec<String>>,
    /// What the buttons call it ("Sign in with <label>"); by default
    /// GitHub, Google, or the name with a capital.
    pub label: Option<String>,
}

impl ProviderConfig {
    /// The issuer whose discovery document describes the provider (none:
    /// GitHub, which is OAuth 2 only).
    pub fn issuer(&self) -> Option<&str> {
        match self.kind {
            ProviderKind::Github => None,
            ProviderKind::Google => Some(GOOGLE_ISSUER),
            ProviderKind::Oidc => self.issuer.as_deref(),
        }
    }

    /// The scopes asked for, space-separated as the authorization request
    /// sends them.
    pub fn scope(&self) -> String {
        match (&self.scopes, self.kind) {
            (Some(scopes), _) => scopes.join(" "),
            (None, ProviderKind::Github) => "user:email".into(),
            (None, _) => "openid email profile".into(),
        }
    }

    fn validate(&self, name: &str) -> Result<(), String> {
        let key = |k: &str| format!("security.oauth.providers.{name}.{k}");
        match (self.kind, &self.issuer) {
            (ProviderKind::Oidc, None) => {
                return Err(format!("{} is required for kind \"oidc\"", key("issuer")))
            }
            (ProviderKind::Oidc, Some(issuer)) => {
                let parsed = url::Url::parse(issuer).ok();
                let fine = parsed.as_ref().is_some_and(|u| {
                    matches!(u.scheme(), "https" | "http")
                        && u.host().is_some()
                        && u.query().is_none()
                        && u.fragment().is_none()
                });
                if !fine {
                    return Err(format!(
                        "{} must be an http(s) URL such as \"https://id.example.com\"",
                        key("issuer")
                    ));
                }
            }
            (_, Some(_)) => {
                return Err(format!(
                    "{} is only for kind \"oidc\" (GitHub and Google have their own)",
                    key("issuer")
                ))
            }
            (_, None) => {}
        }
        if let Some(label) = &self.label {
            if label.trim().is_empty() || label.chars().count() > 40 {
                return Err(format!("{} must be 1 to 40 characters", key("label")));
            }
        }
        for (field, value) in [
            ("client_id", &self.client_id),
            ("client_secret", &self.client_secret),
        ] {
            if value.trim().is_empty() {
                return Err(format!("{} must not be empty", key(field)));
            }
        }
        if let Some(scopes) = &self.scopes {
            if scopes.iter().any(|s| s.is_empty() || s.contains(' ')) {
                return Err(format!("{} must be single words", key("scopes")));
            }
            let has = |s: &str| scopes.iter().any(|x| x == s);
            let enough = match self.kind {
                ProviderKind::Github => has("user:email") || has("user"),
                _ => has("openid") && has("email"),
            };
            if !enough {
                let needed = match self.kind {
                    ProviderKind::Github => "\"user:email\" or \"user\"",
                    _ => "\"openid\" and \"email\"",
                };
                return Err(format!("{} must contain {needed}", key("scopes")));
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OAuthConfig {
    /// Create an account for a new identity whose email the provider has
    /// verified.
    pub auto_register: bool,
    /// A new identity whose verified email belongs to an account signs in
    /// to that account and is linked to it.
    pub link_by_verified_email: bool,
    pub providers: BTreeMap<String, ProviderConfig>,
}

impl OAuthConfig {
    pub fn enabled(&self) -> bool {
        !self.providers.is_empty()
    }

    /// The configured provider names, sorted (as `oauth_providers` lists them).
    pub fn names(&self) -> Vec<&str> {
        self.providers.keys().map(String::as_str).collect()
    }

    /// Checks what serde cannot, naming the key.
    pub fn validate(&self, public_url: Option<&str>) -> Result<(), String> {
        for (name, provider) in &self.providers {
            let well_named = !name.is_empty()
                && name.len() <= 32
                && name.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                });
            if !well_named {
                return Err(format!(
                    "security.oauth.providers.{name}: a provider's name is lower-case \
                     letters, digits, '-' and '_'"
                ));
            }
            provider.validate(name)?;
        }
        // The redirect URIs must match what is registered at the provider:
        // never built from a request's Host.
        if self.enabled() && public_url.is_none() {
            return Err("security.public_url is required with OAuth providers".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::config::oauth::{OAuthConfig, ProviderConfig, ProviderKind};

    fn provider(kind: ProviderKind, issuer: Option<&str>) -> ProviderConfig {
        ProviderConfig {
            kind,
            issuer: issuer.map(str::to_owned),
            client_id: "id".into(),
            client_secret: "secret".into(),
            scopes: None,
            label: None,
        }
    }

    fn with(name: &str, provider: ProviderConfig) -> OAuthConfig {
        let mut config = OAuthConfig::default();
        config.providers.insert(name.into(), provider);
        config
    }

    #[test]
    fn each_wrong_setting_is_named() {
        let url = Some("https://example.com");
        let fine = with(
            "corp",
            provider(ProviderKind::Oidc, Some("https://id.example.com")),
        );
        assert_eq!(fine.validate(url), Ok(()));
        let err = fine.validate(None).unwrap_err();
        assert!(err.contains("public_url"), "{err}");
        for (config, key) in [
            (
                with("corp", provider(ProviderKind::Oidc, None)),
                "corp.issuer",
            ),
            (
                with("corp", provider(ProviderKind::Oidc, Some("id.example.com"))),
                "corp.issuer",
            ),
            (
                with(
                    "gh",
                    provider(ProviderKind::Github, Some("https://github.com")),
                ),
                "gh.issuer",
            ),
            (
                with("Bad Name", provider(ProviderKind::Github, None)),
                "Bad Name",
            ),
        ] {
            let err = config.validate(url).unwrap_err();
            assert!(err.contains(key), "{err} does not name {key}");
        }
        let mut no_email = provider(ProviderKind::Google, None);
        no_email.scopes = Some(vec!["openid".into()]);
        let err = with("google", no_email).validate(url).unwrap_err();
        assert!(err.contains("google.scopes"), "{err}");
        let mut blank = provider(ProviderKind::Github, None);
        blank.client_secret = " ".into();
        let err = with("github", blank).validate(url).unwrap_err();
        assert!(err.contains("github.client_secret"), "{err}");
    }

    #[test]
    fn built_in_providers_bring_their_issuer_and_scopes() {
        let google = provider(ProviderKind::Google, None);
        assert_eq!(google.issuer(), Some("https://accounts.google.com"));
        assert_eq!(google.scope(), "openid email profile");
        let github = provider(ProviderKind::Github, None);
        assert_eq!(github.issuer(), None);
        assert_eq!(github.scope(), "user:email");
    }

    #[test]
    fn a_label_is_short_and_not_blank() {
        for (label, fine) in [("Corp SSO", true), (" ", false), (&*"x".repeat(41), false)] {
            let mut corp = provider(ProviderKind::Oidc, Some("https://id.example.com"));
            corp.label = Some(label.to_owned());
            let checked = with("corp", corp).validate(Some("https://example.com"));
            assert_eq!(checked.is_ok(), fine, "{label:?}: {checked:?}");
            if !fine {
                assert!(checked.unwrap_err().contains("providers.corp.label"));
            }
        }
    }
}
