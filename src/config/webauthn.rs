//! `[default.security.webauthn]`: passkeys and security keys (Flask-Security's
//! `WAN_*` settings). The relying party's id and origin come from
//! `security.public_url` (or are given), never from a request's `Host`, and
//! launch is refused when a browser would refuse them.

use crate::config::duration::HumanDuration;
use serde::Deserialize;

/// What a key is registered for: signing in on its own, or as the second
/// factor after a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WanUsage {
    First,
    Secondary,
}

impl WanUsage {
    pub fn as_str(self) -> &'static str {
        match self {
            WanUsage::First => "first",
            WanUsage::Secondary => "secondary",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "first" => Some(WanUsage::First),
            "secondary" => Some(WanUsage::Secondary),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebauthnConfig {
    pub enabled: bool,
    /// Shown in the browser's passkey dialog; required when enabled.
    pub rp_name: Option<String>,
    /// The host of `public_url` unless given: that host or a parent domain.
    pub rp_id: Option<String>,
    /// Scheme, host and port of `public_url` unless given.
    pub origin: Option<String>,
    pub register_timeout: HumanDuration,
    pub signin_timeout: HumanDuration,
    /// How long a registration `wan_state` lives.
    pub register_within: HumanDuration,
    /// How long a sign-in or verify `wan_state` lives.
    pub signin_within: HumanDuration,
    pub allow_as_first_factor: bool,
    pub allow_as_multi_factor: bool,
    pub allow_as_verify: Vec<WanUsage>,
}

impl Default for WebauthnConfig {
    fn default() -> Self {
        WebauthnConfig {
            enabled: false,
            rp_name: None,
            rp_id: None,
            origin: None,
            register_timeout: HumanDuration(time::Duration::seconds(60)),
            signin_timeout: HumanDuration(time::Duration::seconds(60)),
            register_within: HumanDuration(time::Duration::minutes(30)),
            signin_within: HumanDuration(time::Duration::minutes(1)),
            allow_as_first_factor: true,
            allow_as_multi_factor: true,
            allow_as_verify: vec![WanUsage::First, WanUsage::Secondary],
        }
    }
}

/// The relying party as the browser will check it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelyingParty {
    pub name: String,
    pub id: String,
    pub origin: url::Url,
}

impl WebauthnConfig {
    /// The relying party, or why launch is refused (naming the key).
    pub fn relying_party(&self, public_url: Option<&str>) -> Result<RelyingParty, String> {
        let name = match self.rp_name.as_deref().map(str::trim) {
            Some(name) if !name.is_empty() => name.to_owned(),
            _ => return Err("security.webauthn.rp_name is required with webauthn on".into()),
        };
        // Without public_url, both must be given (no Host header decides).
        let origin_text = match (&self.origin, public_url) {
            (Some(origin), Some(_)) => origin.clone(),
            (Some(origin), None) if self.rp_id.is_some() => origin.clone(),
            (None, Some(url)) => url.to_owned(),
            _ => {
                return Err(
                    "security.webauthn.origin and rp_id (or security.public_url) are \
                     required with webauthn on"
                        .into(),
                )
            }
        };
        let key = if self.origin.is_some() {
            "security.webauthn.origin"
        } else {
            "security.public_url"
        };
        let parsed = url::Url::parse(&origin_text)
            .map_err(|_| format!("{key} {origin_text:?} is not a URL"))?;
        let host = match parsed.host() {
            Some(url::Host::Domain(host)) => host.to_ascii_lowercase(),
            Some(_) => {
                return Err(format!(
                    "{key}: browsers refuse passkeys on an IP address; use a host name \
                     (http://localhost:PORT while developing)"
                ))
            }
            None => return Err(format!("{key} {origin_text:?} has no host")),
        };
        let secure =
            parsed.scheme() == "https" || (parsed.scheme() == "http" && host == "localhost");
        if !secure {
            return Err(format!(
                "{key} must be https:// (http:// only for localhost): browsers refuse passkeys \
                 elsewhere"
            ));
        }
        // The origin alone: scheme, host and port.
        let origin = url::Url::parse(&parsed.origin().ascii_serialization())
            .map_err(|_| format!("{key} {origin_text:?} is not a URL"))?;
        let id = match self
            .rp_id
            .as_deref()
            .map(|id| id.trim().to_ascii_lowercase())
        {
            None => host.clone(),
            Some(id) if id == host || (host.ends_with(&format!(".{id}")) && id.contains('.')) => id,
            Some(id) => {
                return Err(format!(
                    "security.webauthn.rp_id {id:?} must be the origin's host ({host}) or a \
                     parent domain of it"
                ))
            }
        };
        for (key, d) in [
            ("register_timeout", &self.register_timeout),
            ("signin_timeout", &self.signin_timeout),
            ("register_within", &self.register_within),
            ("signin_within", &self.signin_within),
        ] {
            if d.0 <= time::Duration::ZERO || d.0 > time::Duration::days(1) {
                return Err(format!(
                    "security.webauthn.{key} must be between 1 second and 1 day"
                ));
            }
        }
        Ok(RelyingParty { name, id, origin })
    }
}

#[cfg(test)]
mod tests {
    use crate::config::webauthn::*;

    fn on() -> WebauthnConfig {
        WebauthnConfig {
            enabled: true,
            rp_name: Some("Example".into()),
            ..WebauthnConfig::default()
        }
    }

    #[test]
    fn the_relying_party_comes_from_public_url() {
        let rp = on()
            .relying_party(Some("https://login.example.com"))
            .unwrap();
        assert_eq!(rp.id, "login.example.com");
        assert_eq!(rp.origin.as_str(), "https://login.example.com/");
        let local = on().relying_party(Some("http://localhost:8000")).unwrap();
        assert_eq!(local.id, "localhost");
        assert_eq!(
            local.origin.origin().ascii_serialization(),
            "http://localhost:8000"
        );
        let parent = WebauthnConfig {
            rp_id: Some("example.com".into()),
            ..on()
        };
        let rp = parent
            .relying_party(Some("https://login.example.com"))
            .unwrap();
        assert_eq!(rp.id, "example.com");
    }

    #[test]
    fn launch_is_refused_where_a_browser_would_refuse() {
        let refuse = |config: WebauthnConfig, url: Option<&str>, named: &str| {
            let error = config.relying_party(url).unwrap_err();
            assert!(error.contains(named), "{error}");
        };
        refuse(on(), None, "security.webauthn.origin");
        let origin_only = WebauthnConfig {
            origin: Some("http://localhost:8000".into()),
            ..on()
        };
        refuse(origin_only, None, "rp_id");
        let both = WebauthnConfig {
            origin: Some("http://localhost:8000".into()),
            rp_id: Some("localhost".into()),
            ..on()
        };
        assert_eq!(both.relying_party(None).unwrap().id, "localhost");
        refuse(on(), Some("http://127.0.0.1:8000"), "IP address");
        refuse(on(), Some("http://example.com"), "https://");
        let no_name = WebauthnConfig {
            rp_name: None,
            ..on()
        };
        refuse(no_name, Some("https://example.com"), "rp_name");
        for id in ["other.com", "ample.com", "com"] {
            let wrong = WebauthnConfig {
                rp_id: Some(id.into()),
                ..on()
            };
            refuse(
                wrong,
                Some("https://login.example.com"),
                "security.webauthn.rp_id",
            );
        }
    }
}
