//! Administration (Flask-Security's `flask users` / `flask roles`): what the
//! CLI does to users and roles, through the same accounts code the web uses.
//! Errors are one line for an operator.

use crate::accounts::audit::{record, Event};
use crate::accounts::limits::lockout_keys;
use crate::accounts::registration::{register_user, NoFields, Signup, Taken};
use crate::accounts::sessions::revoke_all_tokens;
use crate::accounts::state::Security;
use crate::db::DbConn;
use crate::domain::{Email, Password, PasswordPolicy, Username};
use crate::models::event::{self, SecurityEvent};
use crate::models::role::{self, Role};
use crate::models::user::{self, User};
use crate::models::{is_unique_violation, rate_limit};

fn db_error(e: impl std::fmt::Display) -> String {
    format!("database error: {e}")
}

/// Records what an administrator did (no IP: it came from the console).
async fn audit(conn: &mut DbConn, event: Event, user: &User) -> Result<(), String> {
    record(conn, event, Some(user), None, None)
        .await
        .map_err(|e| e.to_string())
}

pub async fn find_user(conn: &mut DbConn, email: &str) -> Result<User, String> {
    let parsed = Email::parse(email).map_err(|_| format!("invalid email address: {email}"))?;
    user::find_by_email_key(conn, &parsed.key())
        .await
        .map_err(db_error)?
        .ok_or_else(|| format!("no user with email {email}"))
}

async fn find_role(conn: &mut DbConn, name: &str) -> Result<Role, String> {
    role::find_by_name(conn, name)
        .await
        .map_err(db_error)?
        .ok_or_else(|| format!("no role named {name} (create it with `roles create {name}`)"))
}

/// A message in the default language, for the terminal.
fn in_words(security: &Security, message: &crate::i18n::Message) -> String {
    security.translator(None).render(message)
}

/// The strength checks of every new password, worded for the terminal.
async fn strong_enough(
    security: &Security,
    password: &Password,
    identities: &[&str],
) -> Result<(), String> {
    security
        .strength
        .check(&security.config, password, identities)
        .await
        .map_err(|weakness| {
            format!(
                "password refused: {}",
                in_words(security, &weakness.message())
            )
        })
}

/// What `users create` asks for.
pub struct NewAccount<'a> {
    pub email: &'a str,
    pub username: Option<&'a str>,
    pub password: &'a str,
    pub roles: &'a [String],
    pub confirmed: bool,
    pub active: bool,
}

pub async fn create_user(
    conn: &mut DbConn,
    security: &Security,
    new: NewAccount<'_>,
) -> Result<User, String> {
    let policy = PasswordPolicy {
        min_length: security.config.password_min_length,
    };
    let email =
        Email::parse(new.email).map_err(|_| format!("invalid email address: {}", new.email))?;
    let username = match new.username {
        Some(_) if !security.config.username_enable => {
            return Err("usernames are off (security.username_enable)".into())
        }
        Some(text) => Some(
            Username::parse(text)
                .map_err(|m| format!("username refused: {}", in_words(security, &m)))?,
        ),
        None => None,
    };
    let password = policy
        .parse(new.password)
        .map_err(|m| in_words(security, &m))?;
    let identities: Vec<&str> = std::iter::once(email.as_str())
        .chain(username.as_ref().map(Username::as_str))
        .collect();
    strong_enough(security, &password, &identities).await?;
    let mut granted = Vec::new();
    for name in new.roles {
        granted.push(find_role(conn, name).await?);
    }
    let signup = Signup {
        email: &email,
        username: username.as_ref(),
        password: &password,
    };
    let created = register_user(conn, security, signup, new.confirmed, new.active, &NoFields)
        .await
        .map_err(|e| e.to_string())?
        .map_err(|taken| match (taken, &username) {
            (Taken::Username, Some(name)) => {
                format!("{name} is already associated with an account")
            }
            _ => format!("{email} is already associated with an account"),
        })?;
    audit(conn, Event::Registered, &created).await?;
    for role in granted {
        role::grant(conn, created.id, role.id)
            .await
            .map_err(db_error)?;
        audit(conn, Event::RoleGranted, &created).await?;
    }
    Ok(created)
}

