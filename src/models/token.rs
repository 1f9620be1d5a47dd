//! `user_tokens`: every credential handed out (session, remember-me, API
//! token, emailed links), stored only as its SHA-256 (the Phoenix design).

use crate::db::schema::{roles, roles_users, user_tokens, users};
use crate::db::DbConn;
use crate::models::user::User;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::PrimitiveDateTime;

/// What a token is for; a token only ever works in its own context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenContext {
    Session,
    Remember,
    Api,
    Confirm,
    Reset,
    Login,
    /// A sign-in waiting for its second factor (the pending sign-in).
    TwoFactorPending,
    /// A started two-factor setup (`tf_state_token`), its secret in `data`.
    TwoFactorSetup,
    /// A mailed two-factor code, hashed with what it is for.
    TwoFactorCode,
    /// A change-email link, mailed to the new address (in `data`) and bound
    /// to the current one (`sent_to`).
    ChangeEmail,
    /// A started unified sign-in setup (`/us-setup`'s `state`), its method
    /// in `data`.
    UsSetup,
    /// A mailed unified sign-in code, hashed with its account and purpose
    /// (`data`).
    UsCode,
}

impl TokenContext {
    pub const ALL: [TokenContext; 12] = [
        TokenContext::Session,
        TokenContext::Remember,
        TokenContext::Api,
        TokenContext::Confirm,
        TokenContext::Reset,
        TokenContext::Login,
        TokenContext::TwoFactorPending,
        TokenContext::TwoFactorSetup,
        TokenContext::TwoFactorCode,
        TokenContext::ChangeEmail,
        TokenContext::UsSetup,
        TokenContext::UsCode,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TokenContext::Session => "session",
            TokenContext::Remember => "remember",
            TokenContext::Api => "api",
            TokenContext::Confirm => "confirm",
            TokenContext::Reset => "reset",
            TokenContext::Login => "login",
            TokenContext::TwoFactorPending => "tf_pending",
            TokenContext::TwoFactorSetup => "tf_setup",
            TokenContext::TwoFactorCode => "tf_code",
            TokenContext::ChangeEmail => "change_email",
            TokenContext::UsSetup => "us_setup",
            TokenContext::UsCode => "us_code",
        }
    }

    /// Sessions expire when idle (their `last_used_at` is refreshed);
    /// everything else a fixed time after it was issued.
    pub fn slides(self) -> bool {
        self == TokenContext::Session
    }
}

#[derive(Queryable, Selectable, Identifiable, Debug, Clone)]
#[diesel(table_name = user_tokens)]
pub struct UserToken {
    pub id: i32,
    pub user_id: i32,
    pub context: String,
    pub token_hash: Vec<u8>,
    pub sent_to: Option<String>,
    pub created_at: PrimitiveDateTime,
    pub last_used_at: PrimitiveDateTime,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// When the holder last proved who they are (a sign-in, `/verify`);
    /// `None` for a session restored from remember-me, and for links.
    pub primary_auth_at: Option<PrimitiveDateTime>,
    /// Sessions: a passed freshness check keeps passing until then.
    pub fresh_until: Option<PrimitiveDateTime>,
    /// Sealed protocol state (a started two-factor setup).
    pub data: Option<Vec<u8>>,
}

#[derive(Insertable)]
#[diesel(table_name = user_tokens)]
pub struct NewToken<'a> {
    pub user_id: i32,
    pub context: &'a str,
    pub token_hash: &'a [u8],
    pub sent_to: Option<&'a str>,
    pub created_at: PrimitiveDateTime,
    pub last_used_at: PrimitiveDateTime,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub primary_auth_at: Option<PrimitiveDateTime>,
    pub data: Option<&'a [u8]>,
}

pub async fn insert(conn: &mut DbConn, new: NewToken<'_>) -> QueryResult<i32> {
    diesel::insert_into(user_tokens::table)
        .values(&new)
        .returning(user_tokens::id)
        .get_result(conn)
        .await
}

