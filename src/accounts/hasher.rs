//! Password hashing (Flask-Security's `hash_password`/`verify_and_update_password`):
//! argon2id with the configured cost, an optional pepper, and a re-hash when
//! the stored hash was made with other parameters.
//!
//! Hashing is deliberately slow, so it runs on threads of its own, one per
//! core, at a lower scheduling priority (Linux `nice` +10): a flood of
//! sign-ins queues there, and the threads that serve every other request
//! (and run their database queries) always get the CPU first. Each thread
//! keeps its argon2 memory matrix between hashes: allocating 19 MiB per
//! hash cost a third of the hash in page faults and let the allocator's
//! heaps grow to hundreds of MiB under a sign-in flood (README →
//! Performance). The PHC strings are the standard ones, so hashes made by
//! other argon2 implementations (Flask-Security's passlib, rust-argon2)
//! verify.

use crate::accounts::phc::{raw_hash, Phc, PhcParams, MATRIX};
use crate::config::Argon2Config;
use crate::domain::Password;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use rand::RngCore;
use rocket::tokio::sync::oneshot;
use sha2::Sha256;
use std::sync::{mpsc, Arc, Mutex};

type Job = Box<dyn FnOnce() + Send>;

/// A stored "hash" that no password verifies against: the account has no
/// usable password until one is set by a reset.
pub const UNUSABLE_PASSWORD: &str = "!";

pub struct PasswordHasher {
    params: Argon2Config,
    pepper: Option<Arc<[u8]>>,
    /// Work for the hashing threads; they stop when the hasher is dropped.
    jobs: Mutex<mpsc::Sender<Job>>,
    /// Verified against when the account does not exist, so that an unknown
    /// email costs as much as a wrong password (no timing oracle).
    dummy_hash: String,
}

/// The outcome of checking a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub valid: bool,
    /// The stored hash uses other parameters than the configured ones.
    pub needs_rehash: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

impl From<HashError> for crate::error::Error {
    fn from(error: HashError) -> Self {
        crate::error::Error::internal(error)
    }
}

impl PasswordHasher {
    pub fn new(params: Argon2Config, pepper: Option<&str>) -> Result<Self, HashError> {
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        let pepper: Option<Arc<[u8]>> = pepper.map(|p| Arc::from(p.as_bytes()));
        let dummy_hash = hash_blocking(&params, pepper.as_deref(), "not a real password")?;
        // This thread is not a hashing thread: it need not keep the matrix.
        MATRIX.with(|matrix| *matrix.borrow_mut() = Vec::new());
        Ok(PasswordHasher {
            params,
            pepper,
            jobs: Mutex::new(start_hashing_threads(threads)?),
            dummy_hash,
        })
    }

    /// The PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`) to store.
    pub async fn hash(&self, password: &Password) -> Result<String, HashError> {
        let params = self.params.clone();
        let pepper = self.pepper.clone();
        let password = password.clone();
        self.run(move || hash_blocking(&params, pepper.as_deref(), password.expose()))
            .await
    }

    /// Checks `password` against `stored`, or against a dummy hash when there
    /// is no account, which is then always invalid.
    pub async fn verify(
        &self,
        stored: Option<&str>,
        password: &Password,
    ) -> Result<Verification, HashError> {
        let encoded = stored.unwrap_or(&self.dummy_hash).to_owned();
        let pepper = self.pepper.clone();
        let password = password.clone();
        let valid = self
            .run(move || {
                let input = peppered(pepper.as_deref(), password.expose());
                // A malformed stored hash is a failed check, not an error page.
                Ok(Phc::parse(&encoded).is_some_and(|phc| phc.matches(&input)))
            })
            .await?;
        let valid = valid && stored.is_some();
        let needs_rehash = valid && stored.is_some_and(|s| self.is_upgrade_for(s));
        Ok(Verification {
            valid,
            needs_rehash,
        })
    }

    /// Burns one verification's worth of time, for replies that must not be
    /// faster when nothing was checked.
    pub async fn waste_time(&self, password: &Password) -> Result<(), HashError> {
        self.verify(None, password).await.map(|_| ())
    }

