//! Typed configuration, the ground floor: the `security` and `mail` tables
//! of `Rocket.toml`, one file per table they read.

pub mod argon2;
pub mod duration;
pub mod limits;
pub mod mail;
pub mod oauth;
pub mod password_strength;
pub mod security;
pub mod templates;
pub mod two_factor;
pub mod unified_signin;
pub mod webauthn;

pub use argon2::Argon2Config;
pub use duration::{HumanDuration, SignedDuration};
pub use limits::RateLimits;
pub use mail::{MailConfig, Subjects, TransportKind};
pub use oauth::{OAuthConfig, ProviderConfig, ProviderKind};
pub use password_strength::{BreachedCheck, PasswordComplexity};
pub use security::{is_release, AuthMethod, SecurityConfig};
pub use templates::TemplateNames;
pub use two_factor::{EncryptionKeys, TwoFactorMethod};
pub use unified_signin::UsMethod;
pub use webauthn::{RelyingParty, WanUsage, WebauthnConfig};
