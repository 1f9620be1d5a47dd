//! Identities in memory (performance): who holds which session or API
//! token, so that a request by a known credential reads no database.
//!
//! An entry is only trusted under the auth epoch it was read in
//! (`db::epoch`): any change to users, roles or tokens — on this instance
//! at once, on others within the watcher's period — moves the epoch and
//! every older entry stops counting. Expiry and idle timeouts are judged
//! on each request from the entry's own times, exactly as the database
//! query would; an entry that looks expired is asked about again (another
//! instance may have used the token since). Only live credentials are
//! cached, never a refusal.

use crate::models::{TokenContext, User};
use std::collections::HashMap;
use std::sync::RwLock;
use time::PrimitiveDateTime;

/// Who holds a live token: the user, their roles and the token's row.
#[derive(Debug, Clone)]
pub struct Identity {
    pub user: User,
    /// Role names, sorted.
    pub roles: Vec<String>,
    /// The `user_tokens` row of the credential.
    pub token_id: i32,
    pub proof: Proof,
}

/// What freshness is judged by: when the holder of a credential last proved
/// who they are, and (sessions) the grace a passed check left.
#[derive(Debug, Clone, Copy, Default)]
pub struct Proof {
    pub primary_auth_at: Option<PrimitiveDateTime>,
    pub fresh_until: Option<PrimitiveDateTime>,
}

/// A credential's holder as last read, with the times its expiry needs.
#[derive(Debug, Clone)]
pub struct Cached {
    pub identity: Identity,
    pub created_at: PrimitiveDateTime,
    pub last_used_at: PrimitiveDateTime,
}

impl Cached {
    /// The database query's own test: a sliding credential lives while it
    /// is used, the others from when they were made.
    pub fn alive(&self, context: TokenContext, valid_since: PrimitiveDateTime) -> bool {
        if context.slides() {
            self.last_used_at > valid_since
        } else {
            self.created_at > valid_since
        }
    }
}

struct Entry {
    cached: Cached,
    generation: u64,
}

type Key = (TokenContext, Vec<u8>);

/// A bounded map from a credential's hash to its holder.
pub struct IdentityCache {
    capacity: usize,
    entries: RwLock<HashMap<Key, Entry>>,
}

impl IdentityCache {
    /// Holds at most `capacity` credentials; 0 holds none.
    pub fn new(capacity: usize) -> Self {
        IdentityCache {
            capacity,
            entries: RwLock::new(HashMap::new()),
        }
    }

    /// The holder of the credential with this hash, if read under
    /// `generation`.
    pub fn get(&self, context: TokenContext, hash: &[u8], generation: u64) -> Option<Cached> {
        if self.capacity == 0 {
            return None;
        }
        let entries = self.entries.read().unwrap_or_else(|p| p.into_inner());
        let entry = entries.get(&(context, hash.to_vec()))?;
        (entry.generation == generation).then(|| entry.cached.clone())
    }

    /// Remembers a holder read from the database while the epoch stood at
    /// `generation` (the caller checks it still does).
    pub fn put(&self, context: TokenContext, hash: Vec<u8>, cached: Cached, generation: u64) {
        if self.capacity == 0 {
            return;
        }
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= self.capacity {
            entries.retain(|_, entry| entry.generation == generation);
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        entries.insert((context, hash), Entry { cached, generation });
    }

    /// The credential was marked used at `at`.
    pub fn touched(&self, context: TokenContext, hash: &[u8], at: PrimitiveDateTime) {
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        if let Some(entry) = entries.get_mut(&(context, hash.to_vec())) {
            entry.cached.last_used_at = at;
        }
    }

    pub fn len(&self) -> usize {
        self.entries.read().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
