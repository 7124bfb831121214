//! [`Snapshot`]: the engine's whole state as plain data, so the service can rebuild the engine
//! from storage at start ([`Engine::restore`]) and the simulator can fork a shift. Indexes,
//! the queue and timers are derived, not stored.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::calls::queue_key;
use super::{CallState, Engine, EngineConfig, Slot, by_unit_id};
use crate::dispatch::alert::{Alert, Timer, TimerKind};
use crate::dispatch::assignment::Assignment;
use crate::dispatch::call::CallView;
use crate::dispatch::destination::Hospital;
use crate::dispatch::error::DispatchError;
use crate::dispatch::geometry::unit_vector;
use crate::dispatch::ids::IdGenerator;
use crate::dispatch::index::{KindIndex, Place};
use crate::dispatch::policy::DispatchPolicy;
use crate::dispatch::travel::TravelTimeModel;
use crate::dispatch::unit::Unit;
use crate::local_time::Micros;
use crate::region_code::RegionCode;

/// An open call with its alert in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallRecord {
    /// The call.
    pub view: CallView,
    /// Its AT_RISK or BREACHED alert in force.
    pub alert: Option<Alert>,
}

/// Everything the engine knows, in a stable order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The engine's clock.
    pub now: Micros,
    /// The id generator (so ids stay unique after a restart).
    pub ids: IdGenerator,
    /// Units, by id.
    pub units: Vec<Unit>,
    /// Open calls, in the order they were opened.
    pub calls: Vec<CallRecord>,
    /// Active assignments, by id.
    pub assignments: Vec<Assignment>,
    /// Policies set per region, by region.
    pub policies: Vec<DispatchPolicy>,
    /// UTC offsets set per region.
    pub utc_offsets: BTreeMap<String, i32>,
    /// Hospitals.
    pub hospitals: Vec<Hospital>,
}

impl<M: TravelTimeModel> Engine<M> {
    /// The state as plain data.
    pub fn snapshot(&self) -> Snapshot {
        let mut units: Vec<Unit> = self.units().cloned().collect();
        units.sort_by(|a, b| a.spec.id.cmp(&b.spec.id));
        let mut calls: Vec<CallRecord> =
            self.calls.values().map(|c| CallRecord { view: c.view.clone(), alert: c.alert.clone() }).collect();
        calls.sort_by_key(|c| c.view.seq);
        let mut assignments: Vec<Assignment> = self.assignments.values().cloned().collect();
        assignments.sort_by(|a, b| a.id.cmp(&b.id));
        let mut policies: Vec<DispatchPolicy> = self.policies.values().cloned().collect();
        policies.sort_by(|a, b| a.region.cmp(&b.region));
        Snapshot {
            now: self.now,
            ids: self.ids.clone(),
            units,
            calls,
            assignments,
            policies,
            utc_offsets: self.utc_offsets.iter().map(|(r, o)| (r.to_string(), *o)).collect(),
            hospitals: self.hospitals.clone(),
        }
    }

    /// Rebuilds an engine from a snapshot, checking that it hangs together: every assignment's
    /// call and unit exist and point back at it. Norm-clock watches of waiting calls are
    /// re-armed at the snapshot's `now`.
    pub fn restore(model: M, config: EngineConfig, snapshot: Snapshot) -> Result<Engine<M>, DispatchError> {
        let mut engine = Engine::new(model, config);
        engine.now = snapshot.now;
        engine.ids = snapshot.ids;
        engine.hospitals = snapshot.hospitals;
        for policy in snapshot.policies {
            policy.rules.validate().map_err(|e| DispatchError::invalid("policies", e.to_string()))?;
            engine.policies.insert(policy.region.clone(), policy);
        }
        for (region, offset) in snapshot.utc_offsets {
            let region =
                RegionCode::parse(&region).map_err(|e| DispatchError::invalid("utc_offsets", e.to_string()))?;
            engine.utc_offsets.insert(region, offset);
        }
        let categories: HashMap<_, _> =
            snapshot.calls.iter().map(|c| (c.view.spec.id.clone(), c.view.spec.category)).collect();
        for unit in snapshot.units {
            if engine.unit_slots.contains_key(&unit.spec.id) {
                return Err(DispatchError::AlreadyExists { what: "unit", id: unit.spec.id.to_string() });
            }
            let region = engine.region_number(&unit.spec.region);
            let slot_no = engine.slots.len() as u32;
            engine.unit_slots.insert(unit.spec.id.clone(), slot_no);
            let call_category = unit.call.as_ref().and_then(|c| categories.get(c)).copied();
            let vector_of = unit.ranking_position();
            let vector = unit_vector(vector_of);
            engine.slots.push(Some(Slot { unit, vector, vector_of, region, indexed: None, call_category }));
        }
        for assignment in snapshot.assignments {
            let unit =
                engine.unit(&assignment.unit).ok_or_else(|| DispatchError::not_found("unit", &assignment.unit))?;
            let call = categories.get(&assignment.call);
            if unit.assignment.as_ref() != Some(&assignment.id) || call.is_none() {
                return Err(DispatchError::invalid(
                    "assignments",
                    format!("assignment {} does not match its unit and call", assignment.id),
                ));
            }
            engine.assignments.insert(assignment.id.clone(), assignment);
        }
        for record in snapshot.calls {
            let view = record.view;
            engine.call_seq = engine.call_seq.max(view.seq);
            let id = view.spec.id.clone();
            if view.on_scene_at.is_none() && !view.breached {
                engine.timers.push(Timer {
                    at: view.spec.deadline_at,
                    kind: TimerKind::Breach,
                    call_seq: view.seq,
                    call: id.clone(),
                });
            }
            let mut risk_check_at = None;
            if view.queued_at.is_some() {
                engine.queue.insert(queue_key(&view));
                if !view.at_risk && !view.breached {
                    risk_check_at = Some(snapshot.now);
                    engine.timers.push(Timer {
                        at: snapshot.now,
                        kind: TimerKind::RiskCheck,
                        call_seq: view.seq,
                        call: id.clone(),
                    });
                }
            }
            engine.calls.insert(id, CallState { view, risk_check_at, best_slot: None, alert: record.alert });
        }
        let (mut available, mut heading) = (Vec::new(), Vec::new());
        for (slot_no, slot) in engine.slots.iter_mut().enumerate() {
            let slot = slot.as_mut().expect("restored slots are live");
            let status = slot.unit.status;
            let place =
                Place { region: slot.region, kind: slot.unit.spec.kind, start: status.start(), point: slot.vector };
            let pool = if status.is_available() {
                Some((super::Pool::Available, &mut available))
            } else if status.is_heading_to_call() {
                Some((super::Pool::Heading, &mut heading))
            } else {
                None
            };
            if let Some((pool, entries)) = pool {
                entries.push((place, slot_no as u32));
                slot.indexed = Some((pool, place));
            }
        }
        engine.available = KindIndex::bulk(available, by_unit_id(&engine.slots));
        engine.heading = KindIndex::bulk(heading, by_unit_id(&engine.slots));
        Ok(engine)
    }
}
