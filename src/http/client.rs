//! The client a request comes from: its address (the peer, or the header
//! the operator named in Rocket's `ip_header`) and user agent.

use crate::domain::ClientInfo;
use rocket::request::Request;

/// The client of `req`.
pub fn client_of(req: &Request<'_>) -> ClientInfo {
    ClientInfo {
        ip: req.client_ip().map(|ip| ip.to_string()),
        user_agent: req
            .headers()
            .get_one("User-Agent")
            .map(|ua| ua.chars().take(512).collect()),
    }
}
