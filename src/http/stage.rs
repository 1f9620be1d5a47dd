//! The HTTP stage: the catchers, the response headers, and the static
//! files (`/static`, from `static_dir`).

use crate::http::catchers;
use crate::http::headers::SecurityHeaders;
use rocket::fairing::AdHoc;
use rocket::figment::value::magic::RelativePathBuf;
use rocket::fs::FileServer;

pub fn stage() -> AdHoc {
    AdHoc::try_on_ignite("HTTP", |rocket| async {
        // Found at run time, like `template_dir`: relative to the
        // configuration file that set it (else the working directory), so
        // a binary copied into a container serves the CSS beside it.
        let dir = rocket
            .figment()
            .extract_inner::<RelativePathBuf>("static_dir")
            .map(|path| path.relative())
            .unwrap_or_else(|_| "static".into());
        if !dir.is_dir() {
            log::error!(
                "static_dir: {} is not a directory (the pages' CSS lives there)",
                dir.display()
            );
            return Err(rocket);
        }
        Ok(rocket
            .register("/", catchers::all())
            .attach(SecurityHeaders)
            .mount("/static", FileServer::from(dir)))
    })
}
