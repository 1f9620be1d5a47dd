//! OAuth and OpenID Connect, the accounts side: flows kept on the server
//! under their `state` (bound to the browser, used once, 10 minutes), the
//! account a provider's identity stands for (linked identity first, never
//! an unverified email), auto-registration, and linking and unlinking.

use crate::accounts::hasher::UNUSABLE_PASSWORD;
use crate::accounts::oauth_proof::{Failure, ProvedIdentity};
use crate::accounts::state::Security;
use crate::config::{ProviderConfig, ProviderKind, SecurityConfig};
use crate::db::DbConn;
use crate::domain::{secret, Email};
use crate::error::Error;
use crate::i18n::{Message, Msg};
use crate::models::oauth::{self as model, NewOAuthState, OAuthIdentity, OAuthState};
use crate::models::user::{self, NewUser};
use crate::models::{is_unique_violation, now, User};
use subtle::ConstantTimeEq;

/// How long a started flow waits for its callback.
const FLOW_LIFETIME: time::Duration = time::Duration::minutes(10);

/// What a flow is for; each has its own callback path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    SignIn,
    Verify,
    Link,
}

impl Purpose {
    fn tag(self) -> &'static str {
        match self {
            Purpose::SignIn => "signin",
            Purpose::Verify => "verify",
            Purpose::Link => "link",
        }
    }

    /// The callback's path under `url_prefix`.
    pub fn callback_path(self, name: &str) -> String {
        let segment = match self {
            Purpose::SignIn => "oauthresponse",
            Purpose::Verify => "oauth-verify-response",
            Purpose::Link => "oauth-link-response",
        };
        format!("/login/{segment}/{name}")
    }
}

/// The provider's name for people: its `label`, GitHub, Google, or the
/// configured name with a capital.
pub fn display_name(name: &str, provider: &ProviderConfig) -> String {
    if let Some(label) = &provider.label {
        return label.clone();
    }
    match provider.kind {
        ProviderKind::Github => "GitHub".into(),
        ProviderKind::Google => "Google".into(),
        ProviderKind::Oidc => {
            let mut chars = name.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first.into_iter().chain(chars).collect()
        }
    }
}

/// The redirect URI registered at the provider: on `public_url`, never on
/// the request's Host.
pub fn redirect_uri(config: &SecurityConfig, name: &str, purpose: Purpose) -> String {
    let base = config
        .public_url
        .as_deref()
        .unwrap_or("")
        .trim_end_matches('/');
    format!("{base}{}", config.url(&purpose.callback_path(name)))
}

/// A started flow: where to send the browser, and the token of the cookie
/// that binds the flow to it.
pub struct Started {
    pub url: String,
    pub browser: String,
}

pub async fn start(
    conn: &mut DbConn,
    security: &Security,
    name: &str,
    purpose: Purpose,
    next: Option<&str>,
    user_id: Option<i32>,
) -> Result<Result<Started, Failure>, Error> {
    let Some(provider) = security.config.oauth.providers.get(name) else {
        return Err(Error::NotFound);
    };
    let redirect = redirect_uri(&security.config, name, purpose);
    let authorization = match security.oauth.authorize(provider, &redirect).await {
        Ok(authorization) => authorization,
        Err(failure) => return Ok(Err(failure)),
    };
    let browser = secret::generate();
    model::insert_state(
        conn,
        &NewOAuthState {
            state_hash: &authorization.state.hash,
            browser_hash: &browser.hash,
            purpose: purpose.tag(),
            provider: name,
            nonce: &authorization.nonce,
            verifier: &authorization.verifier,
            next,
            user_id,
            expires_at: now() + FLOW_LIFETIME,
        },
    )
    .await?;
    Ok(Ok(Started {
        url: authorization.url,
        browser: browser.token,
    }))
}

/// What the provider's redirect brought back.
pub struct Callback<'a> {
    pub state: Option<&'a str>,
    pub code: Option<&'a str>,
    pub error: Option<&'a str>,
    pub error_description: Option<&'a str>,
    pub iss: Option<&'a str>,
    /// The flow cookie this browser sent.
    pub browser: Option<&'a str>,
}

