//! A chosen aircraft's flight: the [`Plan`] (a positioning flight from its base to the
//! pick-up point, loading, the patient flight, the ground leg to the receiving facility),
//! what it costs under the contract's hourly tariff, and the [`Schedule`] of milestones the
//! plan gives once the airline commits to a departure time. "Behind plan" is measured
//! against the planned times; the airline's re-estimates move the expected times only.
//!
//! Distances are great-circle; air legs are flown at the aircraft's cruise speed with a fixed
//! allowance per leg for start-up, climb and approach.

use serde::{Deserialize, Serialize};

use crate::duplicates::distance_m;
use crate::geo::LatLon;
use crate::local_time::{MINUTE, Micros};
use crate::medevac::vocabulary::Milestone;

/// Start-up, taxi, climb and approach added to each air leg that covers any distance.
pub const LEG_ALLOWANCE: Micros = 10 * MINUTE;
/// From arrival at the pick-up point to the patient on board: the ground leg from the
/// facility to the aircraft and loading.
pub const LOADING: Micros = 30 * MINUTE;
/// From landing to hand-over: the ground leg to the receiving facility.
pub const HANDOVER: Micros = 30 * MINUTE;

/// What a plan is computed from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlanInput {
    /// The aircraft's base airfield.
    pub base: LatLon,
    /// Where the mission picks up.
    pub origin: LatLon,
    /// Where it delivers.
    pub destination: LatLon,
    /// Cruise speed, km/h (at least 1).
    pub cruise_speed_kmh: u32,
    /// The contract's tariff per flight hour, whole tenge.
    pub tariff_kzt_per_hour: i64,
    /// How long after being tasked the airline can take off, per the contract.
    pub readiness: Micros,
}

/// The plan of one option.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Base to pick-up, metres.
    pub positioning_m: f64,
    /// Pick-up to destination, metres.
    pub patient_flight_m: f64,
    /// Positioning flight time.
    pub positioning: Micros,
    /// Patient flight time.
    pub patient_flight: Micros,
    /// Both air legs.
    pub flight_time: Micros,
    /// Flight time at the contract tariff, in tiyn (1/100 tenge).
    pub cost_tiyn: i64,
    /// From tasking to take-off, per the contract.
    pub readiness: Micros,
}

fn air_leg(metres: f64, cruise_speed_kmh: u32) -> Micros {
    if metres <= 0.0 {
        return 0;
    }
    let hours = metres / 1_000.0 / f64::from(cruise_speed_kmh.max(1));
    (hours * 3_600_000_000.0).round() as Micros + LEG_ALLOWANCE
}

/// The plan for `input`.
pub fn plan(input: &PlanInput) -> Plan {
    let positioning_m = distance_m(input.base, input.origin);
    let patient_flight_m = distance_m(input.origin, input.destination);
    let positioning = air_leg(positioning_m, input.cruise_speed_kmh);
    let patient_flight = air_leg(patient_flight_m, input.cruise_speed_kmh);
    let flight_time = positioning + patient_flight;
    Plan {
        positioning_m,
        patient_flight_m,
        positioning,
        patient_flight,
        flight_time,
        cost_tiyn: cost_tiyn(input.tariff_kzt_per_hour, flight_time),
        readiness: input.readiness,
    }
}

/// Flight time at an hourly tariff (whole tenge), in tiyn, rounded to the nearest tiyn.
pub fn cost_tiyn(tariff_kzt_per_hour: i64, flight_time: Micros) -> i64 {
    let tiyn = i128::from(tariff_kzt_per_hour) * 100 * i128::from(flight_time);
    let hour = 3_600_000_000_i128;
    ((tiyn + hour / 2) / hour) as i64
}

impl Plan {
    /// The planned time of each milestone for a take-off at `departure`.
    pub fn schedule(&self, departure: Micros) -> Schedule {
        let at_origin = departure + self.positioning;
        let on_board = at_origin + LOADING;
        let landed = on_board + self.patient_flight;
        let handed_over = landed + HANDOVER;
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

    fn p(lat: f64, lon: f64) -> LatLon {
        LatLon::parse(lat, lon).unwrap()
    }

    /// Astana airport (base), a district hospital ~210 km away, Astana city hospital.
    fn input() -> PlanInput {
        PlanInput {
            base: p(51.0222, 71.4669),
            origin: p(52.2873, 69.2400),
            destination: p(51.1283, 71.4305),
            cruise_speed_kmh: 230,
            tariff_kzt_per_hour: 1_450_000,
            readiness: 90 * MINUTE,
        }
    }

    #[test]
    fn a_plan_times_and_prices_both_air_legs() {
        let plan = plan(&input());
        assert!((200_000.0..220_000.0).contains(&plan.positioning_m), "{}", plan.positioning_m);
        // ~205 km at 230 km/h is ~53.5 min, plus the leg allowance.
        let minutes = plan.positioning as f64 / MINUTE as f64;
        assert!((60.0..67.0).contains(&minutes), "{minutes}");
        assert_eq!(plan.flight_time, plan.positioning + plan.patient_flight);
        assert_eq!(plan.cost_tiyn, cost_tiyn(1_450_000, plan.flight_time));
        // One hour at 1 450 000 tenge is 145 000 000 tiyn.
        assert_eq!(cost_tiyn(1_450_000, 60 * MINUTE), 145_000_000);
        assert_eq!(cost_tiyn(1_000, 1), 0);
        let still = plan_with_base_at_origin();
        assert_eq!(still.positioning, 0, "no positioning flight when the base is the pick-up point");
    }

    fn plan_with_base_at_origin() -> Plan {
        let i = input();
        plan(&PlanInput { base: i.origin, ..i })
    }

    #[test]
    fn the_schedule_follows_the_plan_from_the_committed_departure() {
        let plan = plan(&input());
        let s = plan.schedule(1_000 * MINUTE);
        let planned: Vec<Micros> = s.entries.iter().map(|e| e.planned_at).collect();
        assert_eq!(planned[0], 1_000 * MINUTE);
        assert_eq!(planned[1], planned[0] + plan.positioning);
        assert_eq!(planned[2], planned[1] + LOADING);
        assert_eq!(planned[3], planned[2] + plan.patient_flight);
        assert_eq!(planned[4], planned[3] + HANDOVER);
        assert_eq!(s.next().unwrap().milestone, Milestone::Departed);
        assert_eq!(s.airborne_since(), None);
    }

    #[test]
    fn milestones_come_in_order_and_later_ones_slip() {
        let mut s = plan(&input()).schedule(0);
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
