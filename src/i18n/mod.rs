//! Messages and languages, the ground floor: every user-facing text of the
//! flows by its Flask-Security name (`INVALID_PASSWORD`), in Fluent files
//! under `locales/<lang>/`, reworded by `[default.security.messages]`.
//! Flows speak in [`Msg`] keys; the reply renders them in the reader's
//! language through a [`Translator`].

mod catalog;
mod helper;
mod message;

pub use catalog::{message_keys, Catalog, OverrideValue, Overrides, Translator};
pub use fluent_templates::LanguageIdentifier;
pub use helper::TranslateHelper;
pub use message::{Message, Msg};
