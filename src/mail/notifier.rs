//! Renders the security mails (Flask-Security's `send_mail` with its
//! `security/email/*` templates): every mail has a text and an HTML body,
//! `<name>.txt.hbs` and `<name>.html.hbs`, rendered in Handlebars' strict
//! mode so a missing variable is an error, not a silently empty link.
//!
//! Rocket's template engine names `x.txt.hbs` and `x.html.hbs` alike, so mail
//! has registries of its own over `mail.template_dir` (`templates/mail`),
//! apart from the pages in Rocket's `template_dir` (`templates/pages`).

use crate::config::{Subjects, TemplateNames};
use crate::i18n::{Catalog, LanguageIdentifier, Msg, TranslateHelper};
use crate::mail::Mail;
use rocket_dyn_templates::handlebars::Handlebars;
use serde_json::{json, Value};
use std::path::Path;
use std::sync::Arc;

/// The mails the security flows send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// After registering; carries the confirmation link when `confirmable`.
    Welcome,
    /// Someone tried to register with an address that has an account.
    WelcomeExisting,
    ConfirmationInstructions,
    ResetInstructions,
    /// The password was reset.
    ResetNotice,
    /// The password was changed.
    ChangeNotice,
    /// A passwordless sign-in link.
    LoginInstructions,
    /// A two-factor code (sign-in, setup or rescue).
    TwoFactorInstructions,
    /// A user asks the operator for help with two-factor.
    TwoFactorRescue,
    /// Two-factor was turned on, changed or off.
    TwoFactorNotice,
    /// The link that moves the account to a new address (to that address).
    ChangeEmailInstructions,
    /// The account moved to another address (to the old one).
    ChangeEmailNotice,
    /// The account's username, on request (`detail`).
    UsernameRecovery,
    /// The username changed (`detail`: the new one).
    ChangeUsernameNotice,
    /// A unified sign-in code (`code`), with its sign-in link when it is
    /// for signing in.
    UsInstructions,
}

impl Notice {
    pub const ALL: [Notice; 15] = [
        Notice::Welcome,
        Notice::WelcomeExisting,
        Notice::ConfirmationInstructions,
        Notice::ResetInstructions,
        Notice::ResetNotice,
        Notice::ChangeNotice,
        Notice::LoginInstructions,
        Notice::TwoFactorInstructions,
        Notice::TwoFactorRescue,
        Notice::TwoFactorNotice,
        Notice::ChangeEmailInstructions,
        Notice::ChangeEmailNotice,
        Notice::UsernameRecovery,
        Notice::ChangeUsernameNotice,
        Notice::UsInstructions,
    ];

    fn template<'a>(&self, names: &'a TemplateNames) -> &'a str {
        match self {
            Notice::Welcome => &names.welcome,
            Notice::WelcomeExisting => &names.welcome_existing,
            Notice::ConfirmationInstructions => &names.confirmation_instructions,
            Notice::ResetInstructions => &names.reset_instructions,
            Notice::ResetNotice => &names.reset_notice,
            Notice::ChangeNotice => &names.change_notice,
            Notice::LoginInstructions => &names.login_instructions,
            Notice::TwoFactorInstructions => &names.two_factor_instructions,
            Notice::TwoFactorRescue => &names.two_factor_rescue,
            Notice::TwoFactorNotice => &names.two_factor_notice,
            Notice::ChangeEmailInstructions => &names.change_email_instructions,
            Notice::ChangeEmailNotice => &names.change_email_notice,
            Notice::UsernameRecovery => &names.username_recovery,
            Notice::ChangeUsernameNotice => &names.change_username_notice,
            Notice::UsInstructions => &names.us_instructions,
        }
    }

    /// The configured subject, else the catalog's.
    fn subject(&self, subjects: &Subjects) -> Result<String, Msg> {
        let (configured, key) = match self {
            Notice::Welcome => (&subjects.welcome, "EMAIL_SUBJECT_REGISTER"),
            Notice::WelcomeExisting => (
                &subjects.welcome_existing,
                "EMAIL_SUBJECT_REGISTER_EXISTING",
            ),
            Notice::ConfirmationInstructions => {
                (&subjects.confirmation_instructions, "EMAIL_SUBJECT_CONFIRM")
            }
            Notice::ResetInstructions => {
                (&subjects.reset_instructions, "EMAIL_SUBJECT_PASSWORD_RESET")
            }
            Notice::ResetNotice => (&subjects.reset_notice, "EMAIL_SUBJECT_PASSWORD_NOTICE"),
            Notice::ChangeNotice => (
                &subjects.change_notice,
                "EMAIL_SUBJECT_PASSWORD_CHANGE_NOTICE",
            ),
            Notice::LoginInstructions => {
                (&subjects.login_instructions, "EMAIL_SUBJECT_PASSWORDLESS")
            }
            Notice::TwoFactorInstructions => (
                &subjects.two_factor_instructions,
                "EMAIL_SUBJECT_TWO_FACTOR",
            ),
            Notice::TwoFactorRescue => (
                &subjects.two_factor_rescue,
                "EMAIL_SUBJECT_TWO_FACTOR_RESCUE",
            ),
            Notice::TwoFactorNotice => (
                &subjects.two_factor_notice,
                "EMAIL_SUBJECT_TWO_FACTOR_NOTICE",
            ),
            Notice::ChangeEmailInstructions => (
                &subjects.change_email_instructions,
                "EMAIL_SUBJECT_CHANGE_EMAIL",
            ),
            Notice::ChangeEmailNotice => (
                &subjects.change_email_notice,
                "EMAIL_SUBJECT_CHANGE_EMAIL_NOTICE",
            ),
            Notice::UsernameRecovery => (
                &subjects.username_recovery,
                "EMAIL_SUBJECT_USERNAME_RECOVERY",
            ),
            Notice::ChangeUsernameNotice => (
                &subjects.change_username_notice,
                "EMAIL_SUBJECT_USERNAME_CHANGE",
            ),
            Notice::UsInstructions => (&subjects.us_instructions, "EMAIL_SUBJECT_US"),
        };
        configured.clone().ok_or(Msg(key))
    }
}

