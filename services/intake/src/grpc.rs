//! The `jedel.intake.v1.CallIntake` trait implementation: for each RPC, who may call it, the
//! request checked whole (every bad field reported at once), the operation run, and the
//! result converted back. Handlers log ids, numbers, statuses and categories, never personal
//! data, and `#[instrument(skip_all)]` keeps requests out of spans.
//!
//! Access: call-takers and dispatchers change calls (only dispatchers record dispatch
//! milestones); they and coordinators see calls of the regions in their token. The NCCEM,
//! the situation centre and administrators read nationwide. Airline operators have no access.

use std::sync::Arc;

use jedel_api::intake::v1 as pb;
use jedel_api::intake::v1::call_intake_server::CallIntake;
use jedel_api::{ApiError, Violations};
use jedel_core::call::{Milestone, OutcomeKind, Progress, UnitRef};
use jedel_core::call_number::local_day;
use jedel_core::local_time::Micros;
use jedel_core::{CallStatus, Category, RegionCode, TeamKind};
use jedel_platform::time::{from_timestamp, now_micros};
use jedel_platform::{Caller, Context, Role};
use tonic::codegen::BoxStream;
use tonic::{Request, Response, Status};
use tracing::{info, instrument};

use crate::calls::{self, DetailsUpdate, Edit, LinkKind, NewCall, Rules, actor_of, rpc};
use crate::convert::{call_to_proto, protocol_to_proto, standard_to_proto};
use crate::details::{self, finish};
use crate::error::IntakeError;
use crate::events;
use crate::metrics::IntakeMetrics;
use crate::model::Outcome;
use crate::paging;
use crate::store::{self, CallFilter};
use crate::watch::{WatchFilter, watch_calls};

/// Roles that take and edit calls.
const WRITERS: &[Role] = &[Role::CallTaker, Role::Dispatcher];
/// Roles that record dispatch milestones.
const DISPATCHERS: &[Role] = &[Role::Dispatcher];
/// Roles that read calls (scoped roles within their regions) and the protocol and standards.
const READERS: &[Role] =
    &[Role::CallTaker, Role::Dispatcher, Role::Coordinator, Role::MedevacDispatcher, Role::Situation, Role::Admin];
/// UTC offset used when a region's is unknown (all of Kazakhstan keeps UTC+5).
const DEFAULT_UTC_OFFSET_MINUTES: i32 = 300;

/// The intake service.
#[derive(Clone)]
pub struct CallIntakeService {
    context: Context,
    rules: Arc<Rules>,
    metrics: IntakeMetrics,
}

impl CallIntakeService {
    /// The service over the shared storage and bus, with the shipped protocol and standards.
    pub fn new(context: Context) -> Self {
        let metrics = IntakeMetrics::register(&context.metrics);
        CallIntakeService { context, rules: Arc::new(Rules::builtin()), metrics }
    }

    /// Regions a read covers: the one asked for (which must be in scope), else every region
    /// in the caller's scope (`None` = all, for national roles).
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

    /// The call with `id` for reading, checked against the caller's scope.
    async fn read_call(&self, caller: &Caller, id: &str) -> Result<crate::model::Call, IntakeError> {
        let call =
            store::by_id(self.context.db.reader(), id).await?.ok_or_else(|| IntakeError::NotFound(id.to_string()))?;
        caller.require_region(&call.region_code)?;
        Ok(call)
    }
}

fn optional_region(value: &str, violations: &mut Violations) -> Option<Option<RegionCode>> {
    match value {
        "" => Some(None),
        code => violations.check("region_code", details::region_code(code)).map(Some),
    }
}

fn categories(values: &[i32], field: &str, violations: &mut Violations) -> Option<Vec<Category>> {
    let mut out = Vec::new();
    for (i, &n) in values.iter().enumerate() {
        out.push(violations.check(&format!("{field}[{i}]"), Category::from_number(i64::from(n)))?);
    }
    Some(out)
}

