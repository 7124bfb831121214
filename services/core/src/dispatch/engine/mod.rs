//! [`Engine`]: the dispatch state and every command on it. `state + command(now) → state +
//! events`: each command takes the time as an argument, fires the norm-clock timers due
//! before it, changes the state, and appends what changed to an event list. Nothing here
//! reads a clock or does I/O, so the service and the simulator run exactly this code.
//!
//! The engine is split by concern: `units` (registry data, status, positions), `calls`
//! (open, close, the queue and auto-assignment), `assign` (assign, reassign, release,
//! redispatch), `ranking` (rank, recommend), `norms` (alerts and timers), `settings`
//! (policies, offsets, hospitals), `snapshot` (rebuild from storage).

mod assign;
mod calls;
mod norms;
mod ranking;
mod settings;
mod snapshot;
mod units;

use std::collections::BTreeSet;

use super::alert::{Alert, Timers};
use super::assignment::Assignment;
use super::call::{CallSpec, CallView};
use super::destination::{DestinationNeeds, Hospital, HospitalOption, choose};
use super::geometry::UnitVector;
use super::ids::{AssignmentId, CallId, IdGenerator, UnitId};
use super::index::{KindIndex, Place};
use super::policy::{DispatchPolicy, PolicyRules};
use super::travel::{AreaType, TravelTimeModel, TripQuery};
use super::travel_table::TableTravelModel;
use super::unit::Unit;
use crate::category::Category;
use crate::geo::LatLon;
use crate::local_time::Micros;
use crate::region_code::RegionCode;
use rustc_hash::FxHashMap;

pub use assign::{AssignRequest, ReassignRequest, RedispatchRequest, ReleaseRequest};
pub use snapshot::{CallRecord, Snapshot};
pub use units::StatusChange;

/// Settings an engine starts with.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineConfig {
    /// Rules for regions without a policy of their own.
    pub default_rules: PolicyRules,
    /// UTC offset of regions without one of their own, minutes (Kazakhstan: +300).
    pub default_utc_offset_minutes: i32,
    /// Told apart in minted ids between engines that run side by side.
    pub node: u16,
    /// How far in the future a position report may be recorded (device clock skew).
    pub clock_skew_tolerance: Micros,
}

impl Default for EngineConfig {
    /// The shipped Kazakhstan rules, UTC+5, node 0, 30 s skew tolerance.
    fn default() -> Self {
        EngineConfig {
            default_rules: PolicyRules::kazakhstan(),
            default_utc_offset_minutes: 300,
            node: 0,
            clock_skew_tolerance: 30_000_000,
        }
    }
}

/// Which R-tree a unit sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pool {
    Available,
    Heading,
}

/// A unit with what the ranking needs at hand.
#[derive(Debug)]
pub(crate) struct Slot {
    pub(crate) unit: Unit,
    /// Unit vector of `unit.ranking_position()`.
    pub(crate) vector: UnitVector,
    /// The position `vector` was computed for.
    pub(crate) vector_of: LatLon,
    /// Interned region of the unit.
    pub(crate) region: u16,
    /// The pool the unit sits in, with the place it was inserted at.
    pub(crate) indexed: Option<(Pool, Place)>,
    /// Category of the call it works, for redispatch.
    pub(crate) call_category: Option<Category>,
}

/// A call with the engine's bookkeeping.
#[derive(Debug, Clone)]
pub(crate) struct CallState {
    pub(crate) view: CallView,
    /// When the pending risk check fires.
    pub(crate) risk_check_at: Option<Micros>,
    /// The slot of the best candidate the last check found.
    pub(crate) best_slot: Option<u32>,
    /// The last AT_RISK or BREACHED alert, while in force.
    pub(crate) alert: Option<Alert>,
}

/// The queue's order: category, then received time, then the order calls were opened in.
pub(crate) type QueueKey = (Category, Micros, u64, CallId);

