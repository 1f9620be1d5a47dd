//! The ground floor's values, parsed at the boundary: a function that takes an [`Email`] or a
//! [`Password`] knows it is valid, and a redirect to a [`LocalPath`] stays on
//! the site.

mod client;
mod email;
mod identity;
mod local_path;
pub mod passkey_name;
mod password;
pub mod secret;
mod username;

pub use client::{device, ClientInfo};
pub use email::Email;
pub use identity::Identity;
pub use local_path::LocalPath;
pub use passkey_name::PasskeyName;
pub use password::{Password, PasswordPolicy};
pub use username::Username;
