//! `[default.mail]`: the transport, the sender, the mail templates and
//! their subjects.

use crate::config::duration::HumanDuration;
use rocket::figment::value::magic::RelativePathBuf;
use serde::Deserialize;

/// `[default.mail]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    pub transport: TransportKind,
    /// The sender, e.g. `"Example <no-reply@example.com>"`.
    pub from: String,
    /// Where the `file` transport writes.
    pub dir: String,
    /// `smtp://host:port` (plain), `smtp://host:587?tls=required` (STARTTLS),
    /// `smtps://user:password@host` (TLS).
    pub smtp_url: Option<String>,
    pub smtp_timeout: HumanDuration,
    /// Where the mail templates are (`security/email/<name>.txt.hbs` and
    /// `.html.hbs` below it). Kept apart from Rocket's page templates, whose
    /// engine would take `x.txt.hbs` and `x.html.hbs` for one template.
    pub template_dir: RelativePathBuf,
    /// Let a release build print or file mail instead of sending it.
    pub allow_unsent_in_release: bool,
    /// With the `memory` transport: instances of the app configured with the
    /// same name share one outbox, as they would share a mail server (tests
    /// run several browsers against one app).
    pub outbox: Option<String>,
    pub subjects: Subjects,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            transport: TransportKind::Log,
            from: "Rocket Starter <no-reply@localhost.localdomain>".into(),
            dir: "mail".into(),
            smtp_url: None,
            smtp_timeout: HumanDuration(time::Duration::seconds(10)),
            template_dir: RelativePathBuf::from("templates/mail"),
            allow_unsent_in_release: false,
            outbox: None,
            subjects: Subjects::default(),
        }
    }
}

impl MailConfig {
    pub fn from_figment(figment: &rocket::figment::Figment) -> Result<Self, String> {
        match figment.extract_inner::<MailConfig>("mail") {
            Ok(config) => Ok(config),
            Err(e) if e.missing() => Ok(MailConfig::default()),
            Err(e) => Err(e.to_string()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TransportKind {
    Log,
    File,
    Smtp,
    Memory,
}

/// `[default.mail.subjects]`, Flask-Security's wording by default.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Subjects {
    pub welcome: String,
    /// Someone registered with an address that has an account.
    pub welcome_existing: String,
    pub confirmation_instructions: String,
    pub reset_instructions: String,
    pub reset_notice: String,
    pub change_notice: String,
    pub login_instructions: String,
    pub two_factor_instructions: String,
    pub two_factor_rescue: String,
    pub two_factor_notice: String,
    pub change_email_instructions: String,
    pub change_email_notice: String,
    pub username_recovery: String,
    pub change_username_notice: String,
    pub us_instructions: String,
}

impl Default for Subjects {
    fn default() -> Self {
        Subjects {
            welcome: "Welcome".into(),
            welcome_existing: "You already have an account".into(),
            confirmation_instructions: "Please confirm your email".into(),
            reset_instructions: "Password reset instructions".into(),
            reset_notice: "Your password has been reset".into(),
            change_notice: "Your password has been changed".into(),
            login_instructions: "Login instructions".into(),
            two_factor_instructions: "Two-Factor Login".into(),
            two_factor_rescue: "Two-Factor Rescue".into(),
            two_factor_notice: "Two-factor sign-in changed".into(),
            change_email_instructions: "Confirm your new email address".into(),
            change_email_notice: "Your email address has been changed".into(),
            username_recovery: "Your requested username".into(),
            change_username_notice: "Your username has been changed".into(),
            us_instructions: "Verification Code".into(),
        }
    }
}
