//! Calls: opening, updating and ending them, the queue of calls waiting for a unit (by
//! category, then age), and serving it: auto-assignment on intake and when a unit frees up.
//!
//! Invariant kept after every command: a queued call whose category its region auto-assigns
//! has no candidate at all, so a freed unit only has to be offered to the calls it may take.

use super::units::given;
use super::{CallState, Engine, QueueKey};
use crate::dispatch::alert::{AlertKind, Timer, TimerKind};
use crate::dispatch::assignment::{AssignmentKind, AssignmentState, system_actor};
use crate::dispatch::call::{CallSpec, CallView};
use crate::dispatch::error::DispatchError;
use crate::dispatch::event::Event;
use crate::dispatch::geometry::{distance_m, unit_vector};
use crate::dispatch::ids::CallId;
use crate::dispatch::travel::TravelTimeModel;
use crate::dispatch::unit::UnitStatus;
use crate::local_time::Micros;

impl<M: TravelTimeModel> Engine<M> {
    /// Takes a categorised call: it joins the queue, its norm clock starts, and it is
    /// auto-assigned when its region's policy says so and a unit can go.
    pub fn open_call(&mut self, now: Micros, spec: CallSpec, out: &mut Vec<Event>) -> Result<&CallView, DispatchError> {
        self.advance(now, out);
        let now = self.now;
        check_spec(&spec)?;
        if self.calls.contains_key(&spec.id) {
            return Err(DispatchError::AlreadyExists { what: "call", id: spec.id.to_string() });
        }
        self.call_seq += 1;
        let id = spec.id.clone();
        let view = CallView {
            spec,
            queued_at: None,
            assignments: Vec::new(),
            on_scene_at: None,
            at_risk: false,
            breached: false,
            last_recommendation: None,
            seq: self.call_seq,
        };
        self.timers.push(Timer {
            at: view.spec.deadline_at,
            kind: TimerKind::Breach,
            call_seq: view.seq,
            call: id.clone(),
        });
        self.calls.insert(id.clone(), CallState { view, risk_check_at: None, best_slot: None, alert: None });
        self.enqueue(&id, now, out);
        self.serve_call(&id, now, out);
        // A call taken over late (its deadline already past) is breached at once.
        self.advance(now, out);
        Ok(&self.calls[&id].view)
    }

    /// Replaces what Intake says about an open call (recategorised, moved, new deadline).
    /// Units already working it stay; a waiting call is ranked again.
    pub fn update_call(
        &mut self,
        now: Micros,
        spec: CallSpec,
        out: &mut Vec<Event>,
    ) -> Result<&CallView, DispatchError> {
        self.advance(now, out);
        let now = self.now;
        check_spec(&spec)?;
        let id = spec.id.clone();
        let state = self.calls.get_mut(&id).ok_or_else(|| DispatchError::not_found("call", &id))?;
        let old_key = queue_key(&state.view);
        let deadline_moved = state.view.spec.deadline_at != spec.deadline_at;
        state.view.spec = spec;
        let new_key = queue_key(&state.view);
        let seq = state.view.seq;
        if deadline_moved && state.view.on_scene_at.is_none() && !state.view.breached {
            let at = state.view.spec.deadline_at;
            self.timers.push(Timer { at, kind: TimerKind::Breach, call_seq: seq, call: id.clone() });
        }
        if self.queue.remove(&old_key) {
            self.queue.insert(new_key);
            self.serve_call(&id, now, out);
        } else {
            self.judge_assigned(&id, now, out);
        }
        Ok(&self.calls[&id].view)
    }

    /// Ends a call: closed (the work is done) or cancelled. Units still on it stand down:
    /// a unit not yet departed is available at its station again, one on the way is available
    /// where it is; after a close, a unit past the scene is returning.
    pub fn end_call(
        &mut self,
        now: Micros,
        id: &CallId,
        cancelled: bool,
        reason: Option<String>,
        out: &mut Vec<Event>,
    ) -> Result<(), DispatchError> {
        self.advance(now, out);
        let now = self.now;
        let state = self.calls.get(id).ok_or_else(|| DispatchError::not_found("call", id))?;
        let assignments = state.view.assignments.clone();
        let key = queue_key(&state.view);
        let reason = given(&reason);
        let mut freed = Vec::new();
        for assignment in assignments {
            let end = if cancelled { AssignmentState::Cancelled } else { AssignmentState::Completed };
            let ended = self.end_assignment(&assignment, end, now, reason.clone(), out);
            let slot_no = self.slot_of(&ended.unit)?;
            let status = self.slot(slot_no).unit.status;
            let after = match status {
                UnitStatus::Assigned => UnitStatus::AvailableAtStation,
                UnitStatus::EnRoute => UnitStatus::AvailableOnMove,
                _ if cancelled => UnitStatus::AvailableOnMove,
                _ => UnitStatus::Returning,
            };
            self.stand_down(slot_no, after, now, reason.clone(), out);
            freed.push(slot_no);
        }
        self.queue.remove(&key);
        self.clear_alert(id, now, out);
        self.calls.remove(id);
        out.push(Event::CallEnded { at: now, call: id.clone(), cancelled });
        for slot_no in freed {
            if self.slot(slot_no).unit.status.is_available() {
                self.serve_unit(slot_no, now, None, out);
            }
        }
        Ok(())
    }

    /// The first crew reached the scene: the norm clock stops and alerts in force clear.
    pub(crate) fn reach_scene(&mut self, call: &CallId, at: Micros, out: &mut Vec<Event>) {
        let Some(state) = self.calls.get_mut(call) else { return };
        if state.view.on_scene_at.is_none() {
            state.view.on_scene_at = Some(at);
            state.risk_check_at = None;
            self.clear_alert(call, at, out);
        }
    }