    /// Whether re-hashing `encoded` with the configured parameters makes it
    /// stronger: never weaker in memory or iterations, and stronger in one
    /// of them or in variant (argon2i/argon2d to argon2id). Lowering the
    /// configured cost therefore leaves stronger hashes as they are.
    pub fn is_upgrade_for(&self, encoded: &str) -> bool {
        let Some(stored) = PhcParams::parse(encoded) else {
            return false;
        };
        let (m, t) = (self.params.memory_kib, self.params.iterations);
        if m < stored.memory_kib || t < stored.iterations {
            return false;
        }
        m > stored.memory_kib || t > stored.iterations || !stored.argon2id_v13
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, HashError> + Send + 'static,
    ) -> Result<T, HashError> {
        let (done, result) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(work());
        });
        self.jobs
            .lock()
            .map_err(|_| HashError("hashing threads poisoned".into()))?
            .send(job)
            .map_err(|_| HashError("hashing threads stopped".into()))?;
        result
            .await
            .map_err(|_| HashError("hashing thread failed".into()))?
    }
}

/// Starts `count` hashing threads sharing one queue.
fn start_hashing_threads(count: usize) -> Result<mpsc::Sender<Job>, HashError> {
    let (sender, receiver) = mpsc::channel::<Job>();
    let receiver = Arc::new(Mutex::new(receiver));
    for n in 0..count {
        let receiver = receiver.clone();
        std::thread::Builder::new()
            .name(format!("argon2-{n}"))
            .spawn(move || {
                lower_this_threads_priority();
                loop {
                    let job = match receiver.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return, // the hasher was dropped
                    }
                }
            })
            .map_err(|e| HashError(e.to_string()))?;
    }
    Ok(sender)
}

/// `nice` +10 for the calling thread only (Linux schedules threads
/// individually); elsewhere the threads keep the normal priority.
fn lower_this_threads_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread's own id.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, 10);
    }
}

fn peppered(pepper: Option<&[u8]>, password: &str) -> Vec<u8> {
    match pepper {
        None => password.as_bytes().to_vec(),
        Some(key) => {
            let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
            mac.update(password.as_bytes());
            base64::engine::general_purpose::STANDARD
                .encode(mac.finalize().into_bytes())
                .into_bytes()
        }
    }
}

fn hash_blocking(
    params: &Argon2Config,
    pepper: Option<&[u8]>,
    password: &str,
) -> Result<String, HashError> {
    use base64::engine::general_purpose::STANDARD_NO_PAD;
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let mut hash = [0u8; 32];
    let cost = (params.memory_kib, params.iterations, params.parallelism);
    raw_hash(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        cost,
        &peppered(pepper, password),
        &salt,
        &mut hash,
    )
    .map_err(HashError)?;
    Ok(format!(
        "$argon2id$v=19$m={},t={},p={}${}${}",
        params.memory_kib,
        params.iterations,
        params.parallelism,
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(hash)
    ))
}

#[cfg(test)]
mod tests {
    use crate::accounts::hasher::*;

    fn cheap() -> Argon2Config {
        Argon2Config {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
        }
    }

    fn pw(text: &str) -> Password {
        Password::for_sign_in(text)
    }

