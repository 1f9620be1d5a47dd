//! Who is making this request (Flask-Login's `current_user`, Flask-Security's
//! `auth_required`): request guards for a session, an auth token or HTTP
//! Basic. Each asks the accounts layer once, and gets the user, the roles
//! and the credential's row in one query.
//!
//! Each method's verdict is computed once per request and cached
//! (`local_cache`), so several guards on one route cost one lookup.

use crate::accounts::sessions::{self, Identity, Proof, SessionStart};
use crate::accounts::sign_in::{self, SignInRefusal};
use crate::accounts::state::Security;
use crate::accounts::two_factor;
use crate::config::AuthMethod;
use crate::db::Db;
use crate::domain::Password;
use crate::error::Error;
use crate::http::client::client_of;
use crate::http::cookies::SessionJar;
use crate::http::credential::Credential;
use crate::http::refusals::fail;
use crate::models::{TokenContext, User};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket_db_pools::Database;

/// A signed-in user, their roles and how they proved it.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub user: User,
    pub roles: Vec<String>,
    pub method: AuthMethod,
    /// The `user_tokens` row of the session or auth token used (none for
    /// Basic).
    pub token_id: Option<i32>,
    /// What its freshness is judged by.
    pub proof: Proof,
}

/// `current.email`, `current.id`: the guards read as the user they prove.
impl std::ops::Deref for Authenticated {
    type Target = User;
    fn deref(&self) -> &User {
        &self.user
    }
}

impl Authenticated {
    pub fn has_role(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }
}

/// What one authentication method made of the request.
#[derive(Debug, Clone)]
enum Attempt {
    /// The request carries no credential of this kind.
    Absent,
    Valid(Box<Authenticated>),
    /// A credential was sent and is wrong, expired or garbled.
    Invalid,
    /// Too many wrong passwords lately: refused unchecked for this many seconds.
    Throttled(u64),
}

struct SessionAttempt(Attempt);
struct TokenAttempt(Attempt);
struct BasicAttempt(Attempt);

fn security<'r>(req: &'r Request<'_>) -> Result<&'r Security, Error> {
    req.rocket()
        .state::<Security>()
        .ok_or_else(|| Error::Internal("security state missing".into()))
}

/// A valid attempt by the holder of a token.
fn valid(identity: Identity, method: AuthMethod) -> Attempt {
    Attempt::Valid(Box::new(Authenticated {
        user: identity.user,
        roles: identity.roles,
        method,
        token_id: Some(identity.token_id),
        proof: identity.proof,
    }))
}

fn pool<'r>(req: &Request<'r>) -> Result<&'r crate::db::DbPool, Error> {
    let db = Db::fetch(req.rocket()).ok_or_else(|| Error::Internal("database missing".into()))?;
    Ok(db)
}

async fn connection(req: &Request<'_>) -> Result<crate::db::PooledConn, Error> {
    Ok(pool(req)?.connection().await?)
}

/// The session cookie's user; if the session is gone but a remember-me
/// cookie is valid, a new session is started (not counted as a sign-in).
async fn try_session(req: &Request<'_>) -> Result<Attempt, Error> {
    let security = security(req)?;
    if Credential::of(req, security).is_token() {
        // A token-authenticated request acts as the token's user only.
        return Ok(Attempt::Absent);
    }
    let jar = SessionJar::new(req, security);
    let session_token = jar.session_token();
    let remember_token = jar.remember_token();
    if session_token.is_none() && remember_token.is_none() {
        return Ok(Attempt::Absent);
    }
    let pool = pool(req)?;
    let config = &security.config;
    if let Some(token) = &session_token {
        let found = sessions::authenticate_token(pool, security, TokenContext::Session, token);
        if let Some(identity) = found.await? {
            return Ok(valid(identity, AuthMethod::Session));
        }
        jar.forget_session_token();
    }
    if let Some(token) = &remember_token {
        let found = sessions::authenticate_token(pool, security, TokenContext::Remember, token);
        if let Some(identity) = found.await? {
            let client = client_of(req);
            let mut conn = pool.connection().await?;
            let session = sessions::start_session(
                &mut conn,
                config,
                &identity.user,
                &client,
                false,
                SessionStart::Restored,
            )
            .await?;
            // A change of identity: whatever CSRF seed the cookie held
            // (perhaps one planted by someone else) is replaced.
            jar.rotate_csrf();
            jar.set_session_token(&session.session_token);
            return Ok(Attempt::Valid(Box::new(Authenticated {
                user: identity.user,
                roles: identity.roles,
                method: AuthMethod::Session,
                token_id: session.session_id,
                // Nobody proved anything: never fresh.
                proof: Proof::default(),
            })));
        }
        jar.forget_remember_token();
    }
    Ok(Attempt::Absent)
}

