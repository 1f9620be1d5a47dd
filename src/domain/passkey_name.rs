//! A passkey's nickname (Flask-Security's WebAuthn `name`): trimmed and
//! NFKD-normalised; letters, digits, spaces, `-` and `_` of any script
//! (Unicode categories L, N, Zs, Pd, Pc); at most 64 characters; unique
//! within its account.

use crate::domain::username::is_letter_or_digit;
use crate::i18n::{Message, Msg};
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyName(String);

impl PasskeyName {
    pub const MAX_LENGTH: usize = 64;
    pub const REQUIRED: Msg = Msg("WEBAUTHN_NAME_REQUIRED");

    pub fn parse(input: &str) -> Result<PasskeyName, Message> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(Self::REQUIRED.into());
        }
        if trimmed.contains(['<', '>', '&']) {
            return Err(Msg("INVALID_INPUT").into());
        }
        if !trimmed.nfc().all(allowed) {
            return Err(Msg("WEBAUTHN_NAME_DISALLOWED_CHARACTERS").into());
        }
        let normalised: String = trimmed.nfkd().collect();
        if normalised.chars().count() > Self::MAX_LENGTH {
            return Err(Msg("INVALID_INPUT_LENGTH").with("max", Self::MAX_LENGTH));
        }
        Ok(PasskeyName(normalised))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// L and N (as usernames), Zs (space separators), Pd (dashes), Pc
/// (connectors: `_`).
fn allowed(c: char) -> bool {
    is_letter_or_digit(c)
        || matches!(
            c,
            ' ' | '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
        )
        || matches!(
            c,
            '-' | '\u{2010}'
                ..='\u{2015}'
                    | '\u{2e3a}'
                    | '\u{2e3b}'
                    | '\u{301c}'
                    | '\u{fe58}'
                    | '\u{fe63}'
                    | '\u{ff0d}'
        )
        || matches!(
            c,
            '_' | '\u{203f}' | '\u{2040}' | '\u{2054}' | '\u{fe33}' | '\u{fe34}' | '\u{fe4d}'
                ..='\u{fe4f}' | '\u{ff3f}'
        )
}

#[cfg(test)]
mod tests {
    use crate::domain::passkey_name::PasskeyName;

    #[test]
    fn names_are_letters_digits_spaces_dashes_and_underscores() {
        for good in ["My phone", "YubiKey 5-NFC", "clé_USB", "ノートPC"] {
            assert!(PasskeyName::parse(good).is_ok(), "{good:?}");
        }
        for (bad, key) in [
            ("", "WEBAUTHN_NAME_REQUIRED"),
            ("   ", "WEBAUTHN_NAME_REQUIRED"),
            ("<b>key</b>", "INVALID_INPUT"),
            ("key!", "WEBAUTHN_NAME_DISALLOWED_CHARACTERS"),
            ("key.one", "WEBAUTHN_NAME_DISALLOWED_CHARACTERS"),
        ] {
            let error = PasskeyName::parse(bad).unwrap_err();
            assert_eq!(error.key(), Some(key), "{bad:?}");
        }
        assert!(PasskeyName::parse(&"k".repeat(64)).is_ok());
        let long = PasskeyName::parse(&"k".repeat(65)).unwrap_err();
        assert_eq!(long.key(), Some("INVALID_INPUT_LENGTH"));
        assert_eq!(PasskeyName::parse("  a  ").unwrap().as_str(), "a");
    }
}
