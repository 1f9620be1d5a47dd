//! An email address, validated and normalised (Flask-Security's
//! `EmailValidation`: syntax checked, domain lower-cased).

use crate::i18n::Msg;
use std::fmt;

/// A syntactically valid address. The local part keeps the case it was typed
/// in (some mail servers honour it); [`Email::key`] is the case-folded form
/// accounts are unique by.
#[derive(Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub const INVALID: Msg = Msg("INVALID_EMAIL_ADDRESS");

    pub fn parse(input: &str) -> Result<Email, Msg> {
        let input = input.trim();
        if input.is_empty() || input.len() > 254 || input.chars().any(|c| c.is_control()) {
            return Err(Self::INVALID);
        }
        let (local, domain) = input.rsplit_once('@').ok_or(Self::INVALID)?;
        if !valid_local_part(local) || !valid_domain(domain) {
            return Err(Self::INVALID);
        }
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The case-insensitive identity of the address.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

/// RFC 5322 dot-atoms (no quoted strings), plus any non-ASCII letter (RFC 6531).
fn valid_local_part(local: &str) -> bool {
    const SPECIALS: &str = "!#$%&'*+-/=?^_`{|}~";
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || c == '.'
                || SPECIALS.contains(c)
                || (!c.is_ascii() && c.is_alphanumeric())
        })
}

/// A host name with at least two labels and a non-numeric top-level label.
fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.chars().count() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()))
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::email::Email;

    #[test]
    fn accepts_ordinary_addresses_and_lowercases_the_domain() {
        let email = Email::parse("  Matt.O'Neil+tag@Example.COM ").expect("test value");
        assert_eq!(email.as_str(), "Matt.O'Neil+tag@example.com");
        assert_eq!(email.key(), "matt.o'neil+tag@example.com");
        assert!(Email::parse("jörg@bücher.de").is_ok());
        assert!(Email::parse("a@b.co").is_ok());
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@",
            "a@localhost",
            "a@b..com",
            ".a@b.com",
            "a.@b.com",
            "a..b@c.com",
            "a b@c.com",
            "a@b.c om",
            "a@-b.com",
            "a@b-.com",
            "a@1.2.3.4",
            "a\n@b.com",
            "<a>@b.com",
            "a@b_c.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} was accepted");
        }
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert!(Email::parse(&long_local).is_err());
        let long_domain = format!("a@{}.com", "b".repeat(250));
        assert!(Email::parse(&long_domain).is_err());
    }
}
