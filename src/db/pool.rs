//! The database: a rocket_db_pools `Db` over our own pool of diesel-async
//! connections, SQLite (default feature `sqlite`) or PostgreSQL (feature
//! `postgres`), with the embedded migrations run at ignite.
//!
//! rocket_db_pools 0.2 only ships Diesel pools for an older diesel-async, so
//! [`DbPool`] implements `rocket_db_pools::Pool` itself over diesel-async's
//! deadpool pool. Everything else uses the [`DbConn`] alias and never names
//! the backend.

#[cfg(all(feature = "sqlite", feature = "postgres"))]
compile_error!(
    "features `sqlite` and `postgres` are exclusive: use `--no-default-features --features postgres`"
);
#[cfg(not(any(feature = "sqlite", feature = "postgres")))]
compile_error!("enable one database feature: `sqlite` (default) or `postgres`");

use crate::db::epoch::{self, AuthEpoch};
use diesel_async::pooled_connection::deadpool::{Object, Pool, PoolError};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use rocket::fairing::AdHoc;
use rocket::figment::Figment;
use rocket_db_pools::{Database, Pool as _};
use std::sync::Arc;
use std::time::Duration;

#[cfg(feature = "sqlite")]
pub type DbConn =
    diesel_async::sync_connection_wrapper::SyncConnectionWrapper<diesel::SqliteConnection>;
#[cfg(feature = "postgres")]
pub type DbConn = diesel_async::AsyncPgConnection;

#[cfg(feature = "sqlite")]
const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
#[cfg(feature = "postgres")]
const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// The application's database, configured under `[default.databases.app]`.
#[derive(Database)]
#[database("app")]
pub struct Db(DbPool);

/// A pooled connection; `&mut *conn` gives the `&mut DbConn` queries take.
pub type Connection = rocket_db_pools::Connection<Db>;

/// A connection taken from the pool by hand (guards, the CLI, tasks).
pub type PooledConn = Object<DbConn>;

/// diesel-async's deadpool pool, made a `rocket_db_pools::Pool`, with the
/// auth epoch its connections move.
#[derive(Clone)]
pub struct DbPool {
    pool: Pool<DbConn>,
    epoch: Arc<AuthEpoch>,
    url: String,
}

type PoolResultError = rocket_db_pools::Error<String, PoolError>;

impl DbPool {
    /// A pooled connection outside of a request (CLI, background tasks).
    pub async fn connection(&self) -> Result<Object<DbConn>, PoolError> {
        self.pool.get().await
    }

    /// Moves whenever a guard's view of users, roles or tokens may be stale.
    pub fn epoch(&self) -> &Arc<AuthEpoch> {
        &self.epoch
    }

    /// Follows other instances' changes until `stop` (see [`epoch::watch`]).
    pub async fn watch_epoch(&self, stop: impl std::future::Future<Output = ()>) {
        epoch::watch(self.epoch.clone(), self.url.clone(), stop).await
    }
}

#[rocket::async_trait]
impl rocket_db_pools::Pool for DbPool {
    type Connection = Object<DbConn>;
    type Error = PoolResultError;

    async fn init(figment: &Figment) -> Result<Self, Self::Error> {
        let config: rocket_db_pools::Config = figment.extract()?;
        let epoch = AuthEpoch::new();
        let manager = AsyncDieselConnectionManager::<DbConn>::new_with_config(
            &config.url,
            manager_config(epoch.clone()),
        );
        let timeout = Duration::from_secs(config.connect_timeout);
        let pool = Pool::builder(manager)
            .max_size(config.max_connections)
            .wait_timeout(Some(timeout))
            .create_timeout(Some(timeout))
            .recycle_timeout(config.idle_timeout.map(Duration::from_secs))
            .runtime(deadpool_runtime())
            .build()
            .map_err(|e| rocket_db_pools::Error::Init(e.to_string()))?;
        // Fail at launch, not at the first request, when the database is unreachable.
        drop(
            pool.get()
                .await
                .map_err(|e| rocket_db_pools::Error::Init(e.to_string()))?,
        );
        Ok(DbPool {
            pool,
            epoch,
            url: config.url,
        })
    }

    async fn get(&self) -> Result<Self::Connection, Self::Error> {
        self.pool.get().await.map_err(rocket_db_pools::Error::Get)
    }

    async fn close(&self) {
        self.pool.close();
    }
}

fn deadpool_runtime() -> deadpool::Runtime {
    deadpool::Runtime::Tokio1
}

