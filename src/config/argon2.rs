//! `[default.security.argon2]`: the argon2id cost, and OWASP's floor under
//! it for release builds.

use serde::Deserialize;

/// `[default.security.argon2]`: argon2id cost parameters.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Argon2Config {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for Argon2Config {
    /// OWASP's recommended argon2id minimum (m=19 MiB, t=2, p=1).
    fn default() -> Self {
        Argon2Config {
            memory_kib: 19456,
            iterations: 2,
            parallelism: 1,
        }
    }
}

/// The most memory one hash may take (4 GiB), configured or stored.
pub const MAX_MEMORY_KIB: u32 = 4 * 1024 * 1024;

/// OWASP's argon2id configurations of equal strength (memory KiB,
/// iterations), from the Password Storage Cheat Sheet.
pub const OWASP_ARGON2_MINIMUMS: [(u32, u32); 5] =
    [(47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5)];

impl Argon2Config {
    /// At least as strong as one of OWASP's minimum configurations.
    pub fn meets_owasp_minimum(&self) -> bool {
        OWASP_ARGON2_MINIMUMS
            .iter()
            .any(|&(m, t)| self.memory_kib >= m && self.iterations >= t)
    }

    /// Release builds refuse a cost below OWASP's minimum: a config typo or a
    /// test setting must not weaken every stored password.
    pub fn validate_for_release(&self) -> Result<(), String> {
        if self.meets_owasp_minimum() {
            return Ok(());
        }
        Err(format!(
            "security.argon2.memory_kib = {} with security.argon2.iterations = {} is below OWASP's \
             argon2id minimum (e.g. memory_kib = 19456 with iterations = 2, or 47104 with 1); \
             release builds refuse it",
            self.memory_kib, self.iterations
        ))
    }

    pub fn validate(&self) -> Result<(), String> {
        if self.parallelism < 1 || self.parallelism > 16 {
            return Err("security.argon2.parallelism must be between 1 and 16".into());
        }
        if self.memory_kib < 8 * self.parallelism || self.memory_kib > MAX_MEMORY_KIB {
            return Err(
                "security.argon2.memory_kib must be between 8×parallelism and 4 GiB".into(),
            );
        }
        if self.iterations < 1 || self.iterations > 100 {
            return Err("security.argon2.iterations must be between 1 and 100".into());
        }
        Ok(())
    }
}
