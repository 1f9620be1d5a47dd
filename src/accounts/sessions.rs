//! Sessions, remember-me and API tokens (Flask-Login's session and
//! Flask-Security's auth tokens): starting one, finding who holds one, and
//! ending them.

use crate::accounts::identities::Cached;
pub use crate::accounts::identities::{Identity, Proof};
use crate::accounts::state::Security;
use crate::accounts::tokens::{issue_token, mint_token, valid_since};
use crate::config::SecurityConfig;
use crate::db::{DbConn, DbPool};
use crate::domain::secret;
use crate::domain::ClientInfo;
use crate::error::Error;
use crate::models::token;
use crate::models::user;
use crate::models::{now, TokenContext, User};

/// Tokens minted for a new sign-in.
pub struct NewSession {
    pub session_token: String,
    /// The session's `user_tokens` row.
    pub session_id: Option<i32>,
    pub remember_token: Option<String>,
}

/// Why a session starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStart {
    /// A sign-in: tracked (login count, times, IPs) and fresh.
    SignIn,
    /// The same user goes on after proving the password again (a password
    /// change): fresh, not a new sign-in.
    Renewed,
    /// Restored from the remember-me cookie: nobody proved anything, so
    /// it is never fresh, and it is not a sign-in.
    Restored,
}

/// Starts a session (and a remember-me token if asked); a sign-in is
/// recorded by login tracking.
pub async fn start_session(
    conn: &mut DbConn,
    config: &SecurityConfig,
    user: &User,
    client: &ClientInfo,
    remember: bool,
    how: SessionStart,
) -> Result<NewSession, Error> {
    let primary = how != SessionStart::Restored;
    let (session_id, session_token) =
        mint_token(conn, user, TokenContext::Session, client, primary).await?;
    let remember_token = if remember {
        Some(issue_token(conn, user, TokenContext::Remember, client).await?)
    } else {
        None
    };
    if how == SessionStart::SignIn && config.trackable {
        user::record_login(conn, user.id, now(), client.ip.as_deref()).await?;
    }
    Ok(NewSession {
        session_token,
        session_id: Some(session_id),
        remember_token,
    })
}

/// Whether a credential is fresh: its primary authentication is younger
/// than `freshness`, or (a session) a check passed within the grace. A
/// session that passes gets the grace again from now; tokens never get one.
pub async fn check_fresh(
    conn: &mut DbConn,
    config: &SecurityConfig,
    token_id: i32,
    session: bool,
    proof: Proof,
) -> Result<bool, Error> {
    if config.freshness.is_negative() {
        return Ok(true);
    }
    let now = now();
    let proven = proof
        .primary_auth_at
        .is_some_and(|at| at > now - config.freshness.0);
    let graced = session && proof.fresh_until.is_some_and(|until| until > now);
    let fresh = proven || graced;
    let grace = config.freshness_grace.0;
    if fresh && session && grace.is_positive() {
        token::set_fresh_until(conn, token_id, now + grace).await?;
    }
    Ok(fresh)
}

/// The session's holder proved who they are again (`/verify`).
pub async fn refresh_session(conn: &mut DbConn, token_id: i32) -> Result<(), Error> {
    token::set_primary_auth(conn, token_id, now()).await?;
    Ok(())
}

