//! Two-factor sign-in (Flask-Security's `tf_*`): a user's second factor —
//! an authenticator app (TOTP, RFC 6238) or a code mailed at each sign-in —
//! its setup, and the pending sign-in that waits for it.
//!
//! Better than the anchor: an authenticator code works once per 30-second
//! step (the last accepted step is stored); mailed codes are random, single
//! use and bound to one purpose; TOTP secrets are sealed at rest.

use crate::accounts::state::Security;
use crate::accounts::tokens::{insert_code, live_state, mint_token_with_data, valid_since};
use crate::config::{SecurityConfig, TwoFactorMethod};
use crate::db::DbConn;
use crate::domain::secret;
use crate::domain::ClientInfo;
use crate::error::Error;
use crate::models::token;
use crate::models::two_factor::{self, TwoFactor};
use crate::models::{now, TokenContext, User};
use rand::Rng;
use totp_rs::{Builder, Totp};

/// 160 bits, RFC 4226's recommendation (and totp-rs's floor of 128).
const SECRET_BYTES: usize = 20;

/// The user's active second factor, if any.
pub async fn active_method(
    conn: &mut DbConn,
    user_id: i32,
) -> Result<Option<TwoFactorMethod>, Error> {
    let row = two_factor::find(conn, user_id).await?;
    Ok(row.and_then(|row| TwoFactorMethod::parse(&row.method)))
}

/// The TOTP of a secret, as the account's authenticator app computes it.
pub fn totp(config: &SecurityConfig, secret: &[u8], email: &str) -> Result<Totp, Error> {
    Builder::new()
        .with_secret(secret.to_vec())
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_account_name(email)
        .with_issuer(config.totp_issuer.clone())
        .build()
        .map_err(|e| Error::Internal(format!("TOTP: {e}").into()))
}

/// What `POST /tf-setup` hands out.
pub struct SetupStart {
    /// `tf_state_token`: names the started setup.
    pub state_token: String,
    /// The new TOTP secret (authenticator), to show once.
    pub secret: Option<Vec<u8>>,
    /// The code to mail (email), which confirms the setup.
    pub mailed_code: Option<String>,
}

/// Starts setting up `method`: nothing changes until the setup is confirmed
/// with a code. A new start makes a new secret and voids earlier starts.
pub async fn start_setup(
    conn: &mut DbConn,
    security: &Security,
    user: &User,
    method: TwoFactorMethod,
) -> Result<SetupStart, Error> {
    token::delete_for_user_in(conn, user.id, TokenContext::TwoFactorSetup).await?;
    let new_secret = (method == TwoFactorMethod::Authenticator).then(|| {
        let mut bytes = vec![0u8; SECRET_BYTES];
        rand::rngs::OsRng.fill(bytes.as_mut_slice());
        bytes
    });
    let mut state = method.as_str().as_bytes().to_vec();
    if let Some(secret) = &new_secret {
        state.push(b':');
        state.extend_from_slice(secret);
    }
    let sealed = security.vault.seal(&state)?;
    let (id, state_token) = insert(conn, user, TokenContext::TwoFactorSetup, Some(&sealed)).await?;
    let mailed_code = match method {
        TwoFactorMethod::Email => Some(new_code(conn, user, id).await?),
        TwoFactorMethod::Authenticator => None,
    };
    Ok(SetupStart {
        state_token,
        secret: new_secret,
        mailed_code,
    })
}

/// Why a setup was not confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetupRefusal {
    /// The code is wrong; the setup still accepts the right one.
    WrongCode,
    /// Unknown, expired, tampered with, or another account's.
    BadState,
}

/// Confirms a started setup with a code; the method then replaces the
/// user's earlier one.
pub async fn finish_setup(
    conn: &mut DbConn,
    security: &Security,
    user: &User,
    state_token: &str,
    code: &str,
) -> Result<Result<TwoFactorMethod, SetupRefusal>, Error> {
    let config = &security.config;
    let context = TokenContext::TwoFactorSetup;
    let Some(row) = live_state(conn, config, context, state_token, user).await? else {
        return Ok(Err(SetupRefusal::BadState));
    };
    let Some(Ok(state)) = row.data.as_deref().map(|d| security.vault.open(d)) else {
        return Ok(Err(SetupRefusal::BadState));
    };
    let (method, new_secret) = match state.iter().position(|b| *b == b':') {
        Some(at) => (&state[..at], Some(state[at + 1..].to_vec())),
        None => (&state[..], None),
    };
    let method = std::str::from_utf8(method)
        .ok()
        .and_then(TwoFactorMethod::parse)
        .ok_or_else(|| Error::Internal("unreadable two-factor setup".into()))?;
    let step = match (&new_secret, method) {
        (Some(secret), TwoFactorMethod::Authenticator) => {
            match totp(config, secret, &user.email)?.check_current(code.trim()) {
                Some(step) => Some(step as i64),
                None => return Ok(Err(SetupRefusal::WrongCode)),
            }
        }
        _ => {
            if !take_code(conn, user, row.id, code).await? {
                return Ok(Err(SetupRefusal::WrongCode));
            }
            None
        }
    };
    let sealed = match &new_secret {
        Some(secret) => Some(security.vault.seal(secret)?),
        None => None,
    };
    two_factor::replace(
        conn,
        &TwoFactor {
            user_id: user.id,
            method: method.as_str().to_owned(),
            secret: sealed,
            // The code that confirmed the setup counts as used.
            last_step: step,
            created_at: now(),
        },
    )
    .await?;
    token::delete_for_user_in(conn, user.id, TokenContext::TwoFactorSetup).await?;
    Ok(Ok(method))
}

