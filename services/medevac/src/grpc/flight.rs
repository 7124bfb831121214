//! Flight following and the watches: positions in, the track out, and the request and alert
//! streams.

use futures::StreamExt as _;
use jedel_api::medevac::v1 as pb;
use jedel_api::{ApiError, Violations};
use jedel_core::aviation::AirlineCode;
use jedel_platform::time::now_micros;
use jedel_platform::{Caller, Role};
use tonic::codegen::BoxStream;
use tonic::{Request, Response, Status, Streaming};
use tracing::info;

use super::MedevacService;
use super::requests::{optional_region, statuses};
use crate::access::{self, FLIGHT_READERS, FLIGHT_REPORTERS};
use crate::convert::position_to_proto;
use crate::details::{self, finish};
use crate::error::MedevacError;
use crate::following;
use crate::store::{self, TaskingFilter};
use crate::watch::{self, AlertWatch, RequestWatch};

impl MedevacService {
    pub(super) async fn positions(
        &self,
        request: Request<Streaming<pb::StreamFlightPositionsRequest>>,
    ) -> Result<Response<pb::StreamFlightPositionsResponse>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(FLIGHT_REPORTERS)?;
        let mut stream = request.into_inner();
        let (mut accepted, mut rejected) = (0_u64, 0_u64);
        while let Some(message) = stream.next().await {
            let message = message?;
            let (a, r) = following::record(&self.context.db, &caller, &message.positions, now_micros()).await?;
            accepted += a;
            rejected += r;
        }
        self.metrics.positions(accepted, rejected);
        info!(accepted, rejected, "flight positions received");
        Ok(Response::new(pb::StreamFlightPositionsResponse {
            accepted_count: accepted as i64,
            rejected_count: rejected as i64,
        }))
    }

    pub(super) async fn track(
        &self,
        request: Request<pb::GetFlightTrackRequest>,
    ) -> Result<Response<pb::FlightTrack>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(FLIGHT_READERS)?;
        let id = details::record_id(&request.get_ref().medevac_request_id)
            .map_err(|e| ApiError::invalid("medevac_request_id", e))?;
        let reader = self.context.db.reader();
        let taskings = if caller.role == Role::Airline {
            let filter = TaskingFilter {
                airline: Some(access::own_airline(&caller)?),
                offered_only: true,
                request_id: Some(id.clone()),
                from: i64::MIN,
                to: i64::MAX,
                ..TaskingFilter::default()
            };
            let own: Vec<String> =
                store::list_taskings(reader, &filter, None, 1_000).await?.into_iter().map(|t| t.id).collect();
            if own.is_empty() {
                return Err(MedevacError::NotFound { entity: "request", id }.into());
            }
            Some(own)
        } else {
            self.visible_request(&caller, &id).await?;
            None
        };
        let positions = store::positions::track(reader, &id, taskings.as_deref()).await?;
        Ok(Response::new(pb::FlightTrack {
            medevac_request_id: id,
            positions: positions.iter().map(position_to_proto).collect(),
        }))
    }

    pub(super) async fn watch(
        &self,
        request: Request<pb::WatchRequestsRequest>,
    ) -> Result<Response<BoxStream<pb::RequestEvent>>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(FLIGHT_READERS)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let region = optional_region(&r.region_code, &mut v);
        let statuses = statuses(&r.statuses, "statuses", &mut v);
        let (region, statuses) = finish(v, region.zip(statuses))?;
        let airline = match caller.role {
            Role::Airline => Some(access::own_airline(&caller)?),
            _ => None,
        };
        let filter = RequestWatch {
            regions: access::region_scope(&caller, region.as_ref())?,
            statuses,
            airline,
            drafts: caller.role == Role::Coordinator,
        };
        info!(after_sequence = r.after_sequence, "request watch opened");
        Ok(Response::new(watch::watch_requests(self.context.clone(), filter, r.after_sequence).await?))
    }

    pub(super) async fn watch_alerts(
        &self,
        request: Request<pb::WatchFlightAlertsRequest>,
    ) -> Result<Response<BoxStream<pb::FlightAlert>>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(FLIGHT_READERS)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let region = optional_region(&r.region_code, &mut v);
        let airline = match (caller.role, r.airline_code.as_str()) {
            (Role::Airline, _) => Some(Some(access::own_airline(&caller)?)),
            (_, "") => Some(None),
            (_, code) => v.check("airline_code", AirlineCode::parse(code)).map(|c| Some(c.as_str().to_string())),
        };
        let (region, airline) = finish(v, region.zip(airline))?;
        let filter = AlertWatch { regions: access::region_scope(&caller, region.as_ref())?, airline };
        info!(after_sequence = r.after_sequence, "flight alert watch opened");
        Ok(Response::new(watch::watch_alerts(self.context.clone(), filter, r.after_sequence).await?))
    }
}
