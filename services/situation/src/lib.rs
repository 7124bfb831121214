//! `jedel.situation.v1.SituationCentre`: live national, regional and station metrics, and period reports.
//!
//! The API is complete in `proto/jedel/situation/v1`; this service's behaviour is built in
//! issue #7. Until then its RPCs are served, authenticated, and answer `Unimplemented`.

use jedel_api::situation::v1::situation_centre_server::{SituationCentre, SituationCentreServer};
use jedel_platform::Context;

/// The situation service.
#[derive(Clone)]
pub struct SituationCentreService {
    _context: Context,
}

impl SituationCentreService {
    /// The service over the shared storage and bus.
    pub fn new(context: Context) -> Self {
        SituationCentreService { _context: context }
    }
}

#[tonic::async_trait]
impl SituationCentre for SituationCentreService {}

/// The gRPC server for this service, for the harness to wrap and serve.
pub fn server(context: Context) -> SituationCentreServer<SituationCentreService> {
    SituationCentreServer::new(SituationCentreService::new(context))
}
