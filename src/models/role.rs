//! `roles` and `roles_users`.

use crate::db::schema::{roles, roles_users};
use crate::db::DbConn;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

#[derive(Queryable, Selectable, Identifiable, Debug, Clone)]
#[diesel(table_name = roles)]
pub struct Role {
    pub id: i32,
    pub name: String,
    pub description: Option<String>,
}

pub async fn insert(conn: &mut DbConn, name: &str, description: Option<&str>) -> QueryResult<Role> {
    diesel::insert_into(roles::table)
        .values((roles::name.eq(name), roles::description.eq(description)))
        .returning(Role::as_returning())
        .get_result(conn)
        .await
}

pub async fn find_by_name(conn: &mut DbConn, name: &str) -> QueryResult<Option<Role>> {
    roles::table
        .filter(roles::name.eq(name))
        .select(Role::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn all(conn: &mut DbConn) -> QueryResult<Vec<Role>> {
    roles::table
        .select(Role::as_select())
        .order(roles::name)
        .load(conn)
        .await
}

/// Grants a role; granting it twice is not an error.
pub async fn grant(conn: &mut DbConn, user_id: i32, role_id: i32) -> QueryResult<usize> {
    diesel::insert_into(roles_users::table)
        .values((
            roles_users::user_id.eq(user_id),
            roles_users::role_id.eq(role_id),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await
}

pub async fn revoke(conn: &mut DbConn, user_id: i32, role_id: i32) -> QueryResult<usize> {
    diesel::delete(
        roles_users::table
            .filter(roles_users::user_id.eq(user_id))
            .filter(roles_users::role_id.eq(role_id)),
    )
    .execute(conn)
    .await
}
