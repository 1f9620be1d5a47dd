//! Unified sign-in (Flask-Security's `unified_signin`): one identity and a
//! *passcode* — the password, a code mailed on request, or the
//! authenticator's code — and the setup of the code methods.
//!
//! Better than the anchor: mailed codes are six random digits, single use,
//! bound to their account, address and purpose, dead after five minutes or
//! once a newer one is sent (Flask-Security-Too's are TOTP values that sign
//! in again for two minutes). The sign-in link in the mail carries the
//! same code, so using either uses both.

use crate::accounts::registration::may_use_emailed_links;
use crate::accounts::sign_in::{self, find_by_identity, SignInFailure, SignInRefusal};
use crate::accounts::state::Security;
use crate::accounts::tokens::{insert_code, live_state, mint_token_with_data, valid_since};
use crate::accounts::two_factor;
use crate::config::{SecurityConfig, TwoFactorMethod, UsMethod};
use crate::db::{DbConn, DbPool};
use crate::domain::{secret, ClientInfo, Identity, Password};
use crate::error::Error;
use crate::models::token;
use crate::models::{now, us_method, TokenContext, User};

/// What a mailed code is for: each purpose has its own live code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `/us-signin` and its link.
    SignIn,
    /// `/us-verify`.
    Verify,
    /// The started setup with this `user_tokens` id.
    Setup(i32),
}

impl Purpose {
    fn tag(self) -> String {
        match self {
            Purpose::SignIn => "signin".into(),
            Purpose::Verify => "verify".into(),
            Purpose::Setup(id) => format!("setup:{id}"),
        }
    }
}

/// The methods `user` can sign in with now, in `us_enabled_methods`'
/// order: the password always, mailed codes once set up, the
/// authenticator once two-factor uses it.
pub async fn active_methods(
    conn: &mut DbConn,
    config: &SecurityConfig,
    user: &User,
) -> Result<Vec<UsMethod>, Error> {
    let set_up = us_method::of_user(conn, user.id).await?;
    let authenticator = config.two_factor
        && two_factor::active_method(conn, user.id).await? == Some(TwoFactorMethod::Authenticator);
    Ok(config
        .us_enabled_methods
        .iter()
        .copied()
        .filter(|method| match method {
            UsMethod::Password => true,
            UsMethod::Email => set_up.iter().any(|m| m == method.as_str()),
            UsMethod::Authenticator => authenticator,
        })
        .collect())
}

/// A new code for `purpose`, mailed by the caller; the earlier one for
/// the same purpose dies.
pub async fn issue_code(conn: &mut DbConn, user: &User, purpose: Purpose) -> Result<String, Error> {
    let tag = purpose.tag().into_bytes();
    let hash = |code: &str| code_hash(user.id, purpose, code);
    insert_code(conn, user, TokenContext::UsCode, &tag, hash).await
}

/// Uses up `code` if it is `user`'s live code for `purpose`. Another
/// account's code, a used one or garbage is simply not it.
pub async fn take_code(
    conn: &mut DbConn,
    config: &SecurityConfig,
    user: &User,
    purpose: Purpose,
    code: &str,
) -> Result<bool, Error> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(false);
    }
    let hash = code_hash(user.id, purpose, code);
    let Some(row) = token::take(conn, TokenContext::UsCode, &hash).await? else {
        return Ok(false);
    };
    let live = row.created_at > valid_since(config, TokenContext::UsCode);
    Ok(live && row.user_id == user.id && row.sent_to.as_deref() == Some(user.email.as_str()))
}

fn code_hash(user_id: i32, purpose: Purpose, code: &str) -> Vec<u8> {
    secret::hash(&format!("us:{user_id}:{}:{code}", purpose.tag()))
}

/// Whether `passcode` is `user`'s authenticator code for a step not used
/// before (with the `authenticator` method active).
pub async fn check_authenticator(
    conn: &mut DbConn,
    security: &Security,
    user: &User,
    passcode: &str,
) -> Result<bool, Error> {
    let passcode = passcode.trim();
    if passcode.len() != 6 || !passcode.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(false);
    }
    two_factor::check_authenticator_code(conn, security, user, passcode).await
}

/// Whether a mailed code may go to, and sign in, this account.
pub fn may_receive_codes(config: &SecurityConfig, user: &User) -> bool {
    may_use_emailed_links(config, user)
}

