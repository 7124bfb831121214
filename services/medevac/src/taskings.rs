//! The airline side of a request: choosing an aircraft from the Dispatcher's ranking of the
//! request's mission (the one way a flight is planned: `jedel_dispatch::air::rank_aircraft`
//! over the Registry's aviation records, with eligibility, range, runway, night and
//! opening-hours checks), that no other request holds it, offering it to the airline, and the
//! airline's answer, crew and milestones. Each step is an edit run by
//! [`crate::requests::change`] inside one transaction.

use std::collections::HashMap;

use jedel_api::ApiError;
use jedel_api::dispatch::v1 as air;
use jedel_core::air::LegKind;
use jedel_core::local_time::Micros;
use jedel_core::medevac::flight::{Plan, PlannedLeg, Promise};
use jedel_core::medevac::workflow::{Transition, choice_needs_reason};
use jedel_core::medevac::{Milestone, MissionType, PatientNeed, Step, TaskingStatus, Urgency};
use jedel_platform::time::{from_timestamp, to_timestamp};
use jedel_platform::{Caller, Context, Db};

use crate::error::MedevacError;
use crate::events;
use crate::model::{CrewMember, Facility, Request, Summary, Tasking};
use crate::requests::State;
use crate::store::registry::{self, AircraftFacts};
use crate::store::{self};

/// Options asked of the ranking: the most it gives, more than the registry's fleet.
const ALL_OPTIONS: i32 = 50;

/// What the registry says about an aircraft being chosen, read before the transaction.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The aircraft.
    pub aircraft: AircraftFacts,
    /// An open tasking of the aircraft for another request, if any.
    pub busy_with: Option<Tasking>,
}

/// Reads what choosing `registration` for request `request_id` needs; `None` when no such
/// aircraft is registered.
pub async fn candidate(db: &Db, registration: &str, request_id: &str) -> Result<Option<Candidate>, MedevacError> {
    let reader = db.reader();
    let Some(aircraft) = registry::aircraft(reader, registration).await? else { return Ok(None) };
    let busy_with = store::open_tasking_of_aircraft(reader, registration, request_id).await?;
    Ok(Some(Candidate { aircraft, busy_with }))
}

fn place(facility: &Facility) -> air::Place {
    match (&facility.hospital_id, facility.position) {
        (Some(id), _) if !id.is_empty() => air::Place { hospital_id: id.clone(), ..Default::default() },
        (_, position) => air::Place {
            position: position.map(|p| jedel_api::common::v1::LatLon { lat: p.lat, lon: p.lon }),
            ..Default::default()
        },
    }
}

/// The Dispatcher's question for the request's mission at `now`, asking for every option.
pub fn rank_request(request: &Request, now: Micros) -> air::RankAircraftRequest {
    let details = &request.details;
    let needs = &details.care.needs;
    let has = |need| needs.contains(&need);
    let module = if details.care.ventilated || has(PatientNeed::IntensiveCareModule) {
        air::MedicalModule::IntensiveCare
    } else if has(PatientNeed::Stretcher) || has(PatientNeed::Oxygen) {
        air::MedicalModule::Basic
    } else {
        air::MedicalModule::None
    };
    let mission_type = match details.mission_type {
        Some(MissionType::PatientTransport) => air::MissionType::PatientTransport,
        Some(MissionType::SpecialistDelivery) => air::MissionType::SpecialistDelivery,
        Some(MissionType::OnSiteSurgery) => air::MissionType::OnSiteSurgery,
        Some(MissionType::OrganTransport) => air::MissionType::OrganTransport,
        None => air::MissionType::Unspecified,
    };
    let urgency = match details.urgency {
        Some(Urgency::Emergency) => air::AirUrgency::Emergency,
        Some(Urgency::Urgent) => air::AirUrgency::Urgent,
        Some(Urgency::Planned) => air::AirUrgency::Planned,
        None => air::AirUrgency::Unspecified,
    };
    air::RankAircraftRequest {
        medevac_request_id: request.id.clone(),
        mission_type: mission_type.into(),
        origin: Some(place(&details.origin)),
        destination: Some(place(&details.destination)),
        needs: Some(air::PatientNeeds {
            medical_module: module.into(),
            stretcher: has(PatientNeed::Stretcher),
            pressurised_cabin: false,
            incubator: has(PatientNeed::Incubator),
            seats: i32::try_from(details.accompanying_count).unwrap_or(i32::MAX),
        }),
        urgency: urgency.into(),
        start_at: Some(to_timestamp(now)),
        limit: ALL_OPTIONS,
    }
}

/// The Dispatcher's ranking for a request, with the numbers of the contracts it names.
#[derive(Debug, Clone)]
pub struct Ranking {
    /// The Dispatcher's answer.
    pub answer: air::RankAircraftResponse,
    /// Contract number by Registry id.
    pub contract_numbers: HashMap<String, String>,
}

