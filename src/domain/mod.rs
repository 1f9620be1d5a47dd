//! Values parsed at the boundary: a function that takes an [`Email`] or a
//! [`Password`] knows it is valid.

mod email;
mod password;

pub use email::Email;
pub use password::{Password, PasswordPolicy};
