//! Typed configuration: the `security` and `mail` tables of `Rocket.toml`
//! (Flask-Security's `SECURITY_*` settings), read and validated at ignite.
//! Every key has a default; a bad value names its key in the launch error.

use serde::{de, Deserialize, Deserializer};
use std::fmt;

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
    pub argon2: Argon2Config,
    pub rate_limits: RateLimits,
    /// Replies to requests that may send mail (reset, resend confirmation,
    /// passwordless) take at least this long, whether or not an account
    /// exists, so their timing does not tell.
    pub mail_reply_floor: HumanDuration,
    /// HMAC-SHA256 key applied to passwords before hashing.
    pub password_pepper: Option<String>,
    pub password_min_length: usize,
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
            argon2: Argon2Config::default(),
            rate_limits: RateLimits::default(),
            mail_reply_floor: HumanDuration(time::Duration::milliseconds(250)),
            password_pepper: None,
            password_min_length: 8,
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
        if self.password_min_length < 1 || self.password_min_length > 128 {
            return Err("security.password_min_length must be between 1 and 128".into());
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
            if crate::domain::LocalPath::parse(view).is_none() {
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

/// `[default.security.argon2]`: argon2id cost parameters.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Argon2Config {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for Argon2Config {
    /// OWASP's recommended argon2id minimum (m=19 MiB, t=2, p=1).
    fn default() -> Self {
        Argon2Config {
            memory_kib: 19456,
            iterations: 2,
            parallelism: 1,
        }
    }
}

/// OWASP's argon2id configurations of equal strength (memory KiB,
/// iterations), from the Password Storage Cheat Sheet.
pub const OWASP_ARGON2_MINIMUMS: [(u32, u32); 5] =
    [(47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5)];

impl Argon2Config {
    /// At least as strong as one of OWASP's minimum configurations.
    pub fn meets_owasp_minimum(&self) -> bool {
        OWASP_ARGON2_MINIMUMS
            .iter()
            .any(|&(m, t)| self.memory_kib >= m && self.iterations >= t)
    }

    /// Release builds refuse a cost below OWASP's minimum: a config typo or a
    /// test setting must not weaken every stored password.
    pub fn validate_for_release(&self) -> Result<(), String> {
        if self.meets_owasp_minimum() {
            return Ok(());
        }
        Err(format!(
            "security.argon2.memory_kib = {} with security.argon2.iterations = {} is below OWASP's \
             argon2id minimum (e.g. memory_kib = 19456 with iterations = 2, or 47104 with 1); \
             release builds refuse it",
            self.memory_kib, self.iterations
        ))
    }

    fn validate(&self) -> Result<(), String> {
        if self.parallelism < 1 || self.parallelism > 16 {
            return Err("security.argon2.parallelism must be between 1 and 16".into());
        }
        if self.memory_kib < 8 * self.parallelism || self.memory_kib > 4 * 1024 * 1024 {
            return Err(
                "security.argon2.memory_kib must be between 8×parallelism and 4 GiB".into(),
            );
        }
        if self.iterations < 1 || self.iterations > 100 {
            return Err("security.argon2.iterations must be between 1 and 100".into());
        }
        Ok(())
    }
}

/// `[default.security.rate_limits]`: counted in the database, so they hold
/// across every instance of the app.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimits {
    pub enabled: bool,
    /// Failed sign-ins allowed per email and client IP in `login_window`.
    pub login_per_email_and_ip: u32,
    /// Failed sign-ins allowed per client IP in `login_window`.
    pub login_per_ip: u32,
    pub login_window: HumanDuration,
    /// Lock an email out (from every IP) after this many failed sign-ins in
    /// a row; 0 turns lockout off. A successful sign-in, a password reset or
    /// `users activate` ends it; otherwise it ends after `lockout_for`.
    pub lockout_after: u32,
    pub lockout_for: HumanDuration,
    /// Mails (reset, confirmation, sign-in links) per email address and per
    /// client IP in `mail_window`.
    pub mail_per_email: u32,
    pub mail_per_ip: u32,
    pub mail_window: HumanDuration,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            enabled: true,
            login_per_email_and_ip: 10,
            login_per_ip: 100,
            login_window: HumanDuration(time::Duration::minutes(5)),
            lockout_after: 0,
            lockout_for: HumanDuration(time::Duration::minutes(15)),
            mail_per_email: 5,
            mail_per_ip: 50,
            mail_window: HumanDuration(time::Duration::hours(1)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthMethod {
    Session,
    Token,
    Basic,
}

/// `[default.security.templates]`: the template each page and mail renders
/// (Flask-Security's names), so one can be replaced without touching code.
/// A mail template name stands for two files, `<name>.txt.hbs` and
/// `<name>.html.hbs`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TemplateNames {
    pub login_user: String,
    pub register_user: String,
    pub change_password: String,
    pub send_confirmation: String,
    pub forgot_password: String,
    pub reset_password: String,
    pub send_login: String,
    pub sessions: String,
    pub welcome: String,
    pub welcome_existing: String,
    pub confirmation_instructions: String,
    pub reset_instructions: String,
    pub reset_notice: String,
    pub change_notice: String,
    pub login_instructions: String,
}

impl Default for TemplateNames {
    fn default() -> Self {
        let page = |name: &str| format!("security/{name}");
        let mail = |name: &str| format!("security/email/{name}");
        TemplateNames {
            login_user: page("login_user"),
            register_user: page("register_user"),
            change_password: page("change_password"),
            send_confirmation: page("send_confirmation"),
            forgot_password: page("forgot_password"),
            reset_password: page("reset_password"),
            send_login: page("send_login"),
            sessions: page("sessions"),
            welcome: mail("welcome"),
            welcome_existing: mail("welcome_existing"),
            confirmation_instructions: mail("confirmation_instructions"),
            reset_instructions: mail("reset_instructions"),
            reset_notice: mail("reset_notice"),
            change_notice: mail("change_notice"),
            login_instructions: mail("login_instructions"),
        }
    }
}

/// A duration written for people: `"5 days"`, `"1h"`, `"90 minutes"`,
/// `"2s"`, or a number of seconds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct HumanDuration(pub time::Duration);

impl HumanDuration {
    pub const fn days(n: i64) -> Self {
        HumanDuration(time::Duration::days(n))
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let split = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let number: i64 = number
            .parse()
            .map_err(|_| format!("{text:?} is not a duration such as \"5 days\" or \"2s\""))?;
        if matches!(unit.trim(), "ms" | "millis" | "milliseconds") {
            return (0..=60_000)
                .contains(&number)
                .then(|| HumanDuration(time::Duration::milliseconds(number)))
                .ok_or_else(|| format!("{text:?} must be at most 60000 ms"));
        }
        let seconds_per_unit = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "s" | "sec" | "secs" | "second" | "seconds" => 1,
            "m" | "min" | "mins" | "minute" | "minutes" => 60,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
            "d" | "day" | "days" => 86_400,
            "w" | "week" | "weeks" => 7 * 86_400,
            other => return Err(format!("unknown duration unit {other:?} in {text:?}")),
        };
        number
            .checked_mul(seconds_per_unit)
            .filter(|s| *s > 0 && *s <= 100 * 365 * 86_400)
            .map(|s| HumanDuration(time::Duration::seconds(s)))
            .ok_or_else(|| format!("{text:?} must be between 1 second and 100 years"))
    }

    /// "5 days", "2 hours", "1 minute": for messages to people.
    pub fn describe(&self) -> String {
        if self.0.subsec_milliseconds() != 0 {
            return format!("{} ms", self.0.whole_milliseconds());
        }
        let secs = self.0.whole_seconds();
        let (n, unit) = if secs % 86_400 == 0 {
            (secs / 86_400, "day")
        } else if secs % 3600 == 0 {
            (secs / 3600, "hour")
        } else if secs % 60 == 0 {
            (secs / 60, "minute")
        } else {
            (secs, "second")
        };
        format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
    }
}

