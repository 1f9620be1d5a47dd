//! `[default.security]`: Flask-Security's `SECURITY_*` settings, read and
//! validated at ignite. Every key has a default; a bad value names its key
//! in the launch error.

use crate::config::argon2::Argon2Config;
use crate::config::duration::{HumanDuration, SignedDuration};
use crate::config::limits::RateLimits;
use crate::config::oauth::OAuthConfig;
use crate::config::password_strength::{BreachedCheck, PasswordComplexity};
use crate::config::templates::TemplateNames;
use crate::config::two_factor::{EncryptionKeys, TwoFactorMethod};
use crate::config::unified_signin::{self, UsMethod};
use crate::config::webauthn::WebauthnConfig;
use crate::domain::LocalPath;
use serde::Deserialize;

/// `[default.security]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecurityConfig {
    pub registerable: bool,
    pub confirmable: bool,
    pub recoverable: bool,
    pub changeable: bool,
    pub trackable: bool,
    pub passwordless: bool,
    /// Same reply for "no such user" and "wrong password" (no enumeration).
    pub generic_responses: bool,
    pub auto_login_after_confirm: bool,
    pub auto_login_after_reset: bool,
    pub confirm_within: HumanDuration,
    pub reset_within: HumanDuration,
    pub login_within: HumanDuration,
    pub token_max_age: HumanDuration,
    pub remember_for: HumanDuration,
    /// A session not used for this long is over (the remember-me cookie, if
    /// any, then starts a new one).
    pub session_idle_timeout: HumanDuration,
    /// How recent the primary authentication must be for the routes behind
    /// the freshness guard; negative: no check.
    pub freshness: SignedDuration,
    /// After a freshness check passes, the same session passes for this
    /// long, each pass extending it; zero: no grace. Never for tokens.
    pub freshness_grace: SignedDuration,
    /// `/change-email`: move the account to a new address, confirmed from it.
    pub change_email: bool,
    /// How long the change-email link works.
    pub change_email_within: HumanDuration,
    /// `/us-signin`, `/us-setup`, `/us-verify`: one form for an identity
    /// and a passcode (the password or a mailed code).
    pub unified_signin: bool,
    /// The passcodes unified sign-in takes.
    pub us_enabled_methods: Vec<UsMethod>,
    /// An optional username beside the email, and either signs in.
    pub username_enable: bool,
    /// `/recover-username`: mail an account its username.
    pub username_recovery: bool,
    /// `/change-username`.
    pub change_username: bool,
    /// Two-factor sign-in, opt-in per user.
    pub two_factor: bool,
    /// The second factors a user may set up.
    pub two_factor_methods: Vec<TwoFactorMethod>,
    /// The issuer authenticator apps show; required with `two_factor`.
    pub totp_issuer: Option<String>,
    /// Everyone must use two-factor: a user without a method sets one up
    /// right after the password step, before any session exists.
    pub two_factor_required: bool,
    /// The same, for holders of these roles only.
    pub two_factor_required_roles: Vec<String>,
    /// `/mf-recovery-codes` and `/mf-recovery` (with `two_factor`).
    pub recovery_codes: bool,
    /// Who receives the "help" rescue mail.
    pub two_factor_rescue_mail: String,
    /// How long a sign-in may wait for its second factor.
    pub two_factor_login_within: HumanDuration,
    /// How long a started setup may wait for its confirming code.
    pub two_factor_setup_within: HumanDuration,
    /// Seals the secrets two-factor reads back (TOTP secrets); newest
    /// first. Required in release builds with `two_factor`.
    pub encryption_key: Option<EncryptionKeys>,
    pub argon2: Argon2Config,
    /// How many sessions and API tokens are remembered in memory, so a
    /// request by one of them reads no database; 0: none (every request
    /// asks the database). Changes drop them at once (the auth epoch).
    pub identity_cache_size: usize,
    pub rate_limits: RateLimits,
    /// `[default.security.webauthn]`: passkeys.
    pub webauthn: WebauthnConfig,
    /// `[default.security.oauth]`: identity providers.
    pub oauth: OAuthConfig,
    /// Replies to requests that may send mail (reset, resend confirmation,
    /// passwordless) take at least this long, whether or not an account
    /// exists, so their timing does not tell.
    pub mail_reply_floor: HumanDuration,
    /// HMAC-SHA256 key applied to passwords before hashing.
    pub password_pepper: Option<String>,
    pub password_min_length: usize,
    /// `"zxcvbn"`: new passwords need zxcvbn score 3.
    pub password_complexity: PasswordComplexity,
    /// Refuse new passwords listed by Have I Been Pwned's range API.
    pub password_check_breached: BreachedCheck,
    /// The range API's base URL (`<url>/range/<first 5 hex of SHA-1>`).
    pub password_breached_url: String,
    /// How long to wait for it.
    pub password_breached_timeout: HumanDuration,
    /// Refused from this many sightings on.
    pub password_breached_count: u32,
    /// Prefix of every security endpoint, e.g. `/auth`.
    pub url_prefix: String,
    pub post_login_view: String,
    pub post_logout_view: String,
    pub post_register_view: String,
    pub post_change_view: String,
    pub post_confirm_view: String,
    pub post_reset_view: String,
    /// The site's public root, e.g. `https://example.com`: emailed links are
    /// built on it. Required in release builds when a mail flow is on; in
    /// debug builds links otherwise follow the request's `Host`.
    pub public_url: Option<String>,
    /// Mail `welcome` after registering.
    pub send_register_email: bool,
    /// Mail `change_notice` after a password change.
    pub send_password_change_email: bool,
    /// Mail `reset_notice` after a password reset.
    pub send_password_reset_notice_email: bool,
    pub token_header: String,
    pub token_query_param: String,
    /// Order in which `CurrentUser` tries `session`, `token`, `basic`.
    pub auth_methods: Vec<AuthMethod>,
    pub basic_realm: String,
    /// Mark cookies `Secure`. Unset: on in release builds, off in debug ones.
    pub secure_cookies: Option<bool>,
    pub templates: TemplateNames,
    /// Rewordings of the catalog's messages, by Flask-Security name; a
    /// table named after a language rewords for that language only.
    pub messages: crate::i18n::Overrides,
    /// The language when the request's `Accept-Language` names none of the
    /// shipped ones.
    pub default_locale: String,
    /// The site's name, in the pages' header and titles.
    pub site_name: String,
}