/// What every mail template can use. Every key is present (strict mode).
#[derive(Debug, Clone)]
pub struct MailContext {
    pub email: String,
    /// The link to follow, absolute; `None` for notices.
    pub link: Option<String>,
    /// The site's root, e.g. `https://example.com`.
    pub site_url: String,
    /// How long the link stays valid, e.g. "1 day".
    pub within: Option<String>,
    /// A one-time code (two-factor).
    pub code: Option<String>,
    /// What the mail is about, in words (two-factor notices and rescue, the
    /// other address in the change-email mails).
    pub detail: Option<String>,
}

pub struct Notifier {
    /// Text bodies: nothing is HTML-escaped.
    text: Handlebars<'static>,
    /// HTML bodies: every `{{value}}` is escaped.
    html: Handlebars<'static>,
    names: TemplateNames,
    subjects: Subjects,
    catalog: Arc<Catalog>,
}

impl Notifier {
    /// Loads every `*.txt.hbs` and `*.html.hbs` under `template_dir` and
    /// checks that each configured mail template has both bodies.
    pub fn new(
        template_dir: &Path,
        names: TemplateNames,
        subjects: Subjects,
        catalog: Arc<Catalog>,
    ) -> Result<Self, String> {
        let mut text = Handlebars::new();
        text.set_strict_mode(true);
        text.register_escape_fn(rocket_dyn_templates::handlebars::no_escape);
        let mut html = Handlebars::new();
        html.set_strict_mode(true);
        // `{{t "KEY"}}`: the words of the mail in the reader's language.
        for registry in [&mut text, &mut html] {
            registry.register_helper("t", Box::new(TranslateHelper(catalog.clone())));
        }
        register_dir(&mut text, &mut html, template_dir, template_dir)?;
        for notice in Notice::ALL {
            for (registry, body) in [(&text, "txt"), (&html, "html")] {
                let name = format!("{}.{body}", notice.template(&names));
                if !registry.has_template(&name) {
                    return Err(format!(
                        "mail template {name}.hbs is missing from {}",
                        template_dir.display()
                    ));
                }
            }
        }
        Ok(Notifier {
            text,
            html,
            names,
            subjects,
            catalog,
        })
    }

    /// The mail in `lang` (the language of the request that sends it).
    pub fn render(
        &self,
        notice: Notice,
        context: &MailContext,
        lang: &LanguageIdentifier,
    ) -> Result<Mail, String> {
        let data = json!({
            "lang": lang.to_string(),
            "email": context.email,
            "link": context.link,
            "site_url": context.site_url,
            "within": context.within,
            "code": context.code,
            "detail": context.detail,
        });
        let name = notice.template(&self.names);
        let render = |body: &str| -> Result<String, String> {
            let registry = if body == "txt" {
                &self.text
            } else {
                &self.html
            };
            registry
                .render(&format!("{name}.{body}"), &data)
                .map_err(|e| format!("rendering {name}.{body}.hbs: {e}"))
        };
        Ok(Mail {
            to: context.email.clone(),
            subject: notice
                .subject(&self.subjects)
                .unwrap_or_else(|key| self.catalog.for_lang(lang).text(key)),
            text: render("txt")?,
            html: render("html")?,
        })
    }

    /// Renders a registered mail template (`…/welcome.txt` or `….html`) with
    /// any data, for tests of the templates themselves.
    pub fn render_raw(&self, name: &str, data: &Value) -> Result<String, String> {
        let registry = if name.ends_with(".txt") {
            &self.text
        } else {
            &self.html
        };
        registry.render(name, data).map_err(|e| e.to_string())
    }
}

fn register_dir(
    text: &mut Handlebars<'static>,
    html: &mut Handlebars<'static>,
    root: &Path,
    dir: &Path,
) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            register_dir(text, html, root, &path)?;
            continue;
        }
        let Some(relative) = path.strip_prefix(root).ok().and_then(|p| p.to_str()) else {
            continue;
        };
        let relative = relative.replace('\\', "/");
        let Some(name) = relative.strip_suffix(".hbs") else {
            continue;
        };
        let registry = if name.ends_with(".txt") {
            &mut *text
        } else if name.ends_with(".html") {
            &mut *html
        } else {
            continue;
        };
        registry
            .register_template_file(name, &path)
            .map_err(|e| format!("template {}: {e}", path.display()))?;
    }
    Ok(())
}
