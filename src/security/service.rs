//! The accounts service: the only code that changes users, sessions and
//! tokens (Phoenix's `Accounts` context, Flask-Security's datastore calls).
//! Handlers, guards and the CLI call these; none of them touch Diesel.

use crate::app::registration::ExtraFields;
use crate::config::SecurityConfig;
use crate::db::{DbConn, DbPool};
use crate::domain::{Email, Password};
use crate::error::Error;
use crate::models::token::{self, NewToken};
use crate::models::user::{self, NewUser};
use crate::models::{is_unique_violation, now, TokenContext, User};
use crate::security::request::ClientInfo;
use crate::security::{tokens, Security};
use diesel_async::AsyncConnection;
use time::PrimitiveDateTime;

/// Why a sign-in was refused. Callers decide how much of this to reveal
/// (`generic_responses`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInFailure {
    UnknownUser,
    WrongPassword,
    /// Right password, but the account is not confirmed yet.
    Unconfirmed,
    /// Right password, but the account is deactivated.
    Disabled,
}

/// Checks an email and password. An unknown email is checked against a
/// dummy hash so that it takes as long as a wrong password. A correct
/// password stored with outdated argon2 parameters is re-hashed.
///
/// Takes the pool rather than a connection: no connection is held while
/// the hash runs, so a flood of sign-ins cannot drain the pool that every
/// other request needs.
pub async fn authenticate(
    pool: &DbPool,
    security: &Security,
    email: Option<&Email>,
    password: &Password,
) -> Result<Result<User, SignInFailure>, Error> {
    let found = match email {
        Some(email) => {
            user::find_by_email_key(&mut *pool.connection().await?, &email.key()).await?
        }
        None => None,
    };
    let check = security
        .hasher
        .verify(found.as_ref().map(|u| u.password_hash.as_str()), password)
        .await?;
    let Some(mut user) = found else {
        return Ok(Err(SignInFailure::UnknownUser));
    };
    if !check.valid {
        return Ok(Err(SignInFailure::WrongPassword));
    }
    if check.needs_rehash {
        let new_hash = security.hasher.hash(password).await?;
        let mut conn = pool.connection().await?;
        user::replace_password_hash(&mut conn, user.id, &user.password_hash, &new_hash).await?;
        user.password_hash = new_hash;
    }
    if security.config.confirmable && user.confirmed_at.is_none() {
        return Ok(Err(SignInFailure::Unconfirmed));
    }
    if !user.active {
        return Ok(Err(SignInFailure::Disabled));
    }
    Ok(Ok(user))
}

/// Why a password sign-in did not happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInRefusal {
    Failed(SignInFailure),
    /// A rate limit or lockout is in force; try again after this long.
    Throttled(time::Duration),
}

/// [`authenticate`] behind the rate limits and lockout, with the audit
/// trail: a limited attempt is refused before the password is checked,
/// every wrong guess counts, and a success forgives the email's failures.
pub async fn sign_in_with_password(
    pool: &DbPool,
    security: &Security,
    email: &Email,
    password: &Password,
    ip: Option<&str>,
) -> Result<Result<User, SignInRefusal>, Error> {
    use crate::security::limits;
    let limits = limits::sign_in_limits(&security.config.rate_limits, Some(email), ip);
    {
        let conn = &mut *pool.connection().await?;
        if let Some(wait) = limits::exceeded(conn, &limits).await? {
            record(conn, Event::LoginThrottled, None, Some(&email.key()), ip).await?;
            return Ok(Err(SignInRefusal::Throttled(wait)));
        }
    }
    let outcome = authenticate(pool, security, Some(email), password).await?;
    let conn = &mut *pool.connection().await?;
    let failure = match outcome {
        Ok(user) => {
            limits::forgive(conn, &limits).await?;
            return Ok(Ok(user));
        }
        Err(failure) => failure,
    };
    // Only guesses count: the right password on an unconfirmed or disabled
    // account is not an attack.
    if matches!(
        failure,
        SignInFailure::UnknownUser | SignInFailure::WrongPassword
    ) {
        limits::hit(conn, &limits).await?;
        let lockout: Vec<_> = limits
            .iter()
            .filter(|l| l.key == limits::lockout_key(email))
            .cloned()
            .collect();
        if limits::exceeded(conn, &lockout).await?.is_some() {
            record(conn, Event::LockedOut, None, Some(&email.key()), ip).await?;
        }
    }
    let found = user::find_by_email_key(conn, &email.key()).await?;
    record(
        conn,
        Event::LoginFailed,
        found.as_ref(),
        Some(&email.key()),
        ip,
    )
    .await?;
    Ok(Err(SignInRefusal::Failed(failure)))
}

