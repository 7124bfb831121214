//! The situation centre's figures as a pure fold of the event stream.
//!
//! [`Figures::apply`] takes each stored event (Intake's `call.*`, the Dispatcher's `unit.*` and
//! `assignment.*`, Medevac's `medevac_request.*`, the Registry's `airline.*`, `aircraft.*` and
//! `contract.*`) and keeps, per call, unit, medevac request and aviation record, only the facts
//! the figures need (the aviation side lives in [`aviation`]). [`Figures::metrics`] reads a [`Snapshot`] of one [`Scope`] at a
//! given time; [`Figures::period`] the figures of a report period. No clock is read here: the
//! time is always an argument, so replaying the same events gives exactly the same figures.
//!
//! Payloads are read as the services write them; fields the fold does not need are ignored, and
//! an event it cannot read is skipped (counted in [`Figures::skipped`]) rather than stopping it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::CallStatus as CoreCallStatus;
use crate::call::{Lifecycle, Milestone};
use crate::category::{Category, TeamKind};
use crate::dispatch::{Event as DispatchEvent, UnitStatus as EngineUnitStatus};
use crate::local_time::{MINUTE, Micros};

pub mod aviation;
pub mod history;
#[cfg(test)]
mod tests;

use aviation::TaskingRecord;
pub use aviation::{AircraftKind, AirlineTotals, DocumentKind, Expiring, Fleet, Flight};
pub use history::{Counted, History};

/// One hour in µs.
pub const HOUR: Micros = 60 * MINUTE;
/// One day in µs.
pub const DAY: Micros = 24 * HOUR;
/// Asia/Almaty's offset from UTC (UTC+5 since March 2024), in µs.
pub const ALMATY_OFFSET: Micros = 5 * HOUR;
/// How long an ended call stays in the live set after it was received: the longest live window
/// (a day: "today" and the rolling 24 hours) with a margin for clocks that differ.
pub const LIVE_FOR: Micros = 26 * HOUR;
/// How often, in the time of the events folded, ended calls are retired to the [`History`].
pub const RETIRE_EVERY: Micros = HOUR;

/// A stored event as the fold reads it (the columns of the `events` table it needs).
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// Global sequence.
    pub seq: u64,
    /// Aggregate type: `call`, `unit`, `assignment`, `medevac_request`, …
    pub aggregate_type: &'a str,
    /// Event kind, e.g. `call.progress_recorded`.
    pub kind: &'a str,
    /// JSON payload.
    pub payload: &'a str,
    /// Commit time, µs since the epoch.
    pub occurred_at: Micros,
}

/// How wide a set of figures is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// The whole country.
    Nation,
    /// One region (`KZ-NN`).
    Region(String),
    /// One station (Registry id) of a region.
    Station {
        /// Region of the station.
        region: String,
        /// Station id.
        station: String,
    },
}

/// The open statuses of a call as the situation centre counts them (the API's `CallStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OpenStatus {
    /// Not categorised yet.
    Received = 1,
    /// Categorised, waiting for a unit.
    Waiting = 2,
    /// Assigned or crew notified, not departed.
    Assigned = 3,
    /// First unit on its way.
    EnRoute = 4,
    /// On scene or with the patient.
    OnScene = 5,
    /// Transporting.
    Transporting = 6,
    /// At hospital or handing over.
    AtHospital = 7,
}

impl OpenStatus {
    /// The open status of a call's lifecycle status; `None` when the call has ended.
    pub fn of(status: CoreCallStatus) -> Option<OpenStatus> {
        Some(match status {
            CoreCallStatus::Received => OpenStatus::Received,
            CoreCallStatus::Categorised => OpenStatus::Waiting,
            CoreCallStatus::Assigned | CoreCallStatus::CrewNotified => OpenStatus::Assigned,
            CoreCallStatus::EnRoute => OpenStatus::EnRoute,
            CoreCallStatus::OnScene | CoreCallStatus::PatientContact => OpenStatus::OnScene,
            CoreCallStatus::Transporting => OpenStatus::Transporting,
            CoreCallStatus::AtHospital | CoreCallStatus::Handover => OpenStatus::AtHospital,
            CoreCallStatus::Closed | CoreCallStatus::Cancelled | CoreCallStatus::Linked => return None,
        })
    }
}

