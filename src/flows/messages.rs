//! Messages shared by several flows, worded as Flask-Security words them.

pub const EMAIL_NOT_PROVIDED: &str = "Email not provided";
pub const PASSWORD_NOT_PROVIDED: &str = "Password not provided";
pub const USER_DOES_NOT_EXIST: &str = "Specified user does not exist";
pub const INVALID_PASSWORD: &str = "Invalid password";
pub const GENERIC_AUTHN_FAILED: &str =
    "Authentication failed - identity or password/passcode invalid";
pub const DISABLED_ACCOUNT: &str = "Account is disabled.";
pub const CONFIRMATION_REQUIRED: &str = "Email requires confirmation.";
pub const PASSWORDS_DO_NOT_MATCH: &str = "Passwords do not match";
pub const ANONYMOUS_USER_REQUIRED: &str = crate::http::input::ANONYMOUS_USER_REQUIRED;
pub const INVALID_REDIRECT: &str = "Redirections outside the domain are forbidden";
pub const INVALID_METHOD: &str = "Marked method is not valid";
pub const INVALID_CODE: &str = "Invalid code";
pub const INVALID_HELP: &str = "Not a valid choice";

/// `EMAIL_ALREADY_ASSOCIATED`, `USERNAME_ALREADY_ASSOCIATED`.
pub fn already_associated(identity: &str) -> String {
    format!("{identity} is already associated with an account.")
}
