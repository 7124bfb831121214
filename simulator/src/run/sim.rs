//! The discrete-event loop of one policy: arrivals from [`Demand`] and scheduled steps of each
//! unit in time order, every change through the real [`Engine`] with the simulated clock. The
//! simulated dispatcher takes the engine's top recommendation (auto-assignment); the crews then
//! report the cycle a real crew reports: en route, on scene, transporting, at hospital, free
//! where they are, back at the station; shifts start and end at 08:00 and 20:00 local time.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use chrono::{Datelike as _, Weekday};
use jedel_core::LatLon;
use jedel_core::dispatch::geometry::great_circle_m;
use jedel_core::dispatch::{
    CallId, CallSpec, DispatchError, Engine, EngineConfig, EquipmentSet, Event, Fix, Start, StatusChange,
    TravelTimeModel, UnitStatus,
};
use jedel_core::local_time::Micros;
use rustc_hash::FxHashMap;

use super::policy::Policy;
use super::stats::Collector;
use super::world::{Draws, Roads, SimCall, SimUnit, Trip, norms};
use crate::demand::{Arrival, Demand, HOUR};
use crate::error::SimError;
use crate::reference::{Reference, Shift};
use crate::scenario::Scenario;

/// The instants a run covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Horizon {
    /// The simulation starts (warm-up begins).
    pub start: Micros,
    /// Calls received from here on are reported.
    pub report_from: Micros,
    /// No calls after this.
    pub calls_until: Micros,
    /// The simulation stops.
    pub end: Micros,
}

/// A step a unit takes at a scheduled instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Depart,
    Arrive,
    Transport,
    AtHospital,
    Clear,
    Home,
}

/// Something scheduled.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Due {
    Open(CallId),
    Unit { unit: u32, generation: u32, step: Step },
    Shift,
}

/// One policy's simulation, of every region or of some (under a policy that keeps units in
/// their region, regions do not interact, so a run can split them across threads).
pub struct Simulation<'a, M: TravelTimeModel> {
    scenario: &'a Scenario,
    /// By region index: simulated here.
    covers: Vec<bool>,
    /// By region index: calls waiting for their first unit.
    waiting: Vec<usize>,
    reference: &'a Reference,
    seed: u64,
    horizon: Horizon,
    engine: Engine<M>,
    roads: Roads,
    norms: [Micros; 4],
    units: Vec<SimUnit>,
    unit_index: FxHashMap<jedel_core::dispatch::UnitId, u32>,
    calls: FxHashMap<CallId, SimCall>,
    hospital_of_station: Vec<LatLon>,
    queue: BinaryHeap<Reverse<(Micros, u64, Due)>>,
    order: u64,
    out: Vec<Event>,
    now: Micros,
    /// What the run counted.
    pub stats: Collector,
    /// Calls simulated (warm-up included).
    pub simulated_calls: u64,
}

impl<M: TravelTimeModel> std::fmt::Debug for Simulation<'_, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulation").field("now", &self.now).field("calls", &self.calls.len()).finish()
    }
}

fn engine_error(action: &'static str, at: Micros) -> impl FnOnce(DispatchError) -> SimError {
    move |e| SimError::Engine { action, at, message: e.to_string() }
}

/// Local (UTC+offset) hour and whether the day is Monday to Friday.
fn local_day_hour(at: Micros, offset_minutes: i32) -> (u32, bool) {
    let local = at + Micros::from(offset_minutes) * 60_000_000;
    let hour = (local.div_euclid(HOUR).rem_euclid(24)) as u32;
    let weekday = chrono::DateTime::from_timestamp_micros(local).map_or(Weekday::Mon, |d| d.weekday());
    (hour, !matches!(weekday, Weekday::Sat | Weekday::Sun))
}

fn overlap(from: Micros, to: Micros, horizon: &Horizon) -> i64 {
    (to.min(horizon.calls_until) - from.max(horizon.report_from)).max(0)
}