/// A ground unit's status as the situation centre counts it (the API's `UnitStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnitState {
    /// Free (at station or on the move).
    Available = 1,
    /// Assigned, not departed.
    Assigned = 2,
    /// Driving to a call.
    EnRoute = 3,
    /// On scene.
    OnScene = 4,
    /// Transporting.
    Transporting = 5,
    /// At hospital, or returning from a call and not yet cleared.
    AtHospital = 6,
    /// Out of service or off shift.
    OutOfService = 7,
}

impl UnitState {
    /// The situation status of an engine status.
    pub fn of(status: EngineUnitStatus) -> UnitState {
        match status {
            EngineUnitStatus::AvailableAtStation | EngineUnitStatus::AvailableOnMove => UnitState::Available,
            EngineUnitStatus::Assigned => UnitState::Assigned,
            EngineUnitStatus::EnRoute => UnitState::EnRoute,
            EngineUnitStatus::OnScene => UnitState::OnScene,
            EngineUnitStatus::Transporting => UnitState::Transporting,
            EngineUnitStatus::AtHospital | EngineUnitStatus::Returning => UnitState::AtHospital,
            EngineUnitStatus::OutOfService | EngineUnitStatus::OffShift => UnitState::OutOfService,
        }
    }
}

/// A medevac step (the API's `MedevacStep`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    /// Waiting for NCCEM.
    Submitted = 1,
    /// Under review (or returned for information).
    UnderReview = 2,
    /// Approved; aircraft being chosen (or chosen).
    Approved = 3,
    /// Airline tasked, not accepted (or declined, awaiting another).
    Tasked = 4,
    /// Accepted; crew and aircraft being prepared.
    Preparing = 5,
    /// Positioning flight.
    Positioning = 6,
    /// At the patient's side.
    OnSite = 7,
    /// Flight with the patient.
    PatientFlight = 8,
    /// Ground leg to the receiving hospital.
    GroundTransfer = 9,
}

impl Step {
    /// The step of a medevac request status (its snake_case name); `None` for drafts and
    /// requests that have ended.
    pub fn of(status: &str) -> Option<Step> {
        Some(match status {
            "submitted" => Step::Submitted,
            "under_review" | "returned_for_information" => Step::UnderReview,
            "approved" | "aircraft_chosen" => Step::Approved,
            "airline_tasked" | "declined" => Step::Tasked,
            "accepted" | "crew_assigned" => Step::Preparing,
            "departed" => Step::Positioning,
            "at_origin" => Step::OnSite,
            "patient_on_board" => Step::PatientFlight,
            "landed" => Step::GroundTransfer,
            _ => return None,
        })
    }

    /// Whether an aircraft is flying (or on the ground legs) for the request.
    pub fn in_flight(self) -> bool {
        self >= Step::Positioning
    }
}

/// What the fold keeps of one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallFact {
    /// Owning region.
    pub region: String,
    /// When 103 received it.
    pub received_at: Micros,
    /// Effective category.
    pub category: Option<Category>,
    /// Lifecycle status.
    pub status: CoreCallStatus,
    /// Latest arrival time allowed by its norm.
    pub deadline_at: Option<Micros>,
    /// First crew on scene.
    pub on_scene_at: Option<Micros>,
    /// Team kind of the first crew on scene.
    pub on_scene_kind: Option<TeamKind>,
    /// First unit assigned; its home station is the call's station.
    pub first_unit: Option<String>,
    /// Resuscitation (attempted, successful), once closed.
    pub resuscitation: Option<(bool, bool)>,
}

impl CallFact {
    /// Arrival time (received → first crew on scene).
    pub fn arrival(&self) -> Option<Micros> {
        self.on_scene_at.map(|at| at - self.received_at)
    }

    /// Whether the call counts against its norm at `now`: `Some(true)` reached in time,
    /// `Some(false)` reached late or open and unreached past the deadline, `None` otherwise.
    pub fn within_norm(&self, now: Micros) -> Option<bool> {
        let deadline = self.deadline_at?;
        match self.on_scene_at {
            Some(at) => Some(at <= deadline),
            None if self.status.is_open() && now > deadline => Some(false),
            None => None,
        }
    }

