//! Signing a browser in and out (Flask-Login's `login_user` /
//! `logout_user`): the accounts layer's session, the cookies that carry it,
//! and a new CSRF secret.

use crate::accounts::audit::{record, Event};
use crate::accounts::sessions::{revoke_tokens, start_session, SessionStart};
use crate::accounts::state::Security;
use crate::db::DbConn;
use crate::domain::ClientInfo;
use crate::error::Error;
use crate::http::cookies::SessionJar;
use crate::models::{TokenContext, User};

/// Signs the browser in as `user`: a new session token (never the one the
/// browser came with: no session fixation), the remember-me cookie if asked,
/// and login tracking. Returns the new session token.
pub async fn log_in_user(
    conn: &mut DbConn,
    security: &Security,
    jar: &SessionJar<'_>,
    client: &ClientInfo,
    user: &User,
    remember: bool,
) -> Result<String, Error> {
    revoke_tokens(
        conn,
        &[
            (TokenContext::Session, jar.session_token()),
            (TokenContext::Remember, jar.remember_token()),
        ],
    )
    .await?;
    let session = start_session(
        conn,
        &security.config,
        user,
        client,
        remember,
        SessionStart::SignIn,
    )
    .await?;
    let ip = client.ip.as_deref();
    record(conn, Event::LoginSucceeded, Some(user), None, ip).await?;
    // A new identity gets a new CSRF seed: one known before sign-in (or
    // planted with a cookie) must not carry over.
    jar.rotate_csrf();
    jar.set_session_token(&session.session_token);
    match &session.remember_token {
        Some(token) => jar.set_remember_token(token),
        None => jar.forget_remember_token(),
    }
    Ok(session.session_token)
}

/// Signs the browser out: its session and remember-me tokens are deleted
/// server-side, so replaying the old cookies fails, and both cookies go.
pub async fn log_out_user(conn: &mut DbConn, jar: &SessionJar<'_>) -> Result<(), Error> {
    revoke_tokens(
        conn,
        &[
            (TokenContext::Session, jar.session_token()),
            (TokenContext::Remember, jar.remember_token()),
        ],
    )
    .await?;
    jar.clear();
    Ok(())
}
