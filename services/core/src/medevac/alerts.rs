//! Flight following: which alerts hold for the flights being followed at a moment, and what
//! to raise or clear given the alerts already raised. The clock is an argument; the Medevac
//! service evaluates on a timer, tests under a clock they control.
//!
//! - **No position**: the aircraft is airborne (from departure to at origin, from patient on
//!   board to landing) and nothing was heard from it for longer than the threshold, counted
//!   from its last position or, if none came since, from the moment it took off on this leg.
//! - **Behind plan**: the next milestone is late against its planned time by more than the
//!   threshold — because it is past due (`now` − planned) or because the latest estimate puts
//!   it there (expected − planned), whichever is later.
//!
//! Alerts are kept per flight and kind (and, for behind plan, per milestone). One clears
//! when its condition ends: a position arrives, the aircraft lands, the milestone is reached
//! or re-estimated within the threshold, or the flight stops being followed.

use crate::category::named_enum;
use crate::local_time::{MINUTE, Micros};
use crate::medevac::flight::Schedule;
use crate::medevac::vocabulary::Milestone;

named_enum! {
    /// What an alert is about. Numbers are the API's `FlightAlertKind`.
    AlertKind {
        /// An airborne aircraft sent no position for longer than the threshold.
        NoPosition = 1, "no_position";
        /// The next milestone is (expected) late against the plan by more than the threshold.
        BehindPlan = 2, "behind_plan";
    }
}

/// The "N minutes" of each alert; data of the deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    /// Longest silence of an airborne aircraft.
    pub no_position: Micros,
    /// Largest delay against the plan.
    pub behind_plan: Micros,
}

impl Default for Thresholds {
    /// 10 minutes without a position (a tracker reports every minute or two), 15 minutes
    /// behind plan.
    fn default() -> Self {
        Thresholds { no_position: 10 * MINUTE, behind_plan: 15 * MINUTE }
    }
}

impl Thresholds {
    /// The threshold of `kind`.
    pub fn of(&self, kind: AlertKind) -> Micros {
        match kind {
            AlertKind::NoPosition => self.no_position,
            AlertKind::BehindPlan => self.behind_plan,
        }
    }
}

/// A flight being followed: an accepted tasking not yet handed over.
#[derive(Debug, Clone, Copy)]
pub struct Flight<'a> {
    /// The tasking flown.
    pub tasking_id: &'a str,
    /// Its milestones.
    pub schedule: &'a Schedule,
    /// When its last position was measured, if any came.
    pub last_position_at: Option<Micros>,
}

/// An alert condition that holds at a moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The tasking flown.
    pub tasking_id: String,
    /// What it is about.
    pub kind: AlertKind,
    /// For behind plan, the milestone that is late.
    pub milestone: Option<Milestone>,
    /// Time without a position, or delay against the plan.
    pub lag: Micros,
    /// The threshold crossed.
    pub threshold: Micros,
}

/// How long an airborne flight has been silent at `now`; `None` when it is not airborne.
pub fn silence(flight: &Flight<'_>, now: Micros) -> Option<Micros> {
    let airborne_since = flight.schedule.airborne_since()?;
    let heard = flight.last_position_at.map_or(airborne_since, |at| at.max(airborne_since));
    Some((now - heard).max(0))
}

/// How far the next milestone is (expected to be) behind its plan at `now`, with the
/// milestone; `None` when every milestone is reached.
pub fn delay(schedule: &Schedule, now: Micros) -> Option<(Milestone, Micros)> {
    let next = schedule.next()?;
    Some((next.milestone, (now.max(next.due_at()) - next.planned_at).max(0)))
}

/// The alert conditions that hold for `flight` at `now`.
pub fn conditions(flight: &Flight<'_>, now: Micros, thresholds: &Thresholds) -> Vec<Condition> {
    let mut found = Vec::new();
    if let Some(lag) = silence(flight, now)
        && lag > thresholds.no_position
    {
        found.push(Condition {
            tasking_id: flight.tasking_id.to_string(),
            kind: AlertKind::NoPosition,
            milestone: None,
            lag,
            threshold: thresholds.no_position,
        });
    }
    if let Some((milestone, lag)) = delay(flight.schedule, now)
        && lag > thresholds.behind_plan
    {
        found.push(Condition {
            tasking_id: flight.tasking_id.to_string(),
            kind: AlertKind::BehindPlan,
            milestone: Some(milestone),
            lag,
            threshold: thresholds.behind_plan,
        });
    }
    found
}

/// An alert raised and not yet cleared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveAlert {
    /// The tasking flown.
    pub tasking_id: String,
    /// What it is about.
    pub kind: AlertKind,
    /// For behind plan, the milestone that was late.
    pub milestone: Option<Milestone>,
}

/// What following the flights at a moment changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertChange {
    /// A condition began.
    Raise(Condition),
    /// An alert's condition ended.
    Clear {
        /// The alert.
        alert: ActiveAlert,
        /// The lag of its kind now (0 when the flight is no longer followed or not airborne).
        lag: Micros,
        /// Its threshold.
        threshold: Micros,
    },
}

