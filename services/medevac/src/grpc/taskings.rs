//! Aircraft and airlines: choosing an aircraft, offering the tasking, the airline's answer,
//! the crew, flight milestones, and listing taskings.

use jedel_api::medevac::v1 as pb;
use jedel_api::{ApiError, Violations};
use jedel_core::aviation::{AirlineCode, Registration};
use jedel_core::local_time::{MINUTE, Micros};
use jedel_core::medevac::workflow::Transition;
use jedel_core::medevac::{CrewRole, Milestone, TaskingStatus};
use jedel_platform::time::now_micros;
use jedel_platform::{Caller, Role};
use tonic::{Request, Response, Status};
use tracing::info;

use super::requests::{in_scope, log, respond, time_range};
use super::{MedevacService, transition};
use crate::access::{self, AIRLINES, FLIGHT_READERS, FLIGHT_REPORTERS, NCCEM};
use crate::convert::tasking_to_proto;
use crate::details::{self, finish};
use crate::error::MedevacError;
use crate::model::CrewMember;
use crate::paging::{self, List};
use crate::requests::{self, State, current_tasking, rpc};
use crate::store::{self, After, TaskingFilter};
use crate::taskings::{self, Choice};

/// How far ahead an airline may commit to a departure.
const MAX_DEPARTURE_AHEAD: Micros = 7 * 24 * 60 * MINUTE;
/// Most crew members.
const MAX_CREW: usize = 12;

fn respond_tasking(state: &State) -> Result<Response<pb::Tasking>, Status> {
    let tasking = state.tasking.as_ref().ok_or_else(|| ApiError::Internal("a step lost its tasking".into()))?;
    Ok(Response::new(tasking_to_proto(tasking)))
}

/// The access check of a step on tasking `id`: it must be the request's current tasking, and
/// an airline operator must hold it.
fn holds(id: &str) -> impl FnOnce(&Caller, &State) -> Result<(), MedevacError> + '_ {
    move |caller, state| {
        let tasking = current_tasking(state, id)?;
        access::check_tasking(caller, tasking)
    }
}

fn crew(list: &[pb::CrewMember], v: &mut Violations) -> Option<Vec<CrewMember>> {
    if list.is_empty() {
        v.add("crew", "is required: at least a pilot in command");
        return None;
    }
    if list.len() > MAX_CREW {
        v.add("crew", format!("lists more than {MAX_CREW} members"));
        return None;
    }
    let mut out = Some(Vec::new());
    for (i, member) in list.iter().enumerate() {
        let f = |name: &str| format!("crew[{i}].{name}");
        let name = member.full_name.trim();
        let full_name = match name.chars().count() {
            0 => {
                v.add(f("full_name"), "is required");
                None
            }
            n if n > 200 => {
                v.add(f("full_name"), "is longer than 200 characters");
                None
            }
            _ => Some(name.to_string()),
        };
        let role = CrewRole::from_number(member.role);
        if role.is_none() {
            v.add(f("role"), "is required: one of the CREW_ROLE_ values");
        }
        let phone = details::phone(&member.phone, &f("phone"), v);
        match (full_name, role, phone, out.as_mut()) {
            (Some(full_name), Some(role), Some(phone), Some(list)) => list.push(CrewMember { full_name, role, phone }),
            _ => out = None,
        }
    }
    if let Some(list) = &out
        && !list.iter().any(|m| m.role == CrewRole::PilotInCommand)
    {
        v.add("crew", "needs a pilot in command");
        return None;
    }
    out
}