    /// Open, unreached and past its deadline at `now`.
    pub fn overdue(&self, now: Micros) -> bool {
        self.status.is_open() && self.on_scene_at.is_none() && self.deadline_at.is_some_and(|d| now > d)
    }
}

/// What the fold keeps of one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitFact {
    /// Owning region.
    pub region: String,
    /// Home station.
    pub station: String,
    /// Team kind.
    pub kind: TeamKind,
    /// Status.
    pub state: UnitState,
    /// When the status last changed.
    pub since: Micros,
}

/// What the fold keeps of one medevac request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFact {
    /// Requesting region.
    pub region: String,
    /// Current step; `None` for drafts and ended requests.
    pub step: Option<Step>,
    /// When the current step began.
    pub since: Micros,
    /// Its flight, once departed.
    pub flight: Option<Flight>,
}

/// Time one request spent in one step, recorded when it left the step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepSpell {
    /// Requesting region.
    pub region: String,
    /// The step.
    pub step: Step,
    /// When it left the step.
    pub ended_at: Micros,
    /// How long it spent there.
    pub duration: Micros,
}

/// The fold: everything the figures are computed from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    /// Last sequence applied.
    pub sequence: u64,
    /// Commit time of that event.
    pub occurred_at: Micros,
    /// Open calls and calls received within [`LIVE_FOR`], by id.
    pub calls: BTreeMap<String, CallFact>,
    /// Ended calls retired from `calls`, for the period reports.
    pub history: History,
    /// Calls received before this instant and ended are in `history`, not `calls`.
    pub retired_before: Micros,
    /// Units by id.
    pub units: BTreeMap<String, UnitFact>,
    /// Medevac requests by id.
    pub requests: BTreeMap<String, RequestFact>,
    /// Registry station ids by station code (brigades name their station by code).
    pub station_ids: BTreeMap<String, String>,
    /// The Registry's airlines, aircraft and contracts.
    pub fleet: Fleet,
    /// Time spent in medevac steps, in the order the steps ended.
    pub spells: Vec<StepSpell>,
    /// Events the fold could not read.
    pub skipped: u64,
}

#[derive(Deserialize)]
struct CallPayload {
    call: CallRecord,
}

#[derive(Deserialize)]
struct CallRecord {
    id: String,
    region_code: String,
    received_at: Micros,
    lifecycle: Lifecycle,
    category: Option<Category>,
    deadline_at: Option<Micros>,
    outcome: Option<OutcomeRecord>,
}

#[derive(Deserialize)]
struct OutcomeRecord {
    #[serde(default)]
    resuscitation_attempted: bool,
    #[serde(default)]
    resuscitation_successful: bool,
}

#[derive(Deserialize)]
struct StationRecord {
    id: String,
    code: String,
}

#[derive(Deserialize)]
struct BrigadeRecord {
    id: String,
    kind: String,
    station_code: String,
    region_code: String,
    in_service: bool,
}

#[derive(Deserialize)]
struct RequestPayload {
    request: RequestRecord,
    tasking: Option<TaskingRecord>,
}

#[derive(Deserialize)]
struct RequestRecord {
    id: String,
    region_code: String,
    workflow: WorkflowRecord,
}

#[derive(Deserialize)]
struct WorkflowRecord {
    status: String,
}

impl Figures {
    /// Empty figures, before any event.
    pub fn new() -> Figures {
        Figures::default()
    }

    /// Folds one event in. Events at or below the last sequence applied are ignored, so
    /// applying an event twice is harmless. Returns whether the figures changed.
    pub fn apply(&mut self, event: Input<'_>) -> bool {
        if event.seq != 0 && event.seq <= self.sequence {
            return false;
        }
        self.sequence = event.seq;
        self.occurred_at = event.occurred_at;
        if event.occurred_at - LIVE_FOR >= self.retired_before + RETIRE_EVERY {
            self.retire(event.occurred_at - LIVE_FOR);
        }
        let read = match event.aggregate_type {
            "call" => self.apply_call(event.payload),
            "unit" | "assignment" => self.apply_dispatch(event.payload),
            "medevac_request" => self.apply_request(event.payload, event.occurred_at),
            "airline" | "aircraft" | "contract" => self.fleet.apply(event.aggregate_type, event.payload),
            "station" => self.apply_station(event.payload),
            "brigade" => self.apply_brigade(event.payload, event.occurred_at),
            _ => return false,
        };
        if read.is_none() {
            self.skipped += 1;
        }
        read.unwrap_or(false)
    }

