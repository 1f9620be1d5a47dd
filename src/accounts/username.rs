//! Usernames (Flask-Security's `username_enable`, `change_username`,
//! `username_recovery`): the optional second identity of an account,
//! unique ignoring case under the database's index.

use crate::db::DbConn;
use crate::domain::{Email, Username};
use crate::error::Error;
use crate::models::unique::is_unique_violation;
use crate::models::user;
use crate::models::User;

/// The name belongs to another account by now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsernameTaken;

/// Whether `name`, in any case, belongs to an account other than
/// `except`'s.
pub async fn is_taken(
    conn: &mut DbConn,
    name: &Username,
    except: Option<&User>,
) -> Result<bool, Error> {
    let found = user::find_by_username_key(conn, &name.key()).await?;
    Ok(found.is_some_and(|owner| Some(owner.id) != except.map(|u| u.id)))
}

/// Gives `found` the username `name` (its own name in another case
/// included); the unique index decides a race.
pub async fn change(
    conn: &mut DbConn,
    found: &User,
    name: &Username,
) -> Result<Result<User, UsernameTaken>, Error> {
    match user::set_username(conn, found.id, name.as_str(), &name.key()).await {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => return Ok(Err(UsernameTaken)),
        Err(e) => return Err(e.into()),
    }
    let changed = user::find(conn, found.id)
        .await?
        .ok_or_else(|| Error::Internal("the account vanished".into()))?;
    Ok(Ok(changed))
}

/// The account of `email` and its username, when it has one.
pub async fn of_email(conn: &mut DbConn, email: &Email) -> Result<Option<(User, String)>, Error> {
    let found = user::find_by_email_key(conn, &email.key()).await?;
    Ok(found.and_then(|u| {
        let name = u.username.clone()?;
        Some((u, name))
    }))
}