impl<'a, M: TravelTimeModel> Simulation<'a, M> {
    /// A world at `horizon.start` with every brigade of the regions it `covers` at its station,
    /// on or off duty.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        scenario: &'a Scenario,
        reference: &'a Reference,
        policy: Policy,
        model: M,
        seed: u64,
        horizon: Horizon,
        covers: Vec<bool>,
    ) -> Result<Simulation<'a, M>, SimError> {
        let config =
            EngineConfig { default_rules: policy.rules(scenario.dispatcher_reach_min), ..EngineConfig::default() };
        let mut sim = Simulation {
            scenario,
            covers,
            waiting: vec![0; reference.regions.len()],
            reference,
            seed,
            horizon,
            engine: Engine::new(model, config),
            roads: Roads::new(reference),
            norms: norms(),
            units: Vec::with_capacity(reference.brigades.len()),
            unit_index: FxHashMap::default(),
            calls: FxHashMap::default(),
            hospital_of_station: reference
                .stations
                .iter()
                .map(|s| {
                    let key = |h: &&jedel_core::dispatch::Hospital| great_circle_m(s.position, h.position);
                    reference
                        .hospitals
                        .iter()
                        .min_by(|a, b| key(a).total_cmp(&key(b)))
                        .map_or(s.position, |h| h.position)
                })
                .collect(),
            queue: BinaryHeap::new(),
            order: 0,
            out: Vec::new(),
            now: horizon.start,
            stats: Collector::new(reference.regions.len()),
            simulated_calls: 0,
        };
        let t = horizon.start;
        for brigade in reference.brigades.iter().filter(|b| sim.covers[b.region]) {
            let (hour, weekday) = local_day_hour(t, reference.regions[brigade.region].utc_offset_minutes);
            let on_duty = brigade.shift.on_duty(hour, weekday);
            let initial = if on_duty { UnitStatus::AvailableAtStation } else { UnitStatus::OffShift };
            sim.engine
                .upsert_unit(t, brigade.spec.clone(), initial, &mut sim.out)
                .map_err(engine_error("add unit", t))?;
            sim.unit_index.insert(brigade.spec.id.clone(), sim.units.len() as u32);
            let station_area = reference
                .stations
                .iter()
                .find(|s| s.code == brigade.spec.station_id)
                .map_or(jedel_core::dispatch::AreaType::City, |s| s.area);
            sim.units.push(SimUnit {
                id: brigade.spec.id.clone(),
                home: brigade.spec.home,
                home_area: station_area,
                region: brigade.region,
                shift: brigade.shift,
                on_duty,
                off_pending: false,
                generation: 0,
                call: None,
                trip: None,
                place: brigade.spec.home,
                at_station: true,
                busy_since: None,
                duty_since: on_duty.then_some(t),
            });
        }
        sim.out.clear();
        // Shift changes at every local 08:00 and 20:00.
        let mut at = t.div_euclid(HOUR) * HOUR;
        while at <= horizon.end {
            if matches!(sim.roads.local_hour(at), 8 | 20) && at > t {
                sim.schedule(at, Due::Shift);
            }
            at += HOUR;
        }
        Ok(sim)
    }

    fn schedule(&mut self, at: Micros, due: Due) {
        self.order += 1;
        self.queue.push(Reverse((at, self.order, due)));
    }

    fn schedule_unit(&mut self, unit: u32, at: Micros, step: Step) {
        let generation = self.units[unit as usize].generation;
        self.schedule(at, Due::Unit { unit, generation, step });
    }

    /// Runs to the end of the horizon.
    pub fn run(&mut self, demand: Demand<'_>) -> Result<(), SimError> {
        let mut demand = demand.peekable();
        loop {
            let next_due = self.queue.peek().map(|Reverse((at, _, _))| *at);
            let next_arrival = demand.peek().map(Arrival::at);
            match (next_arrival, next_due) {
                (Some(a), d) if d.is_none_or(|d| a <= d) => {
                    let arrival = demand.next().expect("peeked");
                    self.advance(a);
                    self.arrive(arrival);
                }
                (_, Some(d)) if d <= self.horizon.end => {
                    let Reverse((at, _, due)) = self.queue.pop().expect("peeked");
                    self.advance(at);
                    self.handle(due)?;
                }
                _ => break,
            }
        }
        self.finish();
        Ok(())
    }

    /// Moves the clock to `at` and lets the engine fire its due timers first (a call held for a
    /// closer unit takes the best one once its norm is breached), so that a step decided from
    /// a unit's status sees the status the engine has.
    fn advance(&mut self, at: Micros) {
        self.now = at;
        self.engine.tick(at, &mut self.out);
        self.absorb();
    }

    fn arrive(&mut self, arrival: Arrival) {
        match arrival {
            Arrival::Medevac { at, region } => {
                if at >= self.horizon.report_from && self.covers[region] {
                    self.stats.medevac(region);
                }
            }
            Arrival::Call(incident) if self.covers[incident.region] => {
                self.simulated_calls += 1;
                let draws = Draws::of(self.scenario, self.seed, &incident);
                let counted = incident.at >= self.horizon.report_from;
                if counted {
                    self.stats.call(incident.region, incident.category);
                }
                let id = CallId::parse(&format!("c{}", incident.seq)).expect("valid id");
                let opened = incident.at + draws.handling;
                self.calls
                    .insert(id.clone(), SimCall { incident, draws, opened, assigned: false, waiting: false, counted });
                self.schedule(opened, Due::Open(id));
            }
            Arrival::Call(_) => {}
        }
    }

    fn handle(&mut self, due: Due) -> Result<(), SimError> {
        match due {
            Due::Open(id) => self.open(id),
            Due::Shift => self.shift_change(),
            Due::Unit { unit, generation, step } => {
                if self.units[unit as usize].generation != generation {
                    return Ok(());
                }
                match step {
                    Step::Depart => self.depart(unit),
                    Step::Arrive => self.on_scene(unit),
                    Step::Transport => self.transport(unit),
                    Step::AtHospital => self.at_hospital(unit),
                    Step::Clear => self.clear(unit),
                    Step::Home => self.home(unit),
                }
            }
        }
    }

    fn open(&mut self, id: CallId) -> Result<(), SimError> {
        let call = &self.calls[&id];
        let incident = &call.incident;
        let spec = CallSpec {
            id: id.clone(),
            number: id.as_str().to_string(),
            region: self.reference.regions[incident.region].code.clone(),
            category: incident.category,
            position: incident.position,
            area: incident.area,
            received_at: incident.at,
            deadline_at: incident.at + self.norms[usize::from(incident.category.number() - 1)],
            equipment: EquipmentSet::EMPTY,
        };
        let now = self.now;
        self.engine.open_call(now, spec, &mut self.out).map_err(engine_error("open call", now))?;
        self.absorb();
        if let Some(call) = self.calls.get_mut(&id)
            && !call.assigned
        {
            call.waiting = true;
            let region = call.incident.region;
            self.waiting[region] += 1;
            self.stats.queue_length(region, self.waiting[region]);
        }
        Ok(())
    }

    /// Follows what the last command did: every new assignment sends its unit on its way.
    fn absorb(&mut self) {
        let mut events = std::mem::take(&mut self.out);
        for event in events.drain(..) {
            if let Event::AssignmentStarted { at, assignment } = event {
                let unit = self.unit_index[&assignment.unit];
                self.assigned(unit, assignment.call, at);
            }
        }
        self.out = events;
    }

    fn assigned(&mut self, unit_no: u32, call_id: CallId, at: Micros) {
        let Some(call) = self.calls.get_mut(&call_id) else { return };
        if !call.assigned {
            call.assigned = true;
            if std::mem::take(&mut call.waiting) {
                self.waiting[call.incident.region] -= 1;
            }
            let wait = at - call.opened;
            if call.counted && wait > 0 {
                self.stats.waited(call.incident.region, call.incident.category, wait);
            }
        }
        let (scene, region, area, noise) =
            (call.incident.position, call.incident.region, call.incident.area, call.draws.noise);
        let unit = &mut self.units[unit_no as usize];
        unit.generation += 1;
        unit.busy_since.get_or_insert(at);
        let (from, start) = match unit.trip.take() {
            Some(trip) => (trip.position(at), if at < trip.depart { Some(Start::AtStation) } else { None }),
            None if unit.at_station => (unit.place, Some(Start::AtStation)),
            None => (unit.place, Some(Start::OnTheMove)),
        };
        let region_code = &self.reference.regions[region].code;
        let (mobilisation, travel) = self.roads.drive(region_code, area, at, from, scene, start, noise);
        let depart = at + mobilisation;
        let unit = &mut self.units[unit_no as usize];
        unit.trip = Some(Trip { from, to: scene, depart, arrive: depart + travel });
        unit.call = Some(call_id);
        unit.at_station = false;
        self.schedule_unit(unit_no, depart, Step::Depart);
        self.schedule_unit(unit_no, depart + travel, Step::Arrive);
    }

    fn status(&self, unit: u32) -> Option<UnitStatus> {
        self.engine.unit(&self.units[unit as usize].id).map(|u| u.status)
    }

    fn set(&mut self, unit: u32, status: UnitStatus, fix_at: Option<LatLon>) -> Result<(), SimError> {
        let now = self.now;
        let mut change = StatusChange::new(self.units[unit as usize].id.clone(), status);
        change.fix = fix_at.map(|position| Fix { position, recorded_at: now, speed_kmh: None, heading_deg: None });
        if status == UnitStatus::OutOfService {
            change.reason = Some("simulated".into());
        }
        self.engine.set_status(now, change, &mut self.out).map_err(engine_error("set unit status", now))?;
        self.absorb();
        Ok(())
    }

    fn depart(&mut self, unit: u32) -> Result<(), SimError> {
        if self.status(unit) == Some(UnitStatus::Assigned) {
            self.set(unit, UnitStatus::EnRoute, None)?;
        }
        Ok(())
    }

    fn current_call(&self, unit: u32) -> Option<&SimCall> {
        self.units[unit as usize].call.as_ref().and_then(|c| self.calls.get(c))
    }

    fn on_scene(&mut self, unit: u32) -> Result<(), SimError> {
        let Some(call) = self.current_call(unit) else { return Ok(()) };
        let (incident, draws) = (call.incident.clone(), call.draws);
        if call.counted {
            let norm = self.norms[usize::from(incident.category.number() - 1)];
            self.stats.reached(incident.region, incident.category, self.now - incident.at, norm);
        }
        let u = &mut self.units[unit as usize];
        u.trip = None;
        u.place = incident.position;
        self.set(unit, UnitStatus::OnScene, Some(incident.position))?;
        let next = if draws.transported { Step::Transport } else { Step::Clear };
        self.schedule_unit(unit, self.now + draws.on_scene, next);
        Ok(())
    }

    fn transport(&mut self, unit: u32) -> Result<(), SimError> {
        let Some(call) = self.current_call(unit) else { return Ok(()) };
        let (incident, noise) = (call.incident.clone(), call.draws.noise);
        let hospital = self.hospital_of_station[incident.station];
        self.set(unit, UnitStatus::Transporting, None)?;
        let region = &self.reference.regions[incident.region].code;
        let (_, travel) = self.roads.drive(region, incident.area, self.now, incident.position, hospital, None, noise);
        self.units[unit as usize].place = hospital;
        self.schedule_unit(unit, self.now + travel, Step::AtHospital);
        Ok(())
    }

    fn at_hospital(&mut self, unit: u32) -> Result<(), SimError> {
        let Some(call) = self.current_call(unit) else { return Ok(()) };
        let handover = call.draws.handover;
        let place = self.units[unit as usize].place;
        self.set(unit, UnitStatus::AtHospital, Some(place))?;
        self.schedule_unit(unit, self.now + handover, Step::Clear);
        Ok(())
    }

    fn clear(&mut self, unit_no: u32) -> Result<(), SimError> {
        let now = self.now;
        let unit = &mut self.units[unit_no as usize];
        let (place, off) = (unit.place, unit.off_pending);
        let call = unit.call.take();
        if let Some(since) = unit.busy_since.take() {
            let busy = overlap(since, now, &self.horizon);
            self.stats.unit_time(unit.region, busy, 0);
        }
        if off {
            self.set(unit_no, UnitStatus::Returning, Some(place))?;
            self.go_off_duty(unit_no)?;
        } else {
            self.set(unit_no, UnitStatus::AvailableOnMove, Some(place))?;
        }
        if let Some(call) = call {
            if self.engine.call(&call).is_some() {
                self.engine
                    .end_call(now, &call, false, None, &mut self.out)
                    .map_err(engine_error("close call", now))?;
                self.absorb();
            }
            self.calls.remove(&call);
        }
        let unit = &self.units[unit_no as usize];
        if unit.call.is_none() && unit.on_duty {
            let region = &self.reference.regions[unit.region].code;
            let (_, travel) = self.roads.drive(region, unit.home_area, now, place, unit.home, None, 1.0);
            self.schedule_unit(unit_no, now + travel, Step::Home);
        }
        Ok(())
    }

    fn home(&mut self, unit: u32) -> Result<(), SimError> {
        if self.status(unit) == Some(UnitStatus::AvailableOnMove) {
            let home = self.units[unit as usize].home;
            let u = &mut self.units[unit as usize];
            u.place = home;
            u.at_station = true;
            self.set(unit, UnitStatus::AvailableAtStation, Some(home))?;
        }
        Ok(())
    }

    fn go_off_duty(&mut self, unit_no: u32) -> Result<(), SimError> {
        let now = self.now;
        let unit = &mut self.units[unit_no as usize];
        unit.on_duty = false;
        unit.off_pending = false;
        unit.generation += 1;
        if let Some(since) = unit.duty_since.take() {
            let duty = overlap(since, now, &self.horizon);
            self.stats.unit_time(unit.region, 0, duty);
        }
        self.set(unit_no, UnitStatus::OffShift, None)
    }

    fn shift_change(&mut self) -> Result<(), SimError> {
        let now = self.now;
        for unit_no in 0..self.units.len() as u32 {
            let unit = &self.units[unit_no as usize];
            if unit.shift == Shift::Always {
                continue;
            }
            let (hour, weekday) = local_day_hour(now, self.reference.regions[unit.region].utc_offset_minutes);
            let wanted = unit.shift.on_duty(hour, weekday);
            match (wanted, unit.on_duty) {
                (true, true) => self.units[unit_no as usize].off_pending = false,
                (true, false) => {
                    let unit = &mut self.units[unit_no as usize];
                    unit.on_duty = true;
                    unit.duty_since = Some(now);
                    unit.place = unit.home;
                    unit.at_station = true;
                    let home = unit.home;
                    self.set(unit_no, UnitStatus::AvailableAtStation, Some(home))?;
                }
                (false, true) => {
                    if self.status(unit_no).is_some_and(UnitStatus::is_available) {
                        self.go_off_duty(unit_no)?;
                    } else {
                        self.units[unit_no as usize].off_pending = true;
                    }
                }
                (false, false) => {}
            }
        }
        Ok(())
    }

    /// Books the time of units still busy or on duty at the end.
    fn finish(&mut self) {
        let end = self.horizon.end;
        for unit in &mut self.units {
            let busy = unit.busy_since.take().map_or(0, |s| overlap(s, end, &self.horizon));
            let duty = unit.duty_since.take().map_or(0, |s| overlap(s, end, &self.horizon));
            self.stats.unit_time(unit.region, busy, duty);
        }
    }
}
