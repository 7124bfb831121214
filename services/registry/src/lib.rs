//! `jedel.registry.v1.Registry`: regions, stations, brigades, hospitals, airlines with their
//! medical-aviation certificates, aircraft, airfields and contracts: create, get, update and
//! list each; bulk import and export of data files; medevac eligibility of an aircraft at a
//! moment; certificates and contracts about to expire (an RPC and a gauge). The whole
//! Kazakhstan reference data set loads through the import path ([`seed_reference`]).
//!
//! Layout: `grpc` (the trait implementation: access, checks, conversion), `domain` (what a
//! valid record is), `convert` (API messages ↔ registry types), `files` (JSON and CSV data
//! files), `records` (each record type as a file has it), `import` (all-or-nothing import,
//! shared by ImportRecords and the seed), `store` (SQL and the one write path), `eligibility`
//! (stored rows judged by `jedel_core::eligibility`), `metrics`, `events`, `paging`, `seed`,
//! `error`.

mod convert;
pub mod domain;
pub mod eligibility;
pub mod error;
pub mod events;
pub mod files;
mod grpc;
pub mod import;
pub mod metrics;
mod paging;
pub mod records;
pub mod seed;
pub mod store;

use jedel_api::registry::v1::registry_server::RegistryServer;
use jedel_platform::Context;

pub use error::RegistryError;
pub use grpc::RegistryService;
pub use seed::{ReferenceData, SeedError, SeedReport, seed_reference};

/// The gRPC server for this service, for the harness to wrap and serve. Starts keeping the
/// expiry gauge current, so call it inside the runtime.
pub fn server(context: Context) -> RegistryServer<RegistryService> {
    let service = RegistryService::new(context);
    service.keep_expiry_gauge_current();
    RegistryServer::new(service)
}
