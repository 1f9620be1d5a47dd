//! Random credentials: 32 bytes from the OS, base64url to the client, SHA-256
//! in the database, so a leaked table holds no usable token.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A freshly minted token: the text to hand out and the hash to store.
pub struct NewSecret {
    pub token: String,
    pub hash: Vec<u8>,
}

pub fn generate() -> NewSecret {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash(&token);
    NewSecret { token, hash }
}

/// The stored form of a token. Anything a client sends can be hashed, so a
/// garbled token is simply not found.
pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Bytes in base64url without padding, as WebAuthn's JSON writes them.
pub fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// True for a string that could be one of our tokens; lets us skip the
/// database for obvious garbage.
pub fn well_formed(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use crate::domain::secret::*;

    #[test]
    fn tokens_are_unique_url_safe_and_hashed() {
        let a = generate();
        let b = generate();
        assert_ne!(a.token, b.token);
        assert!(well_formed(&a.token));
        assert_eq!(a.hash, hash(&a.token));
        assert_eq!(a.hash.len(), 32);
        assert!(!well_formed("short"));
        assert!(!well_formed(&"%".repeat(43)));
    }
}
