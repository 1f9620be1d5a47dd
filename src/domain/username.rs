//! A username (Flask-Security's `UsernameUtil`): the optional second
//! identity of an account. Letters and digits of any script, stored
//! NFKD-normalised, 4 to 32 characters after normalisation, unique ignoring
//! case ([`Username::key`]).

use crate::i18n::{Message, Msg};
use std::fmt;
use unicode_normalization::UnicodeNormalization;

/// A valid username, NFKD-normalised.
#[derive(Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub const MIN_LENGTH: usize = 4;
    pub const MAX_LENGTH: usize = 32;
    pub const NOT_PROVIDED: Msg = Msg("USERNAME_NOT_PROVIDED");
    pub const INVALID_INPUT: Msg = Msg("INVALID_INPUT");
    pub const DISALLOWED_CHARACTERS: Msg = Msg("USERNAME_DISALLOWED_CHARACTERS");

    /// Parses what a user typed. The characters are judged composed (a
    /// `ü` is one letter), the length after normalisation (as
    /// Flask-Security-Too: `ü` decomposes to two).
    pub fn parse(input: &str) -> Result<Username, Message> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(Self::NOT_PROVIDED.into());
        }
        // Markup first, so `<b>` is called what it is.
        if trimmed.contains(['<', '>', '&']) {
            return Err(Self::INVALID_INPUT.into());
        }
        // Judged composed, so a `ü` sent decomposed (as some keyboards do)
        // is the letter it looks like, not a `u` and an accent.
        if !trimmed.nfc().all(is_letter_or_digit) {
            return Err(Self::DISALLOWED_CHARACTERS.into());
        }
        let normalised: String = trimmed.nfkd().collect();
        let length = normalised.chars().count();
        if !(Self::MIN_LENGTH..=Self::MAX_LENGTH).contains(&length) {
            return Err(invalid_length());
        }
        Ok(Username(normalised))
    }

    /// A name offered to sign in: only trimmed and normalised (a name that
    /// breaks the rules finds no account, which is all a sign-in needs to
    /// know), and cut short so a flood of long names stores nothing long.
    pub fn for_sign_in(input: &str) -> Username {
        let cut: String = input.trim().chars().take(4 * Self::MAX_LENGTH).collect();
        Username(cut.nfkd().collect())
    }

    /// A stored username, trusted as it is.
    pub fn from_stored(stored: &str) -> Username {
        Username(stored.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The case-insensitive identity the unique index holds. Never contains
    /// `@`, so it cannot collide with an email's key.
    pub fn key(&self) -> String {
        self.0.to_lowercase().nfkd().collect()
    }
}

/// `USERNAME_INVALID_LENGTH`.
pub fn invalid_length() -> Message {
    Msg("USERNAME_INVALID_LENGTH")
        .with("min", Username::MIN_LENGTH)
        .with("max", Username::MAX_LENGTH)
}

/// Unicode general categories L (letters) and N (numbers), as
/// Flask-Security-Too's `unicodedata.category(c)[0] in "LN"`. Rust's
/// `is_alphanumeric` also takes the `Other_Alphabetic` characters that are
/// not letters: combining marks (category M) and the circled and squared
/// Latin letters (category So), ruled out here.
pub(crate) fn is_letter_or_digit(c: char) -> bool {
    let symbol_letters = matches!(u32::from(c), 0x24B6..=0x24E9 | 0x1F130..=0x1F189);
    c.is_alphanumeric() && !unicode_normalization::char::is_combining_mark(c) && !symbol_letters
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Username({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::username::Username;

    #[test]
    fn letters_and_digits_of_any_script_are_allowed() {
        for good in [
            "alice",
            "Jörg",
            "Ju\u{0308}rgen",
            "ユーザー名",
            "user42",
            "  bob1  ",
            "٣٤٥٦",
        ] {
            assert!(Username::parse(good).is_ok(), "{good:?} was refused");
        }
        let name = Username::parse("Jürgen").expect("test value");
        assert_eq!(name.as_str().chars().count(), 7, "stored decomposed");
        assert_eq!(
            name.key(),
            Username::parse("JÜRGEN").expect("test value").key()
        );
    }

    #[test]
    fn everything_else_is_refused_with_its_reason() {
        for (bad, message) in [
            ("", Username::NOT_PROVIDED),
            ("   ", Username::NOT_PROVIDED),
            ("<b>bob</b>", Username::INVALID_INPUT),
            ("bob&co", Username::INVALID_INPUT),
            ("bob smith", Username::DISALLOWED_CHARACTERS),
            ("bob-smith", Username::DISALLOWED_CHARACTERS),
            ("bob_smith", Username::DISALLOWED_CHARACTERS),
            ("bob.smith", Username::DISALLOWED_CHARACTERS),
            ("bob@smith", Username::DISALLOWED_CHARACTERS),
            ("bob😀", Username::DISALLOWED_CHARACTERS),
            ("bob\u{0301}x", Username::DISALLOWED_CHARACTERS),
            ("\u{24B6}lice", Username::DISALLOWED_CHARACTERS),
        ] {
            assert_eq!(Username::parse(bad).unwrap_err(), message.into(), "{bad:?}");
        }
    }

    #[test]
    fn the_length_counts_after_normalisation_both_ends_inclusive() {
        assert!(Username::parse("abc").is_err());
        assert!(Username::parse("abcd").is_ok());
        assert!(Username::parse(&"a".repeat(32)).is_ok());
        assert!(Username::parse(&"a".repeat(33)).is_err());
        // Three letters, four code points once decomposed.
        assert!(Username::parse("abü").is_ok());
        // 31 letters plus one that decomposes in two: 33.
        assert!(Username::parse(&format!("{}ü", "a".repeat(31))).is_err());
    }
}
