//! `jedel.intake.v1.CallIntake`: calls, triage protocol, urgency category, norms, duplicate and repeat linking, the call timeline.
//!
//! The API is complete in `proto/jedel/intake/v1`; this service's behaviour is built in
//! issue #4. Until then its RPCs are served, authenticated, and answer `Unimplemented`.

use jedel_api::intake::v1::call_intake_server::{CallIntake, CallIntakeServer};
use jedel_platform::Context;

/// The intake service.
#[derive(Clone)]
pub struct CallIntakeService {
    _context: Context,
}

impl CallIntakeService {
    /// The service over the shared storage and bus.
    pub fn new(context: Context) -> Self {
        CallIntakeService { _context: context }
    }
}

#[tonic::async_trait]
impl CallIntake for CallIntakeService {}

/// The gRPC server for this service, for the harness to wrap and serve.
pub fn server(context: Context) -> CallIntakeServer<CallIntakeService> {
    CallIntakeServer::new(CallIntakeService::new(context))
}
