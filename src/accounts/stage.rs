//! The accounts stage: builds the [`Security`] state from the configuration
//! (refusing an unsafe one at launch) and purges expired tokens hourly.

use crate::accounts::state::Security;
use crate::accounts::tokens;
use crate::db::Db;
use rocket::fairing::AdHoc;
use rocket::{Orbit, Rocket};
use rocket_db_pools::Database;

pub fn stage() -> AdHoc {
    AdHoc::try_on_ignite("Accounts", |rocket| async {
        match Security::from_figment(rocket.figment()) {
            Ok(security) => {
                let config = &security.config;
                if config.two_factor && config.encryption_key.is_none() {
                    log::warn!(
                        "two-factor secrets are sealed with a development key: \
                         set security.encryption_key before going live"
                    );
                }
                Ok(rocket
                    .manage(security)
                    .attach(AdHoc::on_liftoff("Expired token purge", |rocket| {
                        Box::pin(purge_periodically(rocket))
                    })))
            }
            Err(message) => {
                log::error!("security configuration: {message}");
                Err(rocket)
            }
        }
    })
}

/// Deletes expired tokens hourly, so the table does not grow without bound.
async fn purge_periodically(rocket: &Rocket<Orbit>) {
    let (Some(db), Some(security)) = (Db::fetch(rocket), rocket.state::<Security>()) else {
        return;
    };
    let pool: crate::db::DbPool = (**db).clone();
    let config = security.config.clone();
    let mut shutdown = rocket.shutdown();
    rocket::tokio::spawn(async move {
        let mut every_hour = rocket::tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            rocket::tokio::select! {
                _ = every_hour.tick() => {}
                _ = &mut shutdown => break,
            }
            let purged = match pool.connection().await {
                Ok(mut conn) => tokens::purge_expired_tokens(&mut conn, &config).await,
                Err(e) => Err(e.into()),
            };
            match purged {
                Ok(0) => {}
                Ok(n) => log::info!("purged {n} expired tokens"),
                Err(e) => log::warn!("token purge failed: {e}"),
            }
        }
    });
}
