//! Units: Registry data in ([`Engine::upsert_unit`], [`Engine::remove_unit`]), crew status
//! changes ([`Engine::set_status`]) and tracker positions ([`Engine::ingest_position`], the
//! hot path: a hash lookup, a few checks, and an R-tree move when the unit is indexed).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Engine, Pool, Slot, by_unit_id};
use crate::dispatch::assignment::AssignmentState;
use crate::dispatch::error::DispatchError;
use crate::dispatch::event::Event;
use crate::dispatch::geometry::unit_vector;
use crate::dispatch::ids::{CallId, UnitId};
use crate::dispatch::index::Place;
use crate::dispatch::travel::TravelTimeModel;
use crate::dispatch::unit::{Fix, PositionRejection, PositionReport, Unit, UnitSpec, UnitStatus};
use crate::local_time::Micros;

/// A status change reported by a crew or set by a dispatcher.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusChange {
    /// The unit.
    pub unit: UnitId,
    /// The new status; Assigned is reached only through Assign.
    pub status: UnitStatus,
    /// Why; required for out of service and for leaving a call before the scene.
    pub reason: Option<String>,
    /// The version the caller last saw; `None` skips the check.
    pub expected_version: Option<i64>,
    /// When it happened on the device, for buffered reports; `None` means now.
    pub changed_at: Option<Micros>,
    /// Where the unit was, if the device knows.
    pub fix: Option<Fix>,
}

impl StatusChange {
    /// A change happening now, with no reason, version check or position.
    pub fn new(unit: UnitId, status: UnitStatus) -> StatusChange {
        StatusChange { unit, status, reason: None, expected_version: None, changed_at: None, fix: None }
    }

    /// The same change with a reason.
    pub fn because(mut self, reason: impl Into<String>) -> StatusChange {
        self.reason = Some(reason.into());
        self
    }
}

pub(crate) fn given(reason: &Option<String>) -> Option<String> {
    reason.as_ref().map(|r| r.trim()).filter(|r| !r.is_empty()).map(str::to_string)
}

impl<M: TravelTimeModel> Engine<M> {
    /// Adds a unit (in `initial` status: available, returning, out of service or off shift) or
    /// replaces the Registry data of a known one, keeping its live state.
    pub fn upsert_unit(
        &mut self,
        now: Micros,
        spec: UnitSpec,
        initial: UnitStatus,
        out: &mut Vec<Event>,
    ) -> Result<&Unit, DispatchError> {
        self.advance(now, out);
        let now = self.now;
        if spec.call_sign.trim().is_empty() {
            return Err(DispatchError::invalid("call_sign", "is required"));
        }
        if spec.station_id.trim().is_empty() {
            return Err(DispatchError::invalid("station_id", "is required"));
        }
        let region = self.region_number(&spec.region);
        let slot_no = match self.unit_slots.get(&spec.id) {
            Some(&slot_no) => {
                let slot = self.slot_mut(slot_no);
                if *slot.unit.spec == spec {
                    return Ok(&self.slot(slot_no).unit);
                }
                slot.unit.spec = Arc::new(spec);
                slot.region = region;
                slot.unit.version += 1;
                slot.unit.updated_at = now;
                slot_no
            }
            None => {
                if initial.is_on_call() {
                    return Err(DispatchError::invalid("status", format!("a new unit cannot start {initial}")));
                }
                let home = spec.home;
                let slot_no = self.slots.len() as u32;
                self.unit_slots.insert(spec.id.clone(), slot_no);
                let unit = Unit {
                    spec: Arc::new(spec),
                    status: initial,
                    status_changed_at: now,
                    fix: None,
                    call: None,
                    assignment: None,
                    created_at: now,
                    updated_at: now,
                    version: 1,
                };
                self.slots.push(Some(Slot {
                    unit,
                    vector: unit_vector(home),
                    vector_of: home,
                    region,
                    indexed: None,
                    call_category: None,
                }));
                slot_no
            }
        };
        self.reindex(slot_no);
        self.emit_unit(slot_no, now, None, out);
        if self.slot(slot_no).unit.status.is_available() {
            self.serve_unit(slot_no, now, None, out);
        }
        Ok(&self.slot(slot_no).unit)
    }

