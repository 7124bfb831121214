//! Assignments: [`Engine::assign`] (a non-top choice needs a reason), [`Engine::reassign`],
//! [`Engine::release`] and [`Engine::redispatch`], and the bookkeeping they share.

use serde::{Deserialize, Serialize};

use super::Engine;
use super::units::given;
use crate::call::Actor;
use crate::dispatch::assignment::{Assignment, AssignmentKind, AssignmentState};
use crate::dispatch::error::DispatchError;
use crate::dispatch::event::Event;
use crate::dispatch::ids::{AssignmentId, CallId, RecommendationId, UnitId};
use crate::dispatch::rank::{MAX_LIMIT, RankOptions};
use crate::dispatch::travel::TravelTimeModel;
use crate::dispatch::unit::UnitStatus;
use crate::local_time::Micros;

/// A dispatcher assigns a unit to a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignRequest {
    /// The call, open.
    pub call: CallId,
    /// The unit, available and allowed for the call.
    pub unit: UnitId,
    /// The recommendation chosen from; `None` ranks afresh to tell whether the unit is top.
    pub recommendation: Option<RecommendationId>,
    /// Why this unit; required unless it is rank 1.
    pub reason: Option<String>,
    /// Who assigns.
    pub actor: Actor,
}

/// A dispatcher replaces the unit of an active assignment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReassignRequest {
    /// The active assignment whose unit is replaced; that unit must not have reached the scene.
    pub assignment: AssignmentId,
    /// The unit taking over.
    pub unit: UnitId,
    /// Why; required.
    pub reason: Option<String>,
    /// Who reassigns.
    pub actor: Actor,
}

/// A dispatcher stands a unit down.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseRequest {
    /// The active assignment to end.
    pub assignment: AssignmentId,
    /// The version the caller last saw; `None` skips the check.
    pub expected_version: Option<i64>,
    /// Why; required.
    pub reason: Option<String>,
    /// Who releases.
    pub actor: Actor,
}

/// A dispatcher diverts a unit heading to a less urgent call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RedispatchRequest {
    /// The unit, assigned or en route to a call of a category the policy diverts from.
    pub unit: UnitId,
    /// The call to send it to, of a category the policy diverts to.
    pub call: CallId,
    /// Why, beyond the category rule.
    pub reason: Option<String>,
    /// Who diverts.
    pub actor: Actor,
}

impl<M: TravelTimeModel> Engine<M> {
    /// Assigns an available unit to an open call (a call may have several units).
    pub fn assign(
        &mut self,
        now: Micros,
        request: AssignRequest,
        out: &mut Vec<Event>,
    ) -> Result<Assignment, DispatchError> {
        self.advance(now, out);
        let now = self.now;
        let state = self.calls.get(&request.call).ok_or_else(|| DispatchError::not_found("call", &request.call))?;
        let slot_no = self.slot_of(&request.unit)?;
        let unit = &self.slot(slot_no).unit;
        if !unit.status.is_available() {
            return Err(DispatchError::precondition(format!(
                "unit {} is {}, not available",
                unit.spec.id, unit.status
            )));
        }
        self.check_permitted(slot_no, &request.call)?;
        let rank = match &request.recommendation {
            Some(id) => {
                let record = state.view.last_recommendation.as_ref().filter(|r| &r.id == id);
                let record = record.ok_or_else(|| DispatchError::not_found("recommendation", id))?;
                record.units.iter().position(|u| u == &request.unit).map_or(0, |i| i as u32 + 1)
            }
            None => {
                let options = RankOptions { limit: MAX_LIMIT, ..RankOptions::default() };
                let ranking = self.rank(&state.view.spec, now, options);
                ranking.units.iter().position(|u| u.unit == request.unit).map_or(0, |i| i as u32 + 1)
            }
        };
        let reason = given(&request.reason);
        if rank != 1 && reason.is_none() {
            return Err(DispatchError::invalid("reason", "is required when the unit is not the top recommendation"));
        }
        self.start_assignment(
            &request.call,
            slot_no,
            AssignmentKind::Manual,
            rank,
            reason,
            request.actor,
            None,
            now,
            out,
        )
    }