/// The dispatch engine over a travel-time model.
#[derive(Debug)]
pub struct Engine<M: TravelTimeModel = TableTravelModel> {
    pub(crate) model: M,
    pub(crate) config: EngineConfig,
    pub(crate) now: Micros,
    pub(crate) slots: Vec<Option<Slot>>,
    pub(crate) unit_slots: FxHashMap<UnitId, u32>,
    pub(crate) regions: Vec<RegionCode>,
    pub(crate) region_numbers: FxHashMap<RegionCode, u16>,
    pub(crate) policies: FxHashMap<RegionCode, DispatchPolicy>,
    pub(crate) utc_offsets: FxHashMap<RegionCode, i32>,
    pub(crate) calls: FxHashMap<CallId, CallState>,
    pub(crate) assignments: FxHashMap<AssignmentId, Assignment>,
    pub(crate) queue: BTreeSet<QueueKey>,
    pub(crate) timers: Timers,
    pub(crate) available: KindIndex,
    pub(crate) heading: KindIndex,
    pub(crate) hospitals: Vec<Hospital>,
    pub(crate) ids: IdGenerator,
    pub(crate) call_seq: u64,
}

/// A call waiting for a unit, as GetQueue lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct QueuedCall {
    /// 1 = served first.
    pub position: u32,
    /// The call.
    pub spec: CallSpec,
    /// When it (last) entered the queue.
    pub queued_at: Micros,
    /// Deadline minus now; negative once breached.
    pub time_left: Micros,
}

impl<M: TravelTimeModel> Engine<M> {
    /// An empty engine.
    pub fn new(model: M, config: EngineConfig) -> Engine<M> {
        Engine {
            model,
            ids: IdGenerator { node: config.node, counter: 0 },
            config,
            now: Micros::MIN,
            slots: Vec::new(),
            unit_slots: FxHashMap::default(),
            regions: Vec::new(),
            region_numbers: FxHashMap::default(),
            policies: FxHashMap::default(),
            utc_offsets: FxHashMap::default(),
            calls: FxHashMap::default(),
            assignments: FxHashMap::default(),
            queue: BTreeSet::new(),
            timers: Timers::default(),
            available: KindIndex::default(),
            heading: KindIndex::default(),
            hospitals: Vec::new(),
            call_seq: 0,
        }
    }

    /// The travel-time model.
    pub fn model(&self) -> &M {
        &self.model
    }

    /// The latest `now` the engine has seen (an earlier `now` counts as this one).
    pub fn now(&self) -> Micros {
        self.now
    }

    /// A unit by id.
    pub fn unit(&self, id: &UnitId) -> Option<&Unit> {
        self.unit_slots.get(id).and_then(|&s| self.slots[s as usize].as_ref()).map(|slot| &slot.unit)
    }

