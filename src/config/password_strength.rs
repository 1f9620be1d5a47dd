//! Password strength settings (`password_complexity`,
//! `password_check_breached` and the breached service's address).

use serde::{Deserialize, Deserializer};

/// `security.password_complexity`: unset or `false`, or `"zxcvbn"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PasswordComplexity {
    #[default]
    Off,
    /// zxcvbn score 3 or more.
    Zxcvbn,
}

impl<'de> Deserialize<'de> for PasswordComplexity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Switch::deserialize(deserializer)? {
            Switch::Flag(false) => Ok(PasswordComplexity::Off),
            Switch::Mode(mode) if mode == "zxcvbn" => Ok(PasswordComplexity::Zxcvbn),
            _ => Err(serde::de::Error::custom("expected false or \"zxcvbn\"")),
        }
    }
}

/// `false`, or the name of a mode.
#[derive(Deserialize)]
#[serde(untagged)]
enum Switch {
    Flag(bool),
    Mode(String),
}

/// `security.password_check_breached`: `false`, `"best_effort"` or `"strict"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BreachedCheck {
    #[default]
    Off,
    /// Refuse listed passwords; accept when the service cannot be reached.
    BestEffort,
    /// Refuse listed passwords, and every password while it cannot be reached.
    Strict,
}

impl<'de> Deserialize<'de> for BreachedCheck {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Switch::deserialize(deserializer)? {
            Switch::Flag(false) => Ok(BreachedCheck::Off),
            Switch::Mode(mode) if mode == "best_effort" => Ok(BreachedCheck::BestEffort),
            Switch::Mode(mode) if mode == "strict" => Ok(BreachedCheck::Strict),
            _ => Err(serde::de::Error::custom(
                "expected false, \"best_effort\" or \"strict\"",
            )),
        }
    }
}
