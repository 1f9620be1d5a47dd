//! The auth epoch (performance): a generation number that moves whenever
//! something a guard relies on may have changed, so identities cached in
//! memory (`accounts::identities`) are dropped at once.
//!
//! It moves for two reasons:
//! - **this instance wrote**: every pooled connection carries an
//!   [`Instrumentation`] that sees each statement finish. A write to
//!   `users`, `roles`, `roles_users` or `user_tokens` (other than touching
//!   `last_used_at`) moves the epoch when it finishes and again when its
//!   transaction commits — so the change holds for the next request;
//! - **another instance or process wrote** (the CLI included): triggers
//!   in the database (migration `auth_epoch`) record it. On SQLite they
//!   bump a counter row that [`watch`] reads every 200 ms; on PostgreSQL
//!   they `NOTIFY auth_changed`, which [`watch`] listens for (with a
//!   heartbeat, so a dead listener is noticed).
//!
//! While the watcher cannot vouch for what other instances did (not
//! started yet, database unreachable, listener reconnecting, or simply
//! no check in the last [`TRUST_FOR`]), [`AuthEpoch::current`] is `None`
//! and nothing is served from the cache.

use diesel::connection::{Instrumentation, InstrumentationEvent};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often SQLite's counter is read, and PostgreSQL's listener checked.
pub const WATCH_EVERY: Duration = Duration::from_millis(200);

/// A cache is trusted only while the watcher vouched for the epoch this
/// recently: a stalled watcher (a slow disk, a starved thread) turns the
/// cache off rather than let it grow stale beyond the one second promised.
pub const TRUST_FOR: Duration = Duration::from_millis(600);

/// The generation number and when the watcher last vouched for it.
#[derive(Debug)]
pub struct AuthEpoch {
    generation: AtomicU64,
    /// Milliseconds since `started` of the last check; 0: never.
    confirmed_at: AtomicU64,
    started: Instant,
}

impl AuthEpoch {
    pub fn new() -> Arc<Self> {
        Arc::new(AuthEpoch {
            generation: AtomicU64::new(0),
            confirmed_at: AtomicU64::new(0),
            started: Instant::now(),
        })
    }

    /// The current generation, or `None` while changes elsewhere could go
    /// unseen (then nothing may be served from a cache).
    pub fn current(&self) -> Option<u64> {
        let generation = self.generation.load(Ordering::Acquire);
        let confirmed = self.confirmed_at.load(Ordering::Acquire);
        let now = self.millis();
        (confirmed != 0 && now.saturating_sub(confirmed) <= TRUST_FOR.as_millis() as u64)
            .then_some(generation)
    }

