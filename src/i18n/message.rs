//! A message to show someone: a catalog key and its arguments, rendered in
//! the reader's language only when the reply is written.

use std::borrow::Cow;

/// A catalog key (Flask-Security's message name), for constants:
/// `pub const INVALID_PASSWORD: Msg = Msg("INVALID_PASSWORD");`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Msg(pub &'static str);

impl Msg {
    /// The message with one argument (`{ $name }` in the catalog).
    pub fn with(self, name: &'static str, value: impl ToString) -> Message {
        Message::from(self).with(name, value)
    }

    pub fn key(self) -> &'static str {
        self.0
    }
}

/// What a field error, a flash or an error envelope says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A catalog entry and its arguments.
    Key(&'static str, Vec<(Cow<'static, str>, String)>),
    /// Words from elsewhere, shown as they are (zxcvbn's advice).
    Text(String),
}

impl Message {
    /// Adds an argument.
    pub fn with(self, name: &'static str, value: impl ToString) -> Message {
        self.with_arg(Cow::Borrowed(name), value.to_string())
    }

    /// Adds an argument whose name is known only at run time (a
    /// template's `{{t "KEY" name=value}}`).
    pub fn with_owned_name(self, name: &str, value: String) -> Message {
        self.with_arg(Cow::Owned(name.to_owned()), value)
    }

    fn with_arg(mut self, name: Cow<'static, str>, value: String) -> Message {
        if let Message::Key(_, args) = &mut self {
            args.push((name, value));
        }
        self
    }

    /// The catalog key, when it has one.
    pub fn key(&self) -> Option<&'static str> {
        match self {
            Message::Key(key, _) => Some(key),
            Message::Text(_) => None,
        }
    }
}

impl From<Msg> for Message {
    fn from(msg: Msg) -> Self {
        Message::Key(msg.0, Vec::new())
    }
}

/// The application's own words (a registration field's check, say), shown
/// as they are. The security flows use catalog keys instead, so that they
/// can be reworded and translated (`tests/api/messages.rs`).
impl From<&str> for Message {
    fn from(text: &str) -> Self {
        Message::Text(text.to_owned())
    }
}

impl From<String> for Message {
    fn from(text: String) -> Self {
        Message::Text(text)
    }
}