impl Default for SecurityConfig {
    fn default() -> Self {
        SecurityConfig {
            registerable: true,
            confirmable: false,
            recoverable: true,
            changeable: true,
            trackable: true,
            passwordless: false,
            generic_responses: true,
            auto_login_after_confirm: true,
            auto_login_after_reset: true,
            confirm_within: HumanDuration::days(5),
            reset_within: HumanDuration::days(1),
            login_within: HumanDuration::days(1),
            token_max_age: HumanDuration::days(1),
            remember_for: HumanDuration::days(365),
            session_idle_timeout: HumanDuration::days(1),
            freshness: SignedDuration(time::Duration::hours(24)),
            freshness_grace: SignedDuration(time::Duration::hours(1)),
            change_email: false,
            change_email_within: HumanDuration(time::Duration::hours(2)),
            unified_signin: false,
            us_enabled_methods: vec![UsMethod::Password, UsMethod::Email],
            username_enable: false,
            username_recovery: false,
            change_username: false,
            two_factor: false,
            two_factor_methods: vec![TwoFactorMethod::Email, TwoFactorMethod::Authenticator],
            totp_issuer: None,
            two_factor_required: false,
            two_factor_required_roles: Vec::new(),
            recovery_codes: false,
            two_factor_rescue_mail: "no-reply@localhost".into(),
            two_factor_login_within: HumanDuration(time::Duration::minutes(5)),
            two_factor_setup_within: HumanDuration(time::Duration::minutes(30)),
            encryption_key: None,
            argon2: Argon2Config::default(),
            identity_cache_size: 10_000,
            rate_limits: RateLimits::default(),
            webauthn: WebauthnConfig::default(),
            oauth: OAuthConfig::default(),
            mail_reply_floor: HumanDuration(time::Duration::milliseconds(250)),
            password_pepper: None,
            password_min_length: 8,
            password_complexity: PasswordComplexity::Off,
            password_check_breached: BreachedCheck::Off,
            password_breached_url: "https://api.pwnedpasswords.com".into(),
            password_breached_timeout: HumanDuration(time::Duration::seconds(5)),
            password_breached_count: 1,
            url_prefix: String::new(),
            post_login_view: "/".into(),
            post_logout_view: "/".into(),
            post_register_view: "/".into(),
            post_change_view: "/".into(),
            post_confirm_view: "/".into(),
            post_reset_view: "/".into(),
            public_url: None,
            send_register_email: true,
            send_password_change_email: true,
            send_password_reset_notice_email: true,
            token_header: "Authentication-Token".into(),
            token_query_param: "auth_token".into(),
            auth_methods: vec![AuthMethod::Session, AuthMethod::Token, AuthMethod::Basic],
            basic_realm: "Login Required".into(),
            secure_cookies: None,
            templates: TemplateNames::default(),
            messages: Default::default(),
            default_locale: "en".into(),
            site_name: "Rocket Starter".into(),
        }
    }
}

impl SecurityConfig {
    /// `[default.security]` from the figment (all defaults when absent).
    pub fn from_figment(figment: &rocket::figment::Figment) -> Result<Self, String> {
        match figment.extract_inner::<SecurityConfig>("security") {
            Ok(config) => Ok(config),
            Err(e) if e.missing() => Ok(SecurityConfig::default()),
            Err(e) => Err(e.to_string()),
        }
    }

