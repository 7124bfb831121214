//! Jedel's shared plumbing, used by every service crate and the `jedel` binary: configuration,
//! telemetry, bearer-token auth, the hash-chained audit log, storage with its one-transaction
//! rule (state + event + audit), the event bus and its relay, metrics, and the server harness.

pub mod audit;
pub mod auth;
pub mod bus;
pub mod config;
pub mod db;
pub mod events;
pub mod metrics;
pub mod relay;
pub mod server;
pub mod telemetry;
#[cfg(feature = "testing")]
pub mod testing;
pub mod time;

pub use auth::{Caller, Role};
pub use db::{Db, Tx};
pub use events::{Event, NewEvent};

/// What every service is built on: storage, the event bus, metrics.
#[derive(Clone)]
pub struct Context {
    /// The database.
    pub db: Db,
    /// The event bus.
    pub bus: std::sync::Arc<dyn bus::EventBus>,
    /// The process's metrics.
    pub metrics: std::sync::Arc<metrics::Metrics>,
}
