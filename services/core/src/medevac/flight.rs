//! A chosen aircraft's flight: the [`Plan`] taken from the option the Dispatcher's air
//! tasking ranked ([`crate::air`]: positioning flight, ground leg to the airfield, patient
//! flight, ground leg to the hospital, with flight hours and cost at the contract's tariff),
//! and the [`Schedule`] of milestones the plan gives once the airline commits to a departure
//! time. "Behind plan" is measured against the planned times; the airline's re-estimates move
//! the expected times only.
//!
//! Nothing here plans a flight: there is one way to do that, [`crate::air::rank`]; this module
//! only reads the chosen option's legs as the intervals between milestones.

use serde::{Deserialize, Serialize};

use crate::air::LegKind;
use crate::local_time::Micros;
use crate::medevac::vocabulary::Milestone;

/// One leg of the chosen option, as far as the milestones need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedLeg {
    /// Its role.
    pub kind: LegKind,
    /// Planned departure, µs since the epoch.
    pub departs_at: Micros,
    /// Planned arrival, µs since the epoch.
    pub arrives_at: Micros,
}

/// The plan of the chosen option: the intervals between milestones and what the option
/// promises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// From the choice (the ranking's start) to the first take-off, per the contract.
    pub readiness: Micros,
    /// Take-off to arrival at the departure site; 0 when the aircraft is based there.
    pub positioning: Micros,
    /// Arrival at the departure site to the patient flight's take-off (the patient brought
    /// to the aircraft and loaded).
    pub boarding: Micros,
    /// The patient flight.
    pub patient_flight: Micros,
    /// Landing to arrival at the destination (the ground leg); 0 when it lands there.
    pub handover: Micros,
    /// From the start until the team is with the patient.
    pub time_to_patient: Micros,
    /// From the start until arrival at the destination.
    pub time_to_destination: Micros,
    /// Billed flight hours of every flight leg, return included.
    pub flight_time: Micros,
    /// `flight_time` at the contract's tariff, tiyn (1/100 tenge).
    pub cost_tiyn: i64,
}

/// What the option promises beside its legs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Promise {
    /// From the start until the team is with the patient.
    pub time_to_patient: Micros,
    /// From the start until arrival at the destination.
    pub time_to_destination: Micros,
    /// Billed flight hours.
    pub flight_time: Micros,
    /// Cost, tiyn.
    pub cost_tiyn: i64,
}

impl Plan {
    /// The plan of an option ranked from `start` with these legs; `None` when it has no
    /// patient flight (every option the ranking offers has one).
    pub fn from_legs(start: Micros, legs: &[PlannedLeg], promise: Promise) -> Option<Plan> {
        let find = |kind: LegKind| legs.iter().find(|l| l.kind == kind);
        let flight = find(LegKind::PatientFlight)?;
        let positioning = find(LegKind::PositioningFlight);
        let take_off = positioning.map_or(flight.departs_at, |l| l.departs_at);
        let at_site = positioning.map_or(flight.departs_at, |l| l.arrives_at);
        let delivered = find(LegKind::GroundToHospital).map_or(flight.arrives_at, |l| l.arrives_at);
        Some(Plan {
            readiness: (take_off - start).max(0),
            positioning: at_site - take_off,
            boarding: flight.departs_at - at_site,
            patient_flight: flight.arrives_at - flight.departs_at,
            handover: delivered - flight.arrives_at,
            time_to_patient: promise.time_to_patient,
            time_to_destination: promise.time_to_destination,
            flight_time: promise.flight_time,
            cost_tiyn: promise.cost_tiyn,
        })
    }

    /// The planned time of each milestone for a take-off at `departure`.
    pub fn schedule(&self, departure: Micros) -> Schedule {
        let at_origin = departure + self.positioning;
        let on_board = at_origin + self.boarding;
        let landed = on_board + self.patient_flight;
        let handed_over = landed + self.handover;
        let entries = [departure, at_origin, on_board, landed, handed_over]
            .into_iter()
            .zip(Milestone::ORDER)
            .map(|(planned_at, milestone)| MilestoneTime { milestone, planned_at, expected_at: None, actual_at: None })
            .collect();
        Schedule { entries }
    }
}

/// Times of one milestone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneTime {
    /// The milestone.
    pub milestone: Milestone,
    /// From the plan, anchored at the committed departure.
    pub planned_at: Micros,
    /// The latest estimate; `None` means as planned.
    pub expected_at: Option<Micros>,
    /// When it was reached.
    pub actual_at: Option<Micros>,
}

impl MilestoneTime {
    /// When it is now expected: the estimate, else the plan.
    pub fn due_at(&self) -> Micros {
        self.expected_at.unwrap_or(self.planned_at)
    }
}

