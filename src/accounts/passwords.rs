//! Changing, resetting and withdrawing a password (Flask-Security's
//! `change_user_password`): each ends every credential the old one made.

use crate::accounts::state::Security;
use crate::db::DbConn;
use crate::domain::Password;
use crate::error::Error;
use crate::models::token;
use crate::models::user;
use crate::models::User;

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

/// Makes the account's password unusable (nothing verifies against it):
/// the mailbox's owner confirmed an account whose password someone else
/// may have chosen. A password reset sets a new one.
pub async fn forget_password(conn: &mut DbConn, user: &User) -> Result<(), Error> {
    use crate::accounts::hasher::UNUSABLE_PASSWORD;
    user::set_password_hash(conn, user.id, UNUSABLE_PASSWORD).await?;
    Ok(())
}
