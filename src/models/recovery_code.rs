//! `recovery_codes`: one-time codes that complete a pending two-factor
//! sign-in, sealed (the user may view the unused ones again).

use crate::db::schema::recovery_codes;
use crate::db::DbConn;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::PrimitiveDateTime;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = recovery_codes)]
pub struct RecoveryCode {
    pub id: i32,
    pub user_id: i32,
    /// The code, sealed (`accounts::vault`).
    pub code: Vec<u8>,
    pub used_at: Option<PrimitiveDateTime>,
    pub created_at: PrimitiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = recovery_codes)]
pub struct NewRecoveryCode<'a> {
    pub user_id: i32,
    pub code: &'a [u8],
    pub created_at: PrimitiveDateTime,
}

/// The user's unused codes, oldest first.
pub async fn unused(conn: &mut DbConn, user_id: i32) -> QueryResult<Vec<RecoveryCode>> {
    recovery_codes::table
        .filter(recovery_codes::user_id.eq(user_id))
        .filter(recovery_codes::used_at.is_null())
        .order(recovery_codes::id)
        .select(RecoveryCode::as_select())
        .load(conn)
        .await
}

/// Replaces every code of the user (used or not) with `codes`.
pub async fn replace_all(
    conn: &mut DbConn,
    user_id: i32,
    codes: &[NewRecoveryCode<'_>],
) -> QueryResult<()> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id)))
        .execute(conn)
        .await?;
    // One statement each: SQLite's batch insert is not available here.
    for code in codes {
        diesel::insert_into(recovery_codes::table)
            .values(code)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Marks one unused code used; true when this call used it (of two racing
/// uses, one wins).
pub async fn use_up(conn: &mut DbConn, id: i32, at: PrimitiveDateTime) -> QueryResult<bool> {
    let updated = diesel::update(
        recovery_codes::table
            .find(id)
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(at))
    .execute(conn)
    .await?;
    Ok(updated == 1)
}

pub async fn delete_all(conn: &mut DbConn, user_id: i32) -> QueryResult<usize> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id)))
        .execute(conn)
        .await
}
