//! The registry's storage: one module per record type, each with its SQL (portable across
//! PostgreSQL and SQLite through sqlx's `Any` driver, static strings only) and its write
//! operations. Every write runs in one [`jedel_platform::Tx`] that also records the change's
//! events and audit row; reads go to the read pool.

pub mod regions;
pub mod stations;

pub use regions::RegionRow;
pub use stations::{StationFilter, StationRow};