    #[rocket::async_test]
    async fn hashes_verify_and_never_contain_the_password() {
        let hasher = PasswordHasher::new(cheap(), None).expect("test value");
        let hash = hasher.hash(&pw("correct horse")).await.expect("test value");
        assert!(hash.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{hash}");
        assert!(!hash.contains("correct horse"));
        let ok = hasher
            .verify(Some(&hash), &pw("correct horse"))
            .await
            .expect("test value");
        assert_eq!(
            ok,
            Verification {
                valid: true,
                needs_rehash: false
            }
        );
        assert!(
            !hasher
                .verify(Some(&hash), &pw("wrong horse"))
                .await
                .expect("test value")
                .valid
        );
        assert!(
            !hasher
                .verify(None, &pw("not a real password"))
                .await
                .expect("test value")
                .valid
        );
        assert!(
            !hasher
                .verify(Some("garbage"), &pw("x"))
                .await
                .expect("test value")
                .valid
        );
    }

    #[rocket::async_test]
    async fn hashes_made_elsewhere_verify() {
        // Made by rust-argon2 3.0 (this starter's hasher before 2026-12-02):
        // argon2id, argon2i and argon2d v16, and two lanes; then argon2-cffi.
        let hasher = PasswordHasher::new(cheap(), None).expect("test value");
        for stored in [
            "$argon2id$v=19$m=64,t=1,p=1$c2l4dGVlbiBieXRlIHNsdA$WIcY5JYqDbrYXAoWCdKCvFtbo6Od0s9n4xtObxiX+5w",
            "$argon2i$v=19$m=64,t=1,p=1$c2l4dGVlbiBieXRlIHNsdA$2nKMLGByQV9nGpz8+DD9RoyXPFVUOIR5mgHYS3uqomU",
            "$argon2d$v=16$m=64,t=1,p=1$c2l4dGVlbiBieXRlIHNsdA$jgyED0ALN98SgKn6fHmYWQqk8pN5KkLp6reQf3Wal90",
            "$argon2id$v=19$m=64,t=2,p=2$c2l4dGVlbiBieXRlIHNsdA$y0+lbwEFF6doN3p+8+IsS6COvYCR/IZLi6O+RWazHlw",
            // argon2-cffi 23, as Flask-Security-Too stores them.
            "$argon2id$v=19$m=64,t=1,p=1$VancpCZaedRDKVKvKustzg$u+PiTnTSohuhLETZisZwQTd5NH0Lqozqe7SZc1zJZP8",
        ] {
            let right = hasher.verify(Some(stored), &pw("correct horse")).await;
            assert!(right.expect("test value").valid, "{stored}");
            let wrong = hasher.verify(Some(stored), &pw("correct horsf")).await;
            assert!(!wrong.expect("test value").valid, "{stored}");
        }
        let greedy = "$argon2id$v=19$m=99999999,t=1,p=1$c2l4dGVlbiBieXRlIHNsdA$WIcY5JYqDbrYXAoWCdKCvFtbo6Od0s9n4xtObxiX+5w";
        let refused = hasher.verify(Some(greedy), &pw("correct horse")).await;
        assert!(!refused.expect("test value").valid, "no 95 GiB allocation");
    }

    #[rocket::async_test]
    async fn the_pepper_is_part_of_the_secret() {
        let peppered =
            PasswordHasher::new(cheap(), Some("a pepper of sixteen+")).expect("test value");
        let plain = PasswordHasher::new(cheap(), None).expect("test value");
        let hash = peppered
            .hash(&pw("correct horse"))
            .await
            .expect("test value");
        assert!(
            peppered
                .verify(Some(&hash), &pw("correct horse"))
                .await
                .expect("test value")
                .valid
        );
        assert!(
            !plain
                .verify(Some(&hash), &pw("correct horse"))
                .await
                .expect("test value")
                .valid
        );
    }

    #[test]
    fn only_a_stronger_configuration_re_hashes() {
        let hasher = |m, t| {
            PasswordHasher::new(
                Argon2Config {
                    memory_kib: m,
                    iterations: t,
                    parallelism: 1,
                },
                None,
            )
            .expect("test value")
        };
        let stored = "$argon2id$v=19$m=128,t=2,p=1$c2FsdHNhbHQ$aGFzaA";
        assert!(!hasher(128, 2).is_upgrade_for(stored), "same cost");
        assert!(hasher(256, 2).is_upgrade_for(stored), "more memory");
        assert!(hasher(128, 3).is_upgrade_for(stored), "more passes");
        assert!(!hasher(64, 2).is_upgrade_for(stored), "less memory");
        assert!(!hasher(64, 8).is_upgrade_for(stored), "mixed is no upgrade");
        assert!(!hasher(128, 1).is_upgrade_for(stored), "fewer passes");
        let argon2i = "$argon2i$v=19$m=128,t=2,p=1$c2FsdHNhbHQ$aGFzaA";
        assert!(hasher(128, 2).is_upgrade_for(argon2i), "to argon2id");
        assert!(!hasher(128, 2).is_upgrade_for("garbage"));
        assert!(!hasher(128, 2).is_upgrade_for("!"));
    }

    #[rocket::async_test]
    async fn old_parameters_ask_for_a_rehash() {
        let old = PasswordHasher::new(cheap(), None).expect("test value");
        let new = PasswordHasher::new(
            Argon2Config {
                memory_kib: 128,
                ..cheap()
            },
            None,
        )
        .expect("test value");
        let hash = old.hash(&pw("correct horse")).await.expect("test value");
        let check = new
            .verify(Some(&hash), &pw("correct horse"))
            .await
            .expect("test value");
        assert_eq!(
            check,
            Verification {
                valid: true,
                needs_rehash: true
            }
        );
    }
}
