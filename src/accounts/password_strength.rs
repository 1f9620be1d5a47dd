//! Password strength (Flask-Security's `password_complexity_checker` and
//! `password_breached_checker`): every new password — registration,
//! change, reset, the command line — after the length policy, first the
//! breached check, then zxcvbn.
//!
//! The breached check is Have I Been Pwned's k-anonymity range API: only
//! the first five hex digits of the password's SHA-1 leave the server, and
//! the reply is padded so its size does not tell either.

use crate::config::{BreachedCheck, PasswordComplexity, SecurityConfig};
use crate::domain::Password;
use crate::i18n::{Message, Msg};
use sha1::{Digest, Sha1};

/// Why a new password is refused; `Display` is the field error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Weakness {
    /// Below zxcvbn score 3; its warning when it gave one.
    TooSimple(Option<String>),
    /// Listed by the breached passwords service.
    Breached,
    /// The service could not be asked, and the check is strict.
    ServiceUnreachable,
}

impl Weakness {
    /// What the form says: zxcvbn's own warning (the crate's English), else
    /// the catalog's `PASSWORD_TOO_SIMPLE`, `PASSWORD_BREACHED`,
    /// `PASSWORD_BREACHED_SITE_ERROR`.
    pub fn message(&self) -> Message {
        match self {
            Weakness::TooSimple(Some(warning)) => Message::Text(warning.clone()),
            Weakness::TooSimple(None) => Msg("PASSWORD_TOO_SIMPLE").into(),
            Weakness::Breached => Msg("PASSWORD_BREACHED").into(),
            Weakness::ServiceUnreachable => Msg("PASSWORD_BREACHED_SITE_ERROR").into(),
        }
    }
}

/// The HTTP client the breached check asks through.
pub struct StrengthChecker {
    http: Option<reqwest::Client>,
}

impl StrengthChecker {
    pub fn new(config: &SecurityConfig) -> Result<Self, String> {
        let http = match config.password_check_breached {
            BreachedCheck::Off => None,
            _ => Some(
                reqwest::Client::builder()
                    .timeout(config.password_breached_timeout.as_std())
                    .user_agent(concat!(
                        "rocket-security-starter/",
                        env!("CARGO_PKG_VERSION")
                    ))
                    .build()
                    .map_err(|e| format!("security.password_check_breached: {e}"))?,
            ),
        };
        Ok(StrengthChecker { http })
    }

    /// Checks a new password that already passed the length policy, for
    /// the account with (or registering) these `identities` (its email,
    /// its username): a password made of the account's own words is weak.
    pub async fn check(
        &self,
        config: &SecurityConfig,
        password: &Password,
        identities: &[&str],
    ) -> Result<(), Weakness> {
        if let Some(http) = &self.http {
            match breached(http, config, password.expose()).await {
                Ok(false) => {}
                Ok(true) => return Err(Weakness::Breached),
                Err(e) => {
                    log::warn!("breached passwords check failed: {e}");
                    if config.password_check_breached == BreachedCheck::Strict {
                        return Err(Weakness::ServiceUnreachable);
                    }
                }
            }
        }
        if config.password_complexity == PasswordComplexity::Zxcvbn {
            complex_enough(password.expose(), &words_of(identities))?;
        }
        Ok(())
    }
}

/// The words of an account zxcvbn should know: each identity whole, and
/// an email's local part.
fn words_of<'a>(identities: &[&'a str]) -> Vec<&'a str> {
    let mut words = Vec::new();
    for identity in identities {
        words.push(*identity);
        if let Some((local, _)) = identity.split_once('@') {
            words.push(local);
        }
    }
    words
}

fn complex_enough(password: &str, user_inputs: &[&str]) -> Result<(), Weakness> {
    let entropy = zxcvbn::zxcvbn(password, user_inputs);
    if u8::from(entropy.score()) >= 3 {
        return Ok(());
    }
    let warning = entropy
        .feedback()
        .and_then(|feedback| feedback.warning())
        .map(|warning| warning.to_string());
    Err(Weakness::TooSimple(warning))
}

/// Whether the range API lists the password at least
/// `password_breached_count` times.
async fn breached(
    http: &reqwest::Client,
    config: &SecurityConfig,
    password: &str,
) -> Result<bool, String> {
    let digest = Sha1::digest(password.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02X}")).collect();
    let (prefix, suffix) = hex.split_at(5);
    let url = format!(
        "{}/range/{prefix}",
        config.password_breached_url.trim_end_matches('/')
    );
    let reply = http
        .get(&url)
        .header("Add-Padding", "true")
        .send()
        .await
        .map_err(|e| e.without_url().to_string())?;
    if !reply.status().is_success() {
        return Err(format!("the service answered {}", reply.status()));
    }
    let body = reply
        .text()
        .await
        .map_err(|e| e.without_url().to_string())?;
    Ok(listed(&body, suffix, config.password_breached_count))
}

/// Reads the range reply: `SUFFIX:COUNT` lines (padding lines count 0).
fn listed(body: &str, suffix: &str, at_least: u32) -> bool {
    body.lines().any(|line| {
        let Some((candidate, count)) = line.trim().split_once(':') else {
            return false;
        };
        candidate.eq_ignore_ascii_case(suffix)
            && count.trim().parse::<u32>().is_ok_and(|n| n >= at_least)
    })
}

#[cfg(test)]
mod tests {
    use crate::accounts::password_strength::{complex_enough, listed, words_of, Weakness};

    #[test]
    fn zxcvbn_refuses_weak_and_own_words() {
        assert!(complex_enough("correct horse battery staple", &[]).is_ok());
        assert!(matches!(
            complex_enough("password123", &[]),
            Err(Weakness::TooSimple(_))
        ));
        let email = "marguerite.okonkwo@example.com";
        assert!(complex_enough(email, &[]).is_ok(), "strong as a stranger's");
        assert!(
            complex_enough(email, &words_of(&[email])).is_err(),
            "weak as the account's own address"
        );
    }

    #[test]
    fn the_range_reply_is_read_with_its_counts() {
        let body = "0018A45C4D1DEF81644B54AB7F969B88D65:3\r\n\
                    00D4F6E8FA6EECAD2A3AA415EEC418D38EC:0\r\n";
        assert!(listed(body, "0018a45c4d1def81644b54ab7f969b88d65", 1));
        assert!(!listed(body, "0018A45C4D1DEF81644B54AB7F969B88D65", 4));
        assert!(
            !listed(body, "00D4F6E8FA6EECAD2A3AA415EEC418D38EC", 1),
            "padding"
        );
        assert!(!listed(body, "FFFF", 1));
        assert!(!listed("garbage", "FFFF", 1));
    }
}