    /// Checks what serde cannot; the message names the offending key.
    pub fn validate(&self) -> Result<(), String> {
        if self.two_factor {
            match self.totp_issuer.as_deref().map(str::trim) {
                None | Some("") => {
                    return Err("security.totp_issuer is required with two_factor on".into())
                }
                Some(issuer) if issuer.contains(':') => {
                    return Err("security.totp_issuer must not contain ':'".into())
                }
                Some(_) => {}
            }
            if self.two_factor_methods.is_empty() {
                return Err("security.two_factor_methods must name at least one method".into());
            }
        } else if self.recovery_codes {
            return Err("security.recovery_codes needs security.two_factor".into());
        } else if self.two_factor_required || !self.two_factor_required_roles.is_empty() {
            return Err("security.two_factor_required needs security.two_factor".into());
        }
        if self.webauthn.enabled {
            self.webauthn.relying_party(self.public_url.as_deref())?;
        }
        self.oauth.validate(self.public_url.as_deref())?;
        if self.unified_signin {
            let methods = &self.us_enabled_methods;
            unified_signin::validate(methods, self.two_factor, &self.two_factor_methods)?;
        }
        if !self.username_enable {
            for (key, on) in [
                ("username_recovery", self.username_recovery),
                ("change_username", self.change_username),
            ] {
                if on {
                    return Err(format!("security.{key} needs security.username_enable"));
                }
            }
        }
        if self.password_min_length < 1 || self.password_min_length > 128 {
            return Err("security.password_min_length must be between 1 and 128".into());
        }
        if self.password_check_breached != BreachedCheck::Off {
            let url = self.password_breached_url.trim_end_matches('/');
            if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains('?') {
                return Err(
                    "security.password_breached_url must be an http(s) URL such as \
                     \"https://api.pwnedpasswords.com\""
                        .into(),
                );
            }
            if self.password_breached_count < 1 {
                return Err("security.password_breached_count must be at least 1".into());
            }
        }
        if !self.url_prefix.is_empty()
            && (!self.url_prefix.starts_with('/') || self.url_prefix.ends_with('/'))
        {
            return Err("security.url_prefix must start with '/' and not end with one".into());
        }
        for (key, view) in [
            ("post_login_view", &self.post_login_view),
            ("post_logout_view", &self.post_logout_view),
            ("post_register_view", &self.post_register_view),
            ("post_change_view", &self.post_change_view),
            ("post_confirm_view", &self.post_confirm_view),
            ("post_reset_view", &self.post_reset_view),
        ] {
            if LocalPath::parse(view).is_none() {
                return Err(format!("security.{key} must be a local path such as \"/\""));
            }
        }
        if self.token_header.is_empty()
            || !self
                .token_header
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err("security.token_header must be a header name".into());
        }
        if let Some(url) = &self.public_url {
            let valid = (url.starts_with("https://") || url.starts_with("http://"))
                && !url.ends_with('/')
                && url.len() > "https://".len()
                && !url.contains(char::is_whitespace);
            if !valid {
                return Err(
                    "security.public_url must be like \"https://example.com\" (no trailing slash)"
                        .into(),
                );
            }
        }
        if self.auth_methods.is_empty() {
            return Err("security.auth_methods must name at least one method".into());
        }
        if let Some(pepper) = &self.password_pepper {
            if pepper.len() < 16 {
                return Err("security.password_pepper must be at least 16 characters".into());
            }
        }
        self.argon2.validate()
    }

    pub fn secure_cookies(&self) -> bool {
        self.secure_cookies.unwrap_or(!cfg!(debug_assertions))
    }

    /// Whether any flow sends links by mail.
    pub fn sends_links(&self) -> bool {
        self.confirmable || self.recoverable || self.passwordless
    }

    /// The path of a security endpoint under `url_prefix`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.url_prefix, path)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthMethod {
    Session,
    Token,
    Basic,
}

/// A release build, or the release profile chosen in a debug one: where
/// the settings that are fine for development are refused.
pub fn is_release(figment: &rocket::figment::Figment) -> bool {
    !cfg!(debug_assertions) || figment.profile() == "release"
}

#[cfg(test)]
mod tests {
    use crate::config::security::SecurityConfig;
    use rocket::figment::Figment;

    #[test]
    fn defaults_are_valid() {
        SecurityConfig::default().validate().expect("test value");
    }

    #[test]
    fn a_bad_value_names_its_key() {
        let figment = Figment::new().merge(("security.reset_within", "soon"));
        let error = SecurityConfig::from_figment(&figment).unwrap_err();
        assert!(error.contains("reset_within"), "{error}");

        let figment = Figment::new().merge(("security.confirmabel", true));
        let error = SecurityConfig::from_figment(&figment).unwrap_err();
        assert!(error.contains("confirmabel"), "a typo is caught: {error}");

        let figment = Figment::new().merge(("security.password_min_length", 0));
        let error = SecurityConfig::from_figment(&figment)
            .expect("test value")
            .validate()
            .unwrap_err();
        assert!(error.contains("security.password_min_length"), "{error}");
    }
}
