//! A new password that satisfies the policy (Flask-Security's
//! `password_util`): Unicode-normalised (NFKD) so the same password typed on
//! different keyboards hashes the same, between the minimum and 128 characters.

use crate::i18n::{Message, Msg};
use unicode_normalization::UnicodeNormalization;

/// The password policy from `security.password_min_length`.
#[derive(Debug, Clone, Copy)]
pub struct PasswordPolicy {
    pub min_length: usize,
}

impl PasswordPolicy {
    pub const MAX_LENGTH: usize = 128;

    /// Parses a password chosen by a user (registration, change, reset).
    pub fn parse(&self, input: &str) -> Result<Password, Message> {
        let normalised = Password::normalise(input);
        let length = normalised.chars().count();
        if length < self.min_length || input.trim().is_empty() {
            return Err(Msg("PASSWORD_INVALID_LENGTH").with("length", self.min_length));
        }
        if length > Self::MAX_LENGTH {
            return Err(Msg("PASSWORD_TOO_LONG").with("length", Self::MAX_LENGTH));
        }
        Ok(Password(normalised))
    }
}

/// A password, normalised; its `Debug` never shows it.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    /// A password offered to sign in: only normalised, since the policy
    /// may have changed after it was set.
    pub fn for_sign_in(input: &str) -> Password {
        let truncated: String = input.chars().take(4 * PasswordPolicy::MAX_LENGTH).collect();
        Password(Self::normalise(&truncated))
    }

    fn normalise(input: &str) -> String {
        input.nfkd().collect()
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::password::*;

    const POLICY: PasswordPolicy = PasswordPolicy { min_length: 8 };

    #[test]
    fn enforces_the_length_bounds() {
        assert_eq!(
            POLICY.parse("short").unwrap_err(),
            Msg("PASSWORD_INVALID_LENGTH").with("length", 8)
        );
        assert!(
            POLICY.parse("        ").is_err(),
            "blank passwords are refused"
        );
        assert!(POLICY.parse("long enough").is_ok());
        assert!(POLICY.parse(&"x".repeat(128)).is_ok());
        assert!(POLICY.parse(&"x".repeat(129)).is_err());
    }

    #[test]
    fn normalises_equivalent_unicode() {
        let composed = POLICY.parse("caf\u{e9} au lait").expect("test value");
        let decomposed = POLICY.parse("cafe\u{301} au lait").expect("test value");
        assert_eq!(composed.expose(), decomposed.expose());
        assert_eq!(format!("{composed:?}"), "Password(…)");
    }
}
