//! Messages shared by several flows, by their Flask-Security names (the
//! words are in `locales/`).

use crate::i18n::{Message, Msg};

pub const EMAIL_NOT_PROVIDED: Msg = Msg("EMAIL_NOT_PROVIDED");
pub const PASSWORD_NOT_PROVIDED: Msg = Msg("PASSWORD_NOT_PROVIDED");
pub const USER_DOES_NOT_EXIST: Msg = Msg("USER_DOES_NOT_EXIST");
pub const INVALID_PASSWORD: Msg = Msg("INVALID_PASSWORD");
pub const GENERIC_AUTHN_FAILED: Msg = Msg("GENERIC_AUTHN_FAILED");
pub const DISABLED_ACCOUNT: Msg = Msg("DISABLED_ACCOUNT");
pub const CONFIRMATION_REQUIRED: Msg = Msg("CONFIRMATION_REQUIRED");
pub const PASSWORDS_DO_NOT_MATCH: Msg = Msg("RETYPE_PASSWORD_MISMATCH");
pub const ANONYMOUS_USER_REQUIRED: Msg = Msg("ANONYMOUS_USER_REQUIRED");
pub const INVALID_REDIRECT: Msg = Msg("INVALID_REDIRECT");
pub const INVALID_METHOD: Msg = Msg("TWO_FACTOR_METHOD_NOT_AVAILABLE");
pub const INVALID_CODE: Msg = Msg("INVALID_CODE");
pub const INVALID_HELP: Msg = Msg("NOT_A_VALID_CHOICE");

/// `EMAIL_ALREADY_ASSOCIATED`.
pub fn email_already_associated(email: &str) -> Message {
    Msg("EMAIL_ALREADY_ASSOCIATED").with("email", email)
}

/// `USERNAME_ALREADY_ASSOCIATED`.
pub fn username_already_associated(username: &str) -> Message {
    Msg("USERNAME_ALREADY_ASSOCIATED").with("username", username)
}
