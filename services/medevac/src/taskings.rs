//! The airline side of a request: choosing an aircraft (eligibility re-checked against the
//! registry's aircraft, airline and contracts at this moment with `jedel_core::eligibility`,
//! its medical module against the patient's needs, and that no other request holds it),
//! planning its flight from the contract in force, offering it to the airline, and the
//! airline's answer, crew and milestones. Each step is an edit run by
//! [`crate::requests::change`] inside one transaction.

use jedel_core::TimeZone;
use jedel_core::calendar::{Period, parse_date};
use jedel_core::eligibility::{self, Verdict};
use jedel_core::geo::LatLon;
use jedel_core::local_time::{MINUTE, Micros};
use jedel_core::medevac::flight::{PlanInput, plan};
use jedel_core::medevac::vocabulary::unmet_need;
use jedel_core::medevac::workflow::{Transition, choice_needs_reason};
use jedel_core::medevac::{MedicalModule, Milestone, Step, TaskingStatus};
use jedel_platform::Db;

use crate::error::MedevacError;
use crate::events;
use crate::model::{CrewMember, Point, Summary, Tasking};
use crate::requests::State;
use crate::store::registry::{self, AircraftFacts, AirlineFacts, ContractFacts};
use crate::store::{self};

/// The time zone certificate and contract dates are read in (Kazakhstan keeps UTC+5).
const LOCAL_TIME_ZONE: &str = "Asia/Almaty";

fn utc_offset_minutes() -> i32 {
    TimeZone::parse(LOCAL_TIME_ZONE).map_or(300, |zone| zone.utc_offset_minutes())
}

/// What the registry says about an aircraft being chosen, read before the transaction.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The aircraft.
    pub aircraft: AircraftFacts,
    /// Its airline, if the row exists.
    pub airline: Option<AirlineFacts>,
    /// The contracts that list it.
    pub contracts: Vec<ContractFacts>,
    /// Its base airfield's position.
    pub base: Option<Point>,
    /// An open tasking of the aircraft for another request, if any.
    pub busy_with: Option<Tasking>,
}

/// Reads what choosing `registration` for request `request_id` needs; `None` when no such
/// aircraft is registered.
pub async fn candidate(db: &Db, registration: &str, request_id: &str) -> Result<Option<Candidate>, MedevacError> {
    let reader = db.reader();
    let Some(aircraft) = registry::aircraft(reader, registration).await? else { return Ok(None) };
    let airline = registry::airline(reader, &aircraft.airline_code).await?;
    let contracts = registry::contracts_covering(reader, registration).await?;
    let base = registry::airfield_position(reader, &aircraft.base_airfield_code).await?;
    let busy_with = store::open_tasking_of_aircraft(reader, registration, request_id).await?;
    Ok(Some(Candidate { aircraft, airline, contracts, base, busy_with }))
}

fn period(first: &str, last: &str) -> Option<Period> {
    Period::new(parse_date(first).ok()?, parse_date(last).ok()?).ok()
}

/// Judges the candidate with the registry's eligibility rule at `at`.
pub fn judge(candidate: &Candidate, at: Micros) -> Verdict {
    let aircraft = eligibility::Aircraft {
        registration: candidate.aircraft.registration.clone(),
        in_maintenance: candidate.aircraft.status == "maintenance",
    };
    let airline = match &candidate.airline {
        Some(a) => eligibility::Airline {
            code: a.code.clone(),
            active: a.status == "active",
            certificate: a.certificate.as_ref().and_then(|(number, issued, expires)| {
                period(issued, expires).map(|validity| eligibility::Certificate { number: number.clone(), validity })
            }),
        },
        None => {
            eligibility::Airline { code: candidate.aircraft.airline_code.clone(), active: false, certificate: None }
        }
    };
    let contracts: Vec<eligibility::Contract> = candidate
        .contracts
        .iter()
        .map(|c| eligibility::Contract {
            number: c.number.clone(),
            period: period(&c.starts, &c.ends).unwrap_or_else(|| {
                // An unreadable period never covers today: judged as long ended.
                let epoch = chrono::NaiveDate::MIN;
                Period::new(epoch, epoch).expect("a one-day period")
            }),
            state: match c.status.as_str() {
                "active" => eligibility::ContractState::Active,
                "suspended" => eligibility::ContractState::Suspended,
                _ => eligibility::ContractState::Terminated,
            },
        })
        .collect();
    eligibility::judge(&aircraft, &airline, &contracts, at, utc_offset_minutes())
}

