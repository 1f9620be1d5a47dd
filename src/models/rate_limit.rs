//! `rate_limits`: one counter per key and fixed window.

use crate::db::schema::rate_limits;
use crate::db::DbConn;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::PrimitiveDateTime;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = rate_limits)]
pub struct Counter {
    pub key: String,
    pub window_start: PrimitiveDateTime,
    pub hits: i32,
}

pub async fn find(conn: &mut DbConn, keys: &[String]) -> QueryResult<Vec<Counter>> {
    rate_limits::table
        .filter(rate_limits::key.eq_any(keys))
        .select(Counter::as_select())
        .load(conn)
        .await
}

/// Counts one hit: a window older than `window_start_after` starts over.
/// Each statement is atomic, so parallel hits on several instances all count.
pub async fn hit(
    conn: &mut DbConn,
    key: &str,
    now: PrimitiveDateTime,
    window_start_after: PrimitiveDateTime,
) -> QueryResult<()> {
    diesel::delete(
        rate_limits::table
            .filter(rate_limits::key.eq(key))
            .filter(rate_limits::window_start.le(window_start_after)),
    )
    .execute(conn)
    .await?;
    diesel::insert_into(rate_limits::table)
        .values((
            rate_limits::key.eq(key),
            rate_limits::window_start.eq(now),
            rate_limits::hits.eq(1),
        ))
        .on_conflict(rate_limits::key)
        .do_update()
        .set(rate_limits::hits.eq(rate_limits::hits + 1))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn clear(conn: &mut DbConn, keys: &[String]) -> QueryResult<usize> {
    diesel::delete(rate_limits::table.filter(rate_limits::key.eq_any(keys)))
        .execute(conn)
        .await
}

/// Drops counters whose window ended before `cutoff`.
pub async fn purge(conn: &mut DbConn, cutoff: PrimitiveDateTime) -> QueryResult<usize> {
    diesel::delete(rate_limits::table.filter(rate_limits::window_start.le(cutoff)))
        .execute(conn)
        .await
}