/// Every pooled connection carries the auth epoch's instrumentation.
fn manager_config(epoch: Arc<AuthEpoch>) -> ManagerConfig<DbConn> {
    use diesel_async::AsyncConnection;
    let mut config = ManagerConfig::default();
    config.custom_setup = Box::new(move |url| {
        let url = url.to_owned();
        let epoch = epoch.clone();
        Box::pin(async move {
            let mut conn = DbConn::establish(&url).await?;
            conn.set_instrumentation(epoch.instrumentation());
            prepare(&mut conn).await?;
            Ok(conn)
        })
    });
    config
}

/// Every SQLite connection needs these: WAL lets readers run beside the
/// single writer, busy_timeout makes writers queue instead of failing with
/// SQLITE_BUSY, and foreign keys are off unless asked for.
#[cfg(feature = "sqlite")]
async fn prepare(conn: &mut DbConn) -> Result<(), diesel::ConnectionError> {
    use diesel_async::SimpleAsyncConnection;
    conn.batch_execute(
        // busy_timeout first: switching to WAL takes a lock too.
        "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
         PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
    )
    .await
    .map_err(diesel::ConnectionError::CouldntSetupConfiguration)
}

#[cfg(feature = "postgres")]
async fn prepare(_conn: &mut DbConn) -> Result<(), diesel::ConnectionError> {
    Ok(())
}

/// Runs the pending migrations on a blocking thread (Diesel's migration
/// harness is synchronous).
pub async fn run_migrations(url: &str) -> Result<(), String> {
    let url = url.to_owned();
    rocket::tokio::task::spawn_blocking(move || {
        let mut conn = migration_connection(&url)?;
        conn.run_pending_migrations(MIGRATIONS)
            .map(|_| ())
            .map_err(|e| format!("migrations failed: {e}"))
    })
    .await
    .map_err(|e| format!("migrations panicked: {e}"))?
}

#[cfg(feature = "sqlite")]
fn migration_connection(url: &str) -> Result<diesel::SqliteConnection, String> {
    use diesel::connection::SimpleConnection;
    use diesel::Connection as _;
    let mut conn = diesel::SqliteConnection::establish(url)
        .map_err(|e| format!("cannot open database {url:?}: {e}"))?;
    conn.batch_execute("PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;")
        .map_err(|e| e.to_string())?;
    Ok(conn)
}

#[cfg(feature = "postgres")]
fn migration_connection(
    url: &str,
) -> Result<diesel_async::async_connection_wrapper::AsyncConnectionWrapper<DbConn>, String> {
    use diesel::Connection as _;
    diesel_async::async_connection_wrapper::AsyncConnectionWrapper::<DbConn>::establish(url)
        .map_err(|e| format!("cannot connect to the database: {e}"))
}

/// The URL configured under `databases.app.url`.
pub fn database_url(figment: &Figment) -> Result<String, String> {
    figment
        .extract_inner::<String>("databases.app.url")
        .map_err(|e| format!("databases.app.url: {e}"))
}

/// Opens the pool outside of Rocket (for the CLI), after migrating.
pub async fn open(figment: &Figment) -> Result<DbPool, String> {
    let url = database_url(figment)?;
    run_migrations(&url).await?;
    // The defaults rocket_db_pools would fill in when serving.
    let config = Figment::new()
        .merge(("max_connections", 2))
        .merge(("connect_timeout", 5))
        .merge(figment.focus("databases.app"));
    DbPool::init(&config).await.map_err(|e| e.to_string())
}

/// Attaches the pool and migrates the database before launch.
pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Database", |rocket| async {
        rocket
            .attach(AdHoc::try_on_ignite(
                "Database migrations",
                |rocket| async {
                    let migrated = match database_url(rocket.figment()) {
                        Ok(url) => run_migrations(&url).await,
                        Err(e) => Err(e),
                    };
                    match migrated {
                        Ok(()) => Ok(rocket),
                        Err(e) => {
                            log::error!("database: {e}");
                            Err(rocket)
                        }
                    }
                },
            ))
            .attach(Db::init())
            .attach(AdHoc::on_liftoff("Auth epoch watcher", |rocket| {
                Box::pin(async move {
                    if let Some(db) = Db::fetch(rocket) {
                        let pool: DbPool = (**db).clone();
                        let stop = rocket.shutdown();
                        rocket::tokio::spawn(async move { pool.watch_epoch(stop).await });
                    }
                })
            }))
    })
}