fn lat_lon(point: Option<Point>) -> Option<LatLon> {
    point.and_then(|p| LatLon::parse(p.lat, p.lon).ok())
}

/// What the national centre chose.
#[derive(Debug, Clone)]
pub struct Choice {
    /// Rank among the Dispatcher's options.
    pub option_rank: u32,
    /// Why not the top option, or why an open tasking is replaced.
    pub reason: String,
}

/// Chooses `candidate` for the request in `state` at `now`: the aircraft must be eligible now
/// (certificate, contract, not in maintenance), carry what the patient needs and not be held
/// by another request. Opens a new tasking with the option's plan; an open tasking it
/// replaces is withdrawn.
pub fn choose(
    state: &mut State,
    candidate: &Candidate,
    choice: Choice,
    transition: Transition,
    now: Micros,
) -> Result<&'static str, MedevacError> {
    let request = &state.request;
    request.workflow.check(Step::ChooseAircraft)?;
    if choice_needs_reason(request.status(), choice.option_rank) && choice.reason.is_empty() {
        return Err(jedel_api::ApiError::invalid(
            "reason",
            "is required when the choice is not the top option or replaces an open tasking",
        )
        .into());
    }
    let registration = &candidate.aircraft.registration;
    let verdict = judge(candidate, now);
    if !verdict.eligible() {
        let reasons: Vec<&str> = verdict.reasons.iter().map(|r| r.message.as_str()).collect();
        return Err(MedevacError::Precondition(format!(
            "aircraft {registration} may not fly medevac now: {}",
            reasons.join("; ")
        )));
    }
    let module = MedicalModule::parse(&candidate.aircraft.medical_module).unwrap_or(MedicalModule::None);
    if let Some(gap) = unmet_need(&request.details.care.needs, request.details.care.ventilated, module) {
        return Err(MedevacError::Precondition(format!("aircraft {registration} does not suit the patient: {gap}")));
    }
    if let Some(other) = &candidate.busy_with {
        return Err(MedevacError::Precondition(format!(
            "aircraft {registration} is {} for request {}",
            other.status, other.request_number
        )));
    }
    let contract = verdict
        .contract
        .and_then(|i| candidate.contracts.get(i))
        .ok_or_else(|| MedevacError::Precondition(format!("aircraft {registration} has no contract in force")))?;
    let (Some(origin), Some(destination)) =
        (lat_lon(request.details.origin.position), lat_lon(request.details.destination.position))
    else {
        return Err(MedevacError::Precondition("the request's origin and destination positions are needed".into()));
    };
    let base = lat_lon(candidate.base).ok_or_else(|| {
        MedevacError::Precondition(format!("the base airfield of aircraft {registration} has no position"))
    })?;
    let readiness = contract.readiness_minutes.max(0) * MINUTE;
    let plan = plan(&PlanInput {
        base,
        origin,
        destination,
        cruise_speed_kmh: u32::try_from(candidate.aircraft.cruise_speed_kmh).unwrap_or(1).max(1),
        tariff_kzt_per_hour: contract.tariff_kzt_per_hour,
        readiness,
    });
    let tasking = Tasking {
        id: uuid::Uuid::now_v7().to_string(),
        medevac_request_id: request.id.clone(),
        request_number: request.number.clone(),
        region_code: request.region_code.clone(),
        airline_code: candidate.aircraft.airline_code.clone(),
        aircraft_registration: registration.clone(),
        contract_number: contract.number.clone(),
        option_rank: choice.option_rank,
        choice_reason: choice.reason.clone(),
        status: TaskingStatus::Chosen,
        summary: Summary::of(&request.details),
        schedule: plan.schedule(now + readiness),
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
