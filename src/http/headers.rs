//! Response headers for every reply (Flask-Talisman's job): no caching of
//! anything dynamic, a strict Content-Security-Policy on pages, and HSTS
//! when cookies are `Secure`.

use crate::accounts::state::Security;
use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::Header;
use rocket::request::Request;
use rocket::Response;

/// What a page may load: only this site's own files, never framed.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// No caching of anything dynamic (pages carry CSRF tokens and personal
/// data), and the usual browser hardening headers.
pub struct SecurityHeaders;

#[rocket::async_trait]
impl Fairing for SecurityHeaders {
    fn info(&self) -> Info {
        Info {
            name: "Security headers",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        if !req.uri().path().starts_with("/static/") {
            res.set_header(Header::new("Cache-Control", "private, no-store"));
        }
        res.set_header(Header::new("X-Content-Type-Options", "nosniff"));
        res.set_header(Header::new("X-Frame-Options", "DENY"));
        res.set_header(Header::new("Referrer-Policy", "same-origin"));
        if res.content_type().is_some_and(|ct| ct.is_html()) {
            // The shipped pages use no inline script or style; keep it so.
            res.set_header(Header::new(
                "Content-Security-Policy",
                CONTENT_SECURITY_POLICY,
            ));
        }
        let secure = req
            .rocket()
            .state::<Security>()
            .is_some_and(|s| s.config.secure_cookies());
        if secure {
            res.set_header(Header::new(
                "Strict-Transport-Security",
                "max-age=31536000; includeSubDomains",
            ));
        }
    }
}