    /// Moves the ended calls received before `horizon` (and not reached after it) to the
    /// history.
    fn retire(&mut self, horizon: Micros) {
        let done = |c: &CallFact| {
            !c.status.is_open() && c.received_at < horizon && c.on_scene_at.is_none_or(|at| at < horizon)
        };
        let batch: Vec<(String, CallFact)> = self.calls.extract_if(.., |_, c| done(c)).collect();
        self.history.retire(batch);
        self.retired_before = horizon;
    }

    fn apply_call(&mut self, payload: &str) -> Option<bool> {
        let CallPayload { call } = serde_json::from_str(payload).ok()?;
        if call.received_at < self.retired_before && !self.calls.contains_key(&call.id) {
            // A late event about a retired call: it comes back to the live set, once.
            self.history.take(&call.id, call.received_at);
        }
        let first_on_scene =
            call.lifecycle.timeline.iter().filter(|e| e.milestone == Milestone::OnScene).min_by_key(|e| e.occurred_at);
        let first_unit = call
            .lifecycle
            .timeline
            .iter()
            .find(|e| e.milestone == Milestone::Assigned && e.unit.is_some())
            .and_then(|e| e.unit.as_ref().map(|u| u.unit_id.clone()));
        let fact = CallFact {
            region: call.region_code,
            received_at: call.received_at,
            category: call.category,
            status: call.lifecycle.status,
            deadline_at: call.deadline_at,
            on_scene_at: first_on_scene.map(|e| e.occurred_at),
            on_scene_kind: first_on_scene.and_then(|e| e.unit.as_ref().map(|u| u.team_kind)),
            first_unit,
            resuscitation: call.outcome.map(|o| (o.resuscitation_attempted, o.resuscitation_successful)),
        };
        let before = self.calls.insert(call.id, fact.clone());
        Some(before.as_ref() != Some(&fact))
    }

    fn apply_station(&mut self, payload: &str) -> Option<bool> {
        let StationRecord { id, code } = serde_json::from_str(payload).ok()?;
        Some(self.station_ids.insert(code, id.clone()).as_ref() != Some(&id))
    }

    /// A Registry brigade is a unit from the moment it is registered: the Dispatcher loads it
    /// without an event of its own, so until its first `unit.*` event it counts as available
    /// (or out of service) at its station. Once the Dispatcher has spoken, its status stands.
    fn apply_brigade(&mut self, payload: &str, at: Micros) -> Option<bool> {
        let b: BrigadeRecord = serde_json::from_str(payload).ok()?;
        let station = self.station_ids.get(&b.station_code).cloned().unwrap_or(b.station_code);
        let kind = serde_json::from_value(serde_json::Value::String(b.kind)).ok()?;
        let state = if b.in_service { UnitState::Available } else { UnitState::OutOfService };
        let fact = match self.units.get(&b.id) {
            Some(known) => UnitFact { region: b.region_code, station, kind, ..known.clone() },
            None => UnitFact { region: b.region_code, station, kind, state, since: at },
        };
        let before = self.units.insert(b.id, fact.clone());
        Some(before.as_ref() != Some(&fact))
    }

    fn apply_dispatch(&mut self, payload: &str) -> Option<bool> {
        let event: DispatchEvent = serde_json::from_str(payload).ok()?;
        Some(match event {
            DispatchEvent::UnitChanged { unit, .. } => {
                let fact = UnitFact {
                    region: unit.spec.region.to_string(),
                    station: unit.spec.station_id.clone(),
                    kind: unit.spec.kind,
                    state: UnitState::of(unit.status),
                    since: unit.status_changed_at,
                };
                let before = self.units.insert(unit.spec.id.to_string(), fact.clone());
                before.as_ref() != Some(&fact)
            }
            DispatchEvent::UnitRemoved { unit, .. } => self.units.remove(unit.as_str()).is_some(),
            _ => false,
        })
    }

