//! The unified sign-in settings of `[default.security]` (`unified_signin`,
//! `us_enabled_methods`): which passcodes the one sign-in form takes.

use crate::config::two_factor::TwoFactorMethod;
use serde::Deserialize;

/// A unified sign-in method. **(differs: no `"sms"`)**
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UsMethod {
    /// The account's password.
    Password,
    /// A six-digit code mailed on request, with a sign-in link.
    Email,
    /// A code from the authenticator app set up for two-factor sign-in.
    Authenticator,
}

impl UsMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            UsMethod::Password => "password",
            UsMethod::Email => "email",
            UsMethod::Authenticator => "authenticator",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "password" => Some(UsMethod::Password),
            "email" => Some(UsMethod::Email),
            "authenticator" => Some(UsMethod::Authenticator),
            _ => None,
        }
    }

    /// Whether signing in with it starts by sending a code.
    pub fn sends_codes(self) -> bool {
        self == UsMethod::Email
    }

    /// Whether `/us-setup` sets it up: the password comes with the
    /// account, the authenticator with two-factor (`/tf-setup`).
    pub fn set_up_here(self) -> bool {
        self == UsMethod::Email
    }
}

/// What serde cannot check; the message names the key.
pub fn validate(
    methods: &[UsMethod],
    two_factor: bool,
    two_factor_methods: &[TwoFactorMethod],
) -> Result<(), String> {
    if methods.is_empty() {
        return Err("security.us_enabled_methods must name at least one method".into());
    }
    let authenticator = two_factor && two_factor_methods.contains(&TwoFactorMethod::Authenticator);
    if methods.contains(&UsMethod::Authenticator) && !authenticator {
        return Err(
            "security.us_enabled_methods: \"authenticator\" needs security.two_factor with \
             \"authenticator\" in security.two_factor_methods"
                .into(),
        );
    }
    Ok(())
}
