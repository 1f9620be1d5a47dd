//! Telling a unique-index refusal from other database errors.

/// True when a Diesel error is a unique-constraint violation: the database,
/// not a racy read-then-write, decides whether an email is taken.
pub fn is_unique_violation(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}
