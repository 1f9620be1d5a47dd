//! `[default.security.rate_limits]`: sign-in and mail limits, lockout.

use crate::config::duration::HumanDuration;
use serde::Deserialize;

/// `[default.security.rate_limits]`: counted in the database, so they hold
/// across every instance of the app.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimits {
    pub enabled: bool,
    /// Failed sign-ins allowed per email and client IP in `login_window`.
    pub login_per_email_and_ip: u32,
    /// Failed sign-ins allowed per client IP in `login_window`.
    pub login_per_ip: u32,
    pub login_window: HumanDuration,
    /// Lock an email out (from every IP) after this many failed sign-ins in
    /// a row; 0 turns lockout off. A successful sign-in, a password reset or
    /// `users activate` ends it; otherwise it ends after `lockout_for`.
    pub lockout_after: u32,
    pub lockout_for: HumanDuration,
    /// Mails (reset, confirmation, sign-in links) per email address and per
    /// client IP in `mail_window`.
    pub mail_per_email: u32,
    pub mail_per_ip: u32,
    pub mail_window: HumanDuration,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            enabled: true,
            login_per_email_and_ip: 10,
            login_per_ip: 100,
            login_window: HumanDuration(time::Duration::minutes(5)),
            lockout_after: 0,
            lockout_for: HumanDuration(time::Duration::minutes(15)),
            mail_per_email: 5,
            mail_per_ip: 50,
            mail_window: HumanDuration(time::Duration::hours(1)),
        }
    }
}