/// Why a milestone report is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// Not the next milestone in flight order.
    #[error("the next milestone is {expected}, not {given}")]
    OutOfOrder {
        /// The next one.
        expected: Milestone,
        /// The one reported.
        given: Milestone,
    },
    /// Every milestone has been reached.
    #[error("every milestone has been reached")]
    Finished,
    /// Reported before the previous milestone.
    #[error("is before the previous milestone ({0})")]
    BeforePrevious(Milestone),
    /// The estimate of the next milestone is before this one.
    #[error("is before the milestone reported")]
    EstimateTooEarly,
    /// An estimate was given after the last milestone.
    #[error("there is no next milestone after hand-over")]
    NoNextMilestone,
}

impl ScheduleError {
    /// The request field at fault, when the error is about the input.
    pub fn bad_field(&self) -> Option<&'static str> {
        match self {
            ScheduleError::OutOfOrder { .. } | ScheduleError::Finished => None,
            ScheduleError::BeforePrevious(_) => Some("occurred_at"),
            ScheduleError::EstimateTooEarly | ScheduleError::NoNextMilestone => Some("next_milestone_expected_at"),
        }
    }
}

/// The milestones of one flight, in flight order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// One entry per milestone.
    pub entries: Vec<MilestoneTime>,
}

impl Schedule {
    /// The first milestone not reached yet.
    pub fn next(&self) -> Option<&MilestoneTime> {
        self.entries.iter().find(|e| e.actual_at.is_none())
    }

    /// The last milestone reached, if any.
    pub fn last_reached(&self) -> Option<&MilestoneTime> {
        self.entries.iter().rev().find(|e| e.actual_at.is_some())
    }

    /// When the aircraft went into the air on its current leg, if it is airborne: after
    /// departure until at origin, and after the patient is on board until landing.
    pub fn airborne_since(&self) -> Option<Micros> {
        let last = self.last_reached()?;
        if last.milestone.starts_airborne_leg() { last.actual_at } else { None }
    }

    /// Records `milestone` reached at `actual`. Later milestones are expected to slip by as
    /// much as this one did against its plan, unless `next_expected` re-estimates the next one
    /// (and with it those after it).
    pub fn reach(
        &mut self,
        milestone: Milestone,
        actual: Micros,
        next_expected: Option<Micros>,
    ) -> Result<(), ScheduleError> {
        let next = self.next().ok_or(ScheduleError::Finished)?.milestone;
        if next != milestone {
            return Err(ScheduleError::OutOfOrder { expected: next, given: milestone });
        }
        if let Some(previous) = self.last_reached()
            && previous.actual_at.is_some_and(|at| actual < at)
        {
            return Err(ScheduleError::BeforePrevious(previous.milestone));
        }
        let index = self.entries.iter().position(|e| e.milestone == milestone).ok_or(ScheduleError::Finished)?;
        match (next_expected, self.entries.get(index + 1)) {
            (Some(_), None) => return Err(ScheduleError::NoNextMilestone),
            (Some(expected), Some(_)) if expected < actual => return Err(ScheduleError::EstimateTooEarly),
            _ => {}
        }
        self.entries[index].actual_at = Some(actual);
        let slip = match (next_expected, self.entries.get(index + 1)) {
            (Some(expected), Some(following)) => expected - following.planned_at,
            _ => actual - self.entries[index].planned_at,
        };
        for later in &mut self.entries[index + 1..] {
            later.expected_at = (slip != 0).then_some(later.planned_at + slip);
        }
        Ok(())
    }

    /// Re-estimates the next milestone (and the ones after it shift by as much).
    pub fn re_estimate(&mut self, next_expected: Micros) -> Result<(), ScheduleError> {
        let index = self.entries.iter().position(|e| e.actual_at.is_none()).ok_or(ScheduleError::Finished)?;
        let slip = next_expected - self.entries[index].planned_at;
        for later in &mut self.entries[index..] {
            later.expected_at = (slip != 0).then_some(later.planned_at + slip);
        }
        Ok(())
    }

