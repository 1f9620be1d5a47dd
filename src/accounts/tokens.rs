//! Minting tokens and checking emailed links (the Phoenix `users_tokens`
//! design): 32 random bytes out, SHA-256 in; a lifetime per context; single
//! use for links, bound to the address they were sent to.

use crate::config::SecurityConfig;
use crate::db::DbConn;
use crate::domain::secret;
use crate::domain::ClientInfo;
use crate::error::Error;
use crate::models::token::{self, NewToken};
use crate::models::user;
use crate::models::{now, TokenContext, User};
use rand::Rng;
use time::PrimitiveDateTime;

/// Mints a token of `context` for the user and stores its hash.
pub async fn issue_token(
    conn: &mut DbConn,
    user: &User,
    context: TokenContext,
    client: &ClientInfo,
) -> Result<String, Error> {
    Ok(issue_token_with_id(conn, user, context, client).await?.1)
}

/// [`issue_token`], with the new row's id. Sessions and API tokens are
/// minted right after their holder proved who they are: fresh from now.
pub async fn issue_token_with_id(
    conn: &mut DbConn,
    user: &User,
    context: TokenContext,
    client: &ClientInfo,
) -> Result<(i32, String), Error> {
    let primary = matches!(context, TokenContext::Session | TokenContext::Api);
    mint_token(conn, user, context, client, primary).await
}

/// Mints a token and stores its hash; `primary`: its holder has just
/// proved who they are (freshness counts from now).
pub async fn mint_token(
    conn: &mut DbConn,
    user: &User,
    context: TokenContext,
    client: &ClientInfo,
    primary: bool,
) -> Result<(i32, String), Error> {
    mint_token_with_data(conn, user, context, client, primary, None).await
}

/// [`mint_token`], with sealed protocol state (`data`) on the row.
pub async fn mint_token_with_data(
    conn: &mut DbConn,
    user: &User,
    context: TokenContext,
    client: &ClientInfo,
    primary: bool,
    data: Option<&[u8]>,
) -> Result<(i32, String), Error> {
    let secret = secret::generate();
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
            primary_auth_at: primary.then_some(at),
            data,
        },
    )
    .await?;
    Ok((id, secret.token))
}

/// Stores a mailed one-time code of `context` for `user`, hashed as
/// `hash` and tagged with what it is for (`data`), replacing the earlier
/// code with the same tag; returns the six random digits.
pub async fn insert_code(
    conn: &mut DbConn,
    user: &User,
    context: TokenContext,
    tag: &[u8],
    hash: impl FnOnce(&str) -> Vec<u8>,
) -> Result<String, Error> {
    token::delete_for_user_with_data(conn, user.id, context, tag).await?;
    let code = format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000u32));
    let at = now();
    token::insert(
        conn,
        NewToken {
            user_id: user.id,
            context: context.as_str(),
            token_hash: &hash(&code),
            sent_to: Some(&user.email),
            created_at: at,
            last_used_at: at,
            ip: None,
            user_agent: None,
            primary_auth_at: None,
            data: Some(tag),
        },
    )
    .await?;
    Ok(code)
}

/// The live row of a started setup (`context`) that `state` names, if it
/// is `user`'s: unknown, malformed, expired or another account's states
/// are all `None`.
pub async fn live_state(
    conn: &mut DbConn,
    config: &SecurityConfig,
    context: TokenContext,
    state: &str,
    user: &User,
) -> Result<Option<crate::models::UserToken>, Error> {
    if !secret::well_formed(state) {
        return Ok(None);
    }
    let row = token::find_any_age(conn, context, &secret::hash(state)).await?;
    Ok(row.filter(|row| row.user_id == user.id && row.created_at > valid_since(config, context)))
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
        TokenContext::TwoFactorPending => config.two_factor_login_within.0,
        TokenContext::TwoFactorSetup => config.two_factor_setup_within.0,
        // Mailed codes live five minutes (the contract).
        TokenContext::TwoFactorCode => time::Duration::minutes(5),
        TokenContext::ChangeEmail => config.change_email_within.0,
        // The contract's lifetimes of a unified sign-in setup and code.
        TokenContext::UsSetup => time::Duration::minutes(30),
        TokenContext::UsCode => time::Duration::minutes(5),
    }
}

/// The oldest `created_at` (or `last_used_at`) still valid for `context`.
pub fn valid_since(config: &SecurityConfig, context: TokenContext) -> PrimitiveDateTime {
    now() - lifetime(config, context)
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
    // Passkey ceremonies that were never finished.
    purged += crate::models::webauthn::purge_expired(conn, now()).await?;
    purged += crate::models::oauth::purge_expired(conn, now()).await?;
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
    if !secret::well_formed(token) {
        return Ok(Link::Invalid);
    }
    let hash = secret::hash(token);
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