/// Turns two-factor off; true when it was on.
pub async fn disable(conn: &mut DbConn, user_id: i32) -> Result<bool, Error> {
    Ok(two_factor::delete(conn, user_id).await? > 0)
}

/// A sign-in waiting for its second factor.
#[derive(Debug, Clone)]
pub struct Pending {
    /// Its `user_tokens` row (what mailed codes are bound to).
    pub id: i32,
    pub user: User,
    /// `remember: true` was asked at the password step.
    pub remember: bool,
    /// The code method; `None`: only a second-factor passkey completes it.
    pub method: Option<TwoFactorMethod>,
}

/// A sign-in whose password was right, for an account that must set up
/// two-factor first (`two_factor_required`): the setup's code completes it.
#[derive(Debug, Clone)]
pub struct SetupPending {
    pub id: i32,
    pub user: User,
    pub remember: bool,
}

/// What a pending sign-in waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingKind {
    /// A code of the account's method (or a second-factor passkey too).
    Code(TwoFactorMethod),
    /// A second-factor passkey: the account has no code method.
    KeysOnly,
    /// A setup (`two_factor_required`, nothing set up yet).
    Setup,
}

/// What a pending sign-in's row says about itself (`data`): `r` asked to
/// be remembered, `s` waits for a setup rather than a code, `k` for a
/// passkey only.
fn flags(remember: bool, kind: PendingKind) -> Vec<u8> {
    [
        remember.then_some(b'r'),
        (kind == PendingKind::Setup).then_some(b's'),
        (kind == PendingKind::KeysOnly).then_some(b'k'),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Starts the pending sign-in of `user`, whose password was right; returns
/// the token the client's cookie carries, and the code to mail (email).
pub async fn start_pending(
    conn: &mut DbConn,
    user: &User,
    kind: PendingKind,
    remember: bool,
) -> Result<(String, Option<String>), Error> {
    let data = flags(remember, kind);
    let (id, token) = insert(conn, user, TokenContext::TwoFactorPending, Some(&data)).await?;
    let code = match kind {
        PendingKind::Code(TwoFactorMethod::Email) => Some(new_code(conn, user, id).await?),
        _ => None,
    };
    Ok((token, code))
}

/// The live pending row a client's token names, with its user and flags.
async fn pending_row(
    conn: &mut DbConn,
    config: &SecurityConfig,
    token: &str,
) -> Result<Option<(i32, User, Vec<u8>)>, Error> {
    if !secret::well_formed(token) {
        return Ok(None);
    }
    let context = TokenContext::TwoFactorPending;
    let since = valid_since(config, context);
    let found = token::find_with_user(conn, context, &secret::hash(token), since).await?;
    Ok(found.map(|(row, user)| (row.id, user, row.data.unwrap_or_default())))
}

/// The live pending sign-in (waiting for a code) a client's token names.
pub async fn find_pending(
    conn: &mut DbConn,
    config: &SecurityConfig,
    token: &str,
) -> Result<Option<Pending>, Error> {
    let Some((id, user, flags)) = pending_row(conn, config, token).await? else {
        return Ok(None);
    };
    if flags.contains(&b's') {
        return Ok(None);
    }
    let method = active_method(conn, user.id).await?;
    if method.is_none() && !flags.contains(&b'k') {
        // Two-factor was turned off meanwhile: start over.
        return Ok(None);
    }
    Ok(Some(Pending {
        id,
        remember: flags.contains(&b'r'),
        user,
        method,
    }))
}

/// The live pending sign-in waiting for a setup that a client's token names.
pub async fn find_setup_pending(
    conn: &mut DbConn,
    config: &SecurityConfig,
    token: &str,
) -> Result<Option<SetupPending>, Error> {
    let Some((id, user, flags)) = pending_row(conn, config, token).await? else {
        return Ok(None);
    };
    if !flags.contains(&b's') || active_method(conn, user.id).await?.is_some() {
        return Ok(None);
    }
    Ok(Some(SetupPending {
        id,
        remember: flags.contains(&b'r'),
        user,
    }))
}

/// Whether `user` (with `roles`) must use two-factor: everyone with
/// `two_factor_required`, or a holder of a role in
/// `two_factor_required_roles`.
pub fn required_for(config: &SecurityConfig, roles: &[String]) -> bool {
    config.two_factor
        && (config.two_factor_required
            || roles
                .iter()
                .any(|r| config.two_factor_required_roles.contains(r)))
}

/// Whether `code` completes the pending sign-in: the authenticator's code
/// for a step later than any accepted before, or the code mailed for this
/// sign-in (its method, or a rescue). A used code is gone.
pub async fn check_code(
    conn: &mut DbConn,
    security: &Security,
    pending: &Pending,
    code: &str,
) -> Result<bool, Error> {
    let code = code.trim();
    if code.is_empty() || code.len() > 16 {
        return Ok(false);
    }
    if take_code(conn, &pending.user, pending.id, code).await? {
        return Ok(true);
    }
    check_authenticator_code(conn, security, &pending.user, code).await
}

/// Whether `code` is the authenticator's for a step later than any
/// accepted before (then accepted, so it works once).
pub async fn check_authenticator_code(
    conn: &mut DbConn,
    security: &Security,
    user: &User,
    code: &str,
) -> Result<bool, Error> {
    let Some(sealed) = two_factor::find(conn, user.id)
        .await?
        .and_then(|row| row.secret)
    else {
        return Ok(false);
    };
    let secret = security.vault.open(&sealed)?;
    let Some(step) = totp(&security.config, &secret, &user.email)?.check_current(code) else {
        return Ok(false);
    };
    Ok(two_factor::accept_step(conn, user.id, step as i64).await?)
}

/// A new code mailed for the pending sign-in (its email method, or the
/// rescue): earlier codes for it die.
pub async fn rescue_code(conn: &mut DbConn, pending: &Pending) -> Result<String, Error> {
    new_code(conn, &pending.user, pending.id).await
}

/// Drops whatever pending sign-in `token` names (a new password step).
pub async fn drop_pending(conn: &mut DbConn, token: &str) -> Result<(), Error> {
    let hash = secret::hash(token);
    token::delete_by_hash(conn, TokenContext::TwoFactorPending, &hash).await?;
    Ok(())
}

/// Ends a pending sign-in (completed, or replaced).
pub async fn end_pending(conn: &mut DbConn, pending_id: i32) -> Result<(), Error> {
    token::delete_by_id(conn, pending_id).await?;
    Ok(())
}

/// Whether HTTP Basic would skip a second factor for this user: they have
/// one, or must set one up.
pub async fn blocks_basic(
    conn: &mut DbConn,
    config: &SecurityConfig,
    user: &User,
    roles: &[String],
) -> bool {
    config.two_factor
        && (required_for(config, roles)
            || matches!(active_method(conn, user.id).await, Ok(Some(_)) | Err(_)))
}

/// Six random digits for `purpose` (a setup or a pending sign-in), stored
/// hashed with it; mailing a new one voids the earlier ones.
async fn new_code(conn: &mut DbConn, user: &User, purpose: i32) -> Result<String, Error> {
    let tag = purpose.to_string().into_bytes();
    let hash = |code: &str| code_hash(purpose, code);
    insert_code(conn, user, TokenContext::TwoFactorCode, &tag, hash).await
}

/// Uses up the live mailed code `code` for `purpose`; true when it was one.
async fn take_code(
    conn: &mut DbConn,
    user: &User,
    purpose: i32,
    code: &str,
) -> Result<bool, Error> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(false);
    }
    let context = TokenContext::TwoFactorCode;
    let Some(row) = token::take(conn, context, &code_hash(purpose, code)).await? else {
        return Ok(false);
    };
    // Mailed codes live five minutes (`tokens::lifetime`).
    Ok(row.user_id == user.id && row.created_at > now() - time::Duration::minutes(5))
}

fn code_hash(purpose: i32, code: &str) -> Vec<u8> {
    secret::hash(&format!("{purpose}:{code}"))
}

/// Mints a token of `context` with sealed `data`.
async fn insert(
    conn: &mut DbConn,
    user: &User,
    context: TokenContext,
    data: Option<&[u8]>,
) -> Result<(i32, String), Error> {
    let client = ClientInfo::default();
    mint_token_with_data(conn, user, context, &client, false, data).await
}