    /// Replaces the unit of an active assignment; the previous unit is freed.
    pub fn reassign(
        &mut self,
        now: Micros,
        request: ReassignRequest,
        out: &mut Vec<Event>,
    ) -> Result<Assignment, DispatchError> {
        self.advance(now, out);
        let now = self.now;
        let old = self.active(&request.assignment)?.clone();
        let reason = given(&request.reason).ok_or_else(|| DispatchError::invalid("reason", "is required"))?;
        let old_slot = self.slot_of(&old.unit)?;
        let old_status = self.slot(old_slot).unit.status;
        if !old_status.is_heading_to_call() {
            return Err(DispatchError::precondition(format!(
                "unit {} is {old_status}; it cannot be replaced",
                old.unit
            )));
        }
        let new_slot = self.slot_of(&request.unit)?;
        let unit = &self.slot(new_slot).unit;
        if !unit.status.is_available() {
            return Err(DispatchError::precondition(format!(
                "unit {} is {}, not available",
                unit.spec.id, unit.status
            )));
        }
        self.check_permitted(new_slot, &old.call)?;
        let rank = self.recommended_rank(&old.call, &request.unit);
        self.end_assignment(&old.id, AssignmentState::Reassigned, now, Some(reason.clone()), out);
        self.stand_down(old_slot, stood_down(old_status), now, Some(reason.clone()), out);
        let new = self.start_assignment(
            &old.call,
            new_slot,
            AssignmentKind::Reassign,
            rank,
            Some(reason),
            request.actor,
            Some(old.id),
            now,
            out,
        )?;
        self.serve_unit(old_slot, now, Some(&old.call), out);
        Ok(new)
    }

    /// Ends an active assignment early; the unit is freed and a call left without a unit
    /// before the scene goes back to the queue.
    pub fn release(
        &mut self,
        now: Micros,
        request: ReleaseRequest,
        out: &mut Vec<Event>,
    ) -> Result<Assignment, DispatchError> {
        self.advance(now, out);
        let now = self.now;
        let old = self.active(&request.assignment)?;
        if let Some(expected) = request.expected_version
            && expected != old.version
        {
            return Err(DispatchError::precondition(format!(
                "assignment {} is at version {}, not {expected}",
                old.id, old.version
            )));
        }
        let reason = given(&request.reason).ok_or_else(|| DispatchError::invalid("reason", "is required"))?;
        let (call, unit) = (old.call.clone(), old.unit.clone());
        let slot_no = self.slot_of(&unit)?;
        let status = self.slot(slot_no).unit.status;
        let ended = self.end_assignment(&request.assignment, AssignmentState::Released, now, Some(reason.clone()), out);
        self.stand_down(slot_no, stood_down(status), now, Some(reason), out);
        self.requeue_if_unserved(&call, now, out);
        self.serve_unit(slot_no, now, Some(&call), out);
        Ok(ended)
    }

    /// Diverts a unit heading to a less urgent call to a more urgent one, when the policy of
    /// the new call's region allows; the call it leaves waits again with its original age.
    pub fn redispatch(
        &mut self,
        now: Micros,
        request: RedispatchRequest,
        out: &mut Vec<Event>,
    ) -> Result<Assignment, DispatchError> {
        self.advance(now, out);
        let now = self.now;
        let slot_no = self.slot_of(&request.unit)?;
        let spec =
            &self.calls.get(&request.call).ok_or_else(|| DispatchError::not_found("call", &request.call))?.view.spec;
        let slot = self.slot(slot_no);
        let (status, from) = (slot.unit.status, slot.call_category);
        let from = match from {
            Some(from) if status.is_heading_to_call() => from,
            _ => {
                return Err(DispatchError::precondition(format!(
                    "unit {} is {status}; only a unit assigned or en route can be diverted",
                    request.unit
                )));
            }
        };
        if slot.unit.call.as_ref() == Some(&request.call) {
            return Err(DispatchError::precondition(format!(
                "unit {} already works call {}",
                request.unit, request.call
            )));
        }
        if !self.rules(&spec.region).redispatch.allows(from, spec.category) {
            return Err(DispatchError::precondition(format!(
                "the policy of {} does not divert units from category {from} to category {} calls",
                spec.region, spec.category
            )));
        }
        self.check_permitted(slot_no, &request.call)?;
        let reason = given(&request.reason);
        let rank = self.recommended_rank(&request.call, &request.unit);
        self.divert(slot_no, &request.call, rank, reason, request.actor, now, out)
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn divert(
        &mut self,
        slot_no: u32,
        call: &CallId,
        rank: u32,
        reason: Option<String>,
        actor: Actor,
        at: Micros,
        out: &mut Vec<Event>,
    ) -> Result<Assignment, DispatchError> {
        let unit = &self.slot(slot_no).unit;
        let (old_id, old_call) = match (&unit.assignment, &unit.call) {
            (Some(a), Some(c)) => (a.clone(), c.clone()),
            _ => return Err(DispatchError::precondition(format!("unit {} works no call", unit.spec.id))),
        };
        self.end_assignment(&old_id, AssignmentState::Redispatched, at, reason.clone(), out);
        let new = self.start_assignment(
            call,
            slot_no,
            AssignmentKind::Redispatch,
            rank,
            reason,
            actor,
            Some(old_id),
            at,
            out,
        )?;
        self.requeue_if_unserved(&old_call, at, out);
        Ok(new)
    }

    /// Creates an assignment and puts the unit on the call.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn start_assignment(
        &mut self,
        call: &CallId,
        slot_no: u32,
        kind: AssignmentKind,
        rank: u32,
        reason: Option<String>,
        actor: Actor,
        previous: Option<AssignmentId>,
        at: Micros,
        out: &mut Vec<Event>,
    ) -> Result<Assignment, DispatchError> {
        let spec = self.calls.get(call).ok_or_else(|| DispatchError::not_found("call", call))?.view.spec.clone();
        let eta = self.query(&spec, at).score(slot_no, self.slot(slot_no), false).eta;
        let id = AssignmentId::parse(&self.ids.next(at)).expect("minted ids are valid");
        let assignment = Assignment {
            id: id.clone(),
            call: call.clone(),
            unit: self.slot(slot_no).unit.spec.id.clone(),
            kind,
            state: AssignmentState::Active,
            recommendation_rank: rank,
            eta,
            arrival_estimate: at + eta,
            reason,
            assigned_by: actor,
            previous,
            ended_at: None,
            end_reason: None,
            created_at: at,
            updated_at: at,
            version: 1,
        };
        self.assignments.insert(id.clone(), assignment.clone());
        self.dequeue(call);
        self.calls.get_mut(call).expect("open call").view.assignments.push(id.clone());
        let slot = self.slot_mut(slot_no);
        let was_available = slot.unit.status.is_available();
        if was_available {
            slot.unit.status = UnitStatus::Assigned;
            slot.unit.status_changed_at = at;
        }
        slot.unit.call = Some(call.clone());
        slot.unit.assignment = Some(id);
        slot.call_category = Some(spec.category);
        slot.unit.version += 1;
        slot.unit.updated_at = at;
        self.reindex(slot_no);
        out.push(Event::AssignmentStarted { at, assignment: Box::new(assignment.clone()) });
        self.emit_unit(slot_no, at, None, out);
        self.judge_assigned(call, at, out);
        if was_available {
            self.reassess_calls_counting_on(slot_no, at, out);
        }
        self.serve_unit(slot_no, at, Some(call), out);
        Ok(assignment)
    }

