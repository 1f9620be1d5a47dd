//! The audit trail (`security_events`): what happened to an account, when
//! and from where.

use crate::db::DbConn;
use crate::error::Error;
use crate::models::{now, User};

/// What the audit trail records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Registered,
    LoginSucceeded,
    /// `POST /verify`: the signed-in user proved the password again.
    Reauthenticated,
    LoginFailed,
    /// A sign-in refused by a rate limit, before the password was checked.
    LoginThrottled,
    /// This failure locked the email out.
    LockedOut,
    EmailConfirmed,
    /// A change of address was asked for (the link went to the new one).
    EmailChangeRequested,
    /// The account moved to a new address.
    EmailChanged,
    /// The account's username changed.
    UsernameChanged,
    /// The account's username was mailed to it.
    UsernameRecovered,
    /// A unified sign-in method was turned on (`/us-setup`).
    UsMethodEnabled,
    /// A unified sign-in method was turned off.
    UsMethodDisabled,
    /// A unified sign-in code was mailed.
    UsCodeSent,
    /// A passkey was registered (`/wan-register`).
    PasskeyRegistered,
    /// A passkey was deleted (`/wan-delete`, `users passkeys --remove`).
    PasskeyDeleted,
    /// A passkey's signature counter went backwards: possibly a cloned
    /// authenticator; the assertion was refused.
    PasskeyCounterRegression,
    /// A provider's identity was connected to the account (OAuth).
    OAuthLinked,
    /// A provider's identity was disconnected.
    OAuthUnlinked,
    /// An OAuth flow was refused: the provider's error, a bad state or
    /// token, or an identity that may not sign in.
    OAuthRefused,
    PasswordChanged,
    PasswordReset,
    TwoFactorEnabled,
    TwoFactorDisabled,
    RecoveryCodesGenerated,
    RecoveryCodeUsed,
    TokensRevoked,
    SessionRevoked,
    RoleGranted,
    RoleRemoved,
    UserActivated,
    UserDeactivated,
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Registered => "registered",
            Event::LoginSucceeded => "login_succeeded",
            Event::Reauthenticated => "reauthenticated",
            Event::LoginFailed => "login_failed",
            Event::LoginThrottled => "login_throttled",
            Event::LockedOut => "locked_out",
            Event::EmailConfirmed => "email_confirmed",
            Event::EmailChangeRequested => "email_change_requested",
            Event::EmailChanged => "email_changed",
            Event::UsernameChanged => "username_changed",
            Event::UsernameRecovered => "username_recovered",
            Event::UsMethodEnabled => "us_method_enabled",
            Event::UsMethodDisabled => "us_method_disabled",
            Event::UsCodeSent => "us_code_sent",
            Event::PasskeyRegistered => "passkey_registered",
            Event::PasskeyDeleted => "passkey_deleted",
            Event::PasskeyCounterRegression => "passkey_counter_regression",
            Event::OAuthLinked => "oauth_linked",
            Event::OAuthUnlinked => "oauth_unlinked",
            Event::OAuthRefused => "oauth_refused",
            Event::PasswordChanged => "password_changed",
            Event::PasswordReset => "password_reset",
            Event::TwoFactorEnabled => "two_factor_enabled",
            Event::TwoFactorDisabled => "two_factor_disabled",
            Event::RecoveryCodesGenerated => "recovery_codes_generated",
            Event::RecoveryCodeUsed => "recovery_code_used",
            Event::TokensRevoked => "tokens_revoked",
            Event::SessionRevoked => "session_revoked",
            Event::RoleGranted => "role_granted",
            Event::RoleRemoved => "role_removed",
            Event::UserActivated => "user_activated",
            Event::UserDeactivated => "user_deactivated",
        }
    }
}

/// Adds an event to the audit trail. `email` is what was typed when there
/// is no account to name (a failed sign-in for an unknown address).
pub async fn record(
    conn: &mut DbConn,
    event: Event,
    user: Option<&User>,
    email: Option<&str>,
    ip: Option<&str>,
) -> Result<(), Error> {
    let new = crate::models::event::NewEvent {
        user_id: user.map(|u| u.id),
        email: user.map(|u| u.email_key.as_str()).or(email),
        kind: event.as_str(),
        ip,
        created_at: now(),
    };
    crate::models::event::insert(conn, new).await?;
    Ok(())
}
