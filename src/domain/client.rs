//! Where a request comes from, as login tracking, the sessions page and the
//! rate limits see it.

/// The client's address and user agent (filled in by the HTTP layer).
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    /// The peer address, or Rocket's `ip_header` when the operator set one.
    pub ip: Option<String>,
    /// At most 512 characters of `User-Agent`.
    pub user_agent: Option<String>,
}