/// Starts setting up `method` (a code method): returns the `state` and
/// the code to mail. Nothing changes until the code comes back; a new
/// start voids earlier ones.
pub async fn start_setup(
    conn: &mut DbConn,
    user: &User,
    method: UsMethod,
) -> Result<(String, String), Error> {
    token::delete_for_user_in(conn, user.id, TokenContext::UsSetup).await?;
    let client = ClientInfo::default();
    let data = Some(method.as_str().as_bytes());
    let context = TokenContext::UsSetup;
    let (id, state) = mint_token_with_data(conn, user, context, &client, false, data).await?;
    let code = issue_code(conn, user, Purpose::Setup(id)).await?;
    Ok((state, code))
}

/// Why a setup was not finished: as two-factor's.
pub use crate::accounts::two_factor::SetupRefusal;

/// Finishes a started setup with its mailed code: the method is active.
pub async fn finish_setup(
    conn: &mut DbConn,
    config: &SecurityConfig,
    user: &User,
    state: &str,
    code: &str,
) -> Result<Result<UsMethod, SetupRefusal>, Error> {
    let context = TokenContext::UsSetup;
    let Some(row) = live_state(conn, config, context, state, user).await? else {
        return Ok(Err(SetupRefusal::BadState));
    };
    let method = row
        .data
        .as_deref()
        .and_then(|d| std::str::from_utf8(d).ok())
        .and_then(UsMethod::parse)
        .filter(|m| config.us_enabled_methods.contains(m));
    let Some(method) = method else {
        return Ok(Err(SetupRefusal::BadState));
    };
    if !take_code(conn, config, user, Purpose::Setup(row.id), code).await? {
        return Ok(Err(SetupRefusal::WrongCode));
    }
    us_method::enable(conn, user.id, method.as_str(), now()).await?;
    token::delete_by_id(conn, row.id).await?;
    Ok(Ok(method))
}

/// Turns a code method off; true when it was on. Its live codes die.
pub async fn disable(conn: &mut DbConn, user: &User, method: UsMethod) -> Result<bool, Error> {
    let was_on = us_method::disable(conn, user.id, method.as_str()).await? > 0;
    if was_on {
        token::delete_for_user_in(conn, user.id, TokenContext::UsCode).await?;
    }
    Ok(was_on)
}

/// Signs in with an identity and a passcode, behind the sign-in limits and
/// audit trail: `user`'s live mailed code, the authenticator's code, or
/// the password — whichever the account has active and the passcode is.
pub async fn sign_in_with_passcode(
    pool: &DbPool,
    security: &Security,
    identity: &Identity,
    passcode: &str,
    ip: Option<&str>,
) -> Result<Result<(User, UsMethod), SignInRefusal>, Error> {
    let check = check_passcode(pool, security, identity, passcode);
    sign_in::guarded(pool, security, identity, ip, check).await
}

async fn check_passcode(
    pool: &DbPool,
    security: &Security,
    identity: &Identity,
    passcode: &str,
) -> Result<Result<(User, UsMethod), SignInFailure>, Error> {
    let config = &security.config;
    let found = {
        let conn = &mut *pool.connection().await?;
        let found = find_by_identity(conn, identity).await?;
        if let Some(user) = &found {
            if let Some(method) =
                code_method(conn, security, user, Purpose::SignIn, passcode).await?
            {
                return Ok(if !user.active {
                    Err(SignInFailure::Disabled)
                } else if !may_receive_codes(config, user) {
                    Err(SignInFailure::Unconfirmed)
                } else {
                    Ok((user.clone(), method))
                });
            }
        }
        found
    };
    if !config.us_enabled_methods.contains(&UsMethod::Password) {
        return Ok(Err(if found.is_some() {
            SignInFailure::WrongPassword
        } else {
            SignInFailure::UnknownUser
        }));
    }
    // An unknown identity is checked against the dummy hash, so it takes
    // as long as a wrong passcode.
    let password = Password::for_sign_in(passcode);
    let known = found.is_some().then_some(identity);
    let checked = sign_in::authenticate(pool, security, known, &password).await?;
    Ok(checked.map(|user| (user, UsMethod::Password)))
}

/// The code method `passcode` belongs to, if it is `user`'s live mailed
/// code for `purpose` or their authenticator's code (used up either way).
pub async fn code_method(
    conn: &mut DbConn,
    security: &Security,
    user: &User,
    purpose: Purpose,
    passcode: &str,
) -> Result<Option<UsMethod>, Error> {
    let config = &security.config;
    let methods = active_methods(conn, config, user).await?;
    if methods.contains(&UsMethod::Email)
        && take_code(conn, config, user, purpose, passcode).await?
    {
        return Ok(Some(UsMethod::Email));
    }
    if methods.contains(&UsMethod::Authenticator)
        && check_authenticator(conn, security, user, passcode).await?
    {
        return Ok(Some(UsMethod::Authenticator));
    }
    Ok(None)
}
