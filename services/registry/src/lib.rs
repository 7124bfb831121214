//! `jedel.registry.v1.Registry`: regions, stations, brigades, hospitals, airlines, certificates,
//! aircraft, airfields, contracts.
//!
//! Built so far: regions and stations (create, get, update, list) and loading them from the
//! reference data set ([`seed_reference`]). The other RPCs are served, authenticated, and
//! answer `Unimplemented` until they are built.
//!
//! Layout: `grpc` (the trait implementation: access, checks, conversion), `domain` (what a
//! valid record is), `convert` (API messages ↔ registry types), `files` (data-file records),
//! `store` (SQL and the write transactions), `events`, `paging`, `seed`, `error`.

mod convert;
pub mod domain;
pub mod error;
pub mod events;
pub mod files;
mod grpc;
mod paging;
pub mod seed;
mod store;

use jedel_api::registry::v1::registry_server::RegistryServer;
use jedel_platform::Context;

pub use error::RegistryError;
pub use grpc::RegistryService;
pub use seed::{ReferenceData, SeedError, SeedReport, seed_reference};

/// The gRPC server for this service, for the harness to wrap and serve.
pub fn server(context: Context) -> RegistryServer<RegistryService> {
    RegistryServer::new(RegistryService::new(context))
}
