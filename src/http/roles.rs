//! Role guards (Flask-Security's `roles_required` / `roles_accepted`): roles
//! are rows, guards are types. Declare a marker with [`role!`], then guard a
//! route with `HasRole<Admin>`, `AnyRole<(Admin, Editor)>` or
//! `AllRoles<(Admin, Editor)>`; each yields the signed-in user.
//!
//! ```
//! use app::role;
//! use app::http::HasRole;
//! use rocket::get;
//!
//! role!(pub Admin = "admin");
//!
//! #[get("/admin")]
//! fn admin(user: HasRole<Admin>) -> String {
//!     user.email.clone()
//! }
//! # fn main() { let _ = rocket::routes![admin]; }
//! ```

use crate::error::Error;
use crate::http::guards::{Authenticated, CurrentUser};
use crate::http::refusals::fail;
use rocket::request::{FromRequest, Outcome, Request};
use std::marker::PhantomData;

/// A role known at compile time.
pub trait RoleName: Send + Sync + 'static {
    const NAME: &'static str;
}

/// Declares a role marker type: `role!(pub Admin = "admin");`.
#[macro_export]
macro_rules! role {
    ($vis:vis $name:ident = $role:literal) => {
        #[derive(Debug, Clone, Copy)]
        $vis struct $name;
        impl $crate::http::roles::RoleName for $name {
            const NAME: &'static str = $role;
        }
    };
}

/// A tuple of role markers.
pub trait RoleSet: Send + Sync + 'static {
    fn names() -> Vec<&'static str>;
}

macro_rules! role_set {
    ($($r:ident),+) => {
        impl<$($r: RoleName),+> RoleSet for ($($r,)+) {
            fn names() -> Vec<&'static str> {
                vec![$($r::NAME),+]
            }
        }
    };
}
role_set!(A);
role_set!(A, B);
role_set!(A, B, C);
role_set!(A, B, C, D);
role_set!(A, B, C, D, E);

async fn checked(
    req: &Request<'_>,
    allowed: impl FnOnce(&Authenticated) -> bool,
) -> Outcome<Authenticated, Error> {
    match req.guard::<CurrentUser>().await {
        Outcome::Success(CurrentUser(auth)) if allowed(&auth) => Outcome::Success(auth),
        Outcome::Success(_) => fail(req, Error::Forbidden),
        Outcome::Error((status, error)) => Outcome::Error((status, error)),
        Outcome::Forward(status) => Outcome::Forward(status),
    }
}

macro_rules! role_guard {
    ($(#[$doc:meta])* $name:ident<$bound:ident>, |$auth:ident| $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name<R> {
            pub user: Authenticated,
            roles: PhantomData<R>,
        }

        impl<R> std::ops::Deref for $name<R> {
            type Target = Authenticated;
            fn deref(&self) -> &Authenticated {
                &self.user
            }
        }

        #[rocket::async_trait]
        impl<'r, R: $bound> FromRequest<'r> for $name<R> {
            type Error = Error;
            async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Error> {
                checked(req, |$auth: &Authenticated| $check)
                    .await
                    .map(|user| $name { user, roles: PhantomData })
            }
        }
    };
}

role_guard!(
    /// The user has role `R`.
    HasRole<RoleName>, |auth| auth.has_role(R::NAME)
);
role_guard!(
    /// The user has at least one of the roles in the tuple `R`.
    AnyRole<RoleSet>, |auth| R::names().iter().any(|r| auth.has_role(r))
);
role_guard!(
    /// The user has every role in the tuple `R`.
    AllRoles<RoleSet>, |auth| R::names().iter().all(|r| auth.has_role(r))
);