/// Lets a deactivated user sign in again, ending any lockout.
pub async fn activate(conn: &mut DbConn, email: &str) -> Result<User, String> {
    let found = find_user(conn, email).await?;
    user::set_active(conn, found.id, true)
        .await
        .map_err(db_error)?;
    rate_limit::clear(conn, &lockout_keys(&found))
        .await
        .map_err(db_error)?;
    audit(conn, Event::UserActivated, &found).await?;
    Ok(found)
}

/// Stops a user from signing in and ends every session and token.
pub async fn deactivate(conn: &mut DbConn, email: &str) -> Result<User, String> {
    let found = find_user(conn, email).await?;
    user::set_active(conn, found.id, false)
        .await
        .map_err(db_error)?;
    revoke_all_tokens(conn, found.id, None)
        .await
        .map_err(|e| e.to_string())?;
    audit(conn, Event::UserDeactivated, &found).await?;
    Ok(found)
}

pub async fn change_password(
    conn: &mut DbConn,
    security: &Security,
    email: &str,
    password: &str,
) -> Result<User, String> {
    let found = find_user(conn, email).await?;
    let policy = PasswordPolicy {
        min_length: security.config.password_min_length,
    };
    let password = policy.parse(password).map_err(|m| in_words(security, &m))?;
    strong_enough(security, &password, &found.identities()).await?;
    crate::accounts::passwords::change_password(conn, security, &found, &password)
        .await
        .map_err(|e| e.to_string())?;
    audit(conn, Event::PasswordChanged, &found).await?;
    Ok(found)
}

/// Ends every session, remember-me cookie and auth token; how many.
pub async fn revoke(conn: &mut DbConn, email: &str) -> Result<(User, usize), String> {
    let found = find_user(conn, email).await?;
    let ended = revoke_all_tokens(conn, found.id, None)
        .await
        .map_err(|e| e.to_string())?;
    audit(conn, Event::TokensRevoked, &found).await?;
    Ok((found, ended))
}

pub async fn events(
    conn: &mut DbConn,
    email: &str,
    limit: i64,
) -> Result<(User, Vec<SecurityEvent>), String> {
    let found = find_user(conn, email).await?;
    let events = event::recent_for(conn, found.id, &found.email_key, limit.clamp(1, 1000))
        .await
        .map_err(db_error)?;
    Ok((found, events))
}

pub async fn create_role(
    conn: &mut DbConn,
    name: &str,
    description: Option<&str>,
) -> Result<Role, String> {
    let name = name.trim();
    if name.is_empty() || name.len() > 80 || name.chars().any(char::is_whitespace) {
        return Err("a role name is 1 to 80 characters without spaces".into());
    }
    match role::insert(conn, name, description).await {
        Ok(created) => Ok(created),
        Err(e) if is_unique_violation(&e) => Err(format!("role {name} already exists")),
        Err(e) => Err(db_error(e)),
    }
}

pub async fn grant_role(
    conn: &mut DbConn,
    email: &str,
    name: &str,
) -> Result<(User, Role), String> {
    let found = find_user(conn, email).await?;
    let role = find_role(conn, name).await?;
    role::grant(conn, found.id, role.id)
        .await
        .map_err(db_error)?;
    audit(conn, Event::RoleGranted, &found).await?;
    Ok((found, role))
}

pub async fn remove_role(
    conn: &mut DbConn,
    email: &str,
    name: &str,
) -> Result<(User, Role), String> {
    let found = find_user(conn, email).await?;
    let role = find_role(conn, name).await?;
    match role::revoke(conn, found.id, role.id)
        .await
        .map_err(db_error)?
    {
        0 => Err(format!("{} does not have role {}", found.email, role.name)),
        _ => {
            audit(conn, Event::RoleRemoved, &found).await?;
            Ok((found, role))
        }
    }
}

