//! The `jedel.dispatch.v1.Dispatcher` trait implementation: for each RPC, who may call it, the
//! request checked whole (every bad field reported at once), the engine command or read sent to
//! the engine task, and the answer converted back. Handlers log ids, statuses and categories.
//!
//! Access: dispatchers act (status, assignments) on the calls and units of the regions in their
//! token; call-takers may also ask for recommendations in their regions; coordinators read. The
//! NCCEM, the situation centre and administrators read nationwide; administrators set region
//! policies, and with dispatchers feed positions (a tracker gateway). Airlines have no access.

use std::collections::HashMap;

use futures::StreamExt as _;
use jedel_api::dispatch::v1 as pb;
use jedel_api::dispatch::v1::dispatcher_server::Dispatcher;
use jedel_api::{ApiError, Violations};
use jedel_core::dispatch::{
    AssignRequest, CallId, Command, DestinationNeeds, Fix, PositionRejection, PositionReport, RankOptions,
    ReassignRequest, RedispatchRequest, ReleaseRequest, Reply, StatusChange, Unit, UnitId, UnitStatus,
};
use jedel_core::local_time::Micros;
use jedel_core::{LatLon, RegionCode};
use jedel_platform::{Caller, Context, Role};
use tonic::codegen::BoxStream;
use tonic::{Request, Response, Status, Streaming};
use tracing::{info, instrument};

use crate::actor::{Applied, CommandContext, Followed, Handle, World, actor_of};
use crate::calls;
use crate::convert;
use crate::details::{self, finish};
use crate::error::DispatchServiceError;
use crate::metrics::DispatchMetrics;
use crate::reference::nearest;
use crate::store;
use crate::watch::{self, AlertFilter, UnitFilter};

/// Roles that read units, queues, policies, alerts and destinations.
const READERS: &[Role] =
    &[Role::CallTaker, Role::Dispatcher, Role::Coordinator, Role::MedevacDispatcher, Role::Situation, Role::Admin];
/// Roles that act on units and assignments.
const DISPATCHERS: &[Role] = &[Role::Dispatcher];
/// Roles that may ask for a recommendation.
const RECOMMENDERS: &[Role] =
    &[Role::Dispatcher, Role::CallTaker, Role::MedevacDispatcher, Role::Situation, Role::Admin];
/// Roles that feed positions.
const TRACKERS: &[Role] = &[Role::Dispatcher, Role::Admin];
/// Roles that set region policies.
const POLICY_WRITERS: &[Role] = &[Role::Admin];
/// Most position reports one StreamPositions message may carry.
const MAX_REPORTS: usize = 1_000;

/// The audit name of each RPC; also the idempotency scope of the creating ones.
pub mod rpc {
    /// UpdateUnitStatus.
    pub const UPDATE_UNIT_STATUS: &str = "Dispatcher/UpdateUnitStatus";
    /// Recommend.
    pub const RECOMMEND: &str = "Dispatcher/Recommend";
    /// Assign.
    pub const ASSIGN: &str = "Dispatcher/Assign";
    /// Reassign.
    pub const REASSIGN: &str = "Dispatcher/Reassign";
    /// Release.
    pub const RELEASE: &str = "Dispatcher/Release";
    /// Redispatch.
    pub const REDISPATCH: &str = "Dispatcher/Redispatch";
    /// SetDispatchPolicy.
    pub const SET_POLICY: &str = "Dispatcher/SetDispatchPolicy";
}

/// The dispatch service.
#[derive(Clone)]
pub struct DispatcherService {
    context: Context,
    handle: Handle,
    metrics: DispatchMetrics,
}

/// Regions a read covers: the one asked for (which must be in scope), else every region in the
/// caller's scope (`None` = all, for national roles).
fn scope(caller: &Caller, region: Option<RegionCode>) -> Result<Option<Vec<String>>, ApiError> {
    match region {
        Some(code) => {
            caller.require_region(code.as_str())?;
            Ok(Some(vec![code.to_string()]))
        }
        None if caller.role.is_national() => Ok(None),
        None => Ok(Some(caller.regions.clone())),
    }
}

fn reply_assignment(applied: Applied) -> Result<pb::Assignment, ApiError> {
    match applied.reply {
        Reply::Assignment(a) => Ok(convert::assignment(&a)),
        other => Err(ApiError::Internal(format!("the engine answered {other:?} to an assignment"))),
    }
}

