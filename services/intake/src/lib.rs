//! `jedel.intake.v1.CallIntake`: calls, triage protocol, urgency category, norms, duplicate
//! and repeat linking, the call timeline.
//!
//! The rules are pure and live in `jedel_core` (the triage protocol, response standards, the
//! call lifecycle, IIN and phone parsing, call numbers, duplicate geometry); this crate wraps
//! them with storage and gRPC.
//!
//! Layout: `grpc` (the trait implementation: access, checks, conversion), `details`
//! (request fields → checked values), `calls` (the write operations, one transaction each),
//! `model` (the call record, personal data kept apart), `store` (SQL), `events`, `watch`
//! (WatchCalls), `convert` (records → API messages), `paging`, `metrics`, `error`, and
//! `progress`, through which the Dispatcher advances a call's timeline inside its own
//! transaction.

mod calls;
mod convert;
mod details;
pub mod error;
pub mod events;
mod grpc;
mod metrics;
pub mod model;
mod paging;
pub mod progress;
mod store;
mod watch;

use jedel_api::intake::v1::call_intake_server::CallIntakeServer;
use jedel_platform::Context;

pub use error::IntakeError;
pub use grpc::CallIntakeService;

/// The gRPC server for this service, for the harness to wrap and serve.
pub fn server(context: Context) -> CallIntakeServer<CallIntakeService> {
    CallIntakeServer::new(CallIntakeService::new(context))
}
