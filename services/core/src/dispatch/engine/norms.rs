//! Norm clocks: firing due timers before each command ([`Engine::tick`]), watching waiting
//! calls (AT_RISK at `deadline − best ETA`), judging assigned calls by their units' arrival
//! estimates, and BREACHED at the deadline. See [`crate::dispatch::alert`] for the conventions.

use super::{CallState, Engine};
use crate::dispatch::alert::{Alert, AlertKind, Timer, TimerKind};
use crate::dispatch::event::Event;
use crate::dispatch::ids::{CallId, UnitId};
use crate::dispatch::travel::TravelTimeModel;
use crate::dispatch::unit::UnitStatus;
use crate::local_time::Micros;

fn alert(kind: AlertKind, at: Micros, state: &CallState, best: Option<(Micros, UnitId)>) -> Alert {
    let spec = &state.view.spec;
    let (best_eta, best_unit) = best.map_or((None, None), |(eta, unit)| (Some(eta), Some(unit)));
    Alert {
        kind,
        at,
        call: spec.id.clone(),
        call_number: spec.number.clone(),
        region: spec.region.clone(),
        category: spec.category,
        deadline_at: spec.deadline_at,
        best_eta,
        best_unit,
    }
}

impl<M: TravelTimeModel> Engine<M> {
    /// Moves the clock to `now` and fires every timer due before it, in time order. Every
    /// command does this first; call it on its own to let time pass.
    pub fn tick(&mut self, now: Micros, out: &mut Vec<Event>) {
        self.advance(now, out);
    }

    pub(crate) fn advance(&mut self, now: Micros, out: &mut Vec<Event>) {
        self.now = self.now.max(now);
        while let Some(timer) = self.timers.pop_before(self.now) {
            self.fire(timer, out);
        }
    }

    fn fire(&mut self, timer: Timer, out: &mut Vec<Event>) {
        let Some(state) = self.calls.get(&timer.call).filter(|c| c.view.seq == timer.call_seq) else { return };
        let view = &state.view;
        if view.on_scene_at.is_some() || view.breached {
            return;
        }
        match timer.kind {
            TimerKind::Breach => {
                if timer.at != view.spec.deadline_at {
                    return;
                }
                let best = self.best_estimate(&timer.call, timer.at);
                let state = self.calls.get_mut(&timer.call).expect("open call");
                state.view.breached = true;
                state.risk_check_at = None;
                let breached = alert(AlertKind::Breached, timer.at, state, best);
                state.alert = Some(breached.clone());
                out.push(Event::Alert(breached));
                // A call held for a closer unit takes the best one now, however far.
                let (queued, region, category) =
                    (state.view.queued_at.is_some(), state.view.spec.region.clone(), state.view.spec.category);
                let rules = self.rules(&region);
                if queued && rules.auto_assign_max_eta_min.is_some() && rules.auto_assigns(category) {
                    self.serve_call(&timer.call, timer.at, out);
                }
            }
            TimerKind::RiskCheck => {
                if state.risk_check_at != Some(timer.at) || view.at_risk || !view.assignments.is_empty() {
                    return;
                }
                let spec = view.spec.clone();
                let best = self.best(&spec, timer.at).map(|b| (b.eta, b.slot));
                self.watch(&timer.call, timer.at, best, true, out);
            }
        }
    }

    /// Sets the watch of a waiting call from its best candidate at `at`: at risk now when no
    /// unit can go or the best one would be late; otherwise a check at `deadline − ETA`.
    pub(crate) fn watch_waiting(&mut self, id: &CallId, at: Micros, best: Option<(Micros, u32)>, out: &mut Vec<Event>) {
        self.watch(id, at, best, false, out);
    }

