//! What a user signs in as: an email, or a username where usernames are
//! on. Told apart by `@`, which every email has and no username may.

use crate::domain::email::Email;
use crate::domain::username::Username;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    Email(Email),
    Username(Username),
}

impl Identity {
    /// What a sign-in form's identity field holds: an email (anything with
    /// `@`, or everything when usernames are off) or a username.
    pub fn for_sign_in(text: &str, usernames: bool) -> Result<Identity, crate::i18n::Msg> {
        if usernames && !text.contains('@') {
            return Ok(Identity::Username(Username::for_sign_in(text)));
        }
        Email::parse(text).map(Identity::Email)
    }

    /// The case-folded key accounts are found by; also the key of the
    /// identity's rate limits. Emails and usernames never share one.
    pub fn key(&self) -> String {
        match self {
            Identity::Email(email) => email.key(),
            Identity::Username(username) => username.key(),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Identity::Email(email) => email.as_str(),
            Identity::Username(username) => username.as_str(),
        }
    }
}

impl From<Email> for Identity {
    fn from(email: Email) -> Self {
        Identity::Email(email)
    }
}