/// Ranks the aircraft for request `id` at `now` through the Dispatcher's air tasking, as
/// `caller` (a medevac dispatcher, whom the Dispatcher lets rank any mission).
pub async fn rank(context: &Context, caller: &Caller, id: &str, now: Micros) -> Result<Ranking, MedevacError> {
    let request = store::request(context.db.reader(), id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("request {id} does not exist")))?;
    // An illegal step is refused as such, before any ranking.
    request.workflow.check(Step::ChooseAircraft)?;
    let answer = jedel_dispatch::air::rank_aircraft(context, caller, rank_request(&request, now)).await?;
    let contract_numbers = registry::contract_numbers(context.db.reader()).await?;
    Ok(Ranking { answer, contract_numbers })
}

/// What the national centre chose beside the aircraft (the rank the client saw is not kept:
/// the server's ranking decides the rank recorded).
#[derive(Debug, Clone)]
pub struct Choice {
    /// Why not the top option, or why an open tasking is replaced.
    pub reason: String,
}

fn leg_kind(number: i32) -> Option<LegKind> {
    Some(match air::LegKind::try_from(number).ok()? {
        air::LegKind::PositioningFlight => LegKind::PositioningFlight,
        air::LegKind::GroundToAirfield => LegKind::GroundToAirfield,
        air::LegKind::PatientFlight => LegKind::PatientFlight,
        air::LegKind::GroundToHospital => LegKind::GroundToHospital,
        air::LegKind::ReturnFlight => LegKind::ReturnFlight,
        air::LegKind::GroundTransfer => LegKind::GroundTransfer,
        air::LegKind::Unspecified => return None,
    })
}

fn micros(duration: Option<&prost_types::Duration>) -> Micros {
    duration.map_or(0, |d| d.seconds * 1_000_000 + i64::from(d.nanos) / 1_000)
}

/// The plan of `option`, ranked from `start`.
fn plan_of(option: &air::AirOption, start: Micros) -> Option<Plan> {
    let legs: Vec<PlannedLeg> = option
        .legs
        .iter()
        .filter_map(|l| {
            Some(PlannedLeg {
                kind: leg_kind(l.kind)?,
                departs_at: from_timestamp(l.departs_at.as_ref()?)?,
                arrives_at: from_timestamp(l.arrives_at.as_ref()?)?,
            })
        })
        .collect();
    let promise = Promise {
        time_to_patient: micros(option.time_to_patient.as_ref()),
        time_to_destination: micros(option.time_to_destination.as_ref()),
        flight_time: micros(option.flight_time.as_ref()),
        cost_tiyn: option.cost.as_ref().map_or(0, |c| c.minor_units),
    };
    Plan::from_legs(start, &legs, promise)
}

/// Chooses `candidate` for the request in `state` at `now` from the Dispatcher's `ranking`:
/// it must be among the options (else the reason it is excluded), a rank other than the top
/// one (the server's rank, whatever the client sent) needs a reason, and no other request may
/// hold it. Opens a new tasking with the option's plan; an open tasking it replaces is
/// withdrawn.
pub fn choose(
    state: &mut State,
    candidate: &Candidate,
    ranking: &Ranking,
    choice: Choice,
    transition: Transition,
    now: Micros,
) -> Result<&'static str, MedevacError> {
    let request = &state.request;
    request.workflow.check(Step::ChooseAircraft)?;
    let (registration, contract_numbers, ranking) =
        (&candidate.aircraft.registration, &ranking.contract_numbers, &ranking.answer);
    let Some(option) = ranking.options.iter().find(|o| o.registration == *registration) else {
        let why = ranking
            .excluded
            .iter()
            .find(|e| e.registration == *registration)
            .map_or_else(|| format!("it is not among the first {ALL_OPTIONS} options"), |e| e.detail.clone());
        return Err(MedevacError::Precondition(format!("aircraft {registration} may not fly this mission now: {why}")));
    };
    let option_rank = u32::try_from(option.rank).unwrap_or(u32::MAX);
    if choice_needs_reason(request.status(), option_rank) && choice.reason.is_empty() {
        let which = if option_rank > 1 {
            format!("is required: aircraft {registration} is option {option_rank}, not the top option")
        } else {
            "is required when the choice replaces an open tasking".to_string()
        };
        return Err(ApiError::invalid("reason", which).into());
    }
    if let Some(other) = &candidate.busy_with {
        return Err(MedevacError::Precondition(format!(
            "aircraft {registration} is {} for request {}",
            other.status, other.request_number
        )));
    }
    let start = ranking.start_at.as_ref().and_then(from_timestamp).unwrap_or(now);
    let plan = plan_of(option, start)
        .ok_or_else(|| ApiError::Internal(format!("the option of aircraft {registration} has no patient flight")))?;
    let contract_number = contract_numbers.get(&option.contract_id).cloned().unwrap_or_default();
    let tasking = Tasking {
        id: uuid::Uuid::now_v7().to_string(),
        medevac_request_id: request.id.clone(),
        request_number: request.number.clone(),
        region_code: request.region_code.clone(),
        airline_code: candidate.aircraft.airline_code.clone(),
        aircraft_registration: registration.clone(),
        contract_number,
        option_rank,
        choice_reason: choice.reason.clone(),
        status: TaskingStatus::Chosen,
        summary: Summary::of(&request.details),
        schedule: plan.schedule(now + plan.readiness),
        plan,
        crew: Vec::new(),
        tasked_at: None,
        responded_at: None,
        responded_by: None,
        decline_reason: String::new(),
        actual_flight_time: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    state.request.workflow.apply(Step::ChooseAircraft, Transition { reason: choice.reason, ..transition })?;
    if let Some(mut old) = state.tasking.take() {
        if old.status.is_open() {
            old.status = TaskingStatus::Withdrawn;
        }
        state.replaced = Some(old);
    }
    state.request.current_tasking_id = Some(tasking.id.clone());
    state.tasking = Some(tasking);
    Ok(events::STATUS_CHANGED)
}