/// Whether emailed sign-in links may go to, and work for, this account: it
/// is active and, when confirmation is required, confirmed — else whoever
/// registered someone else's address first could wait for its owner to
/// hand them a way in (credential pre-stuffing). Reset links need only an
/// active account: following one proves the mailbox, and a reset replaces
/// whatever password the account had.
pub fn may_use_emailed_links(config: &SecurityConfig, user: &User) -> bool {
    user.active && !(config.confirmable && user.confirmed_at.is_none())
}

/// Makes the account's password unusable (nothing verifies against it):
/// the mailbox's owner confirmed an account whose password someone else
/// may have chosen. A password reset sets a new one.
pub async fn forget_password(conn: &mut DbConn, user: &User) -> Result<(), Error> {
    use crate::security::password::UNUSABLE_PASSWORD;
    user::set_password_hash(conn, user.id, UNUSABLE_PASSWORD).await?;
    Ok(())
}

/// The email is already taken (decided by the unique index, so two racing
/// registrations cannot both win).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmailTaken;

/// Creates an account. The password is hashed first, so a taken email costs
/// the same time as a new one.
pub async fn register_user(
    conn: &mut DbConn,
    security: &Security,
    email: &Email,
    password: &Password,
    confirmed: bool,
    active: bool,
    extra: &ExtraFields,
) -> Result<Result<User, EmailTaken>, Error> {
    let hash = security.hasher.hash(password).await?;
    let created_at = now();
    let email_key = email.key();
    let new = NewUser {
        email: email.as_str(),
        email_key: &email_key,
        password_hash: &hash,
        active,
        confirmed_at: confirmed.then_some(created_at),
        created_at,
    };
    let created = conn
        .transaction::<_, diesel::result::Error, _>(async |conn| {
            let user = user::insert(conn, new).await?;
            extra.store(conn, user.id).await?;
            Ok(user)
        })
        .await;
    match created {
        Ok(user) => Ok(Ok(user)),
        Err(e) if is_unique_violation(&e) => Ok(Err(EmailTaken)),
        Err(e) => Err(e.into()),
    }
}

/// Sets a new password and ends every session, remember-me cookie, auth
/// token and emailed link of the user: whoever knew the old password is out.
pub async fn change_password(
    conn: &mut DbConn,
    security: &Security,
    user: &User,
    new: &Password,
) -> Result<(), Error> {
    let hash = security.hasher.hash(new).await?;
    user::set_password_hash(conn, user.id, &hash).await?;
    token::delete_all_for_user(conn, user.id, None).await?;
    Ok(())
}

/// Tokens minted for a new sign-in.
pub struct NewSession {
    pub session_token: String,
    /// The session's `user_tokens` row.
    pub session_id: Option<i32>,
    pub remember_token: Option<String>,
}

/// Starts a session (and a remember-me token if asked) and, when `track`,
/// records the sign-in (login tracking).
pub async fn start_session(
    conn: &mut DbConn,
    config: &SecurityConfig,
    user: &User,
    client: &ClientInfo,
    remember: bool,
    track: bool,
) -> Result<NewSession, Error> {
    let (session_id, session_token) =
        issue_token_with_id(conn, user, TokenContext::Session, client).await?;
    let remember_token = if remember {
        Some(issue_token(conn, user, TokenContext::Remember, client).await?)
    } else {
        None
    };
    if track && config.trackable {
        user::record_login(conn, user.id, now(), client.ip.as_deref()).await?;
    }
    Ok(NewSession {
        session_token,
        session_id: Some(session_id),
        remember_token,
    })
}