    /// As [`Engine::watch_waiting`]; a check that fires (`checking`) at the instant the slack
    /// runs out finds the call at risk rather than checking again at the same instant.
    fn watch(&mut self, id: &CallId, at: Micros, best: Option<(Micros, u32)>, checking: bool, out: &mut Vec<Event>) {
        let best_unit = best.map(|(eta, slot)| (eta, self.slot(slot).unit.spec.id.clone()));
        let state = self.calls.get_mut(id).expect("open call");
        state.best_slot = best.map(|(_, slot)| slot);
        state.risk_check_at = None;
        if state.view.at_risk || state.view.breached || state.view.on_scene_at.is_some() {
            return;
        }
        let slack = best.map(|(eta, _)| state.view.spec.deadline_at - at - eta);
        match slack {
            Some(slack) if slack > 0 || (slack == 0 && !checking) => {
                let check = at + slack;
                state.risk_check_at = Some(check);
                let timer = Timer { at: check, kind: TimerKind::RiskCheck, call_seq: state.view.seq, call: id.clone() };
                self.timers.push(timer);
            }
            _ => {
                state.view.at_risk = true;
                let at_risk = alert(AlertKind::AtRisk, at, state, best_unit);
                state.alert = Some(at_risk.clone());
                out.push(Event::Alert(at_risk));
            }
        }
    }

    /// Judges a call its units head to by their best arrival estimate: at risk when it is
    /// after the deadline, cleared when an alert was in force and it no longer is.
    pub(crate) fn judge_assigned(&mut self, id: &CallId, at: Micros, out: &mut Vec<Event>) {
        let best = self.best_estimate(id, at);
        let Some(state) = self.calls.get_mut(id) else { return };
        if state.view.on_scene_at.is_some() || state.view.breached {
            return;
        }
        let late = best.as_ref().is_none_or(|(eta, _)| at + eta > state.view.spec.deadline_at);
        if late && !state.view.at_risk {
            state.view.at_risk = true;
            let at_risk = alert(AlertKind::AtRisk, at, state, best);
            state.alert = Some(at_risk.clone());
            out.push(Event::Alert(at_risk));
        } else if !late && state.view.at_risk {
            self.clear_alert(id, at, out);
        }
    }

    /// An en-route unit moved: its arrival estimate becomes now plus the drive from its fix.
    pub(crate) fn reestimate_arrival(&mut self, slot_no: u32, at: Micros, out: &mut Vec<Event>) {
        let slot = self.slot(slot_no);
        let (Some(call), Some(assignment)) = (slot.unit.call.clone(), slot.unit.assignment.clone()) else { return };
        let Some(spec) = self.calls.get(&call).map(|c| c.view.spec.clone()) else { return };
        let query = self.query(&spec, at);
        let scored = query.score(slot_no, slot, false);
        let drive = scored.eta - self.model.mobilisation(&query.trip, slot.unit.status.start());
        if let Some(a) = self.assignments.get_mut(&assignment) {
            a.arrival_estimate = at + drive;
        }
        self.judge_assigned(&call, at, out);
    }

    /// The best estimate for a call at `at`: its units' earliest arrival, or, while it waits,
    /// its best candidate's ETA.
    fn best_estimate(&self, id: &CallId, at: Micros) -> Option<(Micros, UnitId)> {
        let state = self.calls.get(id)?;
        if state.view.assignments.is_empty() {
            let best = self.best(&state.view.spec, at)?;
            return Some((best.eta, self.slot(best.slot).unit.spec.id.clone()));
        }
        state
            .view
            .assignments
            .iter()
            .filter_map(|a| self.assignments.get(a))
            .filter(|a| {
                self.unit(&a.unit).is_some_and(|u| u.status.is_heading_to_call() || u.status == UnitStatus::OnScene)
            })
            .map(|a| ((a.arrival_estimate - at).max(0), a.unit.clone()))
            .min()
    }

    /// A unit stopped being available: waiting calls that counted on it are watched again.
    pub(crate) fn reassess_calls_counting_on(&mut self, slot_no: u32, at: Micros, out: &mut Vec<Event>) {
        let counting: Vec<CallId> = self
            .queue
            .iter()
            .map(|(_, _, _, id)| id)
            .filter(|id| self.calls.get(*id).is_some_and(|c| c.best_slot == Some(slot_no) && !c.view.at_risk))
            .cloned()
            .collect();
        for id in counting {
            self.serve_call(&id, at, out);
        }
    }
}
