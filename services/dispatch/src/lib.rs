//! `jedel.dispatch.v1.Dispatcher`: live units, ranked recommendations, assignments, norm clocks, air tasking options.
//!
//! The API is complete in `proto/jedel/dispatch/v1`; this service's behaviour is built in
//! issue #5. Until then its RPCs are served, authenticated, and answer `Unimplemented`.

use jedel_api::dispatch::v1::dispatcher_server::{Dispatcher, DispatcherServer};
use jedel_platform::Context;

/// The dispatch service.
#[derive(Clone)]
pub struct DispatcherService {
    _context: Context,
}

impl DispatcherService {
    /// The service over the shared storage and bus.
    pub fn new(context: Context) -> Self {
        DispatcherService { _context: context }
    }
}

#[tonic::async_trait]
impl Dispatcher for DispatcherService {}

/// The gRPC server for this service, for the harness to wrap and serve.
pub fn server(context: Context) -> DispatcherServer<DispatcherService> {
    DispatcherServer::new(DispatcherService::new(context))
}