/// Mints a token of `context` for the user and stores its hash.
pub async fn issue_token(
    conn: &mut DbConn,
    user: &User,
    context: TokenContext,
    client: &ClientInfo,
) -> Result<String, Error> {
    Ok(issue_token_with_id(conn, user, context, client).await?.1)
}

/// [`issue_token`], with the new row's id.
pub async fn issue_token_with_id(
    conn: &mut DbConn,
    user: &User,
    context: TokenContext,
    client: &ClientInfo,
) -> Result<(i32, String), Error> {
    let secret = tokens::generate();
    let at = now();
    let id = token::insert(
        conn,
        NewToken {
            user_id: user.id,
            context: context.as_str(),
            token_hash: &secret.hash,
            sent_to: Some(&user.email),
            created_at: at,
            last_used_at: at,
            ip: client.ip.as_deref(),
            user_agent: client.user_agent.as_deref(),
        },
    )
    .await?;
    Ok((id, secret.token))
}

/// How long a token of `context` lives.
pub fn lifetime(config: &SecurityConfig, context: TokenContext) -> time::Duration {
    match context {
        TokenContext::Session => config.session_idle_timeout.0,
        TokenContext::Remember => config.remember_for.0,
        TokenContext::Api => config.token_max_age.0,
        TokenContext::Confirm => config.confirm_within.0,
        TokenContext::Reset => config.reset_within.0,
        TokenContext::Login => config.login_within.0,
    }
}

/// The oldest `created_at` (or `last_used_at`) still valid for `context`.
pub fn valid_since(config: &SecurityConfig, context: TokenContext) -> PrimitiveDateTime {
    now() - lifetime(config, context)
}

/// The user a live token of `context` belongs to, with the token's row id.
/// Sessions in use are refreshed (at most once a minute, to spare the
/// database a write per request).
pub async fn user_by_token(
    conn: &mut DbConn,
    config: &SecurityConfig,
    context: TokenContext,
    token: &str,
) -> Result<Option<(i32, User)>, Error> {
    if !tokens::well_formed(token) {
        return Ok(None);
    }
    let found = token::find_with_user(
        conn,
        context,
        &tokens::hash(token),
        valid_since(config, context),
    )
    .await?;
    let Some((row, user)) = found else {
        return Ok(None);
    };
    // Record use (for the sessions page; a sliding session also stays alive),
    // at most once a minute.
    if now() - row.last_used_at > time::Duration::minutes(1) {
        token::touch(conn, row.id, now()).await?;
    }
    Ok(Some((row.id, user)))
}

/// Deletes the given tokens (sign-out).
pub async fn revoke_tokens(
    conn: &mut DbConn,
    tokens_by_context: &[(TokenContext, Option<String>)],
) -> Result<(), Error> {
    for (context, token) in tokens_by_context {
        if let Some(token) = token {
            token::delete_by_hash(conn, *context, &tokens::hash(token)).await?;
        }
    }
    Ok(())
}

/// Ends every session, remember-me cookie, API token and emailed link of a
/// user, except the session whose token is `keep`.
pub async fn revoke_all_tokens(
    conn: &mut DbConn,
    user_id: i32,
    keep_session: Option<&str>,
) -> Result<usize, Error> {
    let keep = match keep_session {
        Some(t) => token::find_any_age(conn, TokenContext::Session, &tokens::hash(t))
            .await?
            .filter(|row| row.user_id == user_id)
            .map(|row| row.id),
        None => None,
    };
    Ok(token::delete_all_for_user(conn, user_id, keep).await?)
}

/// Deletes expired tokens of every context.
pub async fn purge_expired_tokens(
    conn: &mut DbConn,
    config: &SecurityConfig,
) -> Result<usize, Error> {
    let mut purged = 0;
    for context in TokenContext::ALL {
        purged += token::purge_expired(conn, context, valid_since(config, context)).await?;
    }
    // No window is longer than a day; older counters are spent.
    purged += crate::models::rate_limit::purge(conn, now() - time::Duration::days(1)).await?;
    Ok(purged)
}

