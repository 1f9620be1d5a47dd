//! `users`: the account, its password hash and its login-tracking columns.

use crate::db::schema::{roles, roles_users, users};
use crate::db::DbConn;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::PrimitiveDateTime;

#[derive(Queryable, Selectable, Identifiable, Clone)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i32,
    pub email: String,
    pub email_key: String,
    pub username: Option<String>,
    pub username_key: Option<String>,
    pub password_hash: String,
    pub active: bool,
    pub confirmed_at: Option<PrimitiveDateTime>,
    pub created_at: PrimitiveDateTime,
    pub last_login_at: Option<PrimitiveDateTime>,
    pub current_login_at: Option<PrimitiveDateTime>,
    pub last_login_ip: Option<String>,
    pub current_login_ip: Option<String>,
    pub login_count: i32,
}

impl User {
    /// What the account signs in as: its email, and its username if any.
    pub fn identities(&self) -> Vec<&str> {
        std::iter::once(self.email.as_str())
            .chain(self.username.as_deref())
            .collect()
    }
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub email_key: &'a str,
    pub username: Option<&'a str>,
    pub username_key: Option<&'a str>,
    pub password_hash: &'a str,
    pub active: bool,
    pub confirmed_at: Option<PrimitiveDateTime>,
    pub created_at: PrimitiveDateTime,
}

pub async fn insert(conn: &mut DbConn, new: NewUser<'_>) -> QueryResult<User> {
    diesel::insert_into(users::table)
        .values(&new)
        .returning(User::as_returning())
        .get_result(conn)
        .await
}

pub async fn find(conn: &mut DbConn, id: i32) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn find_by_email_key(conn: &mut DbConn, email_key: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email_key.eq(email_key))
        .select(User::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn find_by_username_key(
    conn: &mut DbConn,
    username_key: &str,
) -> QueryResult<Option<User>> {
    users::table
        .filter(users::username_key.eq(username_key))
        .select(User::as_select())
        .first(conn)
        .await
        .optional()
}

/// Sets the username under the unique index: a name taken meanwhile is a
/// unique violation, never a second owner.
pub async fn set_username(
    conn: &mut DbConn,
    id: i32,
    username: &str,
    username_key: &str,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::username.eq(username),
            users::username_key.eq(username_key),
        ))
        .execute(conn)
        .await
}

pub async fn set_password_hash(conn: &mut DbConn, id: i32, hash: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::password_hash.eq(hash))
        .execute(conn)
        .await
}

/// Replaces the hash only if it is still `old`, so a re-hash racing a
/// password change cannot undo the change.
pub async fn replace_password_hash(
    conn: &mut DbConn,
    id: i32,
    old: &str,
    new: &str,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id).filter(users::password_hash.eq(old)))
        .set(users::password_hash.eq(new))
        .execute(conn)
        .await
}

pub async fn set_active(conn: &mut DbConn, id: i32, active: bool) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::active.eq(active))
        .execute(conn)
        .await
}

/// Login tracking in one statement: the right-hand sides read the row as it
/// was, so `last_*` gets the previous `current_*` and parallel sign-ins each
/// count once.
pub async fn record_login(
    conn: &mut DbConn,
    id: i32,
    at: PrimitiveDateTime,
    ip: Option<&str>,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::last_login_at.eq(users::current_login_at),
            users::current_login_at.eq(at),
            users::last_login_ip.eq(users::current_login_ip),
            users::current_login_ip.eq(ip),
            users::login_count.eq(users::login_count + 1),
        ))
        .execute(conn)
        .await
}

/// The names of the user's roles, sorted.
pub async fn role_names(conn: &mut DbConn, user_id: i32) -> QueryResult<Vec<String>> {
    roles_users::table
        .inner_join(roles::table)
        .filter(roles_users::user_id.eq(user_id))
        .select(roles::name)
        .order(roles::name)
        .load(conn)
        .await
}

/// The first `limit` users by id.
pub async fn list(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<User>> {
    users::table
        .select(User::as_select())
        .order(users::id)
        .limit(limit)
        .load(conn)
        .await
}

/// Sets `confirmed_at` unless already set; 1 if this call confirmed.
pub async fn set_confirmed(
    conn: &mut DbConn,
    id: i32,
    at: PrimitiveDateTime,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id).filter(users::confirmed_at.is_null()))
        .set(users::confirmed_at.eq(at))
        .execute(conn)
        .await
}

/// Moves the account to a new address, which counts as confirmed; a
/// unique-index refusal means the address was taken meanwhile.
pub async fn set_email(
    conn: &mut DbConn,
    id: i32,
    email: &str,
    email_key: &str,
    at: PrimitiveDateTime,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::email.eq(email),
            users::email_key.eq(email_key),
            users::confirmed_at.eq(diesel::dsl::sql::<
                diesel::sql_types::Nullable<diesel::sql_types::Timestamp>,
            >("COALESCE(confirmed_at, ")
            .bind::<diesel::sql_types::Timestamp, _>(at)
            .sql(")")),
        ))
        .execute(conn)
        .await
}
