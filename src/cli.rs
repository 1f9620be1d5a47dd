//! The administration commands (Flask-Security's `flask users` / `flask
//! roles`): the same binary, reading the same configuration as the server.
//! Each command prints one line; errors are one clear line and exit non-zero.
//! Every change goes through `accounts::admin`, the same code the web uses.

use crate::accounts::admin::{self, NewAccount};
use crate::accounts::Security;
use crate::db::{self, DbConn};
use crate::models::rfc3339;
use clap::{Parser, Subcommand};
use rocket::figment::Figment;

#[derive(Debug, Parser)]
#[command(about = "Serves the application, or administers its users and roles")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage users.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Manage roles.
    #[command(subcommand)]
    Roles(RolesCommand),
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Create a user.
    Create {
        email: String,
        #[arg(long)]
        password: String,
        /// A username (with `security.username_enable`).
        #[arg(long)]
        username: Option<String>,
        /// Grant an existing role (repeatable).
        #[arg(long = "role")]
        roles: Vec<String>,
        /// Mark the email as already confirmed.
        #[arg(long)]
        confirmed: bool,
        /// Create the account deactivated.
        #[arg(long)]
        inactive: bool,
    },
    /// Let a deactivated user sign in again.
    Activate { email: String },
    /// Stop a user from signing in, ending every session and token.
    Deactivate { email: String },
    /// Set a new password, ending every session and token.
    ChangePassword {
        email: String,
        #[arg(long)]
        password: String,
    },
    /// End every session, remember-me cookie and auth token of a user.
    Revoke { email: String },
    /// Two-factor sign-in of a user.
    #[command(subcommand)]
    TwoFactor(TwoFactorCommand),
    /// Make new recovery codes for a user (the earlier ones die) and print them.
    RecoveryCodes { email: String },
    /// List a user's passkeys (name, usage, created, last used), or remove one.
    Passkeys {
        email: String,
        /// Remove the passkey of this name.
        #[arg(long)]
        remove: Option<String>,
    },
    /// List a user's connected OAuth identities (provider, email at link
    /// time, linked, last used), or disconnect one.
    Identities {
        email: String,
        /// Disconnect the identity at this provider.
        #[arg(long)]
        remove: Option<String>,
    },
    /// Show a user's recent security events (sign-ins, failures, changes).
    Events {
        email: String,
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum TwoFactorCommand {
    /// Turn a user's two-factor sign-in off (after checking who asks).
    Disable { email: String },
}

#[derive(Debug, Subcommand)]
pub enum RolesCommand {
    /// Create a role.
    Create {
        name: String,
        #[arg(long)]
        description: Option<String>,
    },
    /// Grant a role to a user.
    Add { email: String, role: String },
    /// Take a role from a user.
    Remove { email: String, role: String },
    /// List the roles.
    List,
}

/// Runs one command against the configured database; `Ok` is the line to
/// print, `Err` the error line.
pub async fn run(command: Command, figment: &Figment) -> Result<String, String> {
    // The same refusals as the server (a weak hashing cost in release…),
    // except those about serving (secret key, public URL).
    let config = crate::config::SecurityConfig::from_figment(figment)
        .map_err(|e| format!("configuration: {e}"))?;
    if crate::config::is_release(figment) {
        // The CLI hashes passwords too: the same floor as the server.
        config
            .argon2
            .validate_for_release()
            .map_err(|e| format!("configuration: {e}"))?;
    }
    let security = Security::new(config).map_err(|e| format!("configuration: {e}"))?;
    let pool = db::open(figment).await?;
    let mut conn = pool
        .connection()
        .await
        .map_err(|e| format!("database: {e}"))?;
    let conn: &mut DbConn = &mut conn;
    match command {
        Command::Users(command) => users(command, conn, &security).await,
        Command::Roles(command) => roles(command, conn).await,
    }
}

async fn users(
    command: UsersCommand,
    conn: &mut DbConn,
    security: &Security,
) -> Result<String, String> {
    match command {
        UsersCommand::Create {
            email,
            password,
            username,
            roles,
            confirmed,
            inactive,
        } => {
            let new = NewAccount {
                email: &email,
                username: username.as_deref(),
                password: &password,
                roles: &roles,
                confirmed,
                active: !inactive,
            };
            let created = admin::create_user(conn, security, new).await?;
            Ok(format!(
                "created user {} (id {})",
                created.email, created.id
            ))
        }
        UsersCommand::Activate { email } => {
            let found = admin::activate(conn, &email).await?;
            Ok(format!("activated {}", found.email))
        }
        UsersCommand::Deactivate { email } => {
            let found = admin::deactivate(conn, &email).await?;
            Ok(format!(
                "deactivated {} and ended their sessions",
                found.email
            ))
        }
        UsersCommand::ChangePassword { email, password } => {
            let found = admin::change_password(conn, security, &email, &password).await?;
            Ok(format!(
                "changed the password of {} and ended their sessions",
                found.email
            ))
        }
        UsersCommand::Revoke { email } => {
            let (found, ended) = admin::revoke(conn, &email).await?;
            Ok(format!(
                "revoked {ended} sessions and tokens of {}",
                found.email
            ))
        }
        UsersCommand::TwoFactor(TwoFactorCommand::Disable { email }) => {
            let (found, was_on) = admin::disable_two_factor(conn, &email).await?;
            Ok(if was_on {
                format!("turned two-factor off for {}", found.email)
            } else {
                format!("{} had no two-factor sign-in", found.email)
            })
        }
        UsersCommand::RecoveryCodes { email } => {
            let (_, codes) = admin::regenerate_recovery_codes(conn, security, &email).await?;
            Ok(codes.join("\n"))
        }
        UsersCommand::Passkeys {
            email,
            remove: Some(name),
        } => {
            let found = admin::remove_passkey(conn, &email, &name).await?;
            Ok(format!("removed the passkey {name:?} of {}", found.email))
        }
        UsersCommand::Passkeys {
            email,
            remove: None,
        } => {
            let (found, keys) = admin::passkeys(conn, &email).await?;
            let rows = keys.iter().map(|k| {
                let (created, used) = (rfc3339(k.created_at), rfc3339(k.last_used_at));
                format!("{}\t{}\t{created}\t{used}", k.name, k.usage)
            });
            Ok(rows_or_none(&found.email, "passkeys", rows))
        }
        UsersCommand::Identities {
            email,
            remove: Some(provider),
        } => {
            let found = admin::remove_identity(conn, &email, &provider).await?;
            Ok(format!("disconnected {provider:?} from {}", found.email))
        }
        UsersCommand::Identities {
            email,
            remove: None,
        } => {
            let (found, linked) = admin::identities(conn, &email).await?;
            let rows = linked.iter().map(|i| {
                let used = i.last_used_at.map(rfc3339).unwrap_or_else(|| "-".into());
                let linked = rfc3339(i.linked_at);
                format!("{}\t{}\t{linked}\t{used}", i.provider, i.email)
            });
            Ok(rows_or_none(&found.email, "connected providers", rows))
        }
        UsersCommand::Events { email, limit } => {
            let (found, events) = admin::events(conn, &email, limit).await?;
            if events.is_empty() {
                return Ok(format!("no events for {}", found.email));
            }
            Ok(events
                .iter()
                .map(|e| {
                    let at = rfc3339(e.created_at);
                    format!("{at}\t{}\t{}", e.kind, e.ip.as_deref().unwrap_or("-"))
                })
                .collect::<Vec<_>>()
                .join("\n"))
        }
    }
}

async fn roles(command: RolesCommand, conn: &mut DbConn) -> Result<String, String> {
    match command {
        RolesCommand::Create { name, description } => {
            let created = admin::create_role(conn, &name, description.as_deref()).await?;
            Ok(format!("created role {}", created.name))
        }
        RolesCommand::Add { email, role } => {
            let (found, role) = admin::grant_role(conn, &email, &role).await?;
            Ok(format!("granted {} to {}", role.name, found.email))
        }
        RolesCommand::Remove { email, role } => {
            let (found, role) = admin::remove_role(conn, &email, &role).await?;
            Ok(format!("removed {} from {}", role.name, found.email))
        }
        RolesCommand::List => {
            let all = admin::list_roles(conn).await?;
            if all.is_empty() {
                return Ok("no roles".into());
            }
            Ok(all
                .iter()
                .map(|r| match &r.description {
                    Some(d) => format!("{}\t{d}", r.name),
                    None => r.name.clone(),
                })
                .collect::<Vec<_>>()
                .join("\n"))
        }
    }
}

/// One line per row, or "<email> has no <what>".
fn rows_or_none(email: &str, what: &str, rows: impl Iterator<Item = String>) -> String {
    let lines: Vec<String> = rows.collect();
    if lines.is_empty() {
        return format!("{email} has no {what}");
    }
    lines.join("\n")
}