impl MedevacService {
    pub(super) async fn choose(
        &self,
        request: Request<pb::ChooseAircraftRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(NCCEM)?;
        let r = request.into_inner();
        let now = now_micros();
        let mut v = Violations::new();
        let id = v.check("id", details::record_id(&r.id));
        let registration = v.check("aircraft_registration", Registration::parse(&r.aircraft_registration));
        let rank = match r.option_rank {
            n if n < 1 => {
                v.add("option_rank", "must be 1 (the top option) or more");
                None
            }
            n => Some(n as u32),
        };
        let reason = v.check("reason", details::optional_reason(&r.reason));
        let mut candidate = None;
        if let (Some(id), Some(registration)) = (&id, &registration) {
            candidate = taskings::candidate(&self.context.db, registration.as_str(), id).await?;
            if candidate.is_none() {
                v.add("aircraft_registration", format!("aircraft {registration} is not registered"));
            }
        }
        let ((id, candidate), (option_rank, reason)) = finish(v, id.zip(candidate).zip(rank.zip(reason)))?;
        // The one way a flight is planned: the Dispatcher's ranking of this mission, now.
        let ranking = taskings::rank(&self.context, &caller, &id, now).await?;
        let t = transition(&caller, now, String::new());
        let choice = Choice { reason };
        let state = self
            .step(&caller, rpc::CHOOSE, &id, 0, now, in_scope, |state| {
                taskings::choose(state, &candidate, &ranking, choice, t, now)
            })
            .await?;
        let tasking = state.tasking.as_ref();
        info!(
            request_id = %state.request.id,
            aircraft = %candidate.aircraft.registration,
            airline = %candidate.aircraft.airline_code,
            client_rank = option_rank,
            option_rank = tasking.map_or(0, |t| t.option_rank),
            "aircraft chosen"
        );
        Ok(respond(&state))
    }

    pub(super) async fn task(
        &self,
        request: Request<pb::TaskAirlineRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(NCCEM)?;
        let now = now_micros();
        let id = details::record_id(&request.get_ref().id).map_err(|e| ApiError::invalid("id", e))?;
        let t = transition(&caller, now, String::new());
        let state = self.step(&caller, rpc::TASK, &id, 0, now, in_scope, |state| taskings::task(state, t, now)).await?;
        log(&state.request, "airline tasked");
        Ok(respond(&state))
    }

    /// The request of tasking `id` (checked against an airline operator's airline).
    async fn request_of(&self, caller: &Caller, id: &str) -> Result<String, Status> {
        Ok(requests::request_of_tasking(&self.context.db, caller, id).await?)
    }

