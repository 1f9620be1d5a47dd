//! Rate limits and lockout (what Flask-Security leaves to Flask-Limiter),
//! counted in the database so that every instance of the app sees the same
//! numbers. Keys are built from what the client typed and its IP, never from
//! whether an account exists, so a limited reply tells nothing about that.

use crate::config::{HumanDuration, RateLimits};
use crate::db::DbConn;
use crate::error::Error;
use crate::models::{now, rate_limit};
use time::Duration;

/// One counter and its limit.
#[derive(Debug, Clone)]
pub struct Limit {
    pub key: String,
    pub max: u32,
    pub window: Duration,
}

impl Limit {
    fn new(key: String, max: u32, window: &HumanDuration) -> Option<Limit> {
        (max > 0).then_some(Limit {
            key,
            max,
            window: window.0,
        })
    }
}

fn ip_or_unknown(ip: Option<&str>) -> &str {
    ip.unwrap_or("unknown")
}

/// Whether `ip` tells clients apart. Behind a reverse proxy without
/// `ip_header`, every client arrives from loopback: a per-IP counter there
/// would let one attacker lock everyone out, so only the per-email limits
/// apply until the operator names the proxy's header.
fn distinguishes_clients(ip: Option<&str>) -> bool {
    ip.and_then(|ip| ip.parse::<std::net::IpAddr>().ok())
        .is_some_and(|ip| !ip.is_loopback() && !ip.is_unspecified())
}

/// The counters of failed sign-ins for this identity (the case-folded
/// email or username, `Identity::key`) from this IP, from this IP, and
/// (with lockout on) for this identity from anywhere.
pub fn sign_in_limits(config: &RateLimits, identity: Option<&str>, ip: Option<&str>) -> Vec<Limit> {
    if !config.enabled {
        return Vec::new();
    }
    let per_ip = distinguishes_clients(ip);
    let ip = ip_or_unknown(ip);
    let mut limits: Vec<Limit> = Limit::new(
        format!("login:ip:{ip}"),
        config.login_per_ip,
        &config.login_window,
    )
    .filter(|_| per_ip)
    .into_iter()
    .collect();
    if let Some(key) = identity {
        limits.extend(Limit::new(
            format!("login:email-ip:{key}|{ip}"),
            config.login_per_email_and_ip,
            &config.login_window,
        ));
        limits.extend(Limit::new(
            lockout_key_of(key),
            config.lockout_after,
            &config.lockout_for,
        ));
    }
    limits
}

/// The lockout counter of a case-folded identity (`User::email_key`,
/// `User::username_key`).
pub fn lockout_key_of(identity_key: &str) -> String {
    format!("lockout:{identity_key}")
}

/// The lockout counters of an account: one per identity it has.
pub fn lockout_keys(user: &crate::models::User) -> Vec<String> {
    std::iter::once(&user.email_key)
        .chain(user.username_key.as_ref())
        .map(|key| lockout_key_of(key))
        .collect()
}

/// The counters of mail sent for this identity (a case-folded email or
/// username, as typed) and from this IP.
pub fn mail_limits(config: &RateLimits, identity: &str, ip: Option<&str>) -> Vec<Limit> {
    if !config.enabled {
        return Vec::new();
    }
    let per_ip = distinguishes_clients(ip);
    let ip = ip_or_unknown(ip);
    [
        Limit::new(
            format!("mail:email:{identity}"),
            config.mail_per_email,
            &config.mail_window,
        ),
        Limit::new(
            format!("mail:ip:{ip}"),
            config.mail_per_ip,
            &config.mail_window,
        )
        .filter(|_| per_ip),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// `Some(wait)` when any counter is at its limit: how long until it resets.
pub async fn exceeded(conn: &mut DbConn, limits: &[Limit]) -> Result<Option<Duration>, Error> {
    if limits.is_empty() {
        return Ok(None);
    }
    let keys: Vec<String> = limits.iter().map(|l| l.key.clone()).collect();
    let counters = rate_limit::find(conn, &keys).await?;
    let now = now();
    let wait = limits
        .iter()
        .filter_map(|limit| {
            let counter = counters.iter().find(|c| c.key == limit.key)?;
            let ends = counter.window_start + limit.window;
            (ends > now && counter.hits >= limit.max as i32).then(|| ends - now)
        })
        .max();
    Ok(wait)
}

/// Counts one attempt against every limit.
pub async fn hit(conn: &mut DbConn, limits: &[Limit]) -> Result<(), Error> {
    let now = now();
    for limit in limits {
        rate_limit::hit(conn, &limit.key, now, now - limit.window).await?;
    }
    Ok(())
}

/// Forgets the counters of one email (after a successful sign-in, a
/// password reset, or `users activate`), but not those of the IP.
pub async fn forgive(conn: &mut DbConn, limits: &[Limit]) -> Result<(), Error> {
    let keys: Vec<String> = limits
        .iter()
        .filter(|l| !l.key.starts_with("login:ip:"))
        .map(|l| l.key.clone())
        .collect();
    if !keys.is_empty() {
        rate_limit::clear(conn, &keys).await?;
    }
    Ok(())
}

/// The message and `Retry-After` seconds of a limited reply.
pub fn too_many(wait: Duration) -> Error {
    Error::TooManyRequests {
        retry_after: wait.whole_seconds().max(1) as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::distinguishes_clients;

    #[test]
    fn only_real_client_addresses_get_per_ip_limits() {
        assert!(distinguishes_clients(Some("203.0.113.7")));
        assert!(distinguishes_clients(Some("2001:db8::1")));
        for shared in [
            None,
            Some("127.0.0.1"),
            Some("::1"),
            Some("0.0.0.0"),
            Some("garbage"),
        ] {
            assert!(!distinguishes_clients(shared), "{shared:?}");
        }
    }
}
