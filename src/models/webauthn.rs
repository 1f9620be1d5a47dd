//! Passkeys: `webauthn_users` (each account's user handle),
//! `webauthn_credentials` (the keys) and `wan_states` (ceremonies in
//! progress, used up by their first step).

use crate::db::schema::{wan_states, webauthn_credentials, webauthn_users};
use crate::db::DbConn;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::PrimitiveDateTime;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webauthn_credentials)]
pub struct WebauthnCredential {
    pub id: i32,
    pub user_id: i32,
    pub name: String,
    pub credential_id: Vec<u8>,
    pub usage: String,
    /// The verifier's record, JSON.
    pub credential: String,
    /// JSON list of transport names.
    pub transports: String,
    pub sign_count: i64,
    pub backup_eligible: bool,
    pub backup_state: bool,
    pub discoverable: Option<bool>,
    pub created_at: PrimitiveDateTime,
    pub last_used_at: PrimitiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = webauthn_credentials)]
pub struct NewCredential<'a> {
    pub user_id: i32,
    pub name: &'a str,
    pub credential_id: &'a [u8],
    pub usage: &'a str,
    pub credential: &'a str,
    pub transports: &'a str,
    pub sign_count: i64,
    pub backup_eligible: bool,
    pub backup_state: bool,
    pub discoverable: Option<bool>,
    pub created_at: PrimitiveDateTime,
    pub last_used_at: PrimitiveDateTime,
}

/// The account's user handle, if it has one yet.
pub async fn user_handle(conn: &mut DbConn, user_id: i32) -> QueryResult<Option<Vec<u8>>> {
    webauthn_users::table
        .find(user_id)
        .select(webauthn_users::user_handle)
        .first(conn)
        .await
        .optional()
}

/// Stores the account's user handle (its first key's registration).
pub async fn set_user_handle(conn: &mut DbConn, user_id: i32, handle: &[u8]) -> QueryResult<()> {
    diesel::insert_into(webauthn_users::table)
        .values((
            webauthn_users::user_id.eq(user_id),
            webauthn_users::user_handle.eq(handle),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// The account whose user handle this is.
pub async fn user_of_handle(conn: &mut DbConn, handle: &[u8]) -> QueryResult<Option<i32>> {
    webauthn_users::table
        .filter(webauthn_users::user_handle.eq(handle))
        .select(webauthn_users::user_id)
        .first(conn)
        .await
        .optional()
}

/// The account's keys, oldest first.
pub async fn of_user(conn: &mut DbConn, user_id: i32) -> QueryResult<Vec<WebauthnCredential>> {
    webauthn_credentials::table
        .filter(webauthn_credentials::user_id.eq(user_id))
        .order(webauthn_credentials::id)
        .select(WebauthnCredential::as_select())
        .load(conn)
        .await
}

/// The key with this credential id, whoever's it is.
pub async fn by_credential_id(
    conn: &mut DbConn,
    credential_id: &[u8],
) -> QueryResult<Option<WebauthnCredential>> {
    webauthn_credentials::table
        .filter(webauthn_credentials::credential_id.eq(credential_id))
        .select(WebauthnCredential::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn insert(conn: &mut DbConn, new: &NewCredential<'_>) -> QueryResult<()> {
    diesel::insert_into(webauthn_credentials::table)
        .values(new)
        .execute(conn)
        .await
        .map(|_| ())
}

/// After an accepted assertion: the new counter, flags and record.
pub async fn record_use(
    conn: &mut DbConn,
    id: i32,
    credential: &str,
    sign_count: i64,
    backup_eligible: bool,
    backup_state: bool,
    at: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::update(webauthn_credentials::table.find(id))
        .set((
            webauthn_credentials::credential.eq(credential),
            webauthn_credentials::sign_count.eq(sign_count),
            webauthn_credentials::backup_eligible.eq(backup_eligible),
            webauthn_credentials::backup_state.eq(backup_state),
            webauthn_credentials::last_used_at.eq(at),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Deletes the account's key of that name; 1 if there was one.
pub async fn delete_named(conn: &mut DbConn, user_id: i32, name: &str) -> QueryResult<usize> {
    diesel::delete(
        webauthn_credentials::table
            .filter(webauthn_credentials::user_id.eq(user_id))
            .filter(webauthn_credentials::name.eq(name)),
    )
    .execute(conn)
    .await
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = wan_states)]
pub struct WanState {
    pub id: i32,
    pub state_hash: Vec<u8>,
    pub purpose: String,
    pub user_id: Option<i32>,
    pub pending_hash: Option<Vec<u8>>,
    pub name: Option<String>,
    pub usage: Option<String>,
    pub remember: bool,
    pub ceremony: String,
    pub expires_at: PrimitiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = wan_states)]
pub struct NewWanState<'a> {
    pub state_hash: &'a [u8],
    pub purpose: &'a str,
    pub user_id: Option<i32>,
    pub pending_hash: Option<&'a [u8]>,
    pub name: Option<&'a str>,
    pub usage: Option<&'a str>,
    pub remember: bool,
    pub ceremony: &'a str,
    pub expires_at: PrimitiveDateTime,
}

pub async fn insert_state(conn: &mut DbConn, new: &NewWanState<'_>) -> QueryResult<()> {
    diesel::insert_into(wan_states::table)
        .values(new)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Takes the state with this hash out of the table: the one request that
/// gets it back is the only one that can use it, expired or not.
pub async fn take_state(conn: &mut DbConn, hash: &[u8]) -> QueryResult<Option<WanState>> {
    let found = wan_states::table
        .filter(wan_states::state_hash.eq(hash))
        .select(WanState::as_select())
        .first(conn)
        .await
        .optional()?;
    let Some(state) = found else {
        return Ok(None);
    };
    // Two requests racing for one state: only the delete that removes the
    // row wins it.
    let deleted = diesel::delete(wan_states::table.find(state.id))
        .execute(conn)
        .await?;
    Ok((deleted == 1).then_some(state))
}

/// Drops the states that expired before `now` (the token purge).
pub async fn purge_expired(conn: &mut DbConn, now: PrimitiveDateTime) -> QueryResult<usize> {
    diesel::delete(wan_states::table.filter(wan_states::expires_at.lt(now)))
        .execute(conn)
        .await
}