/// What an emailed link turned out to be.
pub enum Link {
    /// Live, and sent to the user's current address.
    Valid(User),
    /// Real but too old; the user may be sent a fresh one.
    Expired(User),
    /// Unknown, used, tampered with, or sent to an address the account no
    /// longer has.
    Invalid,
}

/// Checks an emailed link of `context`. With `consume`, the token is deleted
/// in the same statement that finds it, so of two racing uses only one
/// succeeds; without, it is only looked at (a form shown before the use).
pub async fn check_link(
    conn: &mut DbConn,
    config: &SecurityConfig,
    context: TokenContext,
    token: &str,
    consume: bool,
) -> Result<Link, Error> {
    if !tokens::well_formed(token) {
        return Ok(Link::Invalid);
    }
    let hash = tokens::hash(token);
    let row = if consume {
        token::take(conn, context, &hash).await?
    } else {
        token::find_any_age(conn, context, &hash).await?
    };
    let Some(row) = row else {
        return Ok(Link::Invalid);
    };
    let Some(found) = user::find(conn, row.user_id).await? else {
        return Ok(Link::Invalid);
    };
    if row.sent_to.as_deref() != Some(found.email.as_str()) {
        return Ok(Link::Invalid);
    }
    if row.created_at <= valid_since(config, context) {
        return Ok(Link::Expired(found));
    }
    Ok(Link::Valid(found))
}

/// Mints a fresh single-use link token, voiding older ones of the same kind.
pub async fn issue_link(
    conn: &mut DbConn,
    user: &User,
    context: TokenContext,
) -> Result<String, Error> {
    token::delete_for_user_in(conn, user.id, context).await?;
    issue_token(conn, user, context, &ClientInfo::default()).await
}

/// Marks the email confirmed. The first confirmation also ends every session
/// and token the account had: whoever registered the address before its
/// owner proved it (credential pre-stuffing) loses access. Returns whether
/// this was the first confirmation.
pub async fn confirm_user(conn: &mut DbConn, found: &User) -> Result<bool, Error> {
    if found.confirmed_at.is_some() {
        return Ok(false);
    }
    let first = user::set_confirmed(conn, found.id, now()).await? > 0;
    if first {
        token::delete_all_for_user(conn, found.id, None).await?;
    }
    Ok(first)
}

pub async fn find_user_by_email(conn: &mut DbConn, email: &Email) -> Result<Option<User>, Error> {
    Ok(user::find_by_email_key(conn, &email.key()).await?)
}

/// What the audit trail records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Registered,
    LoginSucceeded,
    LoginFailed,
    /// A sign-in refused by a rate limit, before the password was checked.
    LoginThrottled,
    /// This failure locked the email out.
    LockedOut,
    EmailConfirmed,
    PasswordChanged,
    PasswordReset,
    TokensRevoked,
    SessionRevoked,
    RoleGranted,
    RoleRemoved,
    UserActivated,
    UserDeactivated,
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Registered => "registered",
            Event::LoginSucceeded => "login_succeeded",
            Event::LoginFailed => "login_failed",
            Event::LoginThrottled => "login_throttled",
            Event::LockedOut => "locked_out",
            Event::EmailConfirmed => "email_confirmed",
            Event::PasswordChanged => "password_changed",
            Event::PasswordReset => "password_reset",
            Event::TokensRevoked => "tokens_revoked",
            Event::SessionRevoked => "session_revoked",
            Event::RoleGranted => "role_granted",
            Event::RoleRemoved => "role_removed",
            Event::UserActivated => "user_activated",
            Event::UserDeactivated => "user_deactivated",
        }
    }
}

/// Adds an event to the audit trail. `email` is what was typed when there
/// is no account to name (a failed sign-in for an unknown address).
pub async fn record(
    conn: &mut DbConn,
    event: Event,
    user: Option<&User>,
    email: Option<&str>,
    ip: Option<&str>,
) -> Result<(), Error> {
    let new = crate::models::event::NewEvent {
        user_id: user.map(|u| u.id),
        email: user.map(|u| u.email_key.as_str()).or(email),
        kind: event.as_str(),
        ip,
        created_at: now(),
    };
    crate::models::event::insert(conn, new).await?;
    Ok(())
}
