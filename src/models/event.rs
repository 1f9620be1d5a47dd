//! `security_events`: the audit trail.

use crate::db::schema::security_events;
use crate::db::DbConn;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::PrimitiveDateTime;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = security_events)]
pub struct SecurityEvent {
    pub id: i32,
    pub user_id: Option<i32>,
    pub email: Option<String>,
    pub kind: String,
    pub ip: Option<String>,
    pub created_at: PrimitiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = security_events)]
pub struct NewEvent<'a> {
    pub user_id: Option<i32>,
    pub email: Option<&'a str>,
    pub kind: &'a str,
    pub ip: Option<&'a str>,
    pub created_at: PrimitiveDateTime,
}

pub async fn insert(conn: &mut DbConn, event: NewEvent<'_>) -> QueryResult<usize> {
    diesel::insert_into(security_events::table)
        .values(&event)
        .execute(conn)
        .await
}

/// The newest events about a user (by id, or by the case-folded email
/// they were recorded under), newest first.
pub async fn recent_for(
    conn: &mut DbConn,
    user_id: i32,
    email_key: &str,
    limit: i64,
) -> QueryResult<Vec<SecurityEvent>> {
    security_events::table
        .filter(
            security_events::user_id
                .eq(user_id)
                .or(security_events::email.eq(email_key)),
        )
        .order((
            security_events::created_at.desc(),
            security_events::id.desc(),
        ))
        .limit(limit)
        .select(SecurityEvent::as_select())
        .load(conn)
        .await
}