    /// Removes a unit that is not working a call.
    pub fn remove_unit(&mut self, now: Micros, id: &UnitId, out: &mut Vec<Event>) -> Result<(), DispatchError> {
        self.advance(now, out);
        let slot_no = self.slot_of(id)?;
        if self.slot(slot_no).unit.call.is_some() {
            return Err(DispatchError::precondition(format!("unit {id} is working a call")));
        }
        self.unindex(slot_no);
        self.slots[slot_no as usize] = None;
        self.unit_slots.remove(id);
        out.push(Event::UnitRemoved { at: self.now, unit: id.clone() });
        self.reassess_calls_counting_on(slot_no, self.now, out);
        Ok(())
    }

    /// Takes a tracker fix. Checks: known unit, speed 0..=300 km/h, heading [0, 360), not
    /// recorded beyond the skew tolerance after `now`, not older than the unit's latest fix.
    /// A unit available at its station is ranked from the station whatever it reports.
    pub fn ingest_position(
        &mut self,
        now: Micros,
        report: &PositionReport,
        out: &mut Vec<Event>,
    ) -> Result<(), PositionRejection> {
        self.advance(now, out);
        let slot_no = *self.unit_slots.get(&report.unit).ok_or(PositionRejection::UnknownUnit)?;
        let fix = report.fix;
        if fix.speed_kmh.is_some_and(|s| !(0.0..=300.0).contains(&s))
            || fix.heading_deg.is_some_and(|h| !(0.0..360.0).contains(&h))
        {
            return Err(PositionRejection::InvalidValue);
        }
        if fix.recorded_at > self.now.saturating_add(self.config.clock_skew_tolerance) {
            return Err(PositionRejection::FutureTime);
        }
        let slot = self.slots[slot_no as usize].as_mut().expect("live slot");
        if slot.unit.fix.is_some_and(|last| fix.recorded_at < last.recorded_at) {
            return Err(PositionRejection::Stale);
        }
        slot.unit.fix = Some(fix);
        let status = slot.unit.status;
        if status != UnitStatus::AvailableAtStation && fix.position != slot.vector_of {
            let vector = unit_vector(fix.position);
            slot.vector = vector;
            slot.vector_of = fix.position;
            if let Some((pool, old)) = slot.indexed
                && old.point != vector
            {
                let new = Place { point: vector, ..old };
                slot.indexed = Some((pool, new));
                let index = match pool {
                    Pool::Available => &mut self.available,
                    Pool::Heading => &mut self.heading,
                };
                index.remove(old, slot_no);
                index.insert(new, slot_no, by_unit_id(&self.slots));
            }
        }
        if status == UnitStatus::EnRoute {
            self.reestimate_arrival(slot_no, self.now, out);
        }
        Ok(())
    }

