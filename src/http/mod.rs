//! The HTTP toolkit the flows and the app's own routes are built with: the
//! request context and replies, page rendering, input parsing and CSRF, the
//! session cookie jar, the per-request credential decision, request guards
//! for users and roles, catchers and response headers. It calls the
//! accounts layer and is called by nothing below it.

pub mod catchers;
pub mod client;
pub mod cookies;
pub mod credential;
pub mod ctx;
pub mod fresh;
pub mod guards;
pub mod headers;
pub mod input;
pub mod page;
pub mod refusals;
pub mod registration;
pub mod reply;
pub mod roles;
pub mod sign_in;
pub mod stage;
pub mod stale_form;

pub use ctx::Ctx;
pub use fresh::Fresh;
pub use guards::{
    Authenticated, BasicUser, CurrentUser, MaybeUser, SessionUser, SignedIn, TokenUser,
};
pub use reply::Reply;
pub use roles::{AllRoles, AnyRole, HasRole};
pub use stage::stage;