    /// Ends an active assignment and detaches it from its call (not from its unit).
    pub(crate) fn end_assignment(
        &mut self,
        id: &AssignmentId,
        state: AssignmentState,
        at: Micros,
        reason: Option<String>,
        out: &mut Vec<Event>,
    ) -> Assignment {
        let mut assignment = self.assignments.remove(id).expect("active assignment");
        assignment.state = state;
        assignment.ended_at = Some(at);
        assignment.end_reason = reason;
        assignment.version += 1;
        assignment.updated_at = at;
        if let Some(call) = self.calls.get_mut(&assignment.call) {
            call.view.assignments.retain(|a| a != id);
        }
        out.push(Event::AssignmentChanged { at, assignment: Box::new(assignment.clone()) });
        assignment
    }

    /// Takes a unit off its call into `status`.
    pub(crate) fn stand_down(
        &mut self,
        slot_no: u32,
        status: UnitStatus,
        at: Micros,
        reason: Option<String>,
        out: &mut Vec<Event>,
    ) {
        let slot = self.slot_mut(slot_no);
        if slot.unit.status != status {
            slot.unit.status = status;
            slot.unit.status_changed_at = at;
        }
        slot.unit.call = None;
        slot.unit.assignment = None;
        slot.call_category = None;
        slot.unit.version += 1;
        slot.unit.updated_at = at;
        self.reindex(slot_no);
        self.emit_unit(slot_no, at, reason, out);
    }

    fn active(&self, id: &AssignmentId) -> Result<&Assignment, DispatchError> {
        self.assignments.get(id).ok_or_else(|| DispatchError::not_found("active assignment", id))
    }

    fn check_permitted(&self, slot_no: u32, call: &CallId) -> Result<(), DispatchError> {
        let spec = &self.calls.get(call).ok_or_else(|| DispatchError::not_found("call", call))?.view.spec;
        let unit = &self.slot(slot_no).unit;
        let rule = self.rules(&spec.region).rule_for(spec.category, spec.received_at, self.utc_offset(&spec.region));
        if !rule.permits(unit.spec.kind) {
            return Err(DispatchError::precondition(format!(
                "a {} unit may not take category {} call {} under the policy of {}",
                unit.spec.kind, spec.category, spec.id, spec.region
            )));
        }
        if !unit.spec.equipment.covers(spec.equipment) {
            return Err(DispatchError::precondition(format!(
                "unit {} lacks equipment call {} needs",
                unit.spec.id, spec.id
            )));
        }
        Ok(())
    }

    fn recommended_rank(&self, call: &CallId, unit: &UnitId) -> u32 {
        self.calls
            .get(call)
            .and_then(|c| c.view.last_recommendation.as_ref())
            .and_then(|r| r.units.iter().position(|u| u == unit))
            .map_or(0, |i| i as u32 + 1)
    }
}

/// Where a unit taken off a call before the scene goes: back to being available, at its
/// station if it had not left.
fn stood_down(status: UnitStatus) -> UnitStatus {
    if status == UnitStatus::Assigned { UnitStatus::AvailableAtStation } else { UnitStatus::AvailableOnMove }
}
