//! `jedel.medevac.v1.Medevac`: medical-aviation requests from regional coordinating doctors,
//! their documents, review and approval by the national medevac centre (NCCEM), aircraft
//! choice and airline tasking, the message threads with airlines, and flight following.
//!
//! The rules are pure and live in `jedel_core` (`medevac`: the workflow, flight plans and
//! schedules, document rules, flight-following alerts; `icd10`; `eligibility`, shared with
//! the registry); this crate wraps them with storage and gRPC.
//!
//! Layout: `grpc` (the trait implementation, one module per area: access, checks,
//! conversion), `access` (who may do what), `details` (request fields → checked records),
//! `requests` (create and the one change path every step takes), `taskings` (aircraft choice
//! and the airline's steps), `documents`, `messages`, `following` (positions and alerts),
//! `watch` (WatchRequests, WatchFlightAlerts), `model` (records, personal data kept apart),
//! `store` (SQL, including read-only queries on the registry's tables), `events`, `convert`,
//! `paging`, `metrics`, `error`.

mod access;
mod convert;
mod details;
mod documents;
pub mod error;
pub mod events;
mod following;
mod grpc;
mod messages;
mod metrics;
pub mod model;
mod paging;
mod requests;
mod store;
mod taskings;
mod watch;

use jedel_api::medevac::v1::medevac_server::MedevacServer;
use jedel_platform::Context;

pub use error::MedevacError;
pub use grpc::{MedevacService, Settings};

/// The gRPC server for this service, for the harness to wrap and serve. Starts following
/// flights on a timer, so call it inside the runtime.
pub fn server(context: Context) -> MedevacServer<MedevacService> {
    let service = MedevacService::new(context);
    service.keep_following_flights();
    MedevacServer::new(service)
}
