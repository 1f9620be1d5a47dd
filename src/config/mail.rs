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

/// `[default.mail.subjects]`: one subject for every language, in place of
/// the catalog's (`EMAIL_SUBJECT_*`, reworded by `security.messages` like
/// any message). Unset by default.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Subjects {
    pub welcome: Option<String>,
    /// Someone registered with an address that has an account.
    pub welcome_existing: Option<String>,
    pub confirmation_instructions: Option<String>,
    pub reset_instructions: Option<String>,
    pub reset_notice: Option<String>,
    pub change_notice: Option<String>,
    pub login_instructions: Option<String>,
    pub two_factor_instructions: Option<String>,
    pub two_factor_rescue: Option<String>,
    pub two_factor_notice: Option<String>,
    pub change_email_instructions: Option<String>,
    pub change_email_notice: Option<String>,
    pub username_recovery: Option<String>,
    pub change_username_notice: Option<String>,
    pub us_instructions: Option<String>,
}
