//! `jedel.situation.v1.SituationCentre`: live national, regional and station metrics, the
//! national indicators against their targets, and period reports.
//!
//! The figures are the pure fold `jedel_core::situation::Figures` over the events table. This
//! crate keeps one live fold in memory (`live`: rebuilt at start by replaying the events from
//! sequence 0, then following `relay::watch`), answers the RPCs from it (`grpc`, `convert`),
//! streams it (WatchMetrics) and mirrors it into Prometheus gauges (`metrics`).

mod convert;
mod grpc;
mod live;
mod metrics;

use jedel_api::situation::v1::situation_centre_server::SituationCentreServer;
use jedel_platform::Context;

pub use grpc::SituationCentreService;
pub use live::Live;

/// The gRPC server for this service, for the harness to wrap and serve. The fold task starts
/// at once and replays the events table; requests see figures as far as it has got.
pub fn server(context: Context) -> SituationCentreServer<SituationCentreService> {
    let live = live::spawn(context.clone());
    metrics::spawn(&context.metrics, live.clone());
    SituationCentreServer::new(SituationCentreService::new(context, live))
}