    fn apply_request(&mut self, payload: &str, at: Micros) -> Option<bool> {
        let RequestPayload { request, tasking } = serde_json::from_str(payload).ok()?;
        let step = Step::of(&request.workflow.status);
        let entry = self.requests.entry(request.id).or_insert_with(|| RequestFact {
            region: request.region_code.clone(),
            step: None,
            since: at,
            flight: None,
        });
        let flight_changed = match (&mut entry.flight, &tasking) {
            (Some(flight), Some(tasking)) => flight.update(&self.fleet, tasking),
            _ => false,
        };
        if entry.step == step {
            return Some(flight_changed);
        }
        if let Some(left) = entry.step {
            self.spells.push(StepSpell {
                region: entry.region.clone(),
                step: left,
                ended_at: at,
                duration: at - entry.since,
            });
        }
        if step == Some(Step::Positioning) && entry.flight.is_none() {
            entry.flight = Some(Flight::departed(&self.fleet, tasking.as_ref(), at));
        }
        entry.step = step;
        entry.since = at;
        Some(true)
    }

    /// The station of a call: the home station of its first assigned unit.
    pub fn station_of(&self, call: &CallFact) -> Option<&str> {
        call.first_unit.as_ref().and_then(|u| self.units.get(u)).map(|u| u.station.as_str())
    }

    /// Regions that have any call, unit or medevac request, sorted.
    pub fn regions(&self) -> BTreeSet<String> {
        let calls = self.calls.values().map(|c| c.region.clone());
        let units = self.units.values().map(|u| u.region.clone());
        let requests = self.requests.values().map(|r| r.region.clone());
        calls.chain(units).chain(requests).collect()
    }

    /// Stations (region, station) that have a unit, sorted.
    pub fn stations(&self) -> BTreeSet<(String, String)> {
        self.units.values().map(|u| (u.region.clone(), u.station.clone())).collect()
    }

    /// The region of a station, from its units.
    pub fn region_of_station(&self, station: &str) -> Option<String> {
        self.units.values().find(|u| u.station == station).map(|u| u.region.clone())
    }

    /// The live figures of `scope` at `now`, with shares over the `window` ending at `now`.
    pub fn metrics(&self, scope: &Scope, now: Micros, window: Micros) -> Snapshot {
        self.metrics_of(std::slice::from_ref(scope), now, window).pop().unwrap_or_default()
    }

