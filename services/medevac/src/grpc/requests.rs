//! The request workflow: create, read, list, edit, submit, review (start, approve, return,
//! reject), complete and cancel.

use jedel_api::medevac::v1 as pb;
use jedel_api::{ApiError, Violations};
use jedel_core::call_number::local_day;
use jedel_core::local_time::{MINUTE, Micros};
use jedel_core::medevac::{RequestStatus, Step, Urgency};
use jedel_platform::time::now_micros;
use jedel_platform::{Caller, Role};
use tonic::{Request, Response, Status};
use tracing::info;

use super::{MedevacService, transition};
use crate::access::{self, CANCELLERS, COORDINATORS, NCCEM, REQUEST_READERS};
use crate::convert::request_to_proto;
use crate::details::{self, DetailsInput, finish};
use crate::error::MedevacError;
use crate::events;
use crate::model::{Request as Record, Tasking};
use crate::paging::{self, List};
use crate::requests::{self, NewRequest, State, rpc};
use crate::store::registry;
use crate::store::{self, After, RequestFilter};
use crate::taskings;

/// UTC offset used when a region's is unknown (all of Kazakhstan keeps UTC+5).
const DEFAULT_UTC_OFFSET_MINUTES: i32 = 300;
/// The longest flight time a completion may report.
const MAX_FLIGHT_TIME: Micros = 24 * 60 * MINUTE;

/// Logs a request's ids and status, never its details.
pub(super) fn log(request: &Record, what: &str) {
    info!(
        request_id = %request.id,
        number = %request.number,
        region = %request.region_code,
        status = %request.status(),
        version = request.version,
        "{what}"
    );
}

/// The response for a request after a step.
pub(super) fn respond(state: &State) -> Response<pb::MedevacRequest> {
    Response::new(request_to_proto(&state.request, state.tasking.as_ref()))
}

/// The read access check of the request-level steps.
pub(super) fn in_scope(caller: &Caller, state: &State) -> Result<(), MedevacError> {
    access::check_request(caller, &state.request)
}

/// Whether a list of statuses parses; one violation per bad value.
pub(super) fn statuses(values: &[i32], field: &str, v: &mut Violations) -> Option<Vec<RequestStatus>> {
    let mut out = Some(Vec::new());
    for (i, &n) in values.iter().enumerate() {
        match (RequestStatus::from_number(n), out.as_mut()) {
            (Some(status), Some(list)) => list.push(status),
            (Some(_), None) => {}
            (None, _) => {
                v.add(format!("{field}[{i}]"), format!("{n} is not a request status"));
                out = None;
            }
        }
    }
    out
}

/// The bounds of a time range filter: [from, to), open ends as the widest.
pub(super) fn time_range(
    range: Option<&jedel_api::common::v1::TimeRange>,
    field: &str,
    v: &mut Violations,
) -> Option<(Micros, Micros)> {
    let range = range.cloned().unwrap_or_default();
    let from = match &range.from {
        None => Some(Micros::MIN),
        Some(ts) => v.check(&format!("{field}.from"), details::timestamp(ts)),
    };
    let to = match &range.to {
        None => Some(Micros::MAX),
        Some(ts) => v.check(&format!("{field}.to"), details::timestamp(ts)),
    };
    from.zip(to)
}

/// A region filter: empty = every region in scope.
pub(super) fn optional_region(value: &str, v: &mut Violations) -> Option<Option<jedel_core::RegionCode>> {
    match value {
        "" => Some(None),
        code => v.check("region_code", details::region_code(code)).map(Some),
    }
}

impl MedevacService {
    /// Checks the facilities of `msg` that name a registry hospital: the hospital must exist,
    /// and its name and position complete what the checked `input` leaves out.
    async fn resolve_facilities(
        &self,
        msg: Option<&pb::RequestDetails>,
        mut input: Option<&mut DetailsInput>,
        v: &mut Violations,
    ) -> Result<(), MedevacError> {
        let Some(msg) = msg else { return Ok(()) };
        for (given, field) in [(&msg.origin, "origin"), (&msg.destination, "destination")] {
            let Some(Ok(id)) = given.as_ref().map(|f| details::record_id(&f.hospital_id)) else { continue };
            match registry::hospital(self.context.db.reader(), &id).await? {
                None => v.add(format!("details.{field}.hospital_id"), format!("hospital {id} does not exist")),
                Some((name, position)) => {
                    if let Some(input) = input.as_deref_mut() {
                        let facility =
                            if field == "origin" { &mut input.details.origin } else { &mut input.details.destination };
                        if facility.name.is_empty() {
                            facility.name = name;
                        }
                        facility.position.get_or_insert(position);
                    }
                }
            }
        }
        Ok(())
    }

