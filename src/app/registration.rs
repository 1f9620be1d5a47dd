//! The fields a new account provides beyond email and password
//! (Flask-Security's extendable `RegisterForm`): the one place to add your
//! own. The HTML form and the JSON API both go through
//! [`RegistrationFields::parse`], and [`RegistrationFields::store`] runs in
//! the same transaction that creates the user, so an account never exists
//! without them. `lib.rs` plugs this type into the register flow.
//!
//! The README's "Adding a registration field" walks through adding one
//! (a migration, `schema.rs`, this file, and `partials/register_extra`).

use crate::db::DbConn;
use crate::error::FieldErrors;
use crate::http::input::Input;
use crate::http::registration::RegistrationFields;
use diesel::QueryResult;
use serde_json::{json, Value};

#[derive(Debug, Clone, Default)]
pub struct ExtraFields {}

#[rocket::async_trait]
impl RegistrationFields for ExtraFields {
    /// Reads the extra fields, adding a message to `errors` for each problem.
    /// Keeps what was typed even when it is invalid, to show the form again.
    fn parse(_input: &Input, _errors: &mut FieldErrors) -> Self {
        ExtraFields {}
    }

    /// What the registration page shows in the extra inputs (`extra.<name>`).
    fn form_values(&self) -> Value {
        json!({})
    }

    /// Saves the fields on the new user's row.
    async fn store(&self, _conn: &mut DbConn, _user_id: i32) -> QueryResult<()> {
        Ok(())
    }
}
