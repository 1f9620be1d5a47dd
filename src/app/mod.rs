//! The application itself, beside the flows: its own pages and API
//! ([`routes`]) and the registration fields it adds ([`registration`]).
//! Yours to change; it uses the HTTP toolkit and the accounts layer, and the
//! flows never name it (`lib.rs` plugs the registration fields in).

pub mod account;
pub mod registration;
pub mod routes;

pub use routes::{stage, Admin, Editor};
