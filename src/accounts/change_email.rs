//! Change email (Flask-Security's `change_email`): a signed-in user asks to
//! move the account to a new address; a single-use link goes to that
//! address, and nothing changes until it is followed.
//!
//! The link's row is bound to the account's *current* address (`sent_to`,
//! as every link) and carries the new one in `data`: a link outlives
//! neither a newer request (older ones are deleted) nor another change of
//! address. The new address is written under the unique index, so one
//! registered by someone else meanwhile stays theirs.

use crate::accounts::tokens::{mint_token_with_data, valid_since};
use crate::config::SecurityConfig;
use crate::db::DbConn;
use crate::domain::{secret, ClientInfo, Email};
use crate::error::Error;
use crate::models::token;
use crate::models::unique::is_unique_violation;
use crate::models::user;
use crate::models::{now, TokenContext, User};

/// What following a change-email link did.
pub enum Outcome {
    /// The account moved; `old` is the address it had.
    Changed { user: Box<User>, old: String },
    /// Too old (and now used up).
    Expired,
    /// The new address belongs to another account by now.
    Taken,
    /// Unknown, used, superseded, tampered with, or the account's address
    /// changed since.
    Invalid,
}

/// Whether `email` belongs to any account (the caller's included).
pub async fn is_taken(conn: &mut DbConn, email: &Email) -> Result<bool, Error> {
    Ok(user::find_by_email_key(conn, &email.key()).await?.is_some())
}

/// Mints the link for moving `user` to `new`, voiding earlier ones.
pub async fn issue(conn: &mut DbConn, user: &User, new: &Email) -> Result<String, Error> {
    token::delete_for_user_in(conn, user.id, TokenContext::ChangeEmail).await?;
    let client = ClientInfo::default();
    let data = Some(new.as_str().as_bytes());
    let context = TokenContext::ChangeEmail;
    Ok(
        mint_token_with_data(conn, user, context, &client, false, data)
            .await?
            .1,
    )
}

/// Follows a change-email link: used up whatever it turns out to be.
pub async fn follow(
    conn: &mut DbConn,
    config: &SecurityConfig,
    link: &str,
) -> Result<Outcome, Error> {
    if !secret::well_formed(link) {
        return Ok(Outcome::Invalid);
    }
    let Some(row) = token::take(conn, TokenContext::ChangeEmail, &secret::hash(link)).await? else {
        return Ok(Outcome::Invalid);
    };
    let Some(found) = user::find(conn, row.user_id).await? else {
        return Ok(Outcome::Invalid);
    };
    let new = row
        .data
        .as_deref()
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .and_then(|text| Email::parse(text).ok());
    let (Some(new), true) = (new, row.sent_to.as_deref() == Some(found.email.as_str())) else {
        return Ok(Outcome::Invalid);
    };
    if row.created_at <= valid_since(config, TokenContext::ChangeEmail) {
        return Ok(Outcome::Expired);
    }
    match user::set_email(conn, found.id, new.as_str(), &new.key(), now()).await {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => return Ok(Outcome::Taken),
        Err(e) => return Err(e.into()),
    }
    let old = found.email.clone();
    let user = user::find(conn, found.id)
        .await?
        .ok_or_else(|| Error::Internal("the account vanished".into()))?;
    Ok(Outcome::Changed {
        user: Box::new(user),
        old,
    })
}
