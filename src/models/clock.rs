//! Times as the `TIMESTAMP` columns store them (UTC, no offset), and as
//! the JSON API and the pages show them.

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