fn rejection(reason: PositionRejection) -> pb::RejectionReason {
    match reason {
        PositionRejection::UnknownUnit => pb::RejectionReason::UnknownUnit,
        PositionRejection::InvalidValue => pb::RejectionReason::InvalidValue,
        PositionRejection::FutureTime => pb::RejectionReason::FutureTime,
        PositionRejection::Stale => pb::RejectionReason::Stale,
    }
}

fn rejection_label(reason: pb::RejectionReason) -> &'static str {
    match reason {
        pb::RejectionReason::UnknownUnit => "unknown_unit",
        pb::RejectionReason::NotPermitted => "not_permitted",
        pb::RejectionReason::OutOfBounds => "out_of_bounds",
        pb::RejectionReason::InvalidValue => "invalid_value",
        pb::RejectionReason::FutureTime => "future_time",
        pb::RejectionReason::Stale => "stale",
        pb::RejectionReason::Unspecified => "unspecified",
    }
}

/// A check that the call is open in dispatch and in the caller's scope.
fn call_in_scope(caller: &Caller, call: &CallId, why_not: Option<String>) -> crate::actor::Check {
    let (caller, call) = (caller.clone(), call.clone());
    Box::new(move |world: &World| match world.engine.call(&call) {
        Some(view) => caller.require_region(view.spec.region.as_str()),
        None => Err(ApiError::NotFound(
            why_not.unwrap_or_else(|| format!("call {call} is not open for dispatch (unknown or ended)")),
        )),
    })
}

/// A check that the assignment is active and its call in the caller's scope.
fn assignment_in_scope(caller: &Caller, id: &jedel_core::dispatch::AssignmentId) -> crate::actor::Check {
    let (caller, id) = (caller.clone(), id.clone());
    Box::new(move |world: &World| {
        let Some(assignment) = world.engine.assignment(&id) else {
            return Err(ApiError::NotFound(format!("active assignment {id} not found")));
        };
        match world.engine.call(&assignment.call) {
            Some(view) => caller.require_region(view.spec.region.as_str()),
            None => Ok(()),
        }
    })
}

impl DispatcherService {
    /// The service over the shared storage and bus and the running engine task.
    pub fn new(context: Context, handle: Handle, metrics: DispatchMetrics) -> Self {
        DispatcherService { context, handle, metrics }
    }

    /// Makes sure the engine has caught up with Intake on `call`: when the call is open in
    /// Intake but not yet in the engine (its event not followed yet), hands it over now, ahead
    /// of the command that needs it. Returns why the call cannot be dispatched, when it cannot.
    async fn ensure_call(&self, id: &CallId) -> Result<Option<String>, DispatchServiceError> {
        if self
            .handle
            .read({
                let id = id.clone();
                move |world| world.engine.call(&id).is_some()
            })
            .await?
        {
            return Ok(None);
        }
        let Some(call) = calls::by_id(self.context.db.reader(), id.as_str()).await? else {
            return Ok(Some(format!("call {id} does not exist")));
        };
        let why = if call.status().is_terminal() {
            Some(format!("call {id} is {}; it is no longer dispatched", call.status()))
        } else if call.category.is_none() {
            Some(format!("call {id} has no category yet; categorise it first"))
        } else if call.position.is_none() {
            Some(format!("call {id} has no scene position yet; add its location first"))
        } else {
            None
        };
        if why.is_none() {
            self.handle.follow(Followed::Call(Box::new(call))).await?;
        }
        Ok(why)
    }

    /// Turns "no active assignment" into "it has ended" when storage knows it.
    async fn explain_assignment(&self, error: DispatchServiceError, id: &str) -> DispatchServiceError {
        if let DispatchServiceError::Api(ApiError::NotFound(_)) = &error
            && let Ok(Some(assignment)) = store::assignment(self.context.db.reader(), id).await
        {
            let state = format!("{:?}", assignment.state).to_lowercase();
            return ApiError::FailedPrecondition(format!(
                "assignment {id} has ended ({state}); it can no longer change"
            ))
            .into();
        }
        error
    }