    /// Runs a step on request `id` and records its status in the metrics.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn step(
        &self,
        caller: &Caller,
        rpc: &'static str,
        id: &str,
        expected_version: i64,
        now: Micros,
        access: impl FnOnce(&Caller, &State) -> Result<(), MedevacError>,
        edit: impl FnOnce(&mut State) -> Result<&'static str, MedevacError>,
    ) -> Result<State, Status> {
        let mut before = None;
        let state = requests::change(&self.context.db, caller, rpc, id, expected_version, now, access, |state| {
            before = Some(state.request.status());
            edit(state)
        })
        .await?;
        if before.is_some_and(|b| b != state.request.status()) {
            self.metrics.reached(state.request.status());
        }
        Ok(state)
    }

    /// A simple workflow step by one of `roles`, with a reason when the step needs one.
    async fn simple_step(
        &self,
        caller: Caller,
        roles: &[Role],
        rpc: &'static str,
        id: &str,
        step: Step,
        reason: Option<&str>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        caller.require_role(roles)?;
        let now = now_micros();
        let mut v = Violations::new();
        let id = v.check("id", details::record_id(id));
        let reason = match reason {
            None => Some(String::new()),
            Some(text) => v.check("reason", details::reason(text)),
        };
        let (id, reason) = finish(v, id.zip(reason))?;
        let t = transition(&caller, now, reason);
        let state = self
            .step(&caller, rpc, &id, 0, now, in_scope, |state| {
                if step == Step::Cancel {
                    return taskings::cancel(state, t);
                }
                state.request.workflow.apply(step, t)?;
                Ok(events::STATUS_CHANGED)
            })
            .await?;
        log(&state.request, "request status changed");
        Ok(respond(&state))
    }

    pub(super) async fn create(
        &self,
        request: Request<pb::CreateRequestRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(COORDINATORS)?;
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
        let mut input = details::details(r.details.as_ref(), "details", local_day(now, utc_offset), now, &mut v);
        self.resolve_facilities(r.details.as_ref(), input.as_mut(), &mut v).await?;
        let ((request_id, region), input) = finish(v, request_id.zip(region).zip(input))?;
        let new = NewRequest { request_id, region, utc_offset_minutes: utc_offset, input };
        let (created, fresh) = requests::create(&self.context.db, &caller, new, now).await?;
        if fresh {
            self.metrics.created();
            log(&created, "request created");
        } else {
            log(&created, "request create retried; returning the first request");
        }
        let tasking = self.tasking_of(&created).await?;
        Ok(Response::new(request_to_proto(&created, tasking.as_ref())))
    }

    /// The current tasking of a request.
    pub(super) async fn tasking_of(&self, request: &Record) -> Result<Option<Tasking>, MedevacError> {
        match &request.current_tasking_id {
            Some(id) => store::tasking(self.context.db.reader(), id).await,
            None => Ok(None),
        }
    }

    /// The request with `id`, checked against the caller's scope.
    pub(super) async fn visible_request(&self, caller: &Caller, id: &str) -> Result<Record, MedevacError> {
        let request = store::request(self.context.db.reader(), id)
            .await?
            .ok_or_else(|| MedevacError::NotFound { entity: "request", id: id.to_string() })?;
        access::check_request(caller, &request)?;
        Ok(request)
    }

    pub(super) async fn get(
        &self,
        request: Request<pb::GetRequestRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(REQUEST_READERS)?;
        let id = details::record_id(&request.get_ref().id).map_err(|e| ApiError::invalid("id", e))?;
        let found = self.visible_request(&caller, &id).await?;
        let tasking = self.tasking_of(&found).await?;
        Ok(Response::new(request_to_proto(&found, tasking.as_ref())))
    }

    pub(super) async fn list(
        &self,
        request: Request<pb::ListRequestsRequest>,
    ) -> Result<Response<pb::ListRequestsResponse>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(REQUEST_READERS)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let size = paging::page_size(r.page_size, &mut v);
        let after = v.check("page_token", paging::decode(List::Requests, &r.page_token));
        let region = optional_region(&r.region_code, &mut v);
        let statuses = statuses(&r.statuses, "statuses", &mut v);
        let mut urgencies = Some(Vec::new());
        for (i, &n) in r.urgencies.iter().enumerate() {
            match (Urgency::from_number(n), urgencies.as_mut()) {
                (Some(u), Some(list)) => list.push(u.as_str()),
                (Some(_), None) => {}
                (None, _) => {
                    v.add(format!("urgencies[{i}]"), format!("{n} is not an urgency"));
                    urgencies = None;
                }
            }
        }
        let range = time_range(r.created_within.as_ref(), "created_within", &mut v);
        let (((size, after), (region, statuses)), (urgencies, (from, to))) =
            finish(v, size.zip(after).zip(region.zip(statuses)).zip(urgencies.zip(range)))?;
        let filter = RequestFilter {
            regions: access::region_scope(&caller, region.as_ref())?,
            statuses: statuses.iter().map(|s| s.as_str()).collect(),
            urgencies,
            without_drafts: caller.role != Role::Coordinator,
            open_only: false,
            from,
            to,
        };
        let reader = self.context.db.reader();
        let mut rows =
            store::list_requests(reader, &filter, after.as_ref(), i64::from(size) + 1).await.map_err(Status::from)?;
        let next_page_token =
            paging::page(List::Requests, &mut rows, size, |r| After { at: r.created_at, id: r.id.clone() });
        let mut medevac_requests = Vec::with_capacity(rows.len());
        for row in &rows {
            let tasking = self.tasking_of(row).await?;
            medevac_requests.push(request_to_proto(row, tasking.as_ref()));
        }
        Ok(Response::new(pb::ListRequestsResponse { medevac_requests, next_page_token }))
    }

    pub(super) async fn update(
        &self,
        request: Request<pb::UpdateRequestRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(COORDINATORS)?;
        let r = request.into_inner();
        let now = now_micros();
        let mut v = Violations::new();
        let id = v.check("id", details::record_id(&r.id));
        let version = v.check("expected_version", details::expected_version(r.expected_version));
        let mut today = local_day(now, DEFAULT_UTC_OFFSET_MINUTES);
        if let Some(id) = &id {
            let found = self.visible_request(&caller, id).await?;
            let offset = store::region_offset(self.context.db.reader(), &found.region_code).await?;
            today = local_day(now, offset.unwrap_or(DEFAULT_UTC_OFFSET_MINUTES));
        }
        let mut input = details::details(r.details.as_ref(), "details", today, now, &mut v);
        self.resolve_facilities(r.details.as_ref(), input.as_mut(), &mut v).await?;
        let ((id, version), input) = finish(v, id.zip(version).zip(input))?;
        let state = self
            .step(&caller, rpc::UPDATE, &id, version, now, in_scope, |state| {
                let status = state.request.status();
                if !status.is_editable() {
                    return Err(MedevacError::Precondition(format!(
                        "the request is {status}; only a draft or a request returned for information can be edited"
                    )));
                }
                state.request.details = input.details;
                state.request.personal = input.personal;
                Ok(events::UPDATED)
            })
            .await?;
        log(&state.request, "request details updated");
        Ok(respond(&state))
    }

    pub(super) async fn submit(
        &self,
        request: Request<pb::SubmitRequestRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(COORDINATORS)?;
        let now = now_micros();
        let id = details::record_id(&request.get_ref().id).map_err(|e| ApiError::invalid("id", e))?;
        let t = transition(&caller, now, String::new());
        let state = self
            .step(&caller, rpc::SUBMIT, &id, 0, now, in_scope, |state| {
                state.request.workflow.check(Step::Submit)?;
                let missing = details::incomplete(&state.request.details, &state.request.personal);
                if !missing.is_empty() {
                    let mut v = Violations::new();
                    for (field, problem) in missing {
                        v.add(field, problem);
                    }
                    v.finish()?;
                }
                state.request.workflow.apply(Step::Submit, t)?;
                Ok(events::STATUS_CHANGED)
            })
            .await?;
        log(&state.request, "request submitted");
        Ok(respond(&state))
    }

    pub(super) async fn start_review_of(
        &self,
        request: Request<pb::StartReviewRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        let caller = Caller::of(&request)?;
        self.simple_step(caller, NCCEM, rpc::START_REVIEW, &request.get_ref().id, Step::StartReview, None).await
    }

    pub(super) async fn approve(
        &self,
        request: Request<pb::ApproveRequestRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        let caller = Caller::of(&request)?;
        self.simple_step(caller, NCCEM, rpc::APPROVE, &request.get_ref().id, Step::Approve, None).await
    }

    pub(super) async fn send_back(
        &self,
        request: Request<pb::ReturnRequestRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        let caller = Caller::of(&request)?;
        let r = request.get_ref();
        self.simple_step(caller, NCCEM, rpc::RETURN, &r.id, Step::Return, Some(&r.reason)).await
    }

    pub(super) async fn reject(
        &self,
        request: Request<pb::RejectRequestRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        let caller = Caller::of(&request)?;
        let r = request.get_ref();
        self.simple_step(caller, NCCEM, rpc::REJECT, &r.id, Step::Reject, Some(&r.reason)).await
    }

    pub(super) async fn cancel(
        &self,
        request: Request<pb::CancelRequestRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        let caller = Caller::of(&request)?;
        let r = request.get_ref();
        self.simple_step(caller, CANCELLERS, rpc::CANCEL, &r.id, Step::Cancel, Some(&r.reason)).await
    }

    pub(super) async fn complete(
        &self,
        request: Request<pb::CompleteRequestRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(NCCEM)?;
        let r = request.into_inner();
        let now = now_micros();
        let mut v = Violations::new();
        let id = v.check("id", details::record_id(&r.id));
        let flight_time = match &r.flight_time {
            None => {
                v.add("flight_time", "is required");
                None
            }
            Some(d) => {
                let micros = d.seconds.saturating_mul(1_000_000).saturating_add(i64::from(d.nanos / 1_000));
                if d.nanos < 0 || micros <= 0 || micros > MAX_FLIGHT_TIME {
                    v.add("flight_time", "must be more than 0 and at most 24 hours");
                    None
                } else {
                    Some(micros)
                }
            }
        };
        let (id, flight_time) = finish(v, id.zip(flight_time))?;
        let t = transition(&caller, now, String::new());
        let state = self
            .step(&caller, rpc::COMPLETE, &id, 0, now, in_scope, |state| taskings::complete(state, flight_time, t))
            .await?;
        log(&state.request, "request completed");
        Ok(respond(&state))
    }
}
