//! Models: one file per table, its rows and the queries on them. Only the
//! accounts layer calls the queries; flows and guards never touch Diesel.

pub mod clock;
pub mod event;
pub mod oauth;
pub mod rate_limit;
pub mod recovery_code;
pub mod role;
pub mod token;
pub mod two_factor;
pub mod unique;
pub mod us_method;
pub mod user;
pub mod webauthn;

pub use clock::{for_people, now, rfc3339};
pub use role::Role;
pub use token::{TokenContext, UserToken};
pub use unique::is_unique_violation;
pub use user::User;