pub async fn list_roles(conn: &mut DbConn) -> Result<Vec<Role>, String> {
    role::all(conn).await.map_err(db_error)
}

/// Turns the user's two-factor off (and their recovery codes with it);
/// whether it was on.
pub async fn disable_two_factor(conn: &mut DbConn, email: &str) -> Result<(User, bool), String> {
    let found = find_user(conn, email).await?;
    let was_on = crate::accounts::two_factor::disable(conn, found.id)
        .await
        .map_err(|e| e.to_string())?;
    crate::accounts::recovery_codes::delete_all(conn, found.id)
        .await
        .map_err(|e| e.to_string())?;
    if was_on {
        audit(conn, Event::TwoFactorDisabled, &found).await?;
    }
    Ok((found, was_on))
}

/// The user's passkeys, oldest first.
pub async fn passkeys(
    conn: &mut DbConn,
    email: &str,
) -> Result<(User, Vec<crate::models::webauthn::WebauthnCredential>), String> {
    let found = find_user(conn, email).await?;
    let keys = crate::models::webauthn::of_user(conn, found.id)
        .await
        .map_err(|e| e.to_string())?;
    Ok((found, keys))
}

/// Removes the user's passkey of that name (as `/wan-delete` does).
pub async fn remove_passkey(conn: &mut DbConn, email: &str, name: &str) -> Result<User, String> {
    let found = find_user(conn, email).await?;
    let name = crate::domain::PasskeyName::parse(name)
        .map_err(|_| format!("{name:?} is not a passkey name"))?;
    let removed = crate::accounts::webauthn::delete(conn, &found, &name)
        .await
        .map_err(|e| e.to_string())?;
    if !removed {
        return Err(format!(
            "{} has no passkey named {:?}",
            found.email,
            name.as_str()
        ));
    }
    audit(conn, Event::PasskeyDeleted, &found).await?;
    Ok(found)
}

/// The user's connected OAuth identities, by provider.
pub async fn identities(
    conn: &mut DbConn,
    email: &str,
) -> Result<(User, Vec<crate::models::oauth::OAuthIdentity>), String> {
    let found = find_user(conn, email).await?;
    let linked = crate::models::oauth::of_user(conn, found.id)
        .await
        .map_err(|e| e.to_string())?;
    Ok((found, linked))
}

/// Disconnects the user's identity at `provider`. Unlike `/oauth-unlink`,
/// even the last way in: an administrator may lock an identity out, and
/// the owner can still set a password through `/reset`.
pub async fn remove_identity(
    conn: &mut DbConn,
    email: &str,
    provider: &str,
) -> Result<User, String> {
    let found = find_user(conn, email).await?;
    let removed = crate::models::oauth::unlink(conn, found.id, provider)
        .await
        .map_err(|e| e.to_string())?;
    if removed == 0 {
        return Err(format!("{} has no {provider:?} identity", found.email));
    }
    audit(conn, Event::OAuthUnlinked, &found).await?;
    Ok(found)
}

/// Five new recovery codes for the user; the earlier ones die.
pub async fn regenerate_recovery_codes(
    conn: &mut DbConn,
    security: &Security,
    email: &str,
) -> Result<(User, Vec<String>), String> {
    let found = find_user(conn, email).await?;
    let codes = crate::accounts::recovery_codes::regenerate(conn, security, found.id)
        .await
        .map_err(|e| e.to_string())?;
    audit(conn, Event::RecoveryCodesGenerated, &found).await?;
    Ok((found, codes))
}

/// The first `limit` users by id (the admin page).
pub async fn list_users(conn: &mut DbConn, limit: i64) -> Result<Vec<User>, crate::error::Error> {
    Ok(user::list(conn, limit).await?)
}
