//! The argon2 core under the password hasher: PHC strings
//! (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) read and compared in
//! constant time, and the hash itself over a memory matrix each hashing
//! thread keeps between hashes (allocating 19 MiB per hash cost a third of
//! the hash in page faults and grew the heap under a sign-in flood).

use base64::Engine as _;

/// The cost a stored PHC string was made with.
#[derive(Debug, PartialEq, Eq)]
pub struct PhcParams {
    pub argon2id_v13: bool,
    pub memory_kib: u32,
    pub iterations: u32,
}

impl PhcParams {
    pub fn parse(encoded: &str) -> Option<PhcParams> {
        let phc = Phc::parse(encoded)?;
        Some(PhcParams {
            argon2id_v13: phc.algorithm == argon2::Algorithm::Argon2id
                && phc.version == argon2::Version::V0x13,
            memory_kib: phc.memory_kib,
            iterations: phc.iterations,
        })
    }
}

/// A stored PHC string, `$argon2id$v=19$m=19456,t=2,p=1$salt$hash`
/// (base64 without padding; no `v=` means version 16).
pub struct Phc {
    algorithm: argon2::Algorithm,
    version: argon2::Version,
    memory_kib: u32,
    iterations: u32,
    lanes: u32,
    salt: Vec<u8>,
    hash: Vec<u8>,
}

impl Phc {
    pub fn parse(encoded: &str) -> Option<Phc> {
        use base64::engine::general_purpose::STANDARD_NO_PAD;
        let mut parts = encoded.strip_prefix('$')?.split('$');
        let algorithm = match parts.next()? {
            "argon2id" => argon2::Algorithm::Argon2id,
            "argon2i" => argon2::Algorithm::Argon2i,
            "argon2d" => argon2::Algorithm::Argon2d,
            _ => return None,
        };
        let mut version = argon2::Version::V0x10;
        let mut params = parts.next()?;
        if let Some(v) = params.strip_prefix("v=") {
            version = match v {
                "19" => argon2::Version::V0x13,
                "16" => argon2::Version::V0x10,
                _ => return None,
            };
            params = parts.next()?;
        }
        let value = |key: &str| -> Option<u32> {
            params
                .split(',')
                .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
                .and_then(|v| v.parse().ok())
        };
        let salt = STANDARD_NO_PAD.decode(parts.next()?).ok()?;
        let hash = STANDARD_NO_PAD.decode(parts.next()?).ok()?;
        if parts.next().is_some() || hash.is_empty() {
            return None;
        }
        Some(Phc {
            algorithm,
            version,
            memory_kib: value("m")?,
            iterations: value("t")?,
            lanes: value("p")?,
            salt,
            hash,
        })
    }

    /// Whether `input` hashes to this (compared in constant time).
    pub fn matches(&self, input: &[u8]) -> bool {
        use subtle::ConstantTimeEq;
        let mut out = vec![0u8; self.hash.len()];
        let computed = raw_hash(
            self.algorithm,
            self.version,
            (self.memory_kib, self.iterations, self.lanes),
            input,
            &self.salt,
            &mut out,
        );
        computed.is_ok() && bool::from(out.ct_eq(&self.hash))
    }
}

thread_local! {
    /// The hashing thread's argon2 memory, kept between hashes.
    pub static MATRIX: std::cell::RefCell<Vec<argon2::Block>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The largest matrix a hashing thread keeps between hashes (64 MiB).
const KEEP_BLOCKS: usize = 64 * 1024;

/// Argon2 over the thread's kept matrix (grown when a hash needs more).
pub fn raw_hash(
    algorithm: argon2::Algorithm,
    version: argon2::Version,
    (memory_kib, iterations, lanes): (u32, u32, u32),
    input: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), String> {
    let params = argon2::Params::new(memory_kib, iterations, lanes, Some(out.len()))
        .map_err(|e| e.to_string())?;
    // A stored hash cannot make us allocate more than the largest cost
    // the configuration accepts.
    if memory_kib > crate::config::argon2::MAX_MEMORY_KIB {
        return Err("stored hash asks for too much memory".into());
    }
    let blocks = params.block_count();
    let argon2 = argon2::Argon2::new(algorithm, version, params);
    MATRIX.with(|matrix| {
        let mut matrix = matrix.borrow_mut();
        if matrix.len() < blocks {
            matrix.resize(blocks, argon2::Block::default());
        }
        let hashed = argon2
            .hash_password_into_with_memory(input, salt, out, &mut matrix[..blocks])
            .map_err(|e| e.to_string());
        // Kept for the next hash only at a sane cost: one odd stored hash
        // must not pin its memory for the life of the process.
        if matrix.len() > KEEP_BLOCKS {
            *matrix = Vec::new();
        }
        hashed
    })
}