/// The callback checked and its code exchanged: the flow (used up,
/// whatever the outcome) and the identity the provider proves.
pub async fn finish(
    conn: &mut DbConn,
    security: &Security,
    name: &str,
    purpose: Purpose,
    callback: Callback<'_>,
) -> Result<Result<(OAuthState, ProvedIdentity), Failure>, Error> {
    let Some(provider) = security.config.oauth.providers.get(name) else {
        return Err(Error::NotFound);
    };
    let invalid = |why: &str| Ok(Err(Failure::new("invalid_state", why)));
    // The state is used up by the first callback that presents it,
    // whatever the outcome.
    let token = callback.state.filter(|s| secret::well_formed(s));
    let flow = match token {
        Some(token) => model::take_state(conn, &secret::hash(token)).await?,
        None => None,
    };
    // The provider's error ends the flow there (some providers send it
    // without the state).
    if let Some(error) = callback.error {
        let description = callback.error_description.unwrap_or("");
        return Ok(Err(Failure::new(error, description)));
    }
    let Some(flow) = flow else {
        return invalid("no state, or not one we issued or still hold");
    };
    let same_browser = callback
        .browser
        .map(|b| bool::from(secret::hash(b).ct_eq(&flow.browser_hash)))
        .unwrap_or(false);
    if !same_browser {
        return invalid("the flow was started in another browser");
    }
    if flow.provider != name || flow.purpose != purpose.tag() || flow.expires_at < now() {
        return invalid("expired, or started for another provider or purpose");
    }
    // RFC 9207: an `iss` must be the issuer we started with.
    if let (Some(iss), Some(issuer)) = (callback.iss, provider.issuer()) {
        if iss != issuer {
            return invalid("the callback names another issuer");
        }
    }
    let Some(code) = callback.code.filter(|c| !c.is_empty() && c.len() <= 2048) else {
        return Ok(Err(Failure::new("invalid_request", "no code")));
    };
    let redirect = redirect_uri(&security.config, name, purpose);
    let proved = security
        .oauth
        .identity(provider, &redirect, code, &flow.verifier, &flow.nonce)
        .await;
    Ok(proved.map(|proved| (flow, proved)))
}

/// Why an identity does not sign in (or verify, or link).
pub type Refusal = Message;

/// How the identity found its account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// Linked before.
    Linked,
    /// Linked now, by its verified email.
    LinkedByEmail,
    /// A new account (auto-registration).
    Created,
}

/// The account a sign-in's identity stands for: linked identity, then
/// (verified) email, then auto-registration.
pub async fn account_for(
    conn: &mut DbConn,
    security: &Security,
    name: &str,
    proved: &ProvedIdentity,
    create: bool,
) -> Result<Result<(User, Found), Refusal>, Error> {
    let config = &security.config;
    let provider = &config.oauth.providers[name];
    let shown = display_name(name, provider);
    let typed = proved.email.as_deref().unwrap_or("");
    // An unverified email never signs in, links or creates.
    if !proved.email_verified {
        let refusal = Msg("OAUTH_EMAIL_NOT_VERIFIED")
            .with("provider", shown)
            .with("email", typed);
        return Ok(Err(refusal));
    }
    if let Some(linked) = model::find(conn, name, &proved.subject).await? {
        model::record_use(conn, linked.id, now()).await?;
        return match user::find(conn, linked.user_id).await? {
            Some(found) => Ok(Ok((found, Found::Linked))),
            None => Err(Error::NotFound),
        };
    }
    let not_registered = || Msg("IDENTITY_NOT_REGISTERED").with("email", typed);
    let Ok(email) = Email::parse(typed) else {
        return Ok(Err(not_registered()));
    };
    if let Some(found) = user::find_by_email_key(conn, &email.key()).await? {
        if config.confirmable && found.confirmed_at.is_none() {
            return Ok(Err(Msg("CONFIRMATION_REQUIRED").into()));
        }
        if !config.oauth.link_by_verified_email {
            let refusal = Msg("OAUTH_ACCOUNT_EXISTS")
                .with("email", email.as_str())
                .with("provider", shown);
            return Ok(Err(refusal));
        }
        return Ok(match link(conn, &found, name, proved, &shown).await? {
            Ok(()) => Ok((found, Found::LinkedByEmail)),
            Err(refusal) => Err(refusal),
        });
    }
    if !(create && config.oauth.auto_register) {
        return Ok(Err(not_registered()));
    }
    let at = now();
    let email_key = email.key();
    let new = NewUser {
        email: email.as_str(),
        email_key: &email_key,
        username: None,
        username_key: None,
        password_hash: UNUSABLE_PASSWORD,
        active: true,
        confirmed_at: Some(at),
        created_at: at,
    };
    let created = match user::insert(conn, new).await {
        Ok(created) => created,
        // Registered meanwhile: that account was not verified by us.
        Err(e) if is_unique_violation(&e) => return Ok(Err(not_registered())),
        Err(e) => return Err(e.into()),
    };
    Ok(match link(conn, &created, name, proved, &shown).await? {
        Ok(()) => Ok((created, Found::Created)),
        Err(refusal) => Err(refusal),
    })
}

