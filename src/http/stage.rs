//! The HTTP stage: the catchers and the response headers.

use crate::http::catchers;
use crate::http::headers::SecurityHeaders;
use rocket::fairing::AdHoc;

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("HTTP", |rocket| async {
        rocket
            .register("/", catchers::all())
            .attach(SecurityHeaders)
    })
}