    /// Every unit, in no particular order.
    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.slots.iter().flatten().map(|slot| &slot.unit)
    }

    /// An open call by id.
    pub fn call(&self, id: &CallId) -> Option<&CallView> {
        self.calls.get(id).map(|c| &c.view)
    }

    /// Every open call, in no particular order.
    pub fn calls(&self) -> impl Iterator<Item = &CallView> {
        self.calls.values().map(|c| &c.view)
    }

    /// An active assignment by id (ended ones live only in events and storage).
    pub fn assignment(&self, id: &AssignmentId) -> Option<&Assignment> {
        self.assignments.get(id)
    }

    /// The policy in force for a region (the default rules when none was set).
    pub fn policy(&self, region: &RegionCode) -> DispatchPolicy {
        self.policies
            .get(region)
            .cloned()
            .unwrap_or_else(|| DispatchPolicy { region: region.clone(), rules: self.config.default_rules.clone() })
    }

    pub(crate) fn rules(&self, region: &RegionCode) -> &PolicyRules {
        self.policies.get(region).map(|p| &p.rules).unwrap_or(&self.config.default_rules)
    }

    /// A region's UTC offset in minutes.
    pub fn utc_offset(&self, region: &RegionCode) -> i32 {
        self.utc_offsets.get(region).copied().unwrap_or(self.config.default_utc_offset_minutes)
    }

    /// Calls waiting for a unit, by category then age; optionally of one region and some
    /// categories (empty means any).
    pub fn queue(&self, region: Option<&RegionCode>, categories: &[Category]) -> Vec<QueuedCall> {
        self.queue
            .iter()
            .filter_map(|(_, _, _, id)| self.calls.get(id))
            .filter(|c| region.is_none_or(|r| &c.view.spec.region == r))
            .filter(|c| categories.is_empty() || categories.contains(&c.view.spec.category))
            .enumerate()
            .map(|(i, c)| QueuedCall {
                position: i as u32 + 1,
                spec: c.view.spec.clone(),
                queued_at: c.view.queued_at.unwrap_or(c.view.spec.received_at),
                time_left: c.view.spec.deadline_at - self.now,
            })
            .collect()
    }

    /// Alerts in force: the last AT_RISK or BREACHED alert of every open call that has one,
    /// oldest first (what WatchAlerts sends when it starts from sequence 0).
    pub fn alerts_in_force(&self) -> Vec<Alert> {
        let mut alerts: Vec<Alert> = self.calls.values().filter_map(|c| c.alert.clone()).collect();
        alerts.sort_by(|a, b| (a.at, &a.call).cmp(&(b.at, &b.call)));
        alerts
    }

    /// Registered hospitals.
    pub fn hospitals(&self) -> &[Hospital] {
        &self.hospitals
    }

    /// Receiving hospitals for a patient at `from` in `region`, ranked by profile fit, then
    /// travel time by ambulance leaving at `now`.
    pub fn choose_destination(
        &self,
        now: Micros,
        from: LatLon,
        region: &RegionCode,
        area: AreaType,
        needs: &DestinationNeeds,
        limit: usize,
    ) -> Vec<HospitalOption> {
        let hour = super::local_window::LocalMoment::of(now, self.utc_offset(region)).hour();
        let trip = self.model.prepare(&TripQuery { region, area, local_hour: hour });
        choose(&self.model, &trip, &self.hospitals, from, needs, limit)
    }

    /// Counts for metrics: units, available units, open calls, queued calls, pending timers.
    pub fn stats(&self) -> EngineStats {
        EngineStats {
            units: self.unit_slots.len(),
            available: self.available.len(),
            open_calls: self.calls.len(),
            queued_calls: self.queue.len(),
            pending_timers: self.timers.len(),
        }
    }

    pub(crate) fn region_number(&mut self, region: &RegionCode) -> u16 {
        if let Some(&n) = self.region_numbers.get(region) {
            return n;
        }
        let n = self.regions.len() as u16;
        self.regions.push(region.clone());
        self.region_numbers.insert(region.clone(), n);
        n
    }

    pub(crate) fn slot_of(&self, id: &UnitId) -> Result<u32, super::error::DispatchError> {
        self.unit_slots.get(id).copied().ok_or_else(|| super::error::DispatchError::not_found("unit", id))
    }

    pub(crate) fn slot(&self, slot: u32) -> &Slot {
        self.slots[slot as usize].as_ref().expect("live slot")
    }

    pub(crate) fn slot_mut(&mut self, slot: u32) -> &mut Slot {
        self.slots[slot as usize].as_mut().expect("live slot")
    }
}

/// Orders two slots by unit id, the ranking's last tie-break.
pub(crate) fn by_unit_id(slots: &[Option<Slot>]) -> impl Fn(u32, u32) -> std::cmp::Ordering + '_ {
    |a, b| {
        let id = |s: u32| slots[s as usize].as_ref().map(|slot| &slot.unit.spec.id);
        id(a).cmp(&id(b))
    }
}

/// Sizes of the engine's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EngineStats {
    /// Units known.
    pub units: usize,
    /// Units available for calls.
    pub available: usize,
    /// Open calls.
    pub open_calls: usize,
    /// Calls waiting for a unit.
    pub queued_calls: usize,
    /// Norm-clock timers pending (some may be stale).
    pub pending_timers: usize,
}