    /// The live figures of every scope in `scopes` (in that order), in one pass over the live
    /// calls, units and requests: a WatchMetrics tick over the nation, its regions and their
    /// stations costs about what one scope does.
    pub fn metrics_of(&self, scopes: &[Scope], now: Micros, window: Micros) -> Vec<Snapshot> {
        let day = day_start(now);
        let mut snapshots = vec![Snapshot { day_started_at: day, ..Snapshot::default() }; scopes.len()];
        let mut arrivals: Vec<BTreeMap<Option<Category>, Vec<Micros>>> = vec![BTreeMap::new(); scopes.len()];
        let mut nation = Vec::new();
        let mut by_region: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut by_station: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, scope) in scopes.iter().enumerate() {
            match scope {
                Scope::Nation => nation.push(i),
                Scope::Region(region) => by_region.entry(region).or_default().push(i),
                Scope::Station { station, .. } => by_station.entry(station).or_default().push(i),
            }
        }
        let none: &[usize] = &[];
        let targets = |region: &str, station: Option<&str>| {
            let region = by_region.get(region).map_or(none, Vec::as_slice);
            let station = station.and_then(|s| by_station.get(s)).map_or(none, Vec::as_slice);
            nation.iter().chain(region).chain(station).copied()
        };
        let live = LiveCall { now, day, window };
        for call in self.calls.values() {
            let station = if by_station.is_empty() { None } else { self.station_of(call) };
            for i in targets(&call.region, station) {
                live.count(&mut snapshots[i], &mut arrivals[i], call);
            }
        }
        for (s, times) in snapshots.iter_mut().zip(arrivals) {
            s.arrival_times = times.into_iter().map(|(c, times)| (c, Distribution::of(times))).collect();
        }
        for unit in self.units.values() {
            for i in targets(&unit.region, Some(&unit.station)) {
                *snapshots[i].units.entry(unit.state).or_default() += 1;
            }
        }
        for request in self.requests.values() {
            // Medevac figures are empty at station level.
            for i in targets(&request.region, None) {
                let s = &mut snapshots[i];
                let kind = request.flight.as_ref().and_then(|f| f.kind);
                if let Some(step) = request.step {
                    *s.medevac_open.entry(step).or_default() += 1;
                    if step.in_flight() {
                        *s.flights_in_progress.entry(kind).or_default() += 1;
                    }
                }
                if let Some(flight) = request.flight.as_ref().filter(|f| f.departed_at >= day && f.departed_at <= now) {
                    *s.flights_today.entry(kind).or_default() += 1;
                    s.airlines_today.entry(flight.airline_code.clone()).or_default().count(flight);
                }
            }
        }
        if !nation.is_empty() {
            let expiring = self.fleet.expiring(now);
            for &i in &nation {
                snapshots[i].expiring = expiring.clone();
            }
        }
        snapshots
    }

    /// The figures of calls received and flights departed in `[from, to)` in `regions` (all
    /// when empty), by region, for the period reports. Unreached open calls count as late once
    /// past their deadline at `to`.
    pub fn period(&self, from: Micros, to: Micros, regions: &[String]) -> BTreeMap<String, Period> {
        let wanted = |region: &str| regions.is_empty() || regions.iter().any(|r| r == region);
        let mut rows: BTreeMap<String, Period> = BTreeMap::new();
        for (region, call) in self.history.received_in(from, to).filter(|(region, _)| wanted(region)) {
            row(&mut rows, region).count(call);
        }
        for call in self.calls.values().filter(|c| c.received_at >= from && c.received_at < to && wanted(&c.region)) {
            row(&mut rows, &call.region).count(&Counted::of(call, to));
        }
        for request in self.requests.values().filter(|r| wanted(&r.region)) {
            if let Some(flight) = request.flight.as_ref().filter(|f| f.departed_at >= from && f.departed_at < to) {
                let row = rows.entry(request.region.clone()).or_default();
                *row.flights.entry(flight.kind).or_default() += 1;
                row.airlines.entry(flight.airline_code.clone()).or_default().count(flight);
            }
        }
        for spell in self.spells.iter().filter(|s| s.ended_at >= from && s.ended_at < to && wanted(&s.region)) {
            rows.entry(spell.region.clone()).or_default().steps.entry(spell.step).or_default().push(spell.duration);
        }
        for row in rows.values_mut() {
            for times in row.arrivals.values_mut().chain(row.steps.values_mut()) {
                times.sort_unstable();
            }
        }
        rows
    }
}

/// How a live call counts in a snapshot at `now`: "today" from `day`, rolling shares over
/// `window`.
struct LiveCall {
    now: Micros,
    day: Micros,
    window: Micros,
}

impl LiveCall {
    fn count(&self, s: &mut Snapshot, arrivals: &mut BTreeMap<Option<Category>, Vec<Micros>>, call: &CallFact) {
        let LiveCall { now, day, window } = *self;
        let received_today = call.received_at >= day && call.received_at <= now;
        let in_window = call.received_at > now - window && call.received_at <= now;
        if call.received_at > now - HOUR && call.received_at <= now {
            *s.calls_last_hour.entry(call.category).or_default() += 1;
        }
        if received_today {
            *s.calls_today.entry(call.category).or_default() += 1;
        }
        if let Some(status) = OpenStatus::of(call.status) {
            *s.open_calls.entry(status).or_default() += 1;
            if status == OpenStatus::Waiting {
                *s.waiting_calls.entry(call.category).or_default() += 1;
            }
        }
        if let (Some(at), Some(arrival)) = (call.on_scene_at, call.arrival())
            && at >= day
            && at <= now
        {
            arrivals.entry(call.category).or_default().push(arrival);
        }
        if let Some(within) = call.within_norm(now) {
            if in_window {
                s.within_norm_rolling.count(within);
            }
            if received_today {
                s.within_norm_today.count(within);
                if !within {
                    *s.late_today.entry(call.category).or_default() += 1;
                }
            }
        }
        if call.overdue(now) {
            *s.overdue.entry(call.category).or_default() += 1;
        }
        if call.category == Some(Category::Four)
            && let Some(kind) = call.on_scene_kind
        {
            let by_ems = kind != TeamKind::PhcMobile;
            if in_window {
                s.category4_by_ems_rolling.count(by_ems);
            }
            if received_today {
                s.category4_by_ems_today.count(by_ems);
            }
        }
        if received_today && let Some((true, successful)) = call.resuscitation {
            s.resuscitation_today.count(successful);
        }
    }
}

