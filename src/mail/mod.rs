//! Mail (Flask-Security's `mail_util` and Flask-Mailman): a [`Mailer`] over
//! lettre with the transports of `[default.mail]` — `log` (prints each mail,
//! the debug default), `file` (one `.eml` per mail), `smtp`, and `memory`
//! (kept for tests to read) — and the [`notifier`] that renders each mail's
//! text and HTML bodies from `templates/mail/security/email/`. It sits below
//! the accounts layer and takes what it needs from the configuration.

pub mod notifier;

use crate::config::{is_release, MailConfig, SecurityConfig, TransportKind};
use crate::domain::secret;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Builds the mailer and the notifier at ignite; a release build refuses
/// to launch when mail with links would only be printed or filed.
pub fn stage() -> rocket::fairing::AdHoc {
    rocket::fairing::AdHoc::try_on_ignite("Mail", |rocket| async {
        let Ok(security) = SecurityConfig::from_figment(rocket.figment()) else {
            // The accounts stage says what is wrong; launch is already off.
            return Ok(rocket);
        };
        match build(&rocket, &security) {
            Ok((mailer, notifier)) => Ok(rocket.manage(mailer).manage(notifier)),
            Err(message) => {
                log::error!("mail configuration: {message}");
                Err(rocket)
            }
        }
    })
}

fn build(
    rocket: &rocket::Rocket<rocket::Build>,
    security: &SecurityConfig,
) -> Result<(Mailer, notifier::Notifier), String> {
    let config = MailConfig::from_figment(rocket.figment())?;
    let unsent = matches!(
        config.transport,
        TransportKind::Log | TransportKind::File | TransportKind::Memory
    );
    if is_release(rocket.figment())
        && unsent
        && security.sends_links()
        && !config.allow_unsent_in_release
    {
        return Err(format!(
            "transport {:?} does not send mail, but confirmation, reset or passwordless links must reach \
             users: configure mail.transport = \"smtp\" (or set mail.allow_unsent_in_release)",
            config.transport
        ));
    }
    let template_dir = config.template_dir.relative();
    let mailer = Mailer::new(&config)?;
    let catalog = crate::i18n::Catalog::new(&security.messages, &security.default_locale)?;
    let notifier = notifier::Notifier::new(
        &template_dir,
        security.templates.clone(),
        config.subjects.clone(),
        Arc::new(catalog),
    )?;
    Ok((mailer, notifier))
}

type Outbox = Arc<Mutex<Vec<Mail>>>;

/// The outbox of the `memory` transport: a fresh one, or the one shared by
/// every mailer of this process given the same name.
fn memory_outbox(name: Option<&str>) -> Outbox {
    static NAMED: std::sync::OnceLock<Mutex<std::collections::HashMap<String, Outbox>>> =
        std::sync::OnceLock::new();
    let Some(name) = name else {
        return Outbox::default();
    };
    let mut named = NAMED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    named.entry(name.to_owned()).or_default().clone()
}

/// A rendered mail.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, thiserror::Error)]
#[error("sending mail failed: {0}")]
pub struct MailError(String);

enum Transport {
    Log,
    File(PathBuf),
    Smtp(Box<AsyncSmtpTransport<Tokio1Executor>>),
    Memory(Outbox),
}

/// Managed state: sends mail with the configured transport.
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

impl Mailer {
    pub fn new(config: &MailConfig) -> Result<Self, String> {
        let from: Mailbox = config
            .from
            .parse()
            .map_err(|e| format!("mail.from {:?} is not an address: {e}", config.from))?;
        let transport = match config.transport {
            TransportKind::Log => Transport::Log,
            TransportKind::Memory => Transport::Memory(memory_outbox(config.outbox.as_deref())),
            TransportKind::File => Transport::File(PathBuf::from(&config.dir)),
            TransportKind::Smtp => {
                let url = config
                    .smtp_url
                    .as_deref()
                    .ok_or("mail.smtp_url is required with transport = \"smtp\"")?;
                let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("mail.smtp_url is not usable: {e}"))?;
                let timeout =
                    std::time::Duration::from_secs(config.smtp_timeout.0.whole_seconds() as u64);
                Transport::Smtp(Box::new(builder.timeout(Some(timeout)).build()))
            }
        };
        Ok(Mailer { from, transport })
    }

    /// True when mail actually leaves the machine.
    pub fn delivers(&self) -> bool {
        matches!(self.transport, Transport::Smtp(_))
    }

    pub async fn send(&self, mail: Mail) -> Result<(), MailError> {
        match &self.transport {
            Transport::Memory(outbox) => {
                outbox.lock().unwrap_or_else(|p| p.into_inner()).push(mail);
                Ok(())
            }
            Transport::Log => {
                // Straight to the console, not through the log, which
                // redacts tokens: this development transport exists to show
                // the links (release builds refuse it).
                println!("mail to {} — {}\n{}", mail.to, mail.subject, mail.text);
                Ok(())
            }
            Transport::File(dir) => {
                let message = self.message(&mail)?;
                rocket::tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| MailError(e.to_string()))?;
                let name = format!(
                    "{}-{}.eml",
                    time::OffsetDateTime::now_utc().unix_timestamp_nanos(),
                    &secret::generate().token[..8]
                );
                rocket::tokio::fs::write(dir.join(name), message.formatted())
                    .await
                    .map_err(|e| MailError(e.to_string()))
            }
            Transport::Smtp(smtp) => {
                let message = self.message(&mail)?;
                smtp.send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| MailError(e.to_string()))
            }
        }
    }

    fn message(&self, mail: &Mail) -> Result<Message, MailError> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|e| MailError(format!("recipient {:?}: {e}", mail.to)))?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&mail.subject)
            .multipart(MultiPart::alternative_plain_html(
                mail.text.clone(),
                mail.html.clone(),
            ))
            .map_err(|e| MailError(e.to_string()))
    }

    /// The mails the `memory` transport has kept (for tests).
    pub fn outbox(&self) -> Vec<Mail> {
        match &self.transport {
            Transport::Memory(outbox) => outbox.lock().unwrap_or_else(|p| p.into_inner()).clone(),
            _ => Vec::new(),
        }
    }
}
