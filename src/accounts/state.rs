//! The accounts layer's state (Flask-Security's `Security` object): the
//! validated configuration and the password hasher, built once at ignite
//! and managed by Rocket.

use crate::accounts::hasher::PasswordHasher;
use crate::accounts::identities::IdentityCache;
use crate::accounts::oauth_provider::Providers;
use crate::accounts::password_strength::StrengthChecker;
use crate::accounts::vault::Vault;
use crate::config::{is_release, SecurityConfig};
use crate::i18n::{Catalog, LanguageIdentifier, Translator};
use rocket::figment::Figment;

/// Managed state: the validated configuration, the password hasher and
/// the vault that seals two-factor secrets.
pub struct Security {
    pub config: SecurityConfig,
    pub hasher: PasswordHasher,
    pub vault: Vault,
    /// Who holds which session or token, while nothing changed.
    pub identities: IdentityCache,
    /// Judges new passwords (breached list, zxcvbn).
    pub strength: StrengthChecker,
    /// Every message, in every shipped language, with the rewordings.
    pub catalog: Catalog,
    /// The OAuth providers' HTTP client and discovered metadata.
    pub oauth: Providers,
}

impl Security {
    pub fn new(config: SecurityConfig) -> Result<Self, String> {
        config.validate()?;
        let hasher = PasswordHasher::new(config.argon2.clone(), config.password_pepper.as_deref())
            .map_err(|e| e.to_string())?;
        let vault = Vault::new(config.encryption_key.as_ref());
        let identities = IdentityCache::new(config.identity_cache_size);
        let strength = StrengthChecker::new(&config)?;
        let catalog = Catalog::new(&config.messages, &config.default_locale)?;
        let oauth = Providers::new()?;
        Ok(Security {
            config,
            hasher,
            vault,
            identities,
            strength,
            catalog,
            oauth,
        })
    }

    /// Reads `[default.security]` and refuses what is unsafe in release:
    /// no secret key, no public URL for emailed links, a weak hashing cost.
    pub fn from_figment(figment: &Figment) -> Result<Self, String> {
        let config = SecurityConfig::from_figment(figment)?;
        let release = is_release(figment);
        if release {
            config.argon2.validate_for_release()?;
        }
        if release {
            // Rocket itself refuses to launch in release without a secret key;
            // say why in terms of this app.
            let key_set = figment.find_value("secret_key").is_ok();
            if config.two_factor && config.encryption_key.is_none() {
                return Err(
                    "security.encryption_key is not set: two-factor secrets are sealed with it \
                 (`openssl rand -base64 32`; a list rotates keys, newest first)"
                        .into(),
                );
            }
            if !key_set {
                return Err(
                "secret_key is not set: set ROCKET_SECRET_KEY (e.g. `openssl rand -base64 32`) \
                        so that session cookies survive restarts and cannot be forged"
                    .into(),
            );
            }
        }
        if release && config.sends_links() && config.public_url.is_none() {
            // Links built from the request's Host header could be pointed at an
            // attacker's site by a forged header (reset-link poisoning).
            return Err(
                "security.public_url is not set: emailed links need the site's real address, \
                    e.g. ROCKET_SECURITY='{public_url=\"https://example.com\"}'"
                    .into(),
            );
        }
        Security::new(config)
    }
}

impl Security {
    /// The reader's language, from the request's `Accept-Language`.
    pub fn lang(&self, accept_language: Option<&str>) -> &LanguageIdentifier {
        self.catalog.negotiate(accept_language)
    }

    /// A translator for a request's `Accept-Language`.
    pub fn translator(&self, accept_language: Option<&str>) -> Translator<'_> {
        self.catalog.for_lang(self.lang(accept_language))
    }
}
