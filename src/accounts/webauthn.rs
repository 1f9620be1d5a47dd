//! Passkeys (WebAuthn), the accounts side: registering a key (options out,
//! the browser's answer verified and stored), listing and deleting keys.
//! The ceremony's state stays in `wan_states`, used up by its first step
//! (Flask-Security-Too hands it to the client as a signed, replayable
//! token). The verifier is webauthn-rs-core's, fed the options the
//! contract sets.

use crate::config::{RelyingParty, SecurityConfig, WanUsage};
use crate::db::DbConn;
use crate::domain::{secret, PasskeyName};
use crate::error::Error;
use crate::i18n::{Message, Msg};
use crate::models::webauthn::{self as model, NewCredential, NewWanState, WebauthnCredential};
use crate::models::{for_people, is_unique_violation, now, rfc3339, User};
use rand::RngCore;
use serde_json::{json, Value};
use webauthn_rs_core::proto::{
    COSEAlgorithm, RegisterPublicKeyCredential, RegistrationState, RequestRegistrationExtensions,
    UserVerificationPolicy,
};
use webauthn_rs_core::WebauthnCore;

pub const API_ERROR: Msg = Msg("API_ERROR");
const REGISTER: &str = "register";

/// Why a ceremony step was refused; the flow says it in the envelope.
#[derive(Debug)]
pub enum WanRefusal {
    /// On a field (`name`, `usage`, `credential`).
    Field(&'static str, Message),
    /// Form-level: a state that is unknown, used, another's or expired.
    State(Message),
}

impl WanRefusal {
    /// Adds the refusal to a reply's errors (form-level for a state).
    pub fn add_to(self, errors: &mut crate::error::FieldErrors) {
        match self {
            WanRefusal::Field(field, message) => errors.add(field, message),
            WanRefusal::State(message) => errors.add("", message),
        }
    }
}

pub(crate) fn verifier(rp: &RelyingParty, timeout: std::time::Duration) -> WebauthnCore {
    WebauthnCore::new_unsafe_experts_only(
        &rp.name,
        &rp.id,
        vec![rp.origin.clone()],
        timeout,
        Some(false),
        Some(false),
    )
}

pub(crate) fn relying_party(config: &SecurityConfig) -> Result<RelyingParty, Error> {
    config
        .webauthn
        .relying_party(config.public_url.as_deref())
        .map_err(|e| Error::Internal(e.into()))
}

/// The account's user handle, made (32 random bytes) the first time.
async fn user_handle(conn: &mut DbConn, user: &User) -> Result<Vec<u8>, Error> {
    if let Some(handle) = model::user_handle(conn, user.id).await? {
        return Ok(handle);
    }
    let mut handle = vec![0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut handle);
    match model::set_user_handle(conn, user.id, &handle).await {
        Ok(()) => Ok(handle),
        // Two first registrations at once: the other one's handle stands.
        Err(e) if is_unique_violation(&e) => model::user_handle(conn, user.id)
            .await?
            .ok_or_else(|| Error::Internal("user handle vanished".into())),
        Err(e) => Err(e.into()),
    }
}

/// Whether the account has a second-factor key (then two-factor is on for
/// it, whatever `two_factor` says).
pub async fn has_secondary_key(conn: &mut DbConn, user_id: i32) -> Result<bool, Error> {
    let keys = model::of_user(conn, user_id).await?;
    Ok(keys.iter().any(|k| k.usage == WanUsage::Secondary.as_str()))
}

/// `registered_credentials`: the account's keys as the contract lists them
/// (and, for pages, `added` and `last_used` in words).
pub async fn list(conn: &mut DbConn, user_id: i32, for_pages: bool) -> Result<Vec<Value>, Error> {
    let keys = model::of_user(conn, user_id).await?;
    Ok(keys
        .iter()
        .map(|key| {
            let mut entry = describe(key);
            if for_pages {
                entry["added"] = json!(for_people(key.created_at));
                entry["last_used"] = json!(for_people(key.last_used_at));
            }
            entry
        })
        .collect())
}

fn describe(key: &WebauthnCredential) -> Value {
    let transports: Value = serde_json::from_str(&key.transports).unwrap_or_else(|_| json!([]));
    json!({
        "name": key.name,
        "credential_id": crate::domain::secret::encode(&key.credential_id),
        "transports": transports,
        "usage": key.usage,
        "lastuse": rfc3339(key.last_used_at),
        "created_at": rfc3339(key.created_at),
        "backup_state": key.backup_state,
        "device_type": if key.backup_eligible { "multi_device" } else { "single_device" },
        "discoverable": key.discoverable,
    })
}

/// `POST /wan-register`: the creation options and the new `wan_state`.
pub async fn start_registration(
    conn: &mut DbConn,
    config: &SecurityConfig,
    user: &User,
    name: &PasskeyName,
    usage: WanUsage,
) -> Result<Result<(Value, String), WanRefusal>, Error> {
    let keys = model::of_user(conn, user.id).await?;
    if keys.iter().any(|k| k.name == name.as_str()) {
        let taken = Msg("WEBAUTHN_NAME_INUSE").with("name", name.as_str());
        return Ok(Err(WanRefusal::Field("name", taken)));
    }
    let rp = relying_party(config)?;
    let wan = &config.webauthn;
    let core = verifier(&rp, wan.register_timeout.as_std());
    let handle = user_handle(conn, user).await?;
    let policy = match usage {
        WanUsage::First => UserVerificationPolicy::Preferred,
        WanUsage::Secondary => UserVerificationPolicy::Discouraged_DO_NOT_USE,
    };
    let exclude: Vec<Vec<u8>> = keys.iter().map(|k| k.credential_id.clone()).collect();
    let builder = core
        .new_challenge_register_builder(&handle, &user.email, &user.email)
        .map_err(|e| Error::Internal(format!("webauthn options: {e}").into()))?
        .attestation(webauthn_rs_core::proto::AttestationConveyancePreference::None)
        .user_verification_policy(policy)
        .exclude_credentials(Some(exclude))
        .extensions(Some(RequestRegistrationExtensions {
            cred_props: Some(true),
            ..Default::default()
        }))
        .credential_algorithms(vec![COSEAlgorithm::ES256, COSEAlgorithm::RS256])
        .require_resident_key(false);
    let (challenge, state) = core
        .generate_challenge_register(builder)
        .map_err(|e| Error::Internal(format!("webauthn options: {e}").into()))?;
    let mut options = serde_json::to_value(&challenge.public_key)
        .map_err(|e| Error::Internal(format!("webauthn options: {e}").into()))?;
    // The contract asks residentKey "preferred" (the verifier knows only
    // required or discouraged; it does not enforce either), and each
    // excluded key with its transports.
    options["authenticatorSelection"]["residentKey"] = json!("preferred");
    options["authenticatorSelection"]["requireResidentKey"] = json!(false);
    options["excludeCredentials"] = keys
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
    let expires_at = now() + wan.register_within.0;
    model::insert_state(
        conn,
        &NewWanState {
            state_hash: &token.hash,
            purpose: REGISTER,
            user_id: Some(user.id),
            pending_hash: None,
            name: Some(name.as_str()),
            usage: Some(usage.as_str()),
            remember: false,
            ceremony: &ceremony,
            expires_at,
        },
    )
    .await?;
    Ok(Ok((options, token.token)))
}

/// Takes `token`'s state for `purpose` (and, when given, `user_id`): the
/// state is used up whatever happens next.
pub async fn take_state(
    conn: &mut DbConn,
    config: &SecurityConfig,
    token: &str,
    purpose: &str,
    user_id: Option<i32>,
) -> Result<Result<model::WanState, WanRefusal>, Error> {
    let refused = || Ok(Err(WanRefusal::State(API_ERROR.into())));
    if !secret::well_formed(token) {
        return refused();
    }
    let Some(state) = model::take_state(conn, &secret::hash(token)).await? else {
        return refused();
    };
    if state.purpose != purpose || (user_id.is_some() && state.user_id != user_id) {
        return refused();
    }
    if state.expires_at < now() {
        let within = if purpose == REGISTER {
            &config.webauthn.register_within
        } else {
            &config.webauthn.signin_within
        };
        let expired = Msg("WEBAUTHN_EXPIRED").with("within", within.describe());
        return Ok(Err(WanRefusal::State(expired)));
    }
    Ok(Ok(state))
}

/// Uses up `token`'s state without looking at it (a step that came with
/// no answer).
pub async fn discard_state(conn: &mut DbConn, token: &str) -> Result<(), Error> {
    if secret::well_formed(token) {
        model::take_state(conn, &secret::hash(token)).await?;
    }
    Ok(())
}

/// The browser's `credential` (a JSON string): parsed, with
/// Flask-Security-Too's `extensions` string read as the extension results.
pub fn parse_credential<T: serde::de::DeserializeOwned>(text: &str) -> Option<(T, Value)> {
    let mut value: Value = serde_json::from_str(text).ok()?;
    let object = value.as_object_mut()?;
    if !object.contains_key("clientExtensionResults") {
        for legacy in ["extensions", "assertionClientExtensions"] {
            if let Some(Value::String(inner)) = object.remove(legacy) {
                if let Ok(parsed) = serde_json::from_str::<Value>(&inner) {
                    object.insert("clientExtensionResults".into(), parsed);
                }
            }
        }
    }
    let parsed = serde_json::from_value(value.clone()).ok()?;
    Some((parsed, value))
}

/// `POST /wan-register/<wan_state>`: verifies the browser's answer and
/// stores the key; its name on success.
pub async fn finish_registration(
    conn: &mut DbConn,
    config: &SecurityConfig,
    user: &User,
    token: &str,
    credential: &str,
) -> Result<Result<String, WanRefusal>, Error> {
    let state = match take_state(conn, config, token, REGISTER, Some(user.id)).await? {
        Ok(state) => state,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let bad_credential = |m: Message| Ok(Err(WanRefusal::Field("credential", m)));
    let Some((answer, raw)) = parse_credential::<RegisterPublicKeyCredential>(credential) else {
        return bad_credential(API_ERROR.into());
    };
    // Said before verifying: for an excluded key the verifier would name
    // something else.
    if model::by_credential_id(conn, &answer.raw_id)
        .await?
        .is_some()
    {
        return bad_credential(Msg("WEBAUTHN_CREDENTIAL_ID_INUSE").into());
    }
    let ceremony: RegistrationState = serde_json::from_str(&state.ceremony)
        .map_err(|e| Error::Internal(format!("webauthn state: {e}").into()))?;
    let rp = relying_party(config)?;
    let core = verifier(&rp, config.webauthn.register_timeout.as_std());
    let key = match core.register_credential(&answer, &ceremony, None) {
        Ok(key) => key,
        Err(e) => {
            return bad_credential(no_verify(&e));
        }
    };
    let name = state.name.unwrap_or_default();
    let usage = state.usage.unwrap_or_else(|| "secondary".into());
    let transports = raw["response"]["transports"].clone();
    let transports = match transports {
        Value::Array(list) => Value::Array(list.into_iter().filter(Value::is_string).collect()),
        _ => json!([]),
    };
    let discoverable = raw["clientExtensionResults"]["credProps"]["rk"].as_bool();
    let record = serde_json::to_string(&key)
        .map_err(|e| Error::Internal(format!("webauthn credential: {e}").into()))?;
    let at = now();
    let stored = model::insert(
        conn,
        &NewCredential {
            user_id: user.id,
            name: &name,
            credential_id: &key.cred_id,
            usage: &usage,
            credential: &record,
            transports: &transports.to_string(),
            sign_count: i64::from(key.counter),
            backup_eligible: key.backup_eligible,
            backup_state: key.backup_state,
            discoverable,
            created_at: at,
            last_used_at: at,
        },
    )
    .await;
    match stored {
        Ok(()) => Ok(Ok(name)),
        Err(e) if is_unique_violation(&e) => {
            // Either the credential id (any account's) or this name, taken
            // since the options were made.
            if model::by_credential_id(conn, &key.cred_id).await?.is_some() {
                bad_credential(Msg("WEBAUTHN_CREDENTIAL_ID_INUSE").into())
            } else {
                bad_credential(Msg("WEBAUTHN_NAME_INUSE").with("name", &name))
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// `WEBAUTHN_NO_VERIFY`, the cause in the verifier's words.
pub(crate) fn no_verify(e: &webauthn_rs_core::error::WebauthnError) -> Message {
    let cause = e.to_string();
    Msg("WEBAUTHN_NO_VERIFY").with("cause", cause.trim_end_matches('.'))
}

/// `POST /wan-delete`: removes the account's key of that name.
pub async fn delete(conn: &mut DbConn, user: &User, name: &PasskeyName) -> Result<bool, Error> {
    Ok(model::delete_named(conn, user.id, name.as_str()).await? == 1)
}
