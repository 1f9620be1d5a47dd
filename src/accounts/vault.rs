//! Sealing the secrets two-factor must read back (TOTP secrets, the state
//! of a started setup) with AES-256-GCM under `security.encryption_key`:
//! a database leak alone then yields no second factor. The newest key
//! seals; every configured key opens, so keys rotate by prepending.

use crate::config::EncryptionKeys;
use aes_gcm::aead::{Aead, KeyInit, OsRng};
use aes_gcm::{AeadCore, Aes256Gcm, Key, Nonce};

/// A development key, used only in debug builds when none is configured,
/// so `cargo run` works with two-factor on. Release builds refuse to launch
/// without `security.encryption_key`.
const DEVELOPMENT_KEY: [u8; 32] = *b"development key - not in release";

pub struct Vault {
    keys: Vec<[u8; 32]>,
}

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("sealing failed")]
    Seal,
    /// No configured key opens it (tampered with, or sealed by a key that
    /// was removed).
    #[error("no configured encryption key opens this secret")]
    Open,
}

impl From<VaultError> for crate::error::Error {
    fn from(error: VaultError) -> Self {
        crate::error::Error::internal(error)
    }
}

impl Vault {
    pub fn new(keys: Option<&EncryptionKeys>) -> Vault {
        let keys = match keys {
            Some(keys) if !keys.0.is_empty() => keys.0.clone(),
            _ => vec![DEVELOPMENT_KEY],
        };
        Vault { keys }
    }

    /// `nonce (12 bytes) || ciphertext and tag`, under the newest key.
    pub fn seal(&self, plaintext: &[u8]) -> Result<Vec<u8>, VaultError> {
        let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&self.keys[0]));
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let sealed = cipher
            .encrypt(&nonce, plaintext)
            .map_err(|_| VaultError::Seal)?;
        Ok([nonce.as_slice(), &sealed].concat())
    }

    pub fn open(&self, sealed: &[u8]) -> Result<Vec<u8>, VaultError> {
        if sealed.len() < 12 {
            return Err(VaultError::Open);
        }
        let (nonce, ciphertext) = sealed.split_at(12);
        self.keys
            .iter()
            .find_map(|key| {
                Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key))
                    .decrypt(Nonce::from_slice(nonce), ciphertext)
                    .ok()
            })
            .ok_or(VaultError::Open)
    }
}

#[cfg(test)]
mod tests {
    use crate::accounts::vault::Vault;
    use crate::config::EncryptionKeys;

    #[test]
    fn sealed_secrets_open_with_any_configured_key_and_nothing_else() {
        let old = EncryptionKeys(vec![[1; 32]]);
        let rotated = EncryptionKeys(vec![[2; 32], [1; 32]]);
        let other = EncryptionKeys(vec![[3; 32]]);
        let sealed = Vault::new(Some(&old))
            .seal(b"JBSWY3DPEHPK3PXP")
            .expect("seal");
        assert!(!sealed.windows(16).any(|w| w == b"JBSWY3DPEHPK3PXP"));
        assert_eq!(
            Vault::new(Some(&rotated)).open(&sealed).expect("open"),
            b"JBSWY3DPEHPK3PXP"
        );
        assert!(Vault::new(Some(&other)).open(&sealed).is_err());
        let mut tampered = sealed.clone();
        tampered[14] ^= 1;
        assert!(Vault::new(Some(&old)).open(&tampered).is_err());
        assert!(Vault::new(Some(&old)).open(b"short").is_err());
        let resealed = Vault::new(Some(&rotated)).seal(b"x").expect("seal");
        assert!(
            Vault::new(Some(&old)).open(&resealed).is_err(),
            "the newest key seals"
        );
    }
}
