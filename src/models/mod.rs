//! Rows and the queries on them. Only the service layer calls these; route
//! handlers never touch Diesel.

pub mod event;
pub mod rate_limit;
pub mod role;
pub mod token;
pub mod user;

pub use role::Role;
pub use token::{TokenContext, UserToken};
pub use user::User;

use time::{OffsetDateTime, PrimitiveDateTime};

/// Now, in UTC, as stored in the `TIMESTAMP` columns.
pub fn now() -> PrimitiveDateTime {
    let now = OffsetDateTime::now_utc();
    PrimitiveDateTime::new(now.date(), now.time())
}

/// A stored UTC time as RFC 3339 (`2026-11-22T19:53:42.123456Z`).
pub fn rfc3339(at: PrimitiveDateTime) -> String {
    at.assume_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// A stored UTC time for people: `2026-11-22 19:53 UTC`.
pub fn for_people(at: PrimitiveDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    at.format(&format).unwrap_or_default()
}

/// True when a Diesel error is a unique-constraint violation: the database,
/// not a racy read-then-write, decides whether an email is taken.
pub fn is_unique_violation(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}