/// The alerts to clear and to raise at `now`, given those `active` and the `flights` being
/// followed: clears first (in the order of `active`), then raises (in the order of
/// `flights`). Active alerts of flights no longer followed are cleared.
pub fn reconcile(
    active: &[ActiveAlert],
    flights: &[Flight<'_>],
    now: Micros,
    thresholds: &Thresholds,
) -> Vec<AlertChange> {
    let holding: Vec<Condition> = flights.iter().flat_map(|f| conditions(f, now, thresholds)).collect();
    let same =
        |a: &ActiveAlert, c: &Condition| a.tasking_id == c.tasking_id && a.kind == c.kind && a.milestone == c.milestone;
    let mut changes = Vec::new();
    for alert in active {
        if holding.iter().any(|c| same(alert, c)) {
            continue;
        }
        let flight = flights.iter().find(|f| f.tasking_id == alert.tasking_id);
        let lag = match (alert.kind, flight) {
            (_, None) => 0,
            (AlertKind::NoPosition, Some(f)) => silence(f, now).unwrap_or(0),
            (AlertKind::BehindPlan, Some(f)) => delay(f.schedule, now).map_or(0, |(_, lag)| lag),
        };
        changes.push(AlertChange::Clear { alert: alert.clone(), lag, threshold: thresholds.of(alert.kind) });
    }
    for condition in holding {
        if !active.iter().any(|a| same(a, &condition)) {
            changes.push(AlertChange::Raise(condition));
        }
    }
    changes
}

impl AlertChange {
    /// The alert as it stands after the change, for the caller's table of active alerts.
    pub fn alert(&self) -> ActiveAlert {
        match self {
            AlertChange::Raise(c) => {
                ActiveAlert { tasking_id: c.tasking_id.clone(), kind: c.kind, milestone: c.milestone }
            }
            AlertChange::Clear { alert, .. } => alert.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::medevac::flight::Plan;

    const LOADING: Micros = 30 * MINUTE;
    const HANDOVER: Micros = 30 * MINUTE;

    /// A controlled clock: minutes from the committed departure at 10:00 (in µs since the
    /// epoch, any origin works).
    const T0: Micros = 1_795_000_000_000_000;

    fn t(minutes: i64) -> Micros {
        T0 + minutes * MINUTE
    }

    /// A schedule with 60 minutes of positioning flight and 60 of patient flight, departing at
    /// `t(0)`; the leg times are set by hand so the arithmetic reads plainly.
    fn schedule() -> Schedule {
        let plan = Plan {
            readiness: 0,
            positioning: 60 * MINUTE,
            boarding: LOADING,
            patient_flight: 60 * MINUTE,
            handover: HANDOVER,
            time_to_patient: 0,
            time_to_destination: 0,
            flight_time: 120 * MINUTE,
            cost_tiyn: 0,
        };
        plan.schedule(t(0))
    }

    struct Follow {
        schedule: Schedule,
        last_position_at: Option<Micros>,
        active: Vec<ActiveAlert>,
    }

    impl Follow {
        fn new() -> Follow {
            Follow { schedule: schedule(), last_position_at: None, active: Vec::new() }
        }

        /// Runs the evaluation at `now` and keeps the active table as the service would.
        fn tick(&mut self, now: Micros) -> Vec<AlertChange> {
            let flight = Flight { tasking_id: "t1", schedule: &self.schedule, last_position_at: self.last_position_at };
            let changes = reconcile(&self.active, &[flight], now, &Thresholds::default());
            for change in &changes {
                match change {
                    AlertChange::Raise(_) => self.active.push(change.alert()),
                    AlertChange::Clear { alert, .. } => self.active.retain(|a| a != alert),
                }
            }
            changes
        }
    }

    fn kinds(changes: &[AlertChange]) -> Vec<(&'static str, AlertKind, Option<Milestone>)> {
        changes
            .iter()
            .map(|c| match c {
                AlertChange::Raise(c) => ("raise", c.kind, c.milestone),
                AlertChange::Clear { alert, .. } => ("clear", alert.kind, alert.milestone),
            })
            .collect()
    }

    #[test]
    fn a_silent_airborne_aircraft_raises_no_position_after_the_threshold_and_clears_on_a_position() {
        let mut f = Follow::new();
        f.schedule.reach(Milestone::Departed, t(0), None).unwrap();
        f.last_position_at = Some(t(1));
        assert!(f.tick(t(11)).is_empty(), "exactly 10 minutes of silence is still within the threshold");
        let raised = f.tick(t(11) + 1);
        assert_eq!(kinds(&raised), [("raise", AlertKind::NoPosition, None)]);
        let AlertChange::Raise(condition) = &raised[0] else { panic!() };
        assert_eq!((condition.lag, condition.threshold), (10 * MINUTE + 1, 10 * MINUTE));
        assert!(f.tick(t(15)).is_empty(), "raised once, not on every tick");
        f.last_position_at = Some(t(15));
        let cleared = f.tick(t(16));
        assert_eq!(kinds(&cleared), [("clear", AlertKind::NoPosition, None)]);
        let AlertChange::Clear { lag, .. } = cleared[0] else { panic!() };
        assert_eq!(lag, MINUTE);
    }

    #[test]
    fn silence_counts_from_take_off_and_stops_on_the_ground() {
        let mut f = Follow::new();
        assert!(f.tick(t(5)).is_empty(), "not airborne before departure");
        // A position from before the flight (on the ground at base) does not count.
        f.last_position_at = Some(t(-30));
        f.schedule.reach(Milestone::Departed, t(2), None).unwrap();
        assert!(f.tick(t(12)).is_empty());
        assert_eq!(kinds(&f.tick(t(13))), [("raise", AlertKind::NoPosition, None)]);
        // Arrival at the pick-up point ends the airborne leg: the alert clears.
        f.schedule.reach(Milestone::AtOrigin, t(60), None).unwrap();
        assert_eq!(kinds(&f.tick(t(61))), [("clear", AlertKind::NoPosition, None)]);
        assert!(f.tick(t(89)).is_empty(), "on the ground at the pick-up point nothing is expected");
        // The patient flight is airborne again.
        f.schedule.reach(Milestone::PatientOnBoard, t(90), None).unwrap();
        assert!(f.tick(t(100)).is_empty());
        assert_eq!(kinds(&f.tick(t(100) + 1)), [("raise", AlertKind::NoPosition, None)]);
        f.schedule.reach(Milestone::Landed, t(150), None).unwrap();
        assert_eq!(kinds(&f.tick(t(151))), [("clear", AlertKind::NoPosition, None)]);
    }

    #[test]
    fn a_late_departure_is_behind_plan_after_the_threshold() {
        let mut f = Follow::new();
        assert!(f.tick(t(15)).is_empty(), "15 minutes late is within the threshold");
        let raised = f.tick(t(15) + 1);
        assert_eq!(kinds(&raised), [("raise", AlertKind::BehindPlan, Some(Milestone::Departed))]);
        // It departs 20 minutes late: the departure alert clears, and the arrival at the
        // pick-up point is now expected 20 minutes late, which is an alert of its own.
        f.schedule.reach(Milestone::Departed, t(20), None).unwrap();
        f.last_position_at = Some(t(20));
        assert_eq!(
            kinds(&f.tick(t(21))),
            [
                ("clear", AlertKind::BehindPlan, Some(Milestone::Departed)),
                ("raise", AlertKind::BehindPlan, Some(Milestone::AtOrigin)),
            ]
        );
        // The crew re-estimates within the threshold: cleared.
        let planned = f.schedule.entries[1].planned_at;
        f.schedule.re_estimate(planned + 10 * MINUTE).unwrap();
        f.last_position_at = Some(t(25));
        assert_eq!(kinds(&f.tick(t(26))), [("clear", AlertKind::BehindPlan, Some(Milestone::AtOrigin))]);
        // But the estimate is not kept: past the planned time plus the threshold it is late.
        f.last_position_at = Some(t(75));
        assert_eq!(kinds(&f.tick(t(75) + 1)), [("raise", AlertKind::BehindPlan, Some(Milestone::AtOrigin))]);
    }

    #[test]
    fn a_flight_on_plan_raises_nothing_through_to_hand_over() {
        let mut f = Follow::new();
        let mut now = t(0);
        for milestone in Milestone::ORDER {
            let due = f.schedule.next().unwrap().planned_at;
            while now < due {
                now += MINUTE;
                f.last_position_at = Some(now);
                assert!(f.tick(now).is_empty(), "{now}");
            }
            f.schedule.reach(milestone, due, None).unwrap();
        }
        assert_eq!(f.schedule.entries[4].planned_at, t(60) + LOADING + 60 * MINUTE + HANDOVER);
        assert!(f.tick(now + 1_000 * MINUTE).is_empty(), "a finished flight raises nothing");
    }

    #[test]
    fn flights_no_longer_followed_clear_their_alerts() {
        let mut f = Follow::new();
        f.tick(t(40));
        assert_eq!(f.active.len(), 1);
        let changes = reconcile(&f.active, &[], t(41), &Thresholds::default());
        assert_eq!(changes, [AlertChange::Clear { alert: f.active[0].clone(), lag: 0, threshold: 15 * MINUTE }]);
    }

    #[test]
    fn both_alerts_can_hold_at_once() {
        let mut f = Follow::new();
        f.schedule.reach(Milestone::Departed, t(0), None).unwrap();
        let changes = f.tick(t(80));
        assert_eq!(
            kinds(&changes),
            [("raise", AlertKind::NoPosition, None), ("raise", AlertKind::BehindPlan, Some(Milestone::AtOrigin))]
        );
        let AlertChange::Raise(late) = &changes[1] else { panic!() };
        assert_eq!(late.lag, 20 * MINUTE);
    }
}