    /// Changes a unit's status. Leaving a call before the scene releases the assignment and
    /// queues the call again if no other unit works it; reaching the scene stops the norm
    /// clock; becoming available lets the unit serve the queue.
    pub fn set_status(
        &mut self,
        now: Micros,
        change: StatusChange,
        out: &mut Vec<Event>,
    ) -> Result<&Unit, DispatchError> {
        self.advance(now, out);
        let now = self.now;
        let slot_no = self.slot_of(&change.unit)?;
        let unit = &self.slot(slot_no).unit;
        let (from, to) = (unit.status, change.status);
        if let Some(expected) = change.expected_version
            && expected != unit.version
        {
            return Err(DispatchError::precondition(format!(
                "unit {} is at version {}, not {expected}",
                unit.spec.id, unit.version
            )));
        }
        let at = change.changed_at.unwrap_or(now);
        if at > now {
            return Err(DispatchError::invalid("changed_at", "is in the future"));
        }
        if at < unit.status_changed_at {
            return Err(DispatchError::invalid("changed_at", "is before the unit's previous status change"));
        }
        if from == to {
            return Ok(&self.slot(slot_no).unit);
        }
        if !from.may_become(to) {
            return Err(DispatchError::precondition(format!("unit {} cannot go from {from} to {to}", unit.spec.id)));
        }
        let reason = given(&change.reason);
        if reason.is_none() && from.needs_reason(to) {
            return Err(DispatchError::invalid("reason", format!("is required to go from {from} to {to}")));
        }
        if let Some(fix) = change.fix {
            // A stale or odd fix on a status report is ignored; the status still counts.
            let _ = self.ingest_position(now, &PositionReport { unit: change.unit.clone(), fix }, out);
        }
        let left_call = self.apply_call_effects(slot_no, from, to, at, &reason, out);
        let slot = self.slot_mut(slot_no);
        slot.unit.status = to;
        slot.unit.status_changed_at = at;
        if left_call.is_some() {
            slot.unit.call = None;
            slot.unit.assignment = None;
            slot.call_category = None;
        }
        slot.unit.version += 1;
        slot.unit.updated_at = at;
        self.reindex(slot_no);
        self.emit_unit(slot_no, at, reason, out);
        // What follows from the change happens now, even for a report buffered on the device.
        if to == UnitStatus::EnRoute {
            self.reestimate_arrival(slot_no, now, out);
        }
        if let Some(call) = &left_call {
            self.requeue_if_unserved(call, now, out);
        }
        if to.is_available() {
            self.serve_unit(slot_no, now, left_call.as_ref(), out);
        } else if from.is_available() {
            self.reassess_calls_counting_on(slot_no, now, out);
        }
        Ok(&self.slot(slot_no).unit)
    }

    /// What a status change does to the unit's call; returns the call when the unit left it.
    fn apply_call_effects(
        &mut self,
        slot_no: u32,
        from: UnitStatus,
        to: UnitStatus,
        at: Micros,
        reason: &Option<String>,
        out: &mut Vec<Event>,
    ) -> Option<CallId> {
        let unit = &self.slot(slot_no).unit;
        let (call, assignment) = (unit.call.clone()?, unit.assignment.clone()?);
        if to == UnitStatus::OnScene {
            self.reach_scene(&call, at, out);
            return None;
        }
        if to.is_on_call() {
            return None;
        }
        let reached = matches!(from, UnitStatus::OnScene | UnitStatus::Transporting | UnitStatus::AtHospital);
        let state = if reached { AssignmentState::Completed } else { AssignmentState::Released };
        self.end_assignment(&assignment, state, at, reason.clone(), out);
        Some(call)
    }

    /// Puts the unit in the pool its status calls for, at its ranking position.
    pub(crate) fn reindex(&mut self, slot_no: u32) {
        let slot = self.slots[slot_no as usize].as_mut().expect("live slot");
        let position = slot.unit.ranking_position();
        if position != slot.vector_of {
            slot.vector = unit_vector(position);
            slot.vector_of = position;
        }
        let vector = slot.vector;
        let status = slot.unit.status;
        let pool = if status.is_available() {
            Some(Pool::Available)
        } else if status.is_heading_to_call() {
            Some(Pool::Heading)
        } else {
            None
        };
        let place = Place { region: slot.region, kind: slot.unit.spec.kind, start: status.start(), point: vector };
        let wanted = pool.map(|p| (p, place));
        if wanted == slot.indexed {
            return;
        }
        self.unindex(slot_no);
        if let Some((pool, place)) = wanted {
            let order = by_unit_id(&self.slots);
            match pool {
                Pool::Available => self.available.insert(place, slot_no, order),
                Pool::Heading => self.heading.insert(place, slot_no, order),
            }
            self.slot_mut(slot_no).indexed = wanted;
        }
    }

    fn unindex(&mut self, slot_no: u32) {
        if let Some((pool, place)) = self.slot_mut(slot_no).indexed.take() {
            match pool {
                Pool::Available => self.available.remove(place, slot_no),
                Pool::Heading => self.heading.remove(place, slot_no),
            };
        }
    }

    pub(crate) fn emit_unit(&self, slot_no: u32, at: Micros, reason: Option<String>, out: &mut Vec<Event>) {
        out.push(Event::UnitChanged { at, unit: Box::new(self.slot(slot_no).unit.clone()), reason });
    }
}