    /// The fastest air option to the patient of `call`, flown on to the best-suited hospital,
    /// when it reaches the patient sooner than the best ground unit (`best_ground`, µs). Air
    /// tasking failing never fails a recommendation: it is logged and left out.
    async fn air_option(&self, call: &CallId, best_ground: Option<Micros>) -> Option<pb::AirOption> {
        let intake = calls::by_id(self.context.db.reader(), call.as_str()).await.ok().flatten()?;
        let scene = intake.position.and_then(|p| LatLon::parse(p.lat, p.lon).ok())?;
        let region = RegionCode::parse(&intake.region_code).ok()?;
        let needs = DestinationNeeds {
            profiles: intake.triage.as_ref().map(|t| t.hospital_profiles.clone()).unwrap_or_default(),
            ..DestinationNeeds::default()
        };
        let now = jedel_platform::time::now_micros();
        let hospital = self
            .handle
            .read(move |world| {
                let area = nearest(&world.stations, scene).map_or(jedel_core::dispatch::AreaType::City, |s| s.area);
                world.engine.choose_destination(now, scene, &region, area, &needs, 1).into_iter().next()
            })
            .await
            .ok()
            .flatten()?;
        let request = pb::RankAircraftRequest {
            medevac_request_id: String::new(),
            mission_type: pb::MissionType::PatientTransport as i32,
            origin: Some(pb::Place { position: Some(convert::lat_lon(scene)), ..Default::default() }),
            destination: Some(pb::Place { hospital_id: hospital.hospital.id.to_string(), ..Default::default() }),
            needs: Some(pb::PatientNeeds {
                medical_module: pb::MedicalModule::Basic as i32,
                stretcher: true,
                ..Default::default()
            }),
            urgency: pb::AirUrgency::Emergency as i32,
            start_at: None,
            limit: 1,
        };
        let system = Caller::system(crate::actor::SYSTEM_SUBJECT);
        let ranked = match crate::air::rank_aircraft(&self.context, &system, request).await {
            Ok(ranked) => ranked,
            Err(e) => {
                tracing::warn!(call_id = %call, error = %e, "no air option for the recommendation");
                return None;
            }
        };
        let option = ranked.options.into_iter().next()?;
        let to_patient = option.time_to_patient.as_ref().map(|d| d.seconds * 1_000_000 + i64::from(d.nanos) / 1_000)?;
        best_ground.is_none_or(|ground| to_patient < ground).then_some(option)
    }

    async fn units_of(&self, ids: Vec<UnitId>) -> Result<Vec<Option<Unit>>, DispatchServiceError> {
        self.handle.read(move |world| ids.iter().map(|id| world.engine.unit(id).cloned()).collect()).await
    }
}

