//! Signing in with a password (Flask-Security's `verify_and_update_password`
//! behind its login form): the check itself, against a dummy hash for
//! unknown emails, and the rate limits, lockout and audit trail around it.

use crate::accounts::audit::{record, Event};
use crate::accounts::limits;
use crate::accounts::state::Security;
use crate::db::DbPool;
use crate::domain::{Identity, Password};
use crate::error::Error;
use crate::models::user;
use crate::models::User;

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

/// Checks an identity (email or username) and password. An unknown one is
/// checked against a dummy hash so that it takes as long as a wrong
/// password. A correct
/// password stored with outdated argon2 parameters is re-hashed.
///
/// Takes the pool rather than a connection: no connection is held while
/// the hash runs, so a flood of sign-ins cannot drain the pool that every
/// other request needs.
pub async fn authenticate(
    pool: &DbPool,
    security: &Security,
    identity: Option<&Identity>,
    password: &Password,
) -> Result<Result<User, SignInFailure>, Error> {
    let found = match identity {
        Some(identity) => find_by_identity(&mut *pool.connection().await?, identity).await?,
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

/// The account an identity names, if any.
pub async fn find_by_identity(
    conn: &mut crate::db::DbConn,
    identity: &Identity,
) -> Result<Option<User>, Error> {
    Ok(match identity {
        Identity::Email(email) => user::find_by_email_key(conn, &email.key()).await?,
        Identity::Username(name) => user::find_by_username_key(conn, &name.key()).await?,
    })
}

/// [`authenticate`] behind the rate limits and lockout, with the audit
/// trail (see [`guarded`]).
pub async fn sign_in_with_password(
    pool: &DbPool,
    security: &Security,
    identity: &Identity,
    password: &Password,
    ip: Option<&str>,
) -> Result<Result<User, SignInRefusal>, Error> {
    let check = authenticate(pool, security, Some(identity), password);
    guarded(pool, security, identity, ip, check).await
}

/// Runs a sign-in `check` behind the rate limits and lockout, with the
/// audit trail: a limited attempt is refused before anything is checked,
/// every wrong guess counts, and a success forgives the identity's
/// failures. An email and a username count apart: the counters are keyed
/// by what was typed, so that they never tell which name is whose.
pub async fn guarded<T>(
    pool: &DbPool,
    security: &Security,
    identity: &Identity,
    ip: Option<&str>,
    check: impl std::future::Future<Output = Result<Result<T, SignInFailure>, Error>>,
) -> Result<Result<T, SignInRefusal>, Error> {
    let key = identity.key();
    let limits = limits::sign_in_limits(&security.config.rate_limits, Some(&key), ip);
    {
        let conn = &mut *pool.connection().await?;
        if let Some(wait) = limits::exceeded(conn, &limits).await? {
            record(conn, Event::LoginThrottled, None, Some(&key), ip).await?;
            return Ok(Err(SignInRefusal::Throttled(wait)));
        }
    }
    let outcome = check.await?;
    let conn = &mut *pool.connection().await?;
    let failure = match outcome {
        Ok(found) => {
            limits::forgive(conn, &limits).await?;
            return Ok(Ok(found));
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
            .filter(|l| l.key == limits::lockout_key_of(&key))
            .cloned()
            .collect();
        if limits::exceeded(conn, &lockout).await?.is_some() {
            record(conn, Event::LockedOut, None, Some(&key), ip).await?;
        }
    }
    let found = find_by_identity(conn, identity).await?;
    record(conn, Event::LoginFailed, found.as_ref(), Some(&key), ip).await?;
    Ok(Err(SignInRefusal::Failed(failure)))
}
