//! `jedel.medevac.v1.Medevac`: medical-aviation requests, documents, approvals, airline tasking, flight following.
//!
//! The API is complete in `proto/jedel/medevac/v1`; this service's behaviour is built in
//! issue #6. Until then its RPCs are served, authenticated, and answer `Unimplemented`.

use jedel_api::medevac::v1::medevac_server::{Medevac, MedevacServer};
use jedel_platform::Context;

/// The medevac service.
#[derive(Clone)]
pub struct MedevacService {
    _context: Context,
}

impl MedevacService {
    /// The service over the shared storage and bus.
    pub fn new(context: Context) -> Self {
        MedevacService { _context: context }
    }
}

#[tonic::async_trait]
impl Medevac for MedevacService {}

/// The gRPC server for this service, for the harness to wrap and serve.
pub fn server(context: Context) -> MedevacServer<MedevacService> {
    MedevacServer::new(MedevacService::new(context))
}