impl fmt::Debug for HumanDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

impl<'de> Deserialize<'de> for HumanDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = HumanDuration;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a duration such as \"5 days\", \"1h\" or a number of seconds")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<HumanDuration, E> {
                HumanDuration::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<HumanDuration, E> {
                HumanDuration::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<HumanDuration, E> {
                HumanDuration::parse(&v.to_string()).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_the_docs() {
        assert_eq!(
            HumanDuration::parse("5 days").expect("test value"),
            HumanDuration::days(5)
        );
        assert_eq!(
            HumanDuration::parse("1h")
                .expect("test value")
                .0
                .whole_seconds(),
            3600
        );
        assert_eq!(
            HumanDuration::parse("2s")
                .expect("test value")
                .0
                .whole_seconds(),
            2
        );
        assert_eq!(
            HumanDuration::parse("90 minutes")
                .expect("test value")
                .0
                .whole_minutes(),
            90
        );
        assert_eq!(
            HumanDuration::parse("30")
                .expect("test value")
                .0
                .whole_seconds(),
            30
        );
        assert_eq!(
            HumanDuration::parse("250ms")
                .expect("test value")
                .0
                .whole_milliseconds(),
            250
        );
        assert_eq!(
            HumanDuration::parse("1500ms")
                .expect("test value")
                .describe(),
            "1500 ms"
        );
        for bad in [
            "",
            "days",
            "5 fortnights",
            "-1s",
            "0s",
            "99999999999999 days",
        ] {
            assert!(HumanDuration::parse(bad).is_err(), "{bad:?} parsed");
        }
        assert_eq!(HumanDuration::days(1).describe(), "1 day");
        assert_eq!(
            HumanDuration::parse("2s").expect("test value").describe(),
            "2 seconds"
        );
    }

    #[test]
    fn defaults_are_valid() {
        SecurityConfig::default().validate().expect("test value");
    }
}

#[cfg(test)]
mod figment_tests {
    use super::*;
    use rocket::figment::Figment;

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
