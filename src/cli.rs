//! The administration commands (Flask-Security's `flask users` / `flask
//! roles`): the same binary, reading the same configuration as the server.
//! Each command prints one line; errors are one clear line and exit non-zero.

use crate::config::SecurityConfig;
use crate::db::{self, DbConn};
use crate::domain::{Email, PasswordPolicy};
use crate::models::{role, user, User};
use crate::security::service::Event;
use crate::security::{service, Security};
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
    /// Show a user's recent security events (sign-ins, failures, changes).
    Events {
        email: String,
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
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
    let config =
        SecurityConfig::from_figment(figment).map_err(|e| format!("configuration: {e}"))?;
    if crate::security::is_release(figment) {
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

fn db_error(e: impl std::fmt::Display) -> String {
    format!("database error: {e}")
}

async fn find_user(conn: &mut DbConn, email: &str) -> Result<User, String> {
    let parsed = Email::parse(email).map_err(|_| format!("invalid email address: {email}"))?;
    user::find_by_email_key(conn, &parsed.key())
        .await
        .map_err(db_error)?
        .ok_or_else(|| format!("no user with email {email}"))
}

async fn find_role(conn: &mut DbConn, name: &str) -> Result<role::Role, String> {
    role::find_by_name(conn, name)
        .await
        .map_err(db_error)?
        .ok_or_else(|| format!("no role named {name} (create it with `roles create {name}`)"))
}

async fn users(
    command: UsersCommand,
    conn: &mut DbConn,
    security: &Security,
) -> Result<String, String> {
    let policy = PasswordPolicy {
        min_length: security.config.password_min_length,
    };
    match command {
        UsersCommand::Create {
            email,
            password,
            roles,
            confirmed,
            inactive,
        } => {
            let email =
                Email::parse(&email).map_err(|_| format!("invalid email address: {email}"))?;
            let password = policy.parse(&password)?;
            let mut granted = Vec::new();
            for name in &roles {
                granted.push(find_role(conn, name).await?);
            }
            let created = service::register_user(
                conn,
                security,
                &email,
                &password,
                confirmed,
                !inactive,
                &Default::default(),
            )
            .await
            .map_err(|e| e.to_string())?
            .map_err(|_| format!("{email} is already associated with an account"))?;
            audit(conn, Event::Registered, &created).await?;
            for role in granted {
                role::grant(conn, created.id, role.id)
                    .await
                    .map_err(db_error)?;
                audit(conn, Event::RoleGranted, &created).await?;
            }
            Ok(format!(
                "created user {} (id {})",
                created.email, created.id
            ))
        }
        UsersCommand::Activate { email } => {
            let found = find_user(conn, &email).await?;
            user::set_active(conn, found.id, true)
                .await
                .map_err(db_error)?;
            // Activating also ends a lockout.
            let lockout = crate::security::limits::lockout_key_of(&found.email_key);
            crate::models::rate_limit::clear(conn, &[lockout])
                .await
                .map_err(db_error)?;
            audit(conn, Event::UserActivated, &found).await?;
            Ok(format!("activated {}", found.email))
        }
        UsersCommand::Deactivate { email } => {
            let found = find_user(conn, &email).await?;
            user::set_active(conn, found.id, false)
                .await
                .map_err(db_error)?;
            service::revoke_all_tokens(conn, found.id, None)
                .await
                .map_err(|e| e.to_string())?;
            audit(conn, Event::UserDeactivated, &found).await?;
            Ok(format!(
                "deactivated {} and ended their sessions",
                found.email
            ))
        }
        UsersCommand::ChangePassword { email, password } => {
            let found = find_user(conn, &email).await?;
            let password = policy.parse(&password)?;
            service::change_password(conn, security, &found, &password)
                .await
                .map_err(|e| e.to_string())?;
            audit(conn, Event::PasswordChanged, &found).await?;
            Ok(format!(
                "changed the password of {} and ended their sessions",
                found.email
            ))
        }
        UsersCommand::Revoke { email } => {
            let found = find_user(conn, &email).await?;
            let ended = service::revoke_all_tokens(conn, found.id, None)
                .await
                .map_err(|e| e.to_string())?;
            audit(conn, Event::TokensRevoked, &found).await?;
            Ok(format!(
                "revoked {ended} sessions and tokens of {}",
                found.email
            ))
        }
        UsersCommand::Events { email, limit } => {
            let found = find_user(conn, &email).await?;
            let events = crate::models::event::recent_for(
                conn,
                found.id,
                &found.email_key,
                limit.clamp(1, 1000),
            )
            .await
            .map_err(db_error)?;
            if events.is_empty() {
                return Ok(format!("no events for {}", found.email));
            }
            Ok(events
                .iter()
                .map(|e| {
                    let at = crate::models::rfc3339(e.created_at);
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
            let name = name.trim();
            if name.is_empty() || name.len() > 80 || name.chars().any(char::is_whitespace) {
                return Err("a role name is 1 to 80 characters without spaces".into());
            }
            match role::insert(conn, name, description.as_deref()).await {
                Ok(created) => Ok(format!("created role {}", created.name)),
                Err(e) if crate::models::is_unique_violation(&e) => {
                    Err(format!("role {name} already exists"))
                }
                Err(e) => Err(db_error(e)),
            }
        }
        RolesCommand::Add { email, role: name } => {
            let found = find_user(conn, &email).await?;
            let role = find_role(conn, &name).await?;
            role::grant(conn, found.id, role.id)
                .await
                .map_err(db_error)?;
            audit(conn, Event::RoleGranted, &found).await?;
            Ok(format!("granted {} to {}", role.name, found.email))
        }
        RolesCommand::Remove { email, role: name } => {
            let found = find_user(conn, &email).await?;
            let role = find_role(conn, &name).await?;
            match role::revoke(conn, found.id, role.id)
                .await
                .map_err(db_error)?
            {
                0 => Err(format!("{} does not have role {}", found.email, role.name)),
                _ => {
                    audit(conn, Event::RoleRemoved, &found).await?;
                    Ok(format!("removed {} from {}", role.name, found.email))
                }
            }
        }
        RolesCommand::List => {
            let all = role::all(conn).await.map_err(db_error)?;
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

/// Records what an administrator did (no IP: it came from the console).
async fn audit(conn: &mut DbConn, event: Event, user: &User) -> Result<(), String> {
    service::record(conn, event, Some(user), None, None)
        .await
        .map_err(|e| e.to_string())
}
