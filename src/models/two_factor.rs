//! `two_factor`: each user's active second factor, its sealed TOTP secret
//! and the last TOTP step accepted (the replay guard).

use crate::db::schema::two_factor;
use crate::db::DbConn;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::PrimitiveDateTime;

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = two_factor)]
pub struct TwoFactor {
    pub user_id: i32,
    pub method: String,
    /// The TOTP secret, sealed (`accounts::vault`); `None` for mailed codes.
    pub secret: Option<Vec<u8>>,
    pub last_step: Option<i64>,
    pub created_at: PrimitiveDateTime,
}

pub async fn find(conn: &mut DbConn, user_id: i32) -> QueryResult<Option<TwoFactor>> {
    two_factor::table
        .find(user_id)
        .select(TwoFactor::as_select())
        .first(conn)
        .await
        .optional()
}

/// Makes `row` the user's second factor, replacing any earlier one.
pub async fn replace(conn: &mut DbConn, row: &TwoFactor) -> QueryResult<()> {
    diesel::delete(two_factor::table.find(row.user_id))
        .execute(conn)
        .await?;
    diesel::insert_into(two_factor::table)
        .values(row)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn delete(conn: &mut DbConn, user_id: i32) -> QueryResult<usize> {
    diesel::delete(two_factor::table.find(user_id))
        .execute(conn)
        .await
}

/// Accepts TOTP step `step` only if it is later than every step accepted
/// before, in one statement: of two requests racing with the same code,
/// one wins. True when accepted.
pub async fn accept_step(conn: &mut DbConn, user_id: i32, step: i64) -> QueryResult<bool> {
    let updated = diesel::update(
        two_factor::table.find(user_id).filter(
            two_factor::last_step
                .is_null()
                .or(two_factor::last_step.lt(step)),
        ),
    )
    .set(two_factor::last_step.eq(step))
    .execute(conn)
    .await?;
    Ok(updated == 1)
}
