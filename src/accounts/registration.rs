//! Creating and confirming accounts (Flask-Security's `register_user` and
//! `confirm_user`), and who may use the emailed links.

use crate::accounts::state::Security;
use crate::config::SecurityConfig;
use crate::db::DbConn;
use crate::domain::{Email, Password, Username};
use crate::error::Error;
use crate::models::token;
use crate::models::user::{self, NewUser};
use crate::models::{is_unique_violation, now, User};
use diesel_async::AsyncConnection;

/// What the application stores with a new account beyond email and
/// password: its own registration fields, saved in the transaction that
/// creates the user, so an account never exists without them. The app
/// plugs its type in when the rocket is built (see `flows::register`).
#[rocket::async_trait]
pub trait NewAccountFields: Send + Sync {
    async fn store(&self, conn: &mut DbConn, user_id: i32) -> diesel::QueryResult<()>;
}

/// No fields beyond email and password (the CLI's accounts).
pub struct NoFields;

#[rocket::async_trait]
impl NewAccountFields for NoFields {
    async fn store(&self, _conn: &mut DbConn, _user_id: i32) -> diesel::QueryResult<()> {
        Ok(())
    }
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

/// The email or the username is already taken (decided by the unique
/// indexes, so two racing registrations cannot both win).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    Email,
    Username,
}

/// What a new account is: its identities and password.
pub struct Signup<'a> {
    pub email: &'a Email,
    pub username: Option<&'a Username>,
    pub password: &'a Password,
}

/// Creates an account. The password is hashed first, so a taken email costs
/// the same time as a new one.
pub async fn register_user(
    conn: &mut DbConn,
    security: &Security,
    account: Signup<'_>,
    confirmed: bool,
    active: bool,
    extra: &dyn NewAccountFields,
) -> Result<Result<User, Taken>, Error> {
    let Signup {
        email,
        username,
        password,
    } = account;
    let hash = security.hasher.hash(password).await?;
    let created_at = now();
    let email_key = email.key();
    let username_key = username.map(Username::key);
    let new = NewUser {
        email: email.as_str(),
        email_key: &email_key,
        username: username.map(Username::as_str),
        username_key: username_key.as_deref(),
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
        Err(e) if is_unique_violation(&e) => {
            // Which index refused it: the email unless it is free.
            let email_free = user::find_by_email_key(conn, &email_key).await?.is_none();
            Ok(Err(if email_free && username.is_some() {
                Taken::Username
            } else {
                Taken::Email
            }))
        }
        Err(e) => Err(e.into()),
    }
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

pub async fn find_user_by_id(conn: &mut DbConn, id: i32) -> Result<Option<User>, Error> {
    Ok(user::find(conn, id).await?)
}
