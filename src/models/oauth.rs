//! OAuth and OpenID Connect: `oauth_identities` (a provider's subject linked
//! to an account) and `oauth_states` (flows in progress, used up by their
//! first callback).

use crate::db::schema::{oauth_identities, oauth_states};
use crate::db::DbConn;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::PrimitiveDateTime;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = oauth_identities)]
pub struct OAuthIdentity {
    pub id: i32,
    pub user_id: i32,
    pub provider: String,
    pub subject: String,
    /// The address the provider gave when the identity was linked.
    pub email: String,
    pub linked_at: PrimitiveDateTime,
    pub last_used_at: Option<PrimitiveDateTime>,
}

/// The identity (provider, subject), whoever's it is.
pub async fn find(
    conn: &mut DbConn,
    provider: &str,
    subject: &str,
) -> QueryResult<Option<OAuthIdentity>> {
    oauth_identities::table
        .filter(oauth_identities::provider.eq(provider))
        .filter(oauth_identities::subject.eq(subject))
        .select(OAuthIdentity::as_select())
        .first(conn)
        .await
        .optional()
}

/// The account's identities, by provider name.
pub async fn of_user(conn: &mut DbConn, user_id: i32) -> QueryResult<Vec<OAuthIdentity>> {
    oauth_identities::table
        .filter(oauth_identities::user_id.eq(user_id))
        .order(oauth_identities::provider)
        .select(OAuthIdentity::as_select())
        .load(conn)
        .await
}

/// Links (provider, subject) to the account. The unique keys refuse a
/// second link of the identity, or a second identity of one provider.
pub async fn link(
    conn: &mut DbConn,
    user_id: i32,
    provider: &str,
    subject: &str,
    email: &str,
    at: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(oauth_identities::table)
        .values((
            oauth_identities::user_id.eq(user_id),
            oauth_identities::provider.eq(provider),
            oauth_identities::subject.eq(subject),
            oauth_identities::email.eq(email),
            oauth_identities::linked_at.eq(at),
            oauth_identities::last_used_at.eq(Some(at)),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn record_use(conn: &mut DbConn, id: i32, at: PrimitiveDateTime) -> QueryResult<()> {
    diesel::update(oauth_identities::table.find(id))
        .set(oauth_identities::last_used_at.eq(Some(at)))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Removes the account's identity at that provider; 1 if there was one.
pub async fn unlink(conn: &mut DbConn, user_id: i32, provider: &str) -> QueryResult<usize> {
    diesel::delete(
        oauth_identities::table
            .filter(oauth_identities::user_id.eq(user_id))
            .filter(oauth_identities::provider.eq(provider)),
    )
    .execute(conn)
    .await
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = oauth_states)]
pub struct OAuthState {
    pub id: i32,
    pub state_hash: Vec<u8>,
    pub browser_hash: Vec<u8>,
    pub purpose: String,
    pub provider: String,
    pub nonce: String,
    /// The PKCE verifier.
    pub verifier: String,
    pub next: Option<String>,
    pub user_id: Option<i32>,
    pub expires_at: PrimitiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = oauth_states)]
pub struct NewOAuthState<'a> {
    pub state_hash: &'a [u8],
    pub browser_hash: &'a [u8],
    pub purpose: &'a str,
    pub provider: &'a str,
    pub nonce: &'a str,
    pub verifier: &'a str,
    pub next: Option<&'a str>,
    pub user_id: Option<i32>,
    pub expires_at: PrimitiveDateTime,
}

pub async fn insert_state(conn: &mut DbConn, new: &NewOAuthState<'_>) -> QueryResult<()> {
    diesel::insert_into(oauth_states::table)
        .values(new)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Takes the flow with this state hash out of the table: only the request
/// whose delete removes the row gets it, expired or not.
pub async fn take_state(conn: &mut DbConn, hash: &[u8]) -> QueryResult<Option<OAuthState>> {
    let found = oauth_states::table
        .filter(oauth_states::state_hash.eq(hash))
        .select(OAuthState::as_select())
        .first(conn)
        .await
        .optional()?;
    let Some(state) = found else {
        return Ok(None);
    };
    let deleted = diesel::delete(oauth_states::table.find(state.id))
        .execute(conn)
        .await?;
    Ok((deleted == 1).then_some(state))
}

/// Drops flows past their expiry.
pub async fn purge_expired(conn: &mut DbConn, now: PrimitiveDateTime) -> QueryResult<usize> {
    diesel::delete(oauth_states::table.filter(oauth_states::expires_at.lt(now)))
        .execute(conn)
        .await
}