async fn try_token(req: &Request<'_>) -> Result<Attempt, Error> {
    let security = security(req)?;
    let Credential::Token(token) = Credential::of(req, security) else {
        return Ok(Attempt::Absent);
    };
    let found = sessions::authenticate_token(pool(req)?, security, TokenContext::Api, token);
    match found.await? {
        Some(identity) => Ok(valid(identity, AuthMethod::Token)),
        None => Ok(Attempt::Invalid),
    }
}

/// `Authorization: Basic base64(identity:password)`: the email, or the
/// username where usernames are on.
async fn try_basic(req: &Request<'_>) -> Result<Attempt, Error> {
    let security = security(req)?;
    if Credential::of(req, security).is_token() {
        return Ok(Attempt::Absent);
    }
    let Some(header) = req.headers().get_one("Authorization") else {
        return Ok(Attempt::Absent);
    };
    let Some((scheme, encoded)) = header.trim().split_once(' ') else {
        return Ok(Attempt::Absent);
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Ok(Attempt::Absent);
    }
    let credentials = STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    let Some((identity, password)) = credentials.as_deref().and_then(|c| c.split_once(':')) else {
        return Ok(Attempt::Invalid);
    };
    let usernames = security.config.username_enable;
    let Ok(identity) = crate::domain::Identity::for_sign_in(identity, usernames) else {
        return Ok(Attempt::Invalid);
    };
    let password = Password::for_sign_in(password);
    let db = Db::fetch(req.rocket()).ok_or_else(|| Error::Internal("database missing".into()))?;
    let ip = client_of(req).ip;
    let outcome =
        sign_in::sign_in_with_password(db, security, &identity, &password, ip.as_deref()).await?;
    match outcome {
        Ok(user) => {
            let mut conn = connection(req).await?;
            // The password alone must not skip a second factor: refused
            // exactly like a wrong password.
            let roles = sessions::roles_of(&mut conn, &user).await?;
            if two_factor::blocks_basic(&mut conn, &security.config, &user, &roles).await {
                return Ok(Attempt::Invalid);
            }
            Ok(Attempt::Valid(Box::new(Authenticated {
                user,
                roles,
                method: AuthMethod::Basic,
                token_id: None,
                proof: Proof::default(),
            })))
        }
        Err(SignInRefusal::Throttled(wait)) => {
            Ok(Attempt::Throttled(wait.whole_seconds().max(1) as u64))
        }
        Err(SignInRefusal::Failed(_)) => Ok(Attempt::Invalid),
    }
}

async fn attempt<'r>(req: &'r Request<'_>, method: AuthMethod) -> &'r Attempt {
    // An internal error while checking a credential must not let anyone in,
    // nor show a 500 for a bad credential: log it and treat it as invalid.
    fn settle(result: Result<Attempt, Error>) -> Attempt {
        result.unwrap_or_else(|e| {
            log::error!("authentication check failed: {e}");
            Attempt::Invalid
        })
    }
    match method {
        AuthMethod::Session => {
            &req.local_cache_async(async { SessionAttempt(settle(try_session(req).await)) })
                .await
                .0
        }
        AuthMethod::Token => {
            &req.local_cache_async(async { TokenAttempt(settle(try_token(req).await)) })
                .await
                .0
        }
        AuthMethod::Basic => {
            &req.local_cache_async(async { BasicAttempt(settle(try_basic(req).await)) })
                .await
                .0
        }
    }
}

/// How a token-authenticated request stands: `Some(true)` with a valid
/// token, `Some(false)` with a wrong one, `None` for a cookie request.
pub async fn token_verdict(req: &Request<'_>) -> Option<bool> {
    let security = security(req).ok()?;
    if !Credential::of(req, security).is_token() {
        return None;
    }
    Some(matches!(
        attempt(req, AuthMethod::Token).await,
        Attempt::Valid(_)
    ))
}

/// The failure for a refused credential: Basic gets its challenge header.
fn refusal(req: &Request<'_>, method: Option<AuthMethod>) -> Error {
    let challenge = (method == Some(AuthMethod::Basic)).then(|| {
        security(req)
            .map(|s| s.config.basic_realm.clone())
            .unwrap_or_default()
    });
    Error::Unauthenticated { challenge }
}

