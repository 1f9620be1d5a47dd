//! The two-factor settings of `[default.security]` (`two_factor`,
//! `two_factor_methods`, `totp_issuer`, …) and the key that seals the
//! secrets two-factor must read back (`encryption_key`).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{de, Deserialize, Deserializer};
use std::fmt;

/// A second factor a user may set up. **(differs: no `"sms"`)**
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TwoFactorMethod {
    /// A code mailed at each sign-in.
    Email,
    /// An app computing TOTP codes (RFC 6238).
    Authenticator,
}

impl TwoFactorMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            TwoFactorMethod::Email => "email",
            TwoFactorMethod::Authenticator => "authenticator",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "email" => Some(TwoFactorMethod::Email),
            "authenticator" => Some(TwoFactorMethod::Authenticator),
            _ => None,
        }
    }
}

/// `security.encryption_key`: AES-256-GCM keys (32 bytes each, base64),
/// newest first. The first seals; every one opens, so a key can be rotated
/// by putting the new one in front. Never printed.
#[derive(Clone, Default)]
pub struct EncryptionKeys(pub Vec<[u8; 32]>);

impl fmt::Debug for EncryptionKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EncryptionKeys([{} redacted])", self.0.len())
    }
}

impl EncryptionKeys {
    fn parse_one(text: &str) -> Result<[u8; 32], String> {
        STANDARD
            .decode(text.trim())
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or_else(|| {
                "security.encryption_key: each key is 32 bytes in base64 (`openssl rand -base64 32`)"
                    .to_owned()
            })
    }
}

impl<'de> Deserialize<'de> for EncryptionKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum OneOrMany {
            One(String),
            Many(Vec<String>),
        }
        let texts = match OneOrMany::deserialize(deserializer)? {
            OneOrMany::One(text) => vec![text],
            OneOrMany::Many(texts) => texts,
        };
        texts
            .iter()
            .map(|t| EncryptionKeys::parse_one(t))
            .collect::<Result<Vec<_>, _>>()
            .map(EncryptionKeys)
            .map_err(de::Error::custom)
    }
}