fn log_call(call: &crate::model::Call, what: &str) {
    info!(
        call_id = %call.id,
        number = %call.number,
        region = %call.region_code,
        status = %call.status(),
        category = call.category.map(|c| c.number()),
        version = call.version,
        "{what}"
    );
}

#[tonic::async_trait]
impl CallIntake for CallIntakeService {
    #[instrument(skip_all)]
    async fn create_call(
        &self,
        request: Request<pb::CreateCallRequest>,
    ) -> Result<Response<pb::CreateCallResponse>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(WRITERS)?;
        let r = request.into_inner();
        let now = now_micros();
        let mut v = Violations::new();
        let request_id = v.check("request_id", details::request_id(&r.request_id));
        let region = v.check("region_code", details::region_code(&r.region_code));
        let mut utc_offset = DEFAULT_UTC_OFFSET_MINUTES;
        if let Some(region) = &region {
            caller.require_region(region.as_str())?;
            match store::region_offset(self.context.db.reader(), region.as_str()).await? {
                Some(offset) => utc_offset = offset,
                None => v.add("region_code", format!("region {region} does not exist")),
            }
        }
        let received_at = v
            .check(
                "received_at",
                details::past_time(
                    r.received_at.as_ref(),
                    now,
                    now - details::MAX_RECEIVED_AGE,
                    "is more than 24 hours ago",
                ),
            )
            .map(|at| at.unwrap_or(now));
        let today = local_day(received_at.unwrap_or(now), utc_offset);
        let caller_in = details::caller(r.caller.as_ref(), "caller", &mut v);
        let location = details::location(r.location.as_ref(), "location", &mut v);
        let patient = details::patient(r.patient.as_ref(), "patient", today, &mut v);
        let complaint = details::complaint(&r.complaint, "complaint", &mut v);
        let answers = details::answers(&r.triage_answers, self.rules.protocols.in_force(now), "triage_answers", &mut v);
        v.finish()?;
        let (
            Some(request_id),
            Some(region),
            Some(received_at),
            Some(caller_in),
            Some(location),
            Some(patient),
            Some(complaint),
            Some(answers),
        ) = (request_id, region, received_at, caller_in, location, patient, complaint, answers)
        else {
            return Err(ApiError::Internal("a checked request lost a value".into()).into());
        };
        let new = NewCall {
            request_id,
            region,
            utc_offset_minutes: utc_offset,
            received_at,
            caller: caller_in,
            location,
            patient,
            complaint,
            answers,
        };
        let (call, created) = calls::create(&self.context.db, &self.rules, &caller, new, now).await?;
        if created {
            self.metrics.created(call.category);
            log_call(&call, "call created");
        } else {
            log_call(&call, "call create retried; returning the first call");
        }
        let (duplicates, repeats) = calls::candidates(&self.context.db, &self.rules, &call).await?;
        Ok(Response::new(pb::CreateCallResponse {
            call: Some(call_to_proto(&call)),
            duplicate_candidates: duplicates
                .iter()
                .map(|(c, distance)| pb::DuplicateCandidate { call: Some(call_to_proto(c)), distance_m: *distance })
                .collect(),
            repeat_candidates: repeats.iter().map(call_to_proto).collect(),
        }))
    }

    #[instrument(skip_all)]
    async fn get_call(&self, request: Request<pb::GetCallRequest>) -> Result<Response<pb::Call>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(READERS)?;
        let id = details::record_id(&request.get_ref().id).map_err(|e| ApiError::invalid("id", e))?;
        let call = self.read_call(&caller, &id).await?;
        Ok(Response::new(call_to_proto(&call)))
    }

    #[instrument(skip_all)]
    async fn list_calls(
        &self,
        request: Request<pb::ListCallsRequest>,
    ) -> Result<Response<pb::ListCallsResponse>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(READERS)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let size = paging::page_size(r.page_size, &mut v);
        let after = v.check("page_token", paging::decode_calls_token(&r.page_token));
        let region = optional_region(&r.region_code, &mut v);
        let categories = categories(&r.categories, "categories", &mut v);
        let mut statuses = Vec::new();
        for (i, &n) in r.statuses.iter().enumerate() {
            match CallStatus::from_number(n) {
                Some(status) => statuses.push(status.as_str()),
                None => v.add(format!("statuses[{i}]"), format!("{n} is not a call status")),
            }
        }
        let range = r.received.unwrap_or_default();
        let bound = |ts: Option<&prost_types::Timestamp>, field: &str, default: Micros, v: &mut Violations| match ts {
            None => Some(default),
            Some(ts) => v.check(field, from_timestamp(ts).ok_or("is not a valid timestamp")),
        };
        let from = bound(range.from.as_ref(), "received.from", Micros::MIN, &mut v);
        let to = bound(range.to.as_ref(), "received.to", Micros::MAX, &mut v);
        let (((size, after), (region, categories)), (from, to)) =
            finish(v, size.zip(after).zip(region.zip(categories)).zip(from.zip(to)))?;
        let filter = CallFilter {
            regions: Self::scope(&caller, region)?,
            categories: categories.iter().map(|c| c.number()).collect(),
            statuses,
            from,
            to,
        };
        let mut rows = store::list(self.context.db.reader(), &filter, after.as_ref(), i64::from(size) + 1).await?;
        let next_page_token = if rows.len() > size as usize {
            rows.truncate(size as usize);
            rows.last()
                .map(|c| paging::encode_calls_token(&store::After { received_at: c.received_at, id: c.id.clone() }))
                .unwrap_or_default()
        } else {
            String::new()
        };
        Ok(Response::new(pb::ListCallsResponse { calls: rows.iter().map(call_to_proto).collect(), next_page_token }))
    }

    #[instrument(skip_all)]
    async fn update_call_details(
        &self,
        request: Request<pb::UpdateCallDetailsRequest>,
    ) -> Result<Response<pb::Call>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(WRITERS)?;
        let r = request.into_inner();
        let now = now_micros();
        let mut v = Violations::new();
        let id = v.check("id", details::record_id(&r.id));
        let version = v.check("expected_version", details::expected_version(r.expected_version));
        // The patient's age is counted on the day the call was received.
        let mut today = local_day(now, DEFAULT_UTC_OFFSET_MINUTES);
        if let Some(id) = &id {
            let call = self.read_call(&caller, id).await?;
            let offset = store::region_offset(self.context.db.reader(), &call.region_code).await?;
            today = local_day(call.received_at, offset.unwrap_or(DEFAULT_UTC_OFFSET_MINUTES));
        }
        let update = DetailsUpdate {
            caller: r.caller.as_ref().and_then(|c| details::caller(Some(c), "caller", &mut v)),
            location: r.location.as_ref().and_then(|l| details::location(Some(l), "location", &mut v)),
            patient: r.patient.as_ref().and_then(|p| details::patient(Some(p), "patient", today, &mut v)),
            complaint: r.complaint.as_deref().and_then(|c| details::complaint(c, "complaint", &mut v)),
        };
        let (id, version) = finish(v, id.zip(version))?;
        let call = calls::change(&self.context.db, &caller, rpc::UPDATE_DETAILS, &id, version, now, |call| {
            calls::update_details(call, update)
        })
        .await?;
        log_call(&call, "call details updated");
        Ok(Response::new(call_to_proto(&call)))
    }

    #[instrument(skip_all)]
    async fn categorise(&self, request: Request<pb::CategoriseRequest>) -> Result<Response<pb::Call>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(WRITERS)?;
        let r = request.into_inner();
        let now = now_micros();
        let mut v = Violations::new();
        let id = v.check("id", details::record_id(&r.id));
        let version = v.check("expected_version", details::expected_version(r.expected_version));
        let asked = match r.protocol_version.as_str() {
            "" => Some(None),
            version => match self.rules.protocols.get(version) {
                Some(protocol) => Some(Some(protocol)),
                None => {
                    v.add("protocol_version", format!("protocol version {version:?} is not known"));
                    None
                }
            },
        };
        let (id, version) = finish(v, id.zip(version))?;
        let Some(asked) = asked else { return Err(ApiError::Internal("a checked request lost a value".into()).into()) };
        let rules = &self.rules;
        let actor = actor_of(&caller);
        let call = calls::change(&self.context.db, &caller, rpc::CATEGORISE, &id, version, now, |call| {
            let current = call.triage.as_ref().and_then(|t| rules.protocols.get(&t.protocol_version));
            let protocol = asked.or(current).unwrap_or_else(|| rules.protocols.in_force(now));
            let mut v = Violations::new();
            let answers = details::answers(&r.triage_answers, protocol, "triage_answers", &mut v);
            let answers = finish(v, answers)?;
            calls::categorise(call, rules, protocol, answers, actor, now)
        })
        .await?;
        log_call(&call, "call categorised");
        Ok(Response::new(call_to_proto(&call)))
    }

    #[instrument(skip_all)]
    async fn override_category(
        &self,
        request: Request<pb::OverrideCategoryRequest>,
    ) -> Result<Response<pb::Call>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(WRITERS)?;
        let r = request.into_inner();
        let now = now_micros();
        let mut v = Violations::new();
        let id = v.check("id", details::record_id(&r.id));
        let version = v.check("expected_version", details::expected_version(r.expected_version));
        let category = v.check("category", Category::from_number(i64::from(r.category)));
        let reason = v.check("reason", details::reason(&r.reason));
        let ((id, version), (category, reason)) = finish(v, id.zip(version).zip(category.zip(reason)))?;
        let rules = &self.rules;
        let actor = actor_of(&caller);
        let call = calls::change(&self.context.db, &caller, rpc::OVERRIDE, &id, version, now, |call| {
            calls::override_category(call, rules, category, reason, actor, now)
        })
        .await?;
        log_call(&call, "call category overridden");
        Ok(Response::new(call_to_proto(&call)))
    }

    #[instrument(skip_all)]
    async fn link_call(&self, request: Request<pb::LinkCallRequest>) -> Result<Response<pb::Call>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(WRITERS)?;
        let r = request.into_inner();
        let now = now_micros();
        let mut v = Violations::new();
        let id = v.check("id", details::record_id(&r.id));
        let version = v.check("expected_version", details::expected_version(r.expected_version));
        let kind = match pb::LinkKind::try_from(r.kind) {
            Ok(pb::LinkKind::Duplicate) => Some(LinkKind::Duplicate),
            Ok(pb::LinkKind::Repeat) => Some(LinkKind::Repeat),
            _ => {
                v.add("kind", "must be LINK_KIND_DUPLICATE or LINK_KIND_REPEAT");
                None
            }
        };
        let primary = v.check("primary_call_id", details::record_id(&r.primary_call_id));
        if let (Some(id), Some(primary)) = (&id, &primary)
            && id == primary
        {
            v.add("primary_call_id", "must be another call");
        }
        let ((id, version), (kind, primary)) = finish(v, id.zip(version).zip(kind.zip(primary)))?;
        let call = calls::link(&self.context.db, &caller, &id, version, kind, &primary, now).await?;
        self.metrics.linked(kind == LinkKind::Repeat);
        info!(call_id = %call.id, primary_call_id = %primary, kind = ?kind, "call linked");
        Ok(Response::new(call_to_proto(&call)))
    }

    #[instrument(skip_all)]
    async fn cancel_call(&self, request: Request<pb::CancelCallRequest>) -> Result<Response<pb::Call>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(WRITERS)?;
        let r = request.into_inner();
        let now = now_micros();
        let mut v = Violations::new();
        let id = v.check("id", details::record_id(&r.id));
        let version = v.check("expected_version", details::expected_version(r.expected_version));
        let reason = v.check("reason", details::reason(&r.reason));
        let ((id, version), reason) = finish(v, id.zip(version).zip(reason))?;
        let actor = actor_of(&caller);
        let call = calls::change(&self.context.db, &caller, rpc::CANCEL, &id, version, now, |call| {
            call.lifecycle.cancel(now, actor)?;
            call.cancel_reason = reason;
            Ok(Edit::Changed(events::CANCELLED))
        })
        .await?;
        log_call(&call, "call cancelled");
        Ok(Response::new(call_to_proto(&call)))
    }

    #[instrument(skip_all)]
    async fn close_call(&self, request: Request<pb::CloseCallRequest>) -> Result<Response<pb::Call>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(WRITERS)?;
        let r = request.into_inner();
        let now = now_micros();
        let mut v = Violations::new();
        let id = v.check("id", details::record_id(&r.id));
        let version = v.check("expected_version", details::expected_version(r.expected_version));
        let outcome = match &r.outcome {
            None => {
                v.add("outcome", "is required");
                None
            }
            Some(o) => {
                let kind = OutcomeKind::from_number(o.kind);
                if kind.is_none() {
                    v.add("outcome.kind", "is required: one of the OUTCOME_KIND_ values");
                }
                let hospital_id = match (kind, o.hospital_id.as_str()) {
                    (Some(OutcomeKind::Hospitalised), id) => v.check("outcome.hospital_id", details::record_id(id)),
                    (_, "") => Some(String::new()),
                    (_, _) => {
                        v.add("outcome.hospital_id", "is only for OUTCOME_KIND_HOSPITALISED");
                        None
                    }
                };
                if o.resuscitation_successful && !o.resuscitation_attempted {
                    v.add("outcome.resuscitation_successful", "needs resuscitation_attempted");
                }
                kind.zip(hospital_id).map(|(kind, hospital_id)| Outcome {
                    kind,
                    hospital_id,
                    resuscitation_attempted: o.resuscitation_attempted,
                    resuscitation_successful: o.resuscitation_successful,
                })
            }
        };
        let ((id, version), outcome) = finish(v, id.zip(version).zip(outcome))?;
        let actor = actor_of(&caller);
        let call = calls::change(&self.context.db, &caller, rpc::CLOSE, &id, version, now, |call| {
            call.lifecycle.close(outcome.kind, now, actor)?;
            call.outcome = Some(outcome);
            Ok(Edit::Changed(events::CLOSED))
        })
        .await?;
        log_call(&call, "call closed");
        Ok(Response::new(call_to_proto(&call)))
    }

    #[instrument(skip_all)]
    async fn record_progress(&self, request: Request<pb::RecordProgressRequest>) -> Result<Response<pb::Call>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(DISPATCHERS)?;
        let r = request.into_inner();
        let now = now_micros();
        let mut v = Violations::new();
        let id = v.check("id", details::record_id(&r.id));
        let version = v.check("expected_version", details::expected_version(r.expected_version));
        let milestone = match Milestone::from_number(r.milestone) {
            Some(m) if Milestone::PROGRESS.contains(&m) => Some(m),
            Some(m) => {
                v.add("milestone", format!("{m} is not a dispatch milestone; use its own request"));
                None
            }
            None => {
                v.add("milestone", "is required: a dispatch milestone");
                None
            }
        };
        let unit = match (r.unit_id.as_str(), TeamKind::from_number(r.team_kind)) {
            ("", _) if r.team_kind != 0 => {
                v.add("team_kind", "is only for a unit; give unit_id");
                None
            }
            ("", _) if milestone.is_some_and(|m| m != Milestone::Recommended) => {
                v.add("unit_id", "is required for this milestone");
                None
            }
            ("", _) => Some(None),
            (unit_id, kind) => {
                let unit_id = v.check("unit_id", details::unit_id(unit_id));
                if kind.is_none() {
                    v.add("team_kind", "is required with unit_id");
                }
                unit_id.zip(kind).map(|(unit_id, team_kind)| Some(UnitRef { unit_id, team_kind }))
            }
        };
        let occurred_at = v.check(
            "occurred_at",
            details::past_time(r.occurred_at.as_ref(), now, Micros::MIN, "is before the call was received"),
        );
        let ((id, version), ((milestone, unit), occurred_at)) =
            finish(v, id.zip(version).zip(milestone.zip(unit).zip(occurred_at)))?;
        let rules = &self.rules;
        let progress = Progress { milestone, unit, occurred_at: occurred_at.unwrap_or(now), actor: actor_of(&caller) };
        let call = calls::change(&self.context.db, &caller, rpc::PROGRESS, &id, version, now, |call| {
            calls::record_progress(call, rules, progress, now)
        })
        .await?;
        log_call(&call, "call progress recorded");
        Ok(Response::new(call_to_proto(&call)))
    }

    #[instrument(skip_all)]
    async fn watch_calls(
        &self,
        request: Request<pb::WatchCallsRequest>,
    ) -> Result<Response<BoxStream<pb::CallEvent>>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(READERS)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let region = optional_region(&r.region_code, &mut v);
        let categories = categories(&r.categories, "categories", &mut v);
        let (region, categories) = finish(v, region.zip(categories))?;
        let filter = WatchFilter { regions: Self::scope(&caller, region)?, categories };
        // 0 starts at the live end: only events committed from now on.
        let after = match r.after_sequence {
            0 => jedel_platform::events::last_seq(self.context.db.reader()).await.map_err(IntakeError::from)?,
            after => after,
        };
        info!(after_sequence = after, "call watch opened");
        Ok(Response::new(watch_calls(self.context.clone(), filter, after).await?))
    }

    #[instrument(skip_all)]
    async fn get_protocol(&self, request: Request<pb::GetProtocolRequest>) -> Result<Response<pb::Protocol>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(READERS)?;
        let version = &request.get_ref().version;
        let protocol = match version.as_str() {
            "" => self.rules.protocols.in_force(now_micros()),
            version => self
                .rules
                .protocols
                .get(version)
                .ok_or_else(|| ApiError::NotFound(format!("protocol version {version:?} does not exist")))?,
        };
        Ok(Response::new(protocol_to_proto(protocol)))
    }

    #[instrument(skip_all)]
    async fn get_response_standard(
        &self,
        request: Request<pb::GetResponseStandardRequest>,
    ) -> Result<Response<pb::ResponseStandard>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(READERS)?;
        let id = details::record_id(&request.get_ref().id).map_err(|e| ApiError::invalid("id", e))?;
        let standard = self
            .rules
            .standards
            .get(&id)
            .ok_or_else(|| ApiError::NotFound(format!("response standard {id} does not exist")))?;
        Ok(Response::new(standard_to_proto(standard)))
    }

    #[instrument(skip_all)]
    async fn list_response_standards(
        &self,
        request: Request<pb::ListResponseStandardsRequest>,
    ) -> Result<Response<pb::ListResponseStandardsResponse>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(READERS)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let size = paging::page_size(r.page_size, &mut v);
        let after = v.check("page_token", paging::decode_standards_token(&r.page_token));
        let (size, after) = finish(v, size.zip(after))?;
        let all = self.rules.standards.list();
        let start = match &after {
            None => 0,
            Some(code) => all.iter().position(|s| &s.code == code).map_or(all.len(), |i| i + 1),
        };
        let page: Vec<_> = all.iter().skip(start).take(size as usize).collect();
        let next_page_token = match page.last() {
            Some(last) if start + page.len() < all.len() => paging::encode_standards_token(&last.code),
            _ => String::new(),
        };
        Ok(Response::new(pb::ListResponseStandardsResponse {
            response_standards: page.into_iter().map(|s| standard_to_proto(s)).collect(),
            next_page_token,
        }))
    }
}