/// The live token with this hash and its active user. `valid_since` is the
/// oldest acceptable `created_at` (or `last_used_at` for sliding contexts).
pub async fn find_with_user(
    conn: &mut DbConn,
    context: TokenContext,
    hash: &[u8],
    valid_since: PrimitiveDateTime,
) -> QueryResult<Option<(UserToken, User)>> {
    let query = user_tokens::table
        .inner_join(users::table)
        .filter(user_tokens::context.eq(context.as_str()))
        .filter(user_tokens::token_hash.eq(hash))
        .filter(users::active.eq(true))
        .select((UserToken::as_select(), User::as_select()))
        .into_boxed();
    let query = if context.slides() {
        query.filter(user_tokens::last_used_at.gt(valid_since))
    } else {
        query.filter(user_tokens::created_at.gt(valid_since))
    };
    query.first(conn).await.optional()
}

/// [`find_with_user`] and the user's role names, in one query: a row per
/// role (one with `None` when the user has none), roles in name order.
pub async fn find_with_user_and_roles(
    conn: &mut DbConn,
    context: TokenContext,
    hash: &[u8],
    valid_since: PrimitiveDateTime,
) -> QueryResult<Vec<(UserToken, User, Option<String>)>> {
    let query = user_tokens::table
        .inner_join(users::table.left_join(roles_users::table.left_join(roles::table)))
        .filter(user_tokens::context.eq(context.as_str()))
        .filter(user_tokens::token_hash.eq(hash))
        .filter(users::active.eq(true))
        .select((
            UserToken::as_select(),
            User::as_select(),
            roles::name.nullable(),
        ))
        .order(roles::name)
        .into_boxed();
    let query = if context.slides() {
        query.filter(user_tokens::last_used_at.gt(valid_since))
    } else {
        query.filter(user_tokens::created_at.gt(valid_since))
    };
    query.load(conn).await
}

/// Looks a token up whatever its age, so an expired link can be told
/// from a forged one.
pub async fn find_any_age(
    conn: &mut DbConn,
    context: TokenContext,
    hash: &[u8],
) -> QueryResult<Option<UserToken>> {
    user_tokens::table
        .filter(user_tokens::context.eq(context.as_str()))
        .filter(user_tokens::token_hash.eq(hash))
        .select(UserToken::as_select())
        .first(conn)
        .await
        .optional()
}

/// The holder proved who they are again (`/verify`): fresh from `at`.
pub async fn set_primary_auth(
    conn: &mut DbConn,
    id: i32,
    at: PrimitiveDateTime,
) -> QueryResult<usize> {
    diesel::update(user_tokens::table.find(id))
        .set((
            user_tokens::primary_auth_at.eq(Some(at)),
            user_tokens::fresh_until.eq(None::<PrimitiveDateTime>),
        ))
        .execute(conn)
        .await
}

/// A passed freshness check keeps passing until `until` (the grace).
pub async fn set_fresh_until(
    conn: &mut DbConn,
    id: i32,
    until: PrimitiveDateTime,
) -> QueryResult<usize> {
    diesel::update(user_tokens::table.find(id))
        .set(user_tokens::fresh_until.eq(Some(until)))
        .execute(conn)
        .await
}

pub async fn touch(conn: &mut DbConn, id: i32, at: PrimitiveDateTime) -> QueryResult<usize> {
    diesel::update(user_tokens::table.find(id))
        .set(user_tokens::last_used_at.eq(at))
        .execute(conn)
        .await
}

/// Deletes one token and returns it: of two requests racing to use a
/// single-use link, exactly one gets `Some`.
pub async fn take(
    conn: &mut DbConn,
    context: TokenContext,
    hash: &[u8],
) -> QueryResult<Option<UserToken>> {
    diesel::delete(
        user_tokens::table
            .filter(user_tokens::context.eq(context.as_str()))
            .filter(user_tokens::token_hash.eq(hash)),
    )
    .returning(UserToken::as_returning())
    .get_result(conn)
    .await
    .optional()
}

pub async fn delete_by_id(conn: &mut DbConn, id: i32) -> QueryResult<usize> {
    diesel::delete(user_tokens::table.find(id))
        .execute(conn)
        .await
}

