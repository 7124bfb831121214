//! `jedel.dispatch.v1.Dispatcher`: live units, ranked recommendations, assignments, norm clocks,
//! destination hospitals, air tasking options.
//!
//! The rules are the deterministic engine in `jedel_core::dispatch`, shared with the simulator;
//! this crate wraps it with storage, event following and gRPC:
//! - `actor`: the one task that owns the engine, applies commands in turn with the wall clock
//!   read at the edge, and commits each change (rows, events, the call's timeline in Intake,
//!   audit) in one transaction; a 1-second tick runs the norm clocks;
//! - `follow`: Intake's call events and the Registry's brigade, station, hospital and region
//!   events, followed from the sequence the engine was built at;
//! - `grpc` (access, checks, conversion), `details` (request fields), `convert` (engine → API),
//!   `watch` (WatchUnits, WatchAlerts), `store` (the `dispatch_*` tables), `reference` and
//!   `calls` (read-only SQL over the Registry's and Intake's tables), `positions` (throttled
//!   write-through of live positions to the database or Redis), `events`, `metrics`, `error`;
//! - `air`: RankAircraft, air tasking options over the Registry's aviation records.

mod actor;
pub mod air;
mod calls;
mod convert;
mod details;
pub mod error;
pub mod events;
mod follow;
mod grpc;
mod metrics;
mod positions;
mod reference;
mod store;
mod watch;

use jedel_api::dispatch::v1::dispatcher_server::DispatcherServer;
use jedel_platform::Context;

pub use error::DispatchServiceError;
pub use grpc::DispatcherService;

/// How the dispatcher is deployed beyond the shared [`Context`].
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Redis URL and key prefix for live positions; `None` keeps them in the database.
    pub redis: Option<(String, String)>,
}

impl Config {
    /// Positions in Redis when the deployment has a Redis URL (under `prefix`), else in the
    /// database.
    pub fn with_redis(url: Option<String>, prefix: impl Into<String>) -> Config {
        Config { redis: url.map(|url| (url, prefix.into())) }
    }
}

/// The gRPC server for this service on the embedded defaults (positions in the database).
/// The engine task starts at once and builds itself from storage; requests wait for it.
pub fn server(context: Context) -> DispatcherServer<DispatcherService> {
    server_with(context, Config::default())
}

/// The gRPC server for this service with a deployment [`Config`] (Redis for positions).
pub fn server_with(context: Context, config: Config) -> DispatcherServer<DispatcherService> {
    let metrics = metrics::DispatchMetrics::register(&context.metrics);
    let handle = actor::spawn(context.clone(), actor::PositionConfig { redis: config.redis }, metrics.clone());
    DispatcherServer::new(DispatcherService::new(context, handle, metrics))
}