    /// Time in the air so far: from departure to at origin and from on board to landing,
    /// counting only legs whose both ends were reached.
    pub fn flown(&self) -> Micros {
        let at = |m: Milestone| self.entries.iter().find(|e| e.milestone == m).and_then(|e| e.actual_at);
        let leg = |a, b| match (at(a), at(b)) {
            (Some(start), Some(end)) => end - start,
            _ => 0,
        };
        leg(Milestone::Departed, Milestone::AtOrigin) + leg(Milestone::PatientOnBoard, Milestone::Landed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local_time::MINUTE;

    const START: Micros = 1_000 * MINUTE;

    fn leg(kind: LegKind, departs: i64, arrives: i64) -> PlannedLeg {
        PlannedLeg { kind, departs_at: START + departs * MINUTE, arrives_at: START + arrives * MINUTE }
    }

    fn promise() -> Promise {
        Promise { time_to_patient: 150 * MINUTE, time_to_destination: 250 * MINUTE, flight_time: 0, cost_tiyn: 1 }
    }

    /// Ready after 90 minutes, 60 minutes to the departure site, 30 to board, 70 of patient
    /// flight, 20 by road to the hospital, then the return flight.
    fn plan() -> Plan {
        let legs = [
            leg(LegKind::PositioningFlight, 90, 150),
            leg(LegKind::GroundToAirfield, 110, 150),
            leg(LegKind::PatientFlight, 180, 250),
            leg(LegKind::GroundToHospital, 260, 280),
            leg(LegKind::ReturnFlight, 300, 360),
        ];
        Plan::from_legs(START, &legs, promise()).unwrap()
    }

    #[test]
    fn the_plan_reads_the_options_legs() {
        let p = plan();
        assert_eq!(
            (p.readiness, p.positioning, p.boarding, p.patient_flight, p.handover),
            (90 * MINUTE, 60 * MINUTE, 30 * MINUTE, 70 * MINUTE, 30 * MINUTE)
        );
        // Based at the departure site and landing at the hospital: no positioning, no road.
        let based = Plan::from_legs(START, &[leg(LegKind::PatientFlight, 60, 100)], promise()).unwrap();
        assert_eq!((based.readiness, based.positioning, based.boarding, based.handover), (60 * MINUTE, 0, 0, 0));
        assert_eq!(Plan::from_legs(START, &[leg(LegKind::ReturnFlight, 0, 1)], promise()), None);
    }

    #[test]
    fn the_schedule_follows_the_plan_from_the_committed_departure() {
        let plan = plan();
        let s = plan.schedule(1_000 * MINUTE);
        let planned: Vec<Micros> = s.entries.iter().map(|e| e.planned_at).collect();
        assert_eq!(planned[0], 1_000 * MINUTE);
        assert_eq!(planned[1], planned[0] + plan.positioning);
        assert_eq!(planned[2], planned[1] + plan.boarding);
        assert_eq!(planned[3], planned[2] + plan.patient_flight);
        assert_eq!(planned[4], planned[3] + plan.handover);
        assert_eq!(s.next().unwrap().milestone, Milestone::Departed);
        assert_eq!(s.airborne_since(), None);
    }

    #[test]
    fn milestones_come_in_order_and_later_ones_slip() {
        let mut s = plan().schedule(0);
        assert_eq!(
            s.reach(Milestone::AtOrigin, 10, None),
            Err(ScheduleError::OutOfOrder { expected: Milestone::Departed, given: Milestone::AtOrigin })
        );
        s.reach(Milestone::Departed, 20 * MINUTE, None).unwrap();
        assert_eq!(s.airborne_since(), Some(20 * MINUTE));
        let at_origin = s.entries[1];
        assert_eq!(at_origin.expected_at, Some(at_origin.planned_at + 20 * MINUTE), "a late take-off slips the rest");
        assert_eq!(
            s.reach(Milestone::AtOrigin, 10 * MINUTE, None),
            Err(ScheduleError::BeforePrevious(Milestone::Departed))
        );
        // The crew makes up time: the next milestone is re-estimated.
        let on_board_planned = s.entries[2].planned_at;
        s.reach(Milestone::AtOrigin, at_origin.planned_at + 5 * MINUTE, Some(on_board_planned)).unwrap();
        assert_eq!(s.entries[2].expected_at, None, "back on plan");
        assert_eq!(s.airborne_since(), None, "on the ground at the pick-up point");
        assert_eq!(
            s.reach(Milestone::PatientOnBoard, on_board_planned, Some(on_board_planned - 1)),
            Err(ScheduleError::EstimateTooEarly)
        );
        s.re_estimate(on_board_planned + 7 * MINUTE).unwrap();
        assert_eq!(s.entries[4].expected_at, Some(s.entries[4].planned_at + 7 * MINUTE));
        for m in [Milestone::PatientOnBoard, Milestone::Landed] {
            let at = s.next().unwrap().due_at();
            s.reach(m, at, None).unwrap();
        }
        assert_eq!(s.reach(Milestone::HandedOver, s.entries[4].due_at(), Some(0)), Err(ScheduleError::NoNextMilestone));
        s.reach(Milestone::HandedOver, s.entries[4].due_at(), None).unwrap();
        assert_eq!(s.reach(Milestone::HandedOver, s.entries[4].due_at(), None), Err(ScheduleError::Finished));
        let flown = (s.entries[1].actual_at.unwrap() - s.entries[0].actual_at.unwrap())
            + (s.entries[3].actual_at.unwrap() - s.entries[2].actual_at.unwrap());
        assert_eq!(s.flown(), flown);
    }
}