/// The row of `region`, added empty when missing (without allocating the key when present).
fn row<'a>(rows: &'a mut BTreeMap<String, Period>, region: &str) -> &'a mut Period {
    if !rows.contains_key(region) {
        rows.insert(region.to_string(), Period::default());
    }
    rows.get_mut(region).expect("inserted above")
}

/// Start of the Asia/Almaty day that contains `now`, as UTC µs.
pub fn day_start(now: Micros) -> Micros {
    (now + ALMATY_OFFSET).div_euclid(DAY) * DAY - ALMATY_OFFSET
}

/// A share as counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ratio {
    /// Cases meeting the condition.
    pub numerator: i64,
    /// Cases counted.
    pub denominator: i64,
}

impl Ratio {
    /// Counts one case.
    pub fn count(&mut self, meets: bool) {
        self.denominator += 1;
        self.numerator += i64::from(meets);
    }

    /// Adds another ratio's counts.
    pub fn add(&mut self, other: Ratio) {
        self.numerator += other.numerator;
        self.denominator += other.denominator;
    }

    /// The fraction; 0 with no cases.
    pub fn value(self) -> f64 {
        if self.denominator == 0 { 0.0 } else { self.numerator as f64 / self.denominator as f64 }
    }
}

/// Count, mean and 90th percentile of durations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Distribution {
    /// How many.
    pub count: i64,
    /// Mean, µs (rounded down).
    pub mean: Micros,
    /// 90th percentile by nearest rank, µs.
    pub p90: Micros,
}

impl Distribution {
    /// The distribution of `times`.
    pub fn of(mut times: Vec<Micros>) -> Distribution {
        if times.is_empty() {
            return Distribution::default();
        }
        times.sort_unstable();
        let count = times.len();
        let sum: i128 = times.iter().map(|&t| i128::from(t)).sum();
        // Nearest rank: the smallest value with at least 90 % of values at or below it.
        let rank = (count * 9).div_ceil(10).max(1);
        Distribution { count: count as i64, mean: (sum / count as i128) as Micros, p90: times[rank - 1] }
    }
}

/// The live figures of one scope at one time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Start of the local day.
    pub day_started_at: Micros,
    /// Calls received in the last hour by category (`None`: not categorised).
    pub calls_last_hour: BTreeMap<Option<Category>, i64>,
    /// Calls received today by category.
    pub calls_today: BTreeMap<Option<Category>, i64>,
    /// Open calls by status.
    pub open_calls: BTreeMap<OpenStatus, i64>,
    /// Calls waiting for a unit by category.
    pub waiting_calls: BTreeMap<Option<Category>, i64>,
    /// Arrival times of calls reached today by category.
    pub arrival_times: BTreeMap<Option<Category>, Distribution>,
    /// Indicator 24 over the rolling window.
    pub within_norm_rolling: Ratio,
    /// Indicator 24 today.
    pub within_norm_today: Ratio,
    /// Calls received today reached late or unreached past the norm, by category.
    pub late_today: BTreeMap<Option<Category>, i64>,
    /// Open calls past the norm with no crew on scene, by category.
    pub overdue: BTreeMap<Option<Category>, i64>,
    /// Units by status.
    pub units: BTreeMap<UnitState, i64>,
    /// Indicator 18 over the rolling window.
    pub category4_by_ems_rolling: Ratio,
    /// Indicator 18 today.
    pub category4_by_ems_today: Ratio,
    /// Successful out of attempted resuscitations on calls received today.
    pub resuscitation_today: Ratio,
    /// Open medevac requests by step.
    pub medevac_open: BTreeMap<Step, i64>,
    /// Requests with an aircraft flying or on the ground legs, by aircraft kind.
    pub flights_in_progress: BTreeMap<Option<AircraftKind>, i64>,
    /// Flights (positioning departures) today by aircraft kind.
    pub flights_today: BTreeMap<Option<AircraftKind>, i64>,
    /// Flights departed today by airline (code).
    pub airlines_today: BTreeMap<String, AirlineTotals>,
    /// Certificates and contracts about to expire, soonest first (nation scope only).
    pub expiring: Vec<Expiring>,
}