    /// Puts a call in the queue (again), keeping its age.
    pub(crate) fn enqueue(&mut self, id: &CallId, at: Micros, out: &mut Vec<Event>) {
        let state = self.calls.get_mut(id).expect("open call");
        state.view.queued_at = Some(at);
        self.queue.insert(queue_key(&state.view));
        out.push(Event::CallQueued { at, call: id.clone() });
    }

    pub(crate) fn dequeue(&mut self, id: &CallId) {
        let state = self.calls.get_mut(id).expect("open call");
        if state.view.queued_at.take().is_some() {
            self.queue.remove(&queue_key(&state.view));
        }
        state.risk_check_at = None;
        state.best_slot = None;
    }

    /// A call that lost its last unit before the scene waits again and is served.
    pub(crate) fn requeue_if_unserved(&mut self, id: &CallId, at: Micros, out: &mut Vec<Event>) {
        let Some(state) = self.calls.get(id) else { return };
        if state.view.assignments.is_empty() && state.view.on_scene_at.is_none() && state.view.queued_at.is_none() {
            self.enqueue(id, at, out);
            self.serve_call(id, at, out);
        }
    }

    /// Ranks a waiting call: auto-assigns the top unit when the policy says so and it is
    /// within the auto-assignment reach, otherwise (or when no unit can go) sets its norm-clock
    /// watch.
    pub(crate) fn serve_call(&mut self, id: &CallId, at: Micros, out: &mut Vec<Event>) {
        let Some(state) = self.calls.get(id) else { return };
        let (spec, breached) = (state.view.spec.clone(), state.view.breached);
        let best = self.best(&spec, at);
        let rules = self.rules(&spec.region);
        if let Some(best) = best
            && rules.auto_assigns(spec.category)
            && rules.auto_reaches(best.eta, breached)
        {
            self.auto_assign(id, best.slot, at, out);
            return;
        }
        self.watch_waiting(id, at, best.map(|b| (b.eta, b.slot)), out);
    }

    /// Offers a unit that just became available (or divertible) to the waiting calls it may
    /// take whose category is auto-assigned, oldest most urgent first, until it is taken.
    pub(crate) fn serve_unit(&mut self, slot_no: u32, at: Micros, except: Option<&CallId>, out: &mut Vec<Event>) {
        if self.queue.is_empty() {
            return;
        }
        let waiting: Vec<CallId> = self
            .queue
            .iter()
            .map(|(_, _, _, id)| id)
            .filter(|id| Some(*id) != except && self.may_serve(slot_no, id))
            .cloned()
            .collect();
        for id in waiting {
            // An earlier assignment in this loop may have changed what the call can have.
            if !self.may_serve(slot_no, &id) {
                continue;
            }
            let view = &self.calls[&id].view;
            let (spec, breached) = (view.spec.clone(), view.breached);
            if let Some(best) = self.best(&spec, at)
                && self.rules(&spec.region).auto_reaches(best.eta, breached)
            {
                self.auto_assign(&id, best.slot, at, out);
                if best.slot == slot_no {
                    return;
                }
            }
        }
    }

    /// Whether the unit could be the candidate of an auto-assigned waiting call.
    fn may_serve(&self, slot_no: u32, id: &CallId) -> bool {
        let Some(state) = self.calls.get(id).filter(|c| c.view.queued_at.is_some()) else { return false };
        let spec = &state.view.spec;
        let rules = self.rules(&spec.region);
        if !rules.auto_assigns(spec.category) {
            return false;
        }
        let slot = self.slot(slot_no);
        let unit = &slot.unit;
        let rule = rules.rule_for(spec.category, spec.received_at, self.utc_offset(&spec.region));
        if !rule.permits(unit.spec.kind) || !unit.spec.equipment.covers(spec.equipment) {
            return false;
        }
        let local = unit.spec.region == spec.region;
        if !local
            && (!rules.cross_border_help
                || distance_m(&slot.vector, &unit_vector(spec.position)) > rules.cross_border_max_km * 1000.0)
        {
            return false;
        }
        unit.status.is_available()
            || (unit.status.is_heading_to_call()
                && slot.call_category.is_some_and(|from| rules.redispatch.allows(from, spec.category)))
    }

    fn auto_assign(&mut self, id: &CallId, slot_no: u32, at: Micros, out: &mut Vec<Event>) {
        let slot = self.slot(slot_no);
        let result = if slot.unit.status.is_available() {
            self.start_assignment(id, slot_no, AssignmentKind::Auto, 1, None, system_actor(), None, at, out)
        } else {
            self.divert(slot_no, id, 1, None, system_actor(), at, out)
        };
        debug_assert!(result.is_ok(), "auto-assigning a ranked unit cannot fail: {result:?}");
    }

    pub(crate) fn clear_alert(&mut self, id: &CallId, at: Micros, out: &mut Vec<Event>) {
        let Some(state) = self.calls.get_mut(id) else { return };
        if let Some(mut alert) = state.alert.take() {
            state.view.at_risk = false;
            alert.kind = AlertKind::Cleared;
            alert.at = at;
            out.push(Event::Alert(alert));
        }
    }
}

pub(crate) fn queue_key(view: &CallView) -> QueueKey {
    (view.spec.category, view.spec.received_at, view.seq, view.spec.id.clone())
}

fn check_spec(spec: &CallSpec) -> Result<(), DispatchError> {
    if spec.number.trim().is_empty() {
        return Err(DispatchError::invalid("call_number", "is required"));
    }
    if spec.deadline_at <= spec.received_at {
        return Err(DispatchError::invalid("deadline_at", "must be after received_at"));
    }
    Ok(())
}