#[tonic::async_trait]
impl Dispatcher for DispatcherService {
    #[instrument(skip_all)]
    async fn get_unit(&self, request: Request<pb::GetUnitRequest>) -> Result<Response<pb::Unit>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(READERS)?;
        let id = details::unit_id(&request.get_ref().id).map_err(|e| ApiError::invalid("id", e))?;
        let unit = self.handle.read({
            let id = id.clone();
            move |world| world.engine.unit(&id).cloned()
        });
        let unit = unit.await?.ok_or_else(|| ApiError::NotFound(format!("unit {id} does not exist")))?;
        caller.require_region(unit.spec.region.as_str())?;
        Ok(Response::new(convert::unit(&unit)))
    }

    #[instrument(skip_all)]
    async fn list_units(
        &self,
        request: Request<pb::ListUnitsRequest>,
    ) -> Result<Response<pb::ListUnitsResponse>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(READERS)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let size = v.check("page_size", details::page_size(r.page_size));
        let after = v.check("page_token", details::decode_units_token(&r.page_token));
        let region = details::optional_region(&r.region_code, &mut v);
        let statuses = details::statuses(&r.statuses, "statuses", &mut v);
        let kinds = details::kinds(&r.kinds, "kinds", &mut v);
        let ((size, after), (region, (statuses, kinds))) =
            finish(v, size.zip(after).zip(region.zip(statuses.zip(kinds))))?;
        let regions = scope(&caller, region)?;
        let station = r.station_id;
        let mut units = self
            .handle
            .read(move |world| {
                world
                    .engine
                    .units()
                    .filter(|u| regions.as_ref().is_none_or(|r| r.iter().any(|r| r == u.spec.region.as_str())))
                    .filter(|u| station.is_empty() || u.spec.station_id == station)
                    .filter(|u| statuses.is_empty() || statuses.contains(&u.status))
                    .filter(|u| kinds.is_empty() || kinds.contains(&u.spec.kind))
                    .filter(|u| after.as_ref().is_none_or(|a| u.spec.call_sign.as_str() > a.as_str()))
                    .cloned()
                    .collect::<Vec<Unit>>()
            })
            .await
            .map_err(Status::from)?;
        units.sort_by(|a, b| a.spec.call_sign.cmp(&b.spec.call_sign));
        let next_page_token = if units.len() > size {
            units.truncate(size);
            units.last().map(|u| details::encode_units_token(&u.spec.call_sign)).unwrap_or_default()
        } else {
            String::new()
        };
        Ok(Response::new(pb::ListUnitsResponse { units: units.iter().map(convert::unit).collect(), next_page_token }))
    }

    #[instrument(skip_all)]
    async fn update_unit_status(
        &self,
        request: Request<pb::UpdateUnitStatusRequest>,
    ) -> Result<Response<pb::Unit>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(DISPATCHERS)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let id = v.check("id", details::unit_id(&r.id));
        let version = v.check("expected_version", details::expected_version(r.expected_version));
        let status = match UnitStatus::from_number(r.status) {
            Some(UnitStatus::Assigned) => {
                v.add("status", "assigned is set by Assign, not here");
                None
            }
            Some(status) => Some(status),
            None => {
                v.add("status", "is required: one of the UNIT_STATUS_ values");
                None
            }
        };
        let reason = v.check("reason", details::reason(&r.reason));
        let changed_at = v.check("changed_at", details::timestamp(r.changed_at.as_ref()));
        let position = match &r.position {
            None => Some(None),
            Some(p) => details::position(p, "position", &mut v).map(Some),
        };
        let ((id, version), ((status, reason), (changed_at, position))) =
            finish(v, id.zip(version).zip(status.zip(reason).zip(changed_at.zip(position))))?;
        let fix = position.map(|position| Fix {
            position,
            recorded_at: changed_at.unwrap_or_else(jedel_platform::time::now_micros),
            speed_kmh: None,
            heading_deg: None,
        });
        let change = StatusChange { unit: id.clone(), status, reason, expected_version: version, changed_at, fix };
        let mut context = CommandContext::new(caller.clone(), rpc::UPDATE_UNIT_STATUS);
        context.check = Some(Box::new(move |world: &World| match world.engine.unit(&id) {
            Some(unit) => caller.require_region(unit.spec.region.as_str()),
            None => Err(ApiError::NotFound(format!("unit {id} does not exist"))),
        }));
        let applied = self.handle.command(Command::SetStatus(change), context).await?;
        let Reply::Unit(unit) = applied.reply else {
            return Err(ApiError::Internal("the engine answered a status change without the unit".into()).into());
        };
        info!(unit_id = %unit.spec.id, status = %unit.status, call_id = ?unit.call.as_ref().map(|c| c.to_string()), "unit status changed");
        Ok(Response::new(convert::unit(&unit)))
    }

    #[instrument(skip_all)]
    async fn stream_positions(
        &self,
        request: Request<Streaming<pb::StreamPositionsRequest>>,
    ) -> Result<Response<pb::StreamPositionsResponse>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(TRACKERS)?;
        let mut stream = request.into_inner();
        // Which units the caller may report for, taken once: units do not change region often.
        let regions: Option<HashMap<UnitId, RegionCode>> = if caller.role.is_national() {
            None
        } else {
            Some(
                self.handle
                    .read(|world| world.engine.units().map(|u| (u.spec.id.clone(), u.spec.region.clone())).collect())
                    .await?,
            )
        };
        let mut accepted = 0u64;
        let mut rejected: HashMap<pb::RejectionReason, u64> = HashMap::new();
        while let Some(message) = stream.next().await {
            let message = message?;
            let mut reports = Vec::with_capacity(message.reports.len().min(MAX_REPORTS));
            for (i, report) in message.reports.iter().enumerate() {
                let verdict = if i >= MAX_REPORTS {
                    Err(pb::RejectionReason::InvalidValue)
                } else {
                    check_report(report, &caller, regions.as_ref())
                };
                match verdict {
                    Ok(report) => reports.push(report),
                    Err(reason) => *rejected.entry(reason).or_default() += 1,
                }
            }
            if reports.is_empty() {
                continue;
            }
            for answer in self.handle.positions(reports).await? {
                match answer {
                    None => accepted += 1,
                    Some(reason) => *rejected.entry(rejection(reason)).or_default() += 1,
                }
            }
        }
        self.metrics.positions("accepted", accepted);
        let mut rejections: Vec<pb::RejectionCount> = rejected
            .into_iter()
            .map(|(reason, count)| {
                self.metrics.positions(rejection_label(reason), count);
                pb::RejectionCount { reason: reason as i32, count }
            })
            .collect();
        rejections.sort_by_key(|r| r.reason);
        let total = rejections.iter().map(|r| r.count).sum();
        info!(accepted, rejected = total, "position stream closed");
        Ok(Response::new(pb::StreamPositionsResponse { accepted, rejected: total, rejections }))
    }

    #[instrument(skip_all)]
    async fn watch_units(
        &self,
        request: Request<pb::WatchUnitsRequest>,
    ) -> Result<Response<BoxStream<pb::UnitEvent>>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(READERS)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let region = details::optional_region(&r.region_code, &mut v);
        let kinds = details::kinds(&r.kinds, "kinds", &mut v);
        let (region, kinds) = finish(v, region.zip(kinds))?;
        let filter = UnitFilter { regions: scope(&caller, region)?, kinds };
        info!(after_sequence = r.after_sequence, positions = r.include_positions, "unit watch opened");
        let stream = watch::watch_units(
            self.context.clone(),
            self.handle.clone(),
            filter,
            r.after_sequence,
            r.include_positions,
        )
        .await?;
        Ok(Response::new(stream))
    }

    #[instrument(skip_all)]
    async fn recommend(
        &self,
        request: Request<pb::RecommendRequest>,
    ) -> Result<Response<pb::RecommendResponse>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(RECOMMENDERS)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let call = v.check("call_id", details::call_id(&r.call_id));
        let limit = v.check("limit", details::limit(r.limit));
        let (call, limit) = finish(v, call.zip(limit))?;
        let why_not = self.ensure_call(&call).await?;
        let mut context = CommandContext::new(caller.clone(), rpc::RECOMMEND);
        context.check = Some(call_in_scope(&caller, &call, why_not));
        context.record_recommended = caller.role == Role::Dispatcher;
        let options = RankOptions { limit, include_cross_border: r.include_cross_border, include_air: r.include_air };
        let applied = self.handle.command(Command::Recommend { call: call.clone(), options }, context).await?;
        let Reply::Recommendation(recommendation) = applied.reply else {
            return Err(ApiError::Internal("the engine answered a recommendation without one".into()).into());
        };
        let units = self.units_of(recommendation.candidates.iter().map(|c| c.unit.clone()).collect()).await?;
        let mut response = convert::recommend_response(&recommendation, &units);
        if recommendation.consider_air {
            let best_ground = recommendation.candidates.first().map(|c| c.eta);
            response.air_option = self.air_option(&call, best_ground).await;
        }
        info!(
            call_id = %call,
            candidates = recommendation.candidates.len(),
            no_unit_meets_norm = recommendation.no_unit_meets_norm,
            air_option = response.air_option.is_some(),
            "units recommended"
        );
        Ok(Response::new(response))
    }

    #[instrument(skip_all)]
    async fn assign(&self, request: Request<pb::AssignRequest>) -> Result<Response<pb::Assignment>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(DISPATCHERS)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let request_id = v.check("request_id", details::request_id(&r.request_id));
        let call = v.check("call_id", details::call_id(&r.call_id));
        let unit = v.check("unit_id", details::unit_id(&r.unit_id));
        let recommendation = v.check("recommendation_id", details::recommendation_id(&r.recommendation_id));
        let reason = v.check("reason", details::reason(&r.reason));
        let ((request_id, call), ((unit, recommendation), reason)) =
            finish(v, request_id.zip(call).zip(unit.zip(recommendation).zip(reason)))?;
        let why_not = self.ensure_call(&call).await?;
        let mut context = CommandContext::new(caller.clone(), rpc::ASSIGN);
        context.check = Some(call_in_scope(&caller, &call, why_not));
        context.idempotency = Some((rpc::ASSIGN, request_id));
        let command = Command::Assign(AssignRequest { call, unit, recommendation, reason, actor: actor_of(&caller) });
        let assignment = reply_assignment(self.handle.command(command, context).await?)?;
        info!(assignment_id = %assignment.id, call_id = %assignment.call_id, unit_id = %assignment.unit_id, rank = assignment.recommendation_rank, "unit assigned");
        Ok(Response::new(assignment))
    }

    #[instrument(skip_all)]
    async fn reassign(&self, request: Request<pb::ReassignRequest>) -> Result<Response<pb::Assignment>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(DISPATCHERS)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let request_id = v.check("request_id", details::request_id(&r.request_id));
        let assignment = v.check("assignment_id", details::assignment_id(&r.assignment_id));
        let unit = v.check("unit_id", details::unit_id(&r.unit_id));
        let reason = v.check("reason", details::required_reason(&r.reason));
        let ((request_id, assignment), (unit, reason)) = finish(v, request_id.zip(assignment).zip(unit.zip(reason)))?;
        let mut context = CommandContext::new(caller.clone(), rpc::REASSIGN);
        context.check = Some(assignment_in_scope(&caller, &assignment));
        context.idempotency = Some((rpc::REASSIGN, request_id));
        let command = Command::Reassign(ReassignRequest {
            assignment: assignment.clone(),
            unit,
            reason: Some(reason),
            actor: actor_of(&caller),
        });
        let applied = match self.handle.command(command, context).await {
            Ok(applied) => applied,
            Err(e) => return Err(self.explain_assignment(e, assignment.as_str()).await.into()),
        };
        let new = reply_assignment(applied)?;
        info!(assignment_id = %new.id, previous_assignment_id = %assignment, unit_id = %new.unit_id, "unit reassigned");
        Ok(Response::new(new))
    }

    #[instrument(skip_all)]
    async fn release(&self, request: Request<pb::ReleaseRequest>) -> Result<Response<pb::Assignment>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(DISPATCHERS)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let assignment = v.check("assignment_id", details::assignment_id(&r.assignment_id));
        let version = v.check("expected_version", details::expected_version(r.expected_version));
        let reason = v.check("reason", details::required_reason(&r.reason));
        let (assignment, (version, reason)) = finish(v, assignment.zip(version.zip(reason)))?;
        let mut context = CommandContext::new(caller.clone(), rpc::RELEASE);
        context.check = Some(assignment_in_scope(&caller, &assignment));
        let command = Command::Release(ReleaseRequest {
            assignment: assignment.clone(),
            expected_version: version,
            reason: Some(reason),
            actor: actor_of(&caller),
        });
        let applied = match self.handle.command(command, context).await {
            Ok(applied) => applied,
            Err(e) => return Err(self.explain_assignment(e, assignment.as_str()).await.into()),
        };
        let ended = reply_assignment(applied)?;
        info!(assignment_id = %ended.id, call_id = %ended.call_id, unit_id = %ended.unit_id, "unit released");
        Ok(Response::new(ended))
    }

    #[instrument(skip_all)]
    async fn redispatch(&self, request: Request<pb::RedispatchRequest>) -> Result<Response<pb::Assignment>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(DISPATCHERS)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let request_id = v.check("request_id", details::request_id(&r.request_id));
        let unit = v.check("unit_id", details::unit_id(&r.unit_id));
        let call = v.check("call_id", details::call_id(&r.call_id));
        let reason = v.check("reason", details::reason(&r.reason));
        let ((request_id, unit), (call, reason)) = finish(v, request_id.zip(unit).zip(call.zip(reason)))?;
        let why_not = self.ensure_call(&call).await?;
        let mut context = CommandContext::new(caller.clone(), rpc::REDISPATCH);
        context.check = Some(call_in_scope(&caller, &call, why_not));
        context.idempotency = Some((rpc::REDISPATCH, request_id));
        let command = Command::Redispatch(RedispatchRequest { unit, call, reason, actor: actor_of(&caller) });
        let assignment = reply_assignment(self.handle.command(command, context).await?)?;
        info!(assignment_id = %assignment.id, call_id = %assignment.call_id, unit_id = %assignment.unit_id, "unit redispatched");
        Ok(Response::new(assignment))
    }

    #[instrument(skip_all)]
    async fn get_queue(&self, request: Request<pb::GetQueueRequest>) -> Result<Response<pb::GetQueueResponse>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(READERS)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let region = details::optional_region(&r.region_code, &mut v);
        let categories = details::categories(&r.categories, "categories", &mut v);
        let (region, categories) = finish(v, region.zip(categories))?;
        let regions = scope(&caller, region)?;
        let (mut queue, computed_at) = self
            .handle
            .read(move |world| {
                let queue: Vec<_> = world
                    .engine
                    .queue(None, &categories)
                    .into_iter()
                    .filter(|q| regions.as_ref().is_none_or(|r| r.iter().any(|r| r == q.spec.region.as_str())))
                    .collect();
                (queue, world.engine.now())
            })
            .await?;
        for (i, call) in queue.iter_mut().enumerate() {
            call.position = i as u32 + 1;
        }
        Ok(Response::new(pb::GetQueueResponse {
            calls: queue.iter().map(convert::queued_call).collect(),
            computed_at: Some(jedel_platform::time::to_timestamp(computed_at)),
        }))
    }

    #[instrument(skip_all)]
    async fn get_dispatch_policy(
        &self,
        request: Request<pb::GetDispatchPolicyRequest>,
    ) -> Result<Response<pb::DispatchPolicy>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(READERS)?;
        let region =
            details::region(&request.get_ref().region_code).map_err(|e| ApiError::invalid("region_code", e))?;
        let code = region.to_string();
        let policy = self
            .handle
            .read(move |world| {
                world.policies.get(&region).map(|meta| convert::policy(&world.engine.policy(&region), meta))
            })
            .await?;
        let policy = policy.ok_or_else(|| ApiError::NotFound(format!("region {code} does not exist")))?;
        Ok(Response::new(policy))
    }

    #[instrument(skip_all)]
    async fn set_dispatch_policy(
        &self,
        request: Request<pb::SetDispatchPolicyRequest>,
    ) -> Result<Response<pb::DispatchPolicy>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(POLICY_WRITERS)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let version = v.check("expected_version", details::expected_version(r.expected_version));
        let Some(policy) = r.policy else {
            v.add("policy", "is required");
            return Err(v.finish().err().unwrap_or_else(|| ApiError::invalid("policy", "is required")).into());
        };
        let region = v.check("policy.region_code", details::region(&policy.region_code));
        let current = match &region {
            Some(region) => {
                let region = region.clone();
                Some(self.handle.read(move |world| world.engine.policy(&region).rules).await?)
            }
            None => None,
        };
        let parsed = match (&region, &current) {
            (Some(region), Some(current)) => convert::policy_from_proto(&policy, region.clone(), current, &mut v),
            _ => None,
        };
        let (version, (region, parsed)) = finish(v, version.zip(region.zip(parsed)))?;
        let mut context = CommandContext::new(caller.clone(), rpc::SET_POLICY);
        let checked = region.clone();
        context.check = Some(Box::new(move |world: &World| {
            let Some(meta) = world.policies.get(&checked) else {
                return Err(ApiError::NotFound(format!("region {checked} does not exist")));
            };
            match version {
                Some(expected) if expected != meta.version => Err(ApiError::FailedPrecondition(format!(
                    "the policy of {checked} is at version {}, not {expected}",
                    meta.version
                ))),
                _ => Ok(()),
            }
        }));
        self.handle.command(Command::SetPolicy(parsed), context).await?;
        let policy = self
            .handle
            .read(move |world| convert::policy(&world.engine.policy(&region), &world.policy_meta(&region)))
            .await?;
        info!(region = %policy.region_code, version = policy.version, "dispatch policy set");
        Ok(Response::new(policy))
    }

    #[instrument(skip_all)]
    async fn watch_alerts(
        &self,
        request: Request<pb::WatchAlertsRequest>,
    ) -> Result<Response<BoxStream<pb::Alert>>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(READERS)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let region = details::optional_region(&r.region_code, &mut v);
        let categories = details::categories(&r.categories, "categories", &mut v);
        let (region, categories) = finish(v, region.zip(categories))?;
        let filter = AlertFilter { regions: scope(&caller, region)?, categories };
        info!(after_sequence = r.after_sequence, "alert watch opened");
        let stream = watch::watch_alerts(self.context.clone(), self.handle.clone(), filter, r.after_sequence).await?;
        Ok(Response::new(stream))
    }

    #[instrument(skip_all)]
    async fn choose_destination(
        &self,
        request: Request<pb::ChooseDestinationRequest>,
    ) -> Result<Response<pb::ChooseDestinationResponse>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(READERS)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let call = match r.call_id.as_str() {
            "" => Some(None),
            id => v.check("call_id", details::call_id(id)).map(Some),
        };
        let position = match &r.position {
            None => Some(None),
            Some(p) => details::position(p, "position", &mut v).map(Some),
        };
        if call == Some(None) && position == Some(None) {
            v.add("position", "is required without call_id");
        }
        let profiles = details::profiles(&r.profiles, "profiles", &mut v);
        let trauma = u8::try_from(r.trauma_level).ok().filter(|l| *l <= 3);
        if trauma.is_none() {
            v.add("trauma_level", "must be 0..3");
        }
        let perinatal = u8::try_from(r.perinatal_level).ok().filter(|l| *l <= 3);
        if perinatal.is_none() {
            v.add("perinatal_level", "must be 0..3");
        }
        let limit = v.check("limit", details::limit(r.limit));
        let ((call, position), ((profiles, limit), (trauma, perinatal))) =
            finish(v, call.zip(position).zip(profiles.zip(limit).zip(trauma.zip(perinatal))))?;
        let mut needs = DestinationNeeds { profiles, trauma_level: trauma, perinatal_level: perinatal };
        // The scene and the profiles from the call, unless the request gives its own.
        let mut scene: Option<(LatLon, Option<RegionCode>)> = position.map(|p| (p, None));
        if let Some(id) = &call {
            let intake = calls::by_id(self.context.db.reader(), id.as_str())
                .await
                .map_err(Status::from)?
                .ok_or_else(|| ApiError::NotFound(format!("call {id} does not exist")))?;
            caller.require_region(&intake.region_code)?;
            if needs.profiles.is_empty() {
                needs.profiles = intake.triage.as_ref().map(|t| t.hospital_profiles.clone()).unwrap_or_default();
            }
            if scene.is_none() {
                let at = intake.position.and_then(|p| LatLon::parse(p.lat, p.lon).ok()).ok_or_else(|| {
                    ApiError::FailedPrecondition(format!("call {id} has no scene position; give position"))
                })?;
                scene = Some((at, RegionCode::parse(&intake.region_code).ok()));
            }
        }
        let Some((from, region)) = scene else {
            return Err(ApiError::invalid("position", "is required without call_id").into());
        };
        let now = jedel_platform::time::now_micros();
        let options = self
            .handle
            .read(move |world| {
                let station = nearest(&world.stations, from);
                let area = station.map_or(jedel_core::dispatch::AreaType::City, |s| s.area);
                let region = region.or_else(|| station.map(|s| s.region.clone()));
                let region = region.unwrap_or_else(|| RegionCode::parse("KZ-71").expect("a valid code"));
                world.engine.choose_destination(now, from, &region, area, &needs, limit)
            })
            .await?;
        Ok(Response::new(pb::ChooseDestinationResponse {
            hospitals: options.iter().map(convert::hospital_option).collect(),
        }))
    }

    #[instrument(skip_all)]
    async fn rank_aircraft(
        &self,
        request: Request<pb::RankAircraftRequest>,
    ) -> Result<Response<pb::RankAircraftResponse>, Status> {
        let caller = Caller::of(&request)?;
        let response = crate::air::rank_aircraft(&self.context, &caller, request.into_inner()).await?;
        Ok(Response::new(response))
    }
}

/// A report checked at the edge: the unit id, the caller's scope, the coordinates and time.
/// Speed, heading, future and stale times are the engine's to judge.
fn check_report(
    report: &pb::PositionReport,
    caller: &Caller,
    regions: Option<&HashMap<UnitId, RegionCode>>,
) -> Result<PositionReport, pb::RejectionReason> {
    let unit = UnitId::parse(&report.unit_id).map_err(|_| pb::RejectionReason::UnknownUnit)?;
    if let Some(regions) = regions
        && let Some(region) = regions.get(&unit)
        && !caller.covers_region(region.as_str())
    {
        return Err(pb::RejectionReason::NotPermitted);
    }
    let position = report.position.as_ref().ok_or(pb::RejectionReason::OutOfBounds)?;
    let position = LatLon::parse(position.lat, position.lon).map_err(|_| pb::RejectionReason::OutOfBounds)?;
    let recorded_at = report
        .recorded_at
        .as_ref()
        .and_then(jedel_platform::time::from_timestamp)
        .ok_or(pb::RejectionReason::InvalidValue)?;
    Ok(PositionReport {
        unit,
        fix: Fix { position, recorded_at, speed_kmh: report.speed_kmh, heading_deg: report.heading_deg },
    })
}