/// The holder of a live token of `context`: from the identity cache when
/// it holds the session or API token under the current auth epoch, else
/// found in one
/// query (token, user and roles) and cached. Sessions in use are refreshed
/// — at most once a minute, to spare the database a write per request —
/// so the sessions page shows when each was last used and a sliding
/// session stays alive.
pub async fn authenticate_token(
    pool: &DbPool,
    security: &Security,
    context: TokenContext,
    token: &str,
) -> Result<Option<Identity>, Error> {
    if !secret::well_formed(token) {
        return Ok(None);
    }
    let hash = secret::hash(token);
    let since = valid_since(&security.config, context);
    // A remember-me token mints a session: a stale answer there would
    // outlive the revocation, so it is always asked of the database.
    let generation = match context {
        TokenContext::Session | TokenContext::Api => pool.epoch().current(),
        _ => None,
    };
    let cache = &security.identities;
    if let Some(cached) = generation.and_then(|g| cache.get(context, &hash, g)) {
        if cached.alive(context, since) {
            if needs_touch(cached.last_used_at) {
                let at = now();
                token::touch(&mut *pool.connection().await?, cached.identity.token_id, at).await?;
                cache.touched(context, &hash, at);
            }
            return Ok(Some(cached.identity));
        }
    }
    let mut conn = pool.connection().await?;
    let rows = token::find_with_user_and_roles(&mut conn, context, &hash, since).await?;
    let mut rows = rows.into_iter();
    let Some((mut row, user, first_role)) = rows.next() else {
        return Ok(None);
    };
    let roles = first_role
        .into_iter()
        .chain(rows.filter_map(|(_, _, role)| role))
        .collect();
    if needs_touch(row.last_used_at) {
        row.last_used_at = now();
        token::touch(&mut conn, row.id, row.last_used_at).await?;
    }
    let identity = Identity {
        user,
        roles,
        token_id: row.id,
        proof: Proof {
            primary_auth_at: row.primary_auth_at,
            fresh_until: row.fresh_until,
        },
    };
    // Read under `generation`: worth keeping only if nothing moved since.
    if let Some(g) = generation.filter(|g| pool.epoch().current() == Some(*g)) {
        let cached = Cached {
            identity: identity.clone(),
            created_at: row.created_at,
            last_used_at: row.last_used_at,
        };
        cache.put(context, hash, cached, g);
    }
    Ok(Some(identity))
}

fn needs_touch(last_used_at: time::PrimitiveDateTime) -> bool {
    now() - last_used_at > time::Duration::minutes(1)
}

/// The user's role names, sorted (for a sign-in that used no token).
pub async fn roles_of(conn: &mut DbConn, user: &User) -> Result<Vec<String>, Error> {
    Ok(user::role_names(conn, user.id).await?)
}

/// Deletes the given tokens (sign-out).
pub async fn revoke_tokens(
    conn: &mut DbConn,
    tokens_by_context: &[(TokenContext, Option<String>)],
) -> Result<(), Error> {
    for (context, token) in tokens_by_context {
        if let Some(token) = token {
            token::delete_by_hash(conn, *context, &secret::hash(token)).await?;
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
        Some(t) => token::find_any_age(conn, TokenContext::Session, &secret::hash(t))
            .await?
            .filter(|row| row.user_id == user_id)
            .map(|row| row.id),
        None => None,
    };
    Ok(token::delete_all_for_user(conn, user_id, keep).await?)
}

/// Every sign-in of the user — sessions, remember-me devices, API tokens —
/// most recently used first (the sessions page).
pub async fn list_sign_ins(
    conn: &mut DbConn,
    user_id: i32,
) -> Result<Vec<token::UserToken>, Error> {
    Ok(token::list_sign_ins(conn, user_id).await?)
}

/// For each row of [`list_sign_ins`], the remember-me row that belongs to
/// the same device: a session and the remember-me token it got at the same
/// sign-in (same IP and client, started within a minute). `taken[j]` marks
/// the remember-me rows so claimed. The pages show such a pair as one device.
pub fn pair_devices(rows: &[token::UserToken]) -> (Vec<Option<usize>>, Vec<bool>) {
    let mut partner: Vec<Option<usize>> = vec![None; rows.len()];
    let mut taken = vec![false; rows.len()];
    for (i, row) in rows.iter().enumerate() {
        if row.context != "session" {
            continue;
        }
        let found = rows.iter().enumerate().position(|(j, other)| {
            !taken[j]
                && other.context == "remember"
                && other.ip == row.ip
                && other.user_agent == row.user_agent
                && (other.created_at - row.created_at).abs() <= time::Duration::minutes(1)
        });
        if let Some(j) = found {
            taken[j] = true;
            partner[i] = Some(j);
        }
    }
    (partner, taken)
}

/// Ends the user's sign-ins with these ids (never another user's, never an
/// emailed link); how many ended.
pub async fn end_sign_ins(conn: &mut DbConn, user_id: i32, ids: &[i32]) -> Result<usize, Error> {
    Ok(token::delete_sign_ins(conn, user_id, ids).await?)
}

/// The row id of a remember-me token, whatever its age.
pub async fn remember_token_id(conn: &mut DbConn, token: &str) -> Result<Option<i32>, Error> {
    let hash = secret::hash(token);
    Ok(token::find_any_age(conn, TokenContext::Remember, &hash)
        .await?
        .map(|row| row.id))
}