    /// Something changed: whatever was cached before is stale.
    pub fn advance(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// The watcher has seen every change committed before now.
    pub fn confirm(&self) {
        self.confirmed_at
            .store(self.millis().max(1), Ordering::Release);
    }

    /// The watcher lost track: nothing cached counts, now or later.
    pub fn lose_track(&self) {
        self.confirmed_at.store(0, Ordering::Release);
        self.advance();
    }

    fn millis(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// The instrumentation for one pooled connection.
    pub fn instrumentation(self: &Arc<Self>) -> impl Instrumentation {
        let epoch = Arc::clone(self);
        let mut wrote = false;
        move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::FinishQuery { query, error, .. } = event {
                let mut head = Head::default();
                // Only the statement's start is needed: stop formatting there.
                let _ = write!(head, "{query}");
                match classify(&head.text) {
                    Statement::AuthWrite if error.is_none() => {
                        wrote = true;
                        epoch.advance();
                    }
                    Statement::Commit if wrote => {
                        wrote = false;
                        epoch.advance();
                    }
                    Statement::Rollback => wrote = false,
                    _ => {}
                }
            }
        }
    }
}

/// The first bytes of a statement, upper-cased, without identifier quotes.
#[derive(Default)]
struct Head {
    text: String,
}

const HEAD_LEN: usize = 64;

impl std::fmt::Write for Head {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        for c in s.chars() {
            if self.text.len() >= HEAD_LEN {
                return Err(std::fmt::Error);
            }
            match c {
                '"' | '`' => {}
                c if c.is_whitespace() => {
                    if !self.text.is_empty() && !self.text.ends_with(' ') {
                        self.text.push(' ');
                    }
                }
                c => self.text.push(c.to_ascii_uppercase()),
            }
        }
        Ok(())
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Statement {
    AuthWrite,
    Commit,
    Rollback,
    Other,
}

/// What a statement (its head) means for cached identities. Anything that
/// could change who holds a credential, or what they may do, is a write;
/// a doubtful case counts as one (an extra drop of the cache costs only
/// a query).
fn classify(head: &str) -> Statement {
    const TABLES: [&str; 4] = ["USERS", "ROLES", "ROLES_USERS", "USER_TOKENS"];
    if head.starts_with("COMMIT") {
        return Statement::Commit;
    }
    if head.starts_with("ROLLBACK") && !head.starts_with("ROLLBACK TO") {
        return Statement::Rollback;
    }
    let target = if let Some(rest) = head.strip_prefix("UPDATE ") {
        rest
    } else if let Some(rest) = head.strip_prefix("DELETE FROM ") {
        rest
    } else if let Some(rest) = head.strip_prefix("INSERT INTO ") {
        // New users and new tokens change nothing already cached.
        return if rest.starts_with("ROLES_USERS ") || rest.starts_with("ROLES_USERS(") {
            Statement::AuthWrite
        } else {
            Statement::Other
        };
    } else {
        return Statement::Other;
    };
    let table = target.split([' ', '(']).next().unwrap_or("");
    if !TABLES.contains(&table) {
        return Statement::Other;
    }
    // Marking a token used (once a minute per token) must not drop the cache.
    if head.starts_with("UPDATE USER_TOKENS SET LAST_USED_AT = ")
        && head.contains(" WHERE ")
        && !head.contains(',')
    {
        return Statement::Other;
    }
    Statement::AuthWrite
}

/// Follows changes made elsewhere until `stop` resolves, on a connection
/// of its own (a busy pool must not delay it); see the module
/// documentation.
pub async fn watch(
    epoch: Arc<AuthEpoch>,
    url: String,
    stop: impl std::future::Future<Output = ()>,
) {
    let mut stop = std::pin::pin!(stop);
    loop {
        rocket::tokio::select! {
            _ = &mut stop => break,
            lost = follow(&epoch, &url) => {
                log::warn!("auth epoch watcher: {lost}; identity cache off until it is back");
            }
        }
        epoch.lose_track();
        rocket::tokio::select! {
            _ = &mut stop => break,
            _ = rocket::tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
    epoch.lose_track();
}

/// Reads the trigger-kept counter until a read fails.
#[cfg(feature = "sqlite")]
async fn follow(epoch: &AuthEpoch, url: &str) -> String {
    use diesel::sql_types::BigInt;
    use diesel_async::{AsyncConnection, RunQueryDsl, SimpleAsyncConnection};
    type Conn =
        diesel_async::sync_connection_wrapper::SyncConnectionWrapper<diesel::SqliteConnection>;
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        value: i64,
    }
    let mut conn = match Conn::establish(url).await {
        Ok(conn) => conn,
        Err(e) => return e.to_string(),
    };
    if let Err(e) = conn.batch_execute("PRAGMA busy_timeout = 10000;").await {
        return e.to_string();
    }
    let mut seen = None;
    let mut every = rocket::tokio::time::interval(WATCH_EVERY);
    loop {
        every.tick().await;
        let read = diesel::sql_query("SELECT value FROM auth_epoch WHERE id = 1")
            .get_result::<Row>(&mut conn)
            .await;
        match read {
            Ok(row) => {
                if seen.is_some_and(|seen| seen != row.value) {
                    epoch.advance();
                }
                seen = Some(row.value);
                epoch.confirm();
            }
            Err(e) => return e.to_string(),
        }
    }
}

/// Listens for `auth_changed` until the connection fails.
#[cfg(feature = "postgres")]
async fn follow(epoch: &AuthEpoch, url: &str) -> String {
    match listen(epoch, url).await {
        Ok(()) => "the listening connection closed".into(),
        Err(e) => e,
    }
}

#[cfg(feature = "postgres")]
async fn listen(epoch: &AuthEpoch, url: &str) -> Result<(), String> {
    use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
    use rocket::futures::{FutureExt, StreamExt};
    let mut conn = AsyncPgConnection::establish(url)
        .await
        .map_err(|e| e.to_string())?;
    conn.batch_execute("LISTEN auth_changed")
        .await
        .map_err(|e| e.to_string())?;
    // Whatever changed before LISTEN took effect was announced to nobody.
    epoch.advance();
    loop {
        // A listener whose connection died would hear nothing: a round
        // trip proves it lives, and every notification committed before
        // it has arrived by the time it answers.
        conn.batch_execute("SELECT 1")
            .await
            .map_err(|e| e.to_string())?;
        let mut notifications = std::pin::pin!(conn.notifications_stream());
        while let Some(note) = notifications.next().now_or_never() {
            match note {
                Some(Ok(_)) => epoch.advance(),
                Some(Err(e)) => return Err(e.to_string()),
                None => return Ok(()),
            }
        }
        epoch.confirm();
        let deadline = rocket::tokio::time::sleep(WATCH_EVERY);
        let mut deadline = std::pin::pin!(deadline);
        loop {
            rocket::tokio::select! {
                note = notifications.next() => match note {
                    Some(Ok(_)) => epoch.advance(),
                    Some(Err(e)) => return Err(e.to_string()),
                    None => return Ok(()),
                },
                _ = &mut deadline => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::db::epoch::{classify, Head, Statement};
    use std::fmt::Write as _;

    fn head(sql: &str) -> String {
        let mut head = Head::default();
        let _ = write!(head, "{sql}");
        head.text
    }

    #[test]
    fn writes_that_matter_are_told_from_the_rest() {
        let cases = [
            (
                r#"UPDATE "users" SET "active" = $1 WHERE ("users"."id" = $2)"#,
                Statement::AuthWrite,
            ),
            (
                r#"DELETE FROM "user_tokens" WHERE ("user_tokens"."id" = ?)"#,
                Statement::AuthWrite,
            ),
            (
                r#"INSERT INTO "roles_users" ("user_id", "role_id") VALUES (?, ?)"#,
                Statement::AuthWrite,
            ),
            (
                r#"DELETE FROM "roles" WHERE "roles"."name" = ?"#,
                Statement::AuthWrite,
            ),
            (
                r#"UPDATE "user_tokens" SET "fresh_until" = $1 WHERE ("user_tokens"."id" = $2)"#,
                Statement::AuthWrite,
            ),
            (
                r#"UPDATE "user_tokens" SET "last_used_at" = ?, "primary_auth_at" = ? WHERE x"#,
                Statement::AuthWrite,
            ),
            ("update users set active = false", Statement::AuthWrite),
            (
                r#"UPDATE "user_tokens" SET "last_used_at" = ? WHERE ("user_tokens"."id" = ?)"#,
                Statement::Other,
            ),
            (
                r#"INSERT INTO "user_tokens" ("user_id") VALUES (?)"#,
                Statement::Other,
            ),
            (
                r#"INSERT INTO "users" ("email") VALUES (?)"#,
                Statement::Other,
            ),
            (r#"UPDATE "rate_limits" SET "hits" = ?"#, Statement::Other),
            (r#"UPDATE "users_archive" SET "x" = ?"#, Statement::Other),
            (r#"SELECT "users"."id" FROM "users""#, Statement::Other),
            ("COMMIT", Statement::Commit),
            ("ROLLBACK", Statement::Rollback),
            ("ROLLBACK TO SAVEPOINT diesel_savepoint_1", Statement::Other),
        ];
        for (sql, expected) in cases {
            assert_eq!(classify(&head(sql)), expected, "{sql}");
        }
    }

    #[test]
    fn the_epoch_is_trusted_only_while_the_watcher_vouches_for_it() {
        let epoch = crate::db::epoch::AuthEpoch::new();
        assert_eq!(epoch.current(), None, "never checked");
        epoch.confirm();
        let first = epoch.current().expect("just checked");
        epoch.advance();
        assert_ne!(epoch.current(), Some(first));
        std::thread::sleep(crate::db::epoch::TRUST_FOR + std::time::Duration::from_millis(50));
        assert_eq!(epoch.current(), None, "a silent watcher is not trusted");
        epoch.confirm();
        assert!(epoch.current().is_some());
        epoch.lose_track();
        assert_eq!(epoch.current(), None);
    }

    #[test]
    fn only_the_head_is_kept() {
        let long = format!("UPDATE users SET x = '{}'", "y".repeat(10_000));
        assert_eq!(head(&long).len(), 64);
    }
}
