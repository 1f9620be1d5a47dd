//! The database, on the ground floor: the pool and migrations ([`pool`])
//! and the Diesel schema ([`schema`]) shared by SQLite and PostgreSQL.

pub mod epoch;
pub mod pool;
pub mod schema;

pub use pool::{open, stage, Connection, Db, DbConn, DbPool, PooledConn};