fn tasking_mut(state: &mut State) -> Result<&mut Tasking, MedevacError> {
    let id = state.request.id.clone();
    state.tasking.as_mut().ok_or(MedevacError::Corrupt { entity: "request", id, reason: "no current tasking".into() })
}

/// Offers the chosen aircraft's tasking to its airline.
pub fn task(state: &mut State, transition: Transition, now: Micros) -> Result<&'static str, MedevacError> {
    state.request.workflow.apply(Step::TaskAirline, transition)?;
    let tasking = tasking_mut(state)?;
    tasking.status = TaskingStatus::Offered;
    tasking.tasked_at = Some(now);
    tasking.schedule = tasking.plan.schedule(now + tasking.plan.readiness);
    Ok(events::STATUS_CHANGED)
}

/// The airline accepts, committing to take off at `departure` (default: as the contract's
/// readiness allows); the schedule is anchored there.
pub fn accept(
    state: &mut State,
    departure: Option<Micros>,
    transition: Transition,
    now: Micros,
) -> Result<&'static str, MedevacError> {
    let responder = transition.actor.clone();
    state.request.workflow.apply(Step::Accept, transition)?;
    let tasking = tasking_mut(state)?;
    let departure = departure.unwrap_or(now + tasking.plan.readiness);
    if tasking.tasked_at.is_some_and(|tasked| departure < tasked) {
        return Err(jedel_api::ApiError::invalid("expected_departure_at", "is before the tasking was offered").into());
    }
    tasking.status = TaskingStatus::Accepted;
    tasking.responded_at = Some(now);
    tasking.responded_by = Some(responder);
    tasking.schedule = tasking.plan.schedule(departure);
    Ok(events::STATUS_CHANGED)
}

/// The airline declines, with its reason; the national centre chooses again.
pub fn decline(state: &mut State, transition: Transition, now: Micros) -> Result<&'static str, MedevacError> {
    let (responder, reason) = (transition.actor.clone(), transition.reason.clone());
    state.request.workflow.apply(Step::Decline, transition)?;
    let tasking = tasking_mut(state)?;
    tasking.status = TaskingStatus::Declined;
    tasking.responded_at = Some(now);
    tasking.responded_by = Some(responder);
    tasking.decline_reason = reason;
    Ok(events::STATUS_CHANGED)
}

/// Names (or renames) the crew.
pub fn assign_crew(
    state: &mut State,
    crew: Vec<CrewMember>,
    transition: Transition,
) -> Result<&'static str, MedevacError> {
    let before = state.request.status();
    state.request.workflow.apply(Step::AssignCrew, transition)?;
    tasking_mut(state)?.crew = crew;
    Ok(if before == state.request.status() { events::TASKING_UPDATED } else { events::STATUS_CHANGED })
}

/// Records a flight milestone reached at `transition.occurred_at`, with an optional estimate
/// of the next one.
pub fn reach(
    state: &mut State,
    milestone: Milestone,
    next_expected: Option<Micros>,
    transition: Transition,
) -> Result<&'static str, MedevacError> {
    let occurred_at = transition.occurred_at;
    state.request.workflow.apply(Step::Reach(milestone), transition)?;
    tasking_mut(state)?.schedule.reach(milestone, occurred_at, next_expected)?;
    Ok(events::STATUS_CHANGED)
}

/// Closes the request after hand-over with the flight time the airline reports.
pub fn complete(state: &mut State, flight_time: Micros, transition: Transition) -> Result<&'static str, MedevacError> {
    state.request.workflow.apply(Step::Complete, transition)?;
    let tasking = tasking_mut(state)?;
    tasking.status = TaskingStatus::Completed;
    tasking.actual_flight_time = Some(flight_time);
    Ok(events::STATUS_CHANGED)
}

/// Cancels the request with a reason; an open tasking is withdrawn.
pub fn cancel(state: &mut State, transition: Transition) -> Result<&'static str, MedevacError> {
    state.request.workflow.apply(Step::Cancel, transition)?;
    if let Some(tasking) = state.tasking.as_mut()
        && tasking.status.is_open()
    {
        tasking.status = TaskingStatus::Withdrawn;
    }
    Ok(events::STATUS_CHANGED)
}
