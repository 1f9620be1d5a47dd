//! Unified sign-in (being written).
use rocket::Route;
pub fn routes() -> Vec<Route> {
    Vec::new()
}
