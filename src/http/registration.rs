//! The extension point for the application's own registration fields
//! (Flask-Security's extendable `RegisterForm`). The app implements
//! [`RegistrationFields`] for one type (`app::registration::ExtraFields`)
//! and `lib.rs` plugs it in with [`RegistrationForm::of`] when the rocket is
//! built; the register flow only sees this trait, and the accounts layer
//! only [`NewAccountFields`], so neither names the app.

use crate::accounts::registration::NewAccountFields;
use crate::db::DbConn;
use crate::error::FieldErrors;
use crate::http::input::Input;
use rocket::serde::json::Value;

/// The fields a new account provides beyond email and password.
#[rocket::async_trait]
pub trait RegistrationFields: Default + Send + Sync + 'static {
    /// Reads the fields from the form or JSON body, adding a message to
    /// `errors` for each problem. Keeps what was typed even when it is
    /// invalid, to show the form again.
    fn parse(input: &Input, errors: &mut FieldErrors) -> Self;

    /// What the registration page shows in the extra inputs (`extra.<name>`).
    fn form_values(&self) -> Value;

    /// Saves the fields for the new user, in the transaction that creates it.
    async fn store(&self, conn: &mut DbConn, user_id: i32) -> diesel::QueryResult<()>;
}

/// The registration fields of one request, whatever their type.
pub trait SubmittedFields: NewAccountFields {
    fn form_values(&self) -> Value;
}

struct Submitted<T>(T);

#[rocket::async_trait]
impl<T: RegistrationFields> NewAccountFields for Submitted<T> {
    async fn store(&self, conn: &mut DbConn, user_id: i32) -> diesel::QueryResult<()> {
        self.0.store(conn, user_id).await
    }
}

impl<T: RegistrationFields> SubmittedFields for Submitted<T> {
    fn form_values(&self) -> Value {
        self.0.form_values()
    }
}

/// Managed state: which type the register flow reads the fields into. A
/// rocket without it refuses to launch (the flow asks for it).
pub struct RegistrationForm {
    parse: fn(&Input, &mut FieldErrors) -> Box<dyn SubmittedFields>,
    blank: fn() -> Box<dyn SubmittedFields>,
}

impl RegistrationForm {
    pub fn of<T: RegistrationFields>() -> Self {
        RegistrationForm {
            parse: |input, errors| Box::new(Submitted(T::parse(input, errors))),
            blank: || Box::new(Submitted(T::default())),
        }
    }

    pub fn parse(&self, input: &Input, errors: &mut FieldErrors) -> Box<dyn SubmittedFields> {
        (self.parse)(input, errors)
    }

    /// The fields of an empty form.
    pub fn blank(&self) -> Box<dyn SubmittedFields> {
        (self.blank)()
    }
}