    pub(super) async fn accept(
        &self,
        request: Request<pb::AcceptTaskingRequest>,
    ) -> Result<Response<pb::Tasking>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(AIRLINES)?;
        let r = request.into_inner();
        let now = now_micros();
        let mut v = Violations::new();
        let id = v.check("tasking_id", details::record_id(&r.tasking_id));
        let departure = match &r.expected_departure_at {
            None => Some(None),
            Some(ts) => match details::timestamp(ts) {
                Ok(at) if at > now + MAX_DEPARTURE_AHEAD => {
                    v.add("expected_departure_at", "is more than 7 days ahead");
                    None
                }
                other => v.check("expected_departure_at", other).map(Some),
            },
        };
        let (id, departure) = finish(v, id.zip(departure))?;
        let request_id = self.request_of(&caller, &id).await?;
        let t = transition(&caller, now, String::new());
        let state = self
            .step(&caller, rpc::ACCEPT, &request_id, 0, now, holds(&id), |state| {
                taskings::accept(state, departure, t, now)
            })
            .await?;
        log(&state.request, "tasking accepted");
        respond_tasking(&state)
    }

    pub(super) async fn decline(
        &self,
        request: Request<pb::DeclineTaskingRequest>,
    ) -> Result<Response<pb::Tasking>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(AIRLINES)?;
        let r = request.into_inner();
        let now = now_micros();
        let mut v = Violations::new();
        let id = v.check("tasking_id", details::record_id(&r.tasking_id));
        let reason = v.check("reason", details::reason(&r.reason));
        let (id, reason) = finish(v, id.zip(reason))?;
        let request_id = self.request_of(&caller, &id).await?;
        let t = transition(&caller, now, reason);
        let state = self
            .step(&caller, rpc::DECLINE, &request_id, 0, now, holds(&id), |state| taskings::decline(state, t, now))
            .await?;
        log(&state.request, "tasking declined");
        respond_tasking(&state)
    }

    pub(super) async fn crew(&self, request: Request<pb::AssignCrewRequest>) -> Result<Response<pb::Tasking>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(FLIGHT_REPORTERS)?;
        let r = request.into_inner();
        let now = now_micros();
        let mut v = Violations::new();
        let id = v.check("tasking_id", details::record_id(&r.tasking_id));
        let members = crew(&r.crew, &mut v);
        let (id, members) = finish(v, id.zip(members))?;
        let request_id = self.request_of(&caller, &id).await?;
        let t = transition(&caller, now, String::new());
        let state = self
            .step(&caller, rpc::CREW, &request_id, 0, now, holds(&id), |state| taskings::assign_crew(state, members, t))
            .await?;
        log(&state.request, "crew assigned");
        respond_tasking(&state)
    }

    pub(super) async fn milestone(
        &self,
        request: Request<pb::ReportMilestoneRequest>,
    ) -> Result<Response<pb::Tasking>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(FLIGHT_REPORTERS)?;
        let r = request.into_inner();
        let now = now_micros();
        let mut v = Violations::new();
        let id = v.check("tasking_id", details::record_id(&r.tasking_id));
        let milestone = Milestone::from_number(r.milestone);
        if milestone.is_none() {
            v.add("milestone", "is required: one of the MILESTONE_ values");
        }
        let occurred_at = match &r.occurred_at {
            None => Some(now),
            Some(ts) => v.check("occurred_at", details::past_time(ts, now)),
        };
        let next_expected = match &r.next_milestone_expected_at {
            None => Some(None),
            Some(ts) => v.check("next_milestone_expected_at", details::timestamp(ts)).map(Some),
        };
        let note = v.check("note", details::optional_reason(&r.note));
        let ((id, milestone), ((occurred_at, next_expected), note)) =
            finish(v, id.zip(milestone).zip(occurred_at.zip(next_expected).zip(note)))?;
        let request_id = self.request_of(&caller, &id).await?;
        let t = Transition { occurred_at, ..transition(&caller, now, note) };
        let state = self
            .step(&caller, rpc::MILESTONE, &request_id, 0, now, holds(&id), |state| {
                taskings::reach(state, milestone, next_expected, t)
            })
            .await?;
        log(&state.request, "flight milestone reported");
        respond_tasking(&state)
    }

    pub(super) async fn taskings(
        &self,
        request: Request<pb::ListTaskingsRequest>,
    ) -> Result<Response<pb::ListTaskingsResponse>, Status> {
        let caller = Caller::of(&request)?;
        caller.require_role(FLIGHT_READERS)?;
        let r = request.into_inner();
        let mut v = Violations::new();
        let size = paging::page_size(r.page_size, &mut v);
        let after = v.check("page_token", paging::decode(List::Taskings, &r.page_token));
        let airline = match (caller.role, r.airline_code.as_str()) {
            (Role::Airline, _) => Some(Some(access::own_airline(&caller)?)),
            (_, "") => Some(None),
            (_, code) => v.check("airline_code", AirlineCode::parse(code)).map(|c| Some(c.as_str().to_string())),
        };
        let request_id = match r.medevac_request_id.as_str() {
            "" => Some(None),
            id => v.check("medevac_request_id", details::record_id(id)).map(Some),
        };
        let mut statuses = Some(Vec::new());
        for (i, &n) in r.statuses.iter().enumerate() {
            match (TaskingStatus::from_number(n), statuses.as_mut()) {
                (Some(s), Some(list)) => list.push(s.as_str()),
                (Some(_), None) => {}
                (None, _) => {
                    v.add(format!("statuses[{i}]"), format!("{n} is not a tasking status"));
                    statuses = None;
                }
            }
        }
        let range = time_range(r.created_within.as_ref(), "created_within", &mut v);
        let (((size, after), (airline, request_id)), (statuses, (from, to))) =
            finish(v, size.zip(after).zip(airline.zip(request_id)).zip(statuses.zip(range)))?;
        let filter = TaskingFilter {
            regions: access::region_scope(&caller, None)?,
            airline,
            offered_only: caller.role == Role::Airline,
            request_id,
            statuses,
            from,
            to,
        };
        let mut rows = store::list_taskings(self.context.db.reader(), &filter, after.as_ref(), i64::from(size) + 1)
            .await
            .map_err(Status::from)?;
        let next_page_token =
            paging::page(List::Taskings, &mut rows, size, |t| After { at: t.created_at, id: t.id.clone() });
        Ok(Response::new(pb::ListTaskingsResponse {
            taskings: rows.iter().map(tasking_to_proto).collect(),
            next_page_token,
        }))
    }
}