/// Connects the identity to the account; refused when it belongs to
/// another account, or the account has another identity at the provider.
/// The account's own identity again is a success that changes nothing.
pub async fn link(
    conn: &mut DbConn,
    account: &User,
    name: &str,
    proved: &ProvedIdentity,
    shown: &str,
) -> Result<Result<(), Refusal>, Error> {
    if let Some(linked) = model::find(conn, name, &proved.subject).await? {
        if linked.user_id == account.id {
            return Ok(Ok(()));
        }
        return Ok(Err(Msg("OAUTH_IDENTITY_IN_USE").with("provider", shown)));
    }
    let connected = || Msg("OAUTH_PROVIDER_CONNECTED").with("provider", shown);
    let mine = model::of_user(conn, account.id).await?;
    if mine.iter().any(|i| i.provider == name) {
        return Ok(Err(connected()));
    }
    let email = proved.email.as_deref().unwrap_or("");
    match model::link(conn, account.id, name, &proved.subject, email, now()).await {
        Ok(()) => Ok(Ok(())),
        // A racing link of the same identity or provider.
        Err(e) if is_unique_violation(&e) => Ok(Err(connected())),
        Err(e) => Err(e.into()),
    }
}

/// Whether the identity is this account's, linking it by verified email
/// when allowed (re-authentication: steps 1 to 3, never creating).
pub async fn verifies(
    conn: &mut DbConn,
    security: &Security,
    name: &str,
    proved: &ProvedIdentity,
    account: &User,
) -> Result<Result<(), Refusal>, Error> {
    let typed = proved.email.as_deref().unwrap_or("").to_owned();
    match account_for(conn, security, name, proved, false).await? {
        Ok((found, _)) if found.id == account.id => Ok(Ok(())),
        Ok(_) => Ok(Err(Msg("IDENTITY_NOT_REGISTERED").with("email", typed))),
        Err(refusal) => Ok(Err(refusal)),
    }
}

pub async fn identities(conn: &mut DbConn, user_id: i32) -> Result<Vec<OAuthIdentity>, Error> {
    Ok(model::of_user(conn, user_id).await?)
}

/// Disconnects the account's identity at the provider; refused when it is
/// not connected, or is the account's last way to sign in.
pub async fn unlink(
    conn: &mut DbConn,
    security: &Security,
    account: &User,
    name: &str,
) -> Result<Result<(), Refusal>, Error> {
    let mine = model::of_user(conn, account.id).await?;
    if !mine.iter().any(|i| i.provider == name) {
        let shown = match security.config.oauth.providers.get(name) {
            Some(provider) => display_name(name, provider),
            None => name.to_owned(),
        };
        return Ok(Err(Msg("OAUTH_NOT_CONNECTED").with("provider", shown)));
    }
    let password = account.password_hash != UNUSABLE_PASSWORD;
    let others = mine.iter().any(|i| i.provider != name);
    let passkey = security.config.webauthn.enabled
        && crate::models::webauthn::of_user(conn, account.id)
            .await?
            .iter()
            .any(|k| k.usage == "first");
    if !(password || others || passkey) {
        return Ok(Err(Msg("OAUTH_LAST_SIGNIN_METHOD").into()));
    }
    model::unlink(conn, account.id, name).await?;
    Ok(Ok(()))
}
