//! `us_methods`: the unified sign-in code methods an account has set up.

use crate::db::schema::us_methods;
use crate::db::DbConn;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::PrimitiveDateTime;

/// The methods of `user_id`, sorted.
pub async fn of_user(conn: &mut DbConn, user_id: i32) -> QueryResult<Vec<String>> {
    us_methods::table
        .filter(us_methods::user_id.eq(user_id))
        .select(us_methods::method)
        .order(us_methods::method)
        .load(conn)
        .await
}

/// Turns `method` on (again); setting it up twice is one row.
pub async fn enable(
    conn: &mut DbConn,
    user_id: i32,
    method: &str,
    at: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::delete(
        us_methods::table
            .filter(us_methods::user_id.eq(user_id))
            .filter(us_methods::method.eq(method)),
    )
    .execute(conn)
    .await?;
    diesel::insert_into(us_methods::table)
        .values((
            us_methods::user_id.eq(user_id),
            us_methods::method.eq(method),
            us_methods::created_at.eq(at),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Turns `method` off; 1 if it was on.
pub async fn disable(conn: &mut DbConn, user_id: i32, method: &str) -> QueryResult<usize> {
    diesel::delete(
        us_methods::table
            .filter(us_methods::user_id.eq(user_id))
            .filter(us_methods::method.eq(method)),
    )
    .execute(conn)
    .await
}