/// One region's figures over a report period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Period {
    /// Calls received by category.
    pub calls: BTreeMap<Option<Category>, i64>,
    /// Indicator 24 (its complement is the share of delays).
    pub within_norm: Ratio,
    /// Indicator 18.
    pub category4_by_ems: Ratio,
    /// Successful out of attempted resuscitations.
    pub resuscitation: Ratio,
    /// Arrival times by category, sorted.
    pub arrivals: BTreeMap<Option<Category>, Vec<Micros>>,
    /// Medevac flights departed, by aircraft kind.
    pub flights: BTreeMap<Option<AircraftKind>, i64>,
    /// Medevac flights departed, by airline (code).
    pub airlines: BTreeMap<String, AirlineTotals>,
    /// Time in each medevac step, sorted.
    pub steps: BTreeMap<Step, Vec<Micros>>,
}

impl Period {
    /// Counts one call received in the period.
    fn count(&mut self, call: &Counted) {
        *self.calls.entry(call.category).or_default() += 1;
        if let Some(within) = call.within_norm {
            self.within_norm.count(within);
        }
        if let Some(arrival) = call.arrival {
            self.arrivals.entry(call.category).or_default().push(arrival);
        }
        if call.category == Some(Category::Four)
            && let Some(kind) = call.on_scene_kind
        {
            self.category4_by_ems.count(kind != TeamKind::PhcMobile);
        }
        if let Some((true, successful)) = call.resuscitation {
            self.resuscitation.count(successful);
        }
    }
}

/// A national indicator's target for one year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    /// The year.
    pub year: i32,
    /// The target fraction.
    pub value: f64,
    /// Met when the value is at least the target (`true`) or at most (`false`).
    pub at_least: bool,
}

/// The national indicator targets shipped with Jedel (`data/indicators/kazakhstan.json`).
pub const KAZAKHSTAN_TARGETS: &str = include_str!("../../../../data/indicators/kazakhstan.json");

#[derive(Deserialize)]
struct TargetsFile {
    indicators: BTreeMap<String, IndicatorTargets>,
}

#[derive(Deserialize)]
struct IndicatorTargets {
    bound: String,
    targets: BTreeMap<i32, f64>,
}

/// The target of indicator `number` for `year` from the shipped file.
fn target(number: &str, year: i32) -> Option<Target> {
    static FILE: std::sync::OnceLock<TargetsFile> = std::sync::OnceLock::new();
    // The file is part of the build and read by a test, so it always parses.
    let file = FILE.get_or_init(|| serde_json::from_str(KAZAKHSTAN_TARGETS).expect("data/indicators/kazakhstan.json"));
    let indicator = file.indicators.get(number)?;
    let value = *indicator.targets.get(&year)?;
    Some(Target { year, value, at_least: indicator.bound == "at_least" })
}

/// Indicator 24's target for `year` (79/82/86/90 % for 2026–2029).
pub fn target_24(year: i32) -> Option<Target> {
    target("24", year)
}

/// Indicator 18's target for `year` (70/60/50/40 % for 2026–2029).
pub fn target_18(year: i32) -> Option<Target> {
    target("18", year)
}

/// The Asia/Almaty calendar year of `at`.
pub fn local_year(at: Micros) -> i32 {
    use chrono::Datelike as _;
    crate::local_time::local_date_time(at, (ALMATY_OFFSET / MINUTE) as i32).year()
}
