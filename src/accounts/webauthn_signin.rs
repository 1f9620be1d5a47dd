//! Passkeys (WebAuthn), using a key: the request options of a sign-in, a
//! second-factor step or a re-authentication, and the verification of the
//! browser's assertion against the key it names — its account, its usage,
//! its signature and its counter (a counter that goes backwards is a
//! cloned authenticator: refused and audited).

use crate::accounts::audit::{record, Event};
use crate::accounts::webauthn::{parse_credential, relying_party, take_state, verifier};
use crate::accounts::webauthn::{WanRefusal, API_ERROR};
use crate::config::{SecurityConfig, WanUsage};
use crate::db::DbConn;
use crate::domain::secret;
use crate::error::Error;
use crate::i18n::{Message, Msg};
use crate::models::webauthn::{self as model, NewWanState, WebauthnCredential};
use crate::models::{now, user, User};
use serde_json::{json, Value};
use webauthn_rs_core::error::WebauthnError;
use webauthn_rs_core::proto::{
    AuthenticationState, Credential, PublicKeyCredential, UserVerificationPolicy,
};

/// What a ceremony is for; each state serves its own purpose only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `/wan-signin` as the first factor.
    SignIn,
    /// `/wan-signin` during a pending two-factor sign-in.
    SecondFactor,
    /// `/wan-verify`.
    Verify,
}

impl Purpose {
    fn tag(self) -> &'static str {
        match self {
            Purpose::SignIn => "signin",
            Purpose::SecondFactor => "second_factor",
            Purpose::Verify => "verify",
        }
    }
}

pub const MISMATCH: Msg = Msg("WEBAUTHN_MISMATCH_USER_HANDLE");
pub const WRONG_USAGE: Msg = Msg("WEBAUTHN_CREDENTIAL_WRONG_USAGE");

/// Who the ceremony is for.
pub struct Ask<'a> {
    pub purpose: Purpose,
    /// The account whose keys are allowed (none: any discoverable key).
    pub user: Option<&'a User>,
    /// The usages whose keys are offered.
    pub usages: &'a [WanUsage],
    /// The pending sign-in's token hash (second factor).
    pub pending_hash: Option<&'a [u8]>,
    pub remember: bool,
}

/// The request options and the new `wan_state`.
pub async fn start(
    conn: &mut DbConn,
    config: &SecurityConfig,
    ask: Ask<'_>,
) -> Result<(Value, String), Error> {
    let wan = &config.webauthn;
    let keys: Vec<WebauthnCredential> = match ask.user {
        Some(user) if user.active => model::of_user(conn, user.id)
            .await?
            .into_iter()
            .filter(|k| ask.usages.iter().any(|u| u.as_str() == k.usage))
            .collect(),
        _ => Vec::new(),
    };
    let policy = if ask.usages.contains(&WanUsage::Secondary) {
        UserVerificationPolicy::Discouraged_DO_NOT_USE
    } else {
        UserVerificationPolicy::Preferred
    };
    let rp = relying_party(config)?;
    let core = verifier(&rp, wan.signin_timeout.as_std());
    let internal = |e: WebauthnError| Error::Internal(format!("webauthn options: {e}").into());
    let builder = core
        .new_challenge_authenticate_builder(Vec::new(), Some(policy))
        .map_err(internal)?;
    let (challenge, state) = core
        .generate_challenge_authenticate(builder)
        .map_err(internal)?;
    let mut options = serde_json::to_value(&challenge.public_key)
        .map_err(|e| Error::Internal(format!("webauthn options: {e}").into()))?;
    options["allowCredentials"] = keys
        .iter()
        .map(|k| {
            let transports: Value =
                serde_json::from_str(&k.transports).unwrap_or_else(|_| json!([]));
            json!({ "type": "public-key", "id": secret::encode(&k.credential_id), "transports": transports })
        })
        .collect();
    let ceremony = serde_json::to_string(&state)
        .map_err(|e| Error::Internal(format!("webauthn state: {e}").into()))?;
    let token = secret::generate();
    model::insert_state(
        conn,
        &NewWanState {
            state_hash: &token.hash,
            purpose: ask.purpose.tag(),
            user_id: ask.user.map(|u| u.id),
            pending_hash: ask.pending_hash,
            name: None,
            usage: None,
            remember: ask.remember,
            ceremony: &ceremony,
            expires_at: now() + wan.signin_within.0,
        },
    )
    .await?;
    Ok((options, token.token))
}

/// An accepted assertion.
#[derive(Debug)]
pub struct Asserted {
    pub user: User,
    pub key_name: String,
    /// The authenticator verified the user (the UV flag).
    pub verified: bool,
    /// The `remember` of the ceremony's start.
    pub remember: bool,
}

/// The credential id the answer names, when it can be read (for the rate
/// limits' key).
pub fn credential_id_of(text: &str) -> Option<Vec<u8>> {
    parse_credential::<PublicKeyCredential>(text).map(|(answer, _)| answer.raw_id)
}

