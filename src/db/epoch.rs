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
//! started yet, database unreachable, listener reconnecting), the epoch
//! is not *live* and nothing is served from the cache.

use diesel::connection::{Instrumentation, InstrumentationEvent};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How often SQLite's counter is read, and PostgreSQL's listener checked.
pub const WATCH_EVERY: Duration = Duration::from_millis(200);

/// The generation number and whether it can be trusted.
#[derive(Debug, Default)]
pub struct AuthEpoch {
    generation: AtomicU64,
    live: AtomicBool,
}

impl AuthEpoch {
    pub fn new() -> Arc<Self> {
        Arc::new(AuthEpoch::default())
    }

    /// The current generation, or `None` while changes elsewhere could go
    /// unseen (then nothing may be served from a cache).
    pub fn current(&self) -> Option<u64> {
        let generation = self.generation.load(Ordering::Acquire);
        self.live.load(Ordering::Acquire).then_some(generation)
    }

    /// Something changed: whatever was cached before is stale.
    pub fn advance(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// The watcher sees other instances' changes again (or no longer).
    pub fn set_live(&self, live: bool) {
        self.advance();
        self.live.store(live, Ordering::Release);
        self.advance();
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

/// Follows changes made elsewhere until `stop` resolves; see the module
/// documentation.
pub async fn watch(
    epoch: Arc<AuthEpoch>,
    url: String,
    pool: Connections,
    stop: impl std::future::Future<Output = ()>,
) {
    let mut stop = std::pin::pin!(stop);
    rocket::tokio::select! {
        _ = &mut stop => {}
        _ = follow(&epoch, &url, &pool) => {}
    }
    epoch.set_live(false);
}

/// The pool the watcher reads the counter through (SQLite).
#[cfg(feature = "sqlite")]
pub type Connections = diesel_async::pooled_connection::deadpool::Pool<
    diesel_async::sync_connection_wrapper::SyncConnectionWrapper<diesel::SqliteConnection>,
>;
/// PostgreSQL's watcher listens on a connection of its own.
#[cfg(feature = "postgres")]
pub type Connections = ();

#[cfg(feature = "sqlite")]
async fn follow(epoch: &AuthEpoch, _url: &str, pool: &Connections) {
    use diesel::sql_types::BigInt;
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        value: i64,
    }
    let mut seen = None;
    let mut every = rocket::tokio::time::interval(WATCH_EVERY);
    loop {
        every.tick().await;
        let read = match pool.get().await {
            Ok(mut conn) => diesel::sql_query("SELECT value FROM auth_epoch WHERE id = 1")
                .get_result::<Row>(&mut *conn)
                .await
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        match read {
            Ok(row) if seen == Some(row.value) => {}
            Ok(row) => {
                if seen.is_none() {
                    epoch.set_live(true);
                } else {
                    epoch.advance();
                }
                seen = Some(row.value);
            }
            Err(e) => {
                if seen.take().is_some() {
                    log::warn!("auth epoch unreadable, identity cache off until it is: {e}");
                    epoch.set_live(false);
                }
            }
        }
    }
}

#[cfg(feature = "postgres")]
async fn follow(epoch: &AuthEpoch, url: &str, _pool: &Connections) {
    loop {
        if let Err(e) = listen(epoch, url).await {
            log::warn!("auth_changed listener lost, identity cache off until it is back: {e}");
        }
        epoch.set_live(false);
        rocket::tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Listens for `auth_changed` until the connection fails.
#[cfg(feature = "postgres")]
async fn listen(epoch: &AuthEpoch, url: &str) -> Result<(), diesel::result::Error> {
    use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
    use rocket::futures::StreamExt;
    let mut conn = AsyncPgConnection::establish(url)
        .await
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))?;
    conn.batch_execute("LISTEN auth_changed").await?;
    // Changes made before LISTEN took effect were never announced to us.
    epoch.set_live(true);
    loop {
        {
            let mut notifications = std::pin::pin!(conn.notifications_stream());
            let deadline = rocket::tokio::time::sleep(WATCH_EVERY);
            let mut deadline = std::pin::pin!(deadline);
            loop {
                rocket::tokio::select! {
                    note = notifications.next() => match note {
                        Some(Ok(_)) => epoch.advance(),
                        Some(Err(e)) => return Err(e),
                        None => return Ok(()),
                    },
                    _ = &mut deadline => break,
                }
            }
        }
        // A listener whose connection died would hear nothing: prove it lives.
        conn.batch_execute("SELECT 1").await?;
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
    fn only_the_head_is_kept() {
        let long = format!("UPDATE users SET x = '{}'", "y".repeat(10_000));
        assert_eq!(head(&long).len(), 64);
    }
}