/// Tries the configured methods in order: the first valid credential wins,
/// the first invalid one refuses the request; `Ok(None)` means anonymous.
pub async fn resolve(
    req: &Request<'_>,
    methods: &[AuthMethod],
) -> Result<Option<Authenticated>, Error> {
    for &method in methods {
        match attempt(req, method).await {
            Attempt::Absent => continue,
            Attempt::Valid(auth) => return Ok(Some(auth.as_ref().clone())),
            Attempt::Invalid => return Err(refusal(req, Some(method))),
            Attempt::Throttled(retry_after) => {
                return Err(Error::TooManyRequests {
                    retry_after: *retry_after,
                })
            }
        }
    }
    Ok(None)
}

macro_rules! user_guard {
    ($(#[$doc:meta])* $name:ident, $methods:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(pub Authenticated);

        impl std::ops::Deref for $name {
            type Target = Authenticated;
            fn deref(&self) -> &Authenticated {
                &self.0
            }
        }

        #[rocket::async_trait]
        impl<'r> FromRequest<'r> for $name {
            type Error = Error;
            async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Error> {
                let security = match security(req) {
                    Ok(s) => s,
                    Err(e) => return Outcome::Error((Status::InternalServerError, e)),
                };
                let methods: Vec<AuthMethod> = ($methods)(security);
                match resolve(req, &methods).await {
                    Ok(Some(auth)) => Outcome::Success($name(auth)),
                    Ok(None) => {
                        let basic_only = methods == [AuthMethod::Basic];
                        fail(req, refusal(req, basic_only.then_some(AuthMethod::Basic)))
                    }
                    Err(e) => fail(req, e),
                }
            }
        }
    };
}

user_guard!(
    /// Any signed-in user, by session, auth token or Basic, in the order of
    /// `security.auth_methods`.
    CurrentUser,
    |s: &Security| s.config.auth_methods.clone()
);
user_guard!(
    /// A user signed in by a session or an auth token — not HTTP Basic (the
    /// contract's "signed in", for re-authentication and the routes behind
    /// freshness), in the order of `security.auth_methods`.
    SignedIn,
    |s: &Security| s
        .config
        .auth_methods
        .iter()
        .copied()
        .filter(|m| *m != AuthMethod::Basic)
        .collect()
);
user_guard!(
    /// A user signed in by the session cookie only.
    SessionUser,
    |_: &Security| vec![AuthMethod::Session]
);
user_guard!(
    /// A user authenticated by an auth token only.
    TokenUser,
    |_: &Security| vec![AuthMethod::Token]
);
user_guard!(
    /// A user authenticated by HTTP Basic only.
    BasicUser,
    |_: &Security| vec![AuthMethod::Basic]
);

/// The signed-in user if any. Unlike `Option<CurrentUser>`, a credential that
/// is sent and wrong is refused (401) rather than treated as anonymous.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<Authenticated>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for MaybeUser {
    type Error = Error;
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Error> {
        let security = match security(req) {
            Ok(s) => s,
            Err(e) => return Outcome::Error((Status::InternalServerError, e)),
        };
        match resolve(req, &security.config.auth_methods).await {
            Ok(user) => Outcome::Success(MaybeUser(user)),
            Err(e) => fail(req, e),
        }
    }
}

/// The signed-in user for display purposes (page navigation): any failure
/// is simply "nobody".
pub async fn viewer(req: &Request<'_>) -> Option<Authenticated> {
    let security = security(req).ok()?;
    resolve(req, &security.config.auth_methods)
        .await
        .ok()
        .flatten()
}

/// The signed-in user as far as this request has already looked (for pages
/// rendered by catchers and error responders, which cannot wait).
pub fn cached_viewer(req: &Request<'_>) -> Option<Authenticated> {
    let security = security(req).ok()?;
    for method in &security.config.auth_methods {
        let attempt = match method {
            AuthMethod::Session => &req.local_cache(|| SessionAttempt(Attempt::Absent)).0,
            AuthMethod::Token => &req.local_cache(|| TokenAttempt(Attempt::Absent)).0,
            AuthMethod::Basic => &req.local_cache(|| BasicAttempt(Attempt::Absent)).0,
        };
        if let Attempt::Valid(auth) = attempt {
            return Some(auth.as_ref().clone());
        }
    }
    None
}