/// The step that answers a ceremony.
pub struct Step<'a> {
    /// The `wan_state` of the path.
    pub token: &'a str,
    pub purpose: Purpose,
    /// The account the key must belong to (second factor, verify).
    pub expected: Option<i32>,
    /// The pending sign-in the state must be bound to (second factor).
    pub pending_hash: Option<&'a [u8]>,
}

/// Verifies `credential` for the ceremony of `step`.
pub async fn finish(
    conn: &mut DbConn,
    config: &SecurityConfig,
    step: Step<'_>,
    credential: &str,
    ip: Option<&str>,
) -> Result<Result<Asserted, WanRefusal>, Error> {
    let Step {
        token,
        purpose,
        expected,
        pending_hash,
    } = step;
    let state = match take_state(conn, config, token, purpose.tag(), expected).await? {
        Ok(state) => state,
        Err(refusal) => return Ok(Err(refusal)),
    };
    if pending_hash.is_some() && state.pending_hash.as_deref() != pending_hash {
        return Ok(Err(WanRefusal::State(API_ERROR.into())));
    }
    let field = |m: Message| Ok(Err(WanRefusal::Field("credential", m)));
    let Some((answer, _)) = parse_credential::<PublicKeyCredential>(credential) else {
        return field(API_ERROR.into());
    };
    let Some(key) = model::by_credential_id(conn, &answer.raw_id).await? else {
        return field(Msg("WEBAUTHN_UNKNOWN_CREDENTIAL_ID").into());
    };
    // Only a key of the account the step is for (Flask-Security-Too once
    // took any account's key here: GHSA-f66q-9rf6-8795).
    if expected.is_some_and(|id| id != key.user_id) {
        return Ok(Err(WanRefusal::State(MISMATCH.into())));
    }
    if let Some(handle) = answer.response.user_handle.as_deref() {
        if model::user_handle(conn, key.user_id).await?.as_deref() != Some(handle) {
            return field(MISMATCH.into());
        }
    }
    let allowed: &[WanUsage] = match purpose {
        Purpose::SignIn => &[WanUsage::First],
        Purpose::SecondFactor => &[WanUsage::Secondary],
        Purpose::Verify => &config.webauthn.allow_as_verify,
    };
    if !allowed.iter().any(|u| u.as_str() == key.usage) {
        return field(WRONG_USAGE.into());
    }
    let mut stored: Credential = serde_json::from_str(&key.credential)
        .map_err(|e| Error::Internal(format!("webauthn credential: {e}").into()))?;
    let ceremony: AuthenticationState = serde_json::from_str(&state.ceremony)
        .map_err(|e| Error::Internal(format!("webauthn state: {e}").into()))?;
    let rp = relying_party(config)?;
    let core = verifier(&rp, config.webauthn.signin_timeout.as_std());
    let Some(owner) = user::find(conn, key.user_id).await? else {
        return field(Msg("WEBAUTHN_UNKNOWN_CREDENTIAL_ID").into());
    };
    // The contract takes an assertion without user verification as one
    // factor (the pending step follows for two-factor accounts), where the
    // verifier would refuse it for a key that verified at registration.
    let mut as_checked = stored.clone();
    as_checked.user_verified = false;
    let result = match core.authenticate_single_credential(&answer, &ceremony, &as_checked) {
        Ok(result) => result,
        Err(e) => {
            if matches!(e, WebauthnError::CredentialPossibleCompromise) {
                record(
                    conn,
                    Event::PasskeyCounterRegression,
                    Some(&owner),
                    None,
                    ip,
                )
                .await?;
            }
            return field(crate::accounts::webauthn::no_verify(&e));
        }
    };
    stored.counter = result.counter();
    stored.backup_state = result.backup_state();
    stored.backup_eligible = result.backup_eligible();
    let record_json = serde_json::to_string(&stored)
        .map_err(|e| Error::Internal(format!("webauthn credential: {e}").into()))?;
    model::record_use(
        conn,
        key.id,
        &record_json,
        i64::from(result.counter()),
        result.backup_eligible(),
        result.backup_state(),
        now(),
    )
    .await?;
    Ok(Ok(Asserted {
        user: owner,
        key_name: key.name,
        verified: result.user_verified(),
        remember: state.remember,
    }))
}

/// Whether the account has a key `/wan-verify` accepts.
pub async fn has_verify_key(
    conn: &mut DbConn,
    config: &SecurityConfig,
    user_id: i32,
) -> Result<bool, Error> {
    if !config.webauthn.enabled || config.webauthn.allow_as_verify.is_empty() {
        return Ok(false);
    }
    let keys = model::of_user(conn, user_id).await?;
    let usages = &config.webauthn.allow_as_verify;
    Ok(keys
        .iter()
        .any(|k| usages.iter().any(|u| u.as_str() == k.usage)))
}