pub async fn delete_by_hash(
    conn: &mut DbConn,
    context: TokenContext,
    hash: &[u8],
) -> QueryResult<usize> {
    diesel::delete(
        user_tokens::table
            .filter(user_tokens::context.eq(context.as_str()))
            .filter(user_tokens::token_hash.eq(hash)),
    )
    .execute(conn)
    .await
}

/// Deletes every token of a user, but `keep` if given.
pub async fn delete_all_for_user(
    conn: &mut DbConn,
    user_id: i32,
    keep: Option<i32>,
) -> QueryResult<usize> {
    let query = diesel::delete(
        user_tokens::table
            .filter(user_tokens::user_id.eq(user_id))
            .filter(user_tokens::id.ne(keep.unwrap_or(-1))),
    );
    query.execute(conn).await
}

/// Deletes a user's tokens of one context whose `data` is `data` (the
/// earlier mailed codes for one purpose).
pub async fn delete_for_user_with_data(
    conn: &mut DbConn,
    user_id: i32,
    context: TokenContext,
    data: &[u8],
) -> QueryResult<usize> {
    diesel::delete(
        user_tokens::table
            .filter(user_tokens::user_id.eq(user_id))
            .filter(user_tokens::context.eq(context.as_str()))
            .filter(user_tokens::data.eq(data)),
    )
    .execute(conn)
    .await
}

/// Deletes a user's tokens of one context (e.g. older reset links).
pub async fn delete_for_user_in(
    conn: &mut DbConn,
    user_id: i32,
    context: TokenContext,
) -> QueryResult<usize> {
    diesel::delete(
        user_tokens::table
            .filter(user_tokens::user_id.eq(user_id))
            .filter(user_tokens::context.eq(context.as_str())),
    )
    .execute(conn)
    .await
}

/// Deletes the tokens of one context older than `cutoff`.
pub async fn purge_expired(
    conn: &mut DbConn,
    context: TokenContext,
    cutoff: PrimitiveDateTime,
) -> QueryResult<usize> {
    let base = user_tokens::table.filter(user_tokens::context.eq(context.as_str()));
    if context.slides() {
        diesel::delete(base.filter(user_tokens::last_used_at.le(cutoff)))
            .execute(conn)
            .await
    } else {
        diesel::delete(base.filter(user_tokens::created_at.le(cutoff)))
            .execute(conn)
            .await
    }
}

pub async fn count_for_user(
    conn: &mut DbConn,
    user_id: i32,
    context: TokenContext,
) -> QueryResult<i64> {
    user_tokens::table
        .filter(user_tokens::user_id.eq(user_id))
        .filter(user_tokens::context.eq(context.as_str()))
        .count()
        .get_result(conn)
        .await
}

/// What the sessions page lists and ends: browser sessions, remember-me
/// tokens and API tokens — every credential that signs the user in.
const SIGN_INS: [TokenContext; 3] = [
    TokenContext::Session,
    TokenContext::Remember,
    TokenContext::Api,
];

/// The user's sign-ins (sessions, remember-me and API tokens), most
/// recently used first.
pub async fn list_sign_ins(conn: &mut DbConn, user_id: i32) -> QueryResult<Vec<UserToken>> {
    user_tokens::table
        .filter(user_tokens::user_id.eq(user_id))
        .filter(user_tokens::context.eq_any(SIGN_INS.map(TokenContext::as_str)))
        .order((user_tokens::last_used_at.desc(), user_tokens::id.desc()))
        .select(UserToken::as_select())
        .load(conn)
        .await
}

/// Deletes the user's sign-ins with these ids (never another user's, never
/// an emailed link).
pub async fn delete_sign_ins(conn: &mut DbConn, user_id: i32, ids: &[i32]) -> QueryResult<usize> {
    diesel::delete(
        user_tokens::table
            .filter(user_tokens::user_id.eq(user_id))
            .filter(user_tokens::id.eq_any(ids))
            .filter(user_tokens::context.eq_any(SIGN_INS.map(TokenContext::as_str))),
    )
    .execute(conn)
    .await
}
