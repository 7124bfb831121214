//! The lifecycle of an emergency call: its [`CallStatus`], the timeline of [`Milestone`]s
//! that moves it, and the rules for each transition. [`Lifecycle`] is the state machine;
//! every method takes the time as an argument and either records the transition or says
//! why it is not allowed, leaving the state untouched.
//!
//! Statuses move forward with dispatch milestones (steps may be skipped), never back, except
//! that releasing the last assigned unit returns a call to CATEGORISED. CLOSED, CANCELLED
//! and LINKED are terminal.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::category::{TeamKind, named_enum};
use crate::local_time::Micros;

named_enum! {
    /// Where a call is in its lifecycle. Declared in lifecycle order, so `Ord` compares
    /// progress.
    CallStatus {
        /// Registered, not yet categorised.
        Received = 1, "received";
        /// Category set; waiting for a unit.
        Categorised = 2, "categorised";
        /// A unit is assigned.
        Assigned = 3, "assigned";
        /// The assigned crew acknowledged the call.
        CrewNotified = 4, "crew_notified";
        /// A crew is on its way.
        EnRoute = 5, "en_route";
        /// A crew is at the scene.
        OnScene = 6, "on_scene";
        /// A crew has reached the patient.
        PatientContact = 7, "patient_contact";
        /// The patient is being taken to hospital.
        Transporting = 8, "transporting";
        /// The crew is at the destination hospital.
        AtHospital = 9, "at_hospital";
        /// The patient has been handed over to the hospital.
        Handover = 10, "handover";
        /// Terminal: finished with an outcome.
        Closed = 11, "closed";
        /// Terminal: ended without an outcome.
        Cancelled = 12, "cancelled";
        /// Terminal: folded into another open call as its duplicate or repeat.
        Linked = 13, "linked";
    }
}

impl CallStatus {
    /// Whether the call has ended (closed, cancelled or linked).
    pub fn is_terminal(self) -> bool {
        matches!(self, CallStatus::Closed | CallStatus::Cancelled | CallStatus::Linked)
    }

    /// Whether the call is still being worked.
    pub fn is_open(self) -> bool {
        !self.is_terminal()
    }

    /// The open statuses.
    pub const OPEN: [CallStatus; 10] = [
        CallStatus::Received,
        CallStatus::Categorised,
        CallStatus::Assigned,
        CallStatus::CrewNotified,
        CallStatus::EnRoute,
        CallStatus::OnScene,
        CallStatus::PatientContact,
        CallStatus::Transporting,
        CallStatus::AtHospital,
        CallStatus::Handover,
    ];
}

named_enum! {
    /// A transition or milestone on a call's timeline; each can start or stop a response clock.
    Milestone {
        /// The call reached 103.
        Received = 1, "received";
        /// A category was set, by the protocol or by override.
        Categorised = 2, "categorised";
        /// The dispatcher was first shown a unit recommendation.
        Recommended = 3, "recommended";
        /// A unit was assigned.
        Assigned = 4, "assigned";
        /// The crew acknowledged the call.
        CrewNotified = 5, "crew_notified";
        /// The crew departed.
        Departed = 6, "departed";
        /// The crew arrived at the scene.
        OnScene = 7, "on_scene";
        /// The crew reached the patient.
        PatientContact = 8, "patient_contact";
        /// The crew left for hospital with the patient.
        Transporting = 9, "transporting";
        /// The crew arrived at the destination hospital.
        AtHospital = 10, "at_hospital";
        /// The patient was handed over to the hospital.
        Handover = 11, "handover";
        /// A unit was released from the call.
        UnitReleased = 12, "unit_released";
        /// The call was linked to another as its duplicate or repeat.
        Linked = 13, "linked";
        /// The call was closed with an outcome.
        Closed = 14, "closed";
        /// The call was cancelled.
        Cancelled = 15, "cancelled";
    }
}

impl Milestone {
    /// The milestones dispatch and crews report (RecordProgress); the others have their own
    /// transitions.
    pub const PROGRESS: [Milestone; 10] = [
        Milestone::Recommended,
        Milestone::Assigned,
        Milestone::CrewNotified,
        Milestone::Departed,
        Milestone::OnScene,
        Milestone::PatientContact,
        Milestone::Transporting,
        Milestone::AtHospital,
        Milestone::Handover,
        Milestone::UnitReleased,
    ];

    /// The status a call reaches with this progress milestone, if it moves the status.
    pub fn status(self) -> Option<CallStatus> {
        Some(match self {
            Milestone::Assigned => CallStatus::Assigned,
            Milestone::CrewNotified => CallStatus::CrewNotified,
            Milestone::Departed => CallStatus::EnRoute,
            Milestone::OnScene => CallStatus::OnScene,
            Milestone::PatientContact => CallStatus::PatientContact,
            Milestone::Transporting => CallStatus::Transporting,
            Milestone::AtHospital => CallStatus::AtHospital,
            Milestone::Handover => CallStatus::Handover,
            _ => return None,
        })
    }
}

named_enum! {
    /// Main medical result of a closed call.
    OutcomeKind {
        /// Treated on scene and left at home.
        TreatedOnScene = 1, "treated_on_scene";
        /// Taken to and admitted by a hospital.
        Hospitalised = 2, "hospitalised";
        /// The patient refused care or transport.
        Refused = 3, "refused";
        /// The patient died.
        Death = 4, "death";
        /// Handed to primary health care for follow-up.
        HandedToPhc = 5, "handed_to_phc";
    }
}

impl OutcomeKind {
    /// How far the call must have got (at some point) for this outcome to be recorded.
    pub fn needs(self) -> CallStatus {
        match self {
            OutcomeKind::TreatedOnScene | OutcomeKind::Refused | OutcomeKind::Death => CallStatus::OnScene,
            OutcomeKind::Hospitalised => CallStatus::AtHospital,
            OutcomeKind::HandedToPhc => CallStatus::Received,
        }
    }
}

/// Who did something: a token subject and role. Never patient data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// Token subject.
    pub subject: String,
    /// Role name, e.g. `dispatcher`.
    pub role: String,
}

/// A unit concerned by a dispatch milestone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRef {
    /// Unit id (registry).
    pub unit_id: String,
    /// Kind of the unit; decides whether its arrival stops a response clock.
    pub team_kind: TeamKind,
}

/// One entry of a call's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// What happened.
    pub milestone: Milestone,
    /// When it happened (as reported).
    pub occurred_at: Micros,
    /// When it was recorded.
    pub recorded_at: Micros,
    /// Who recorded it.
    pub actor: Actor,
    /// Unit concerned, for dispatch milestones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<UnitRef>,
}

/// A dispatch milestone as reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// One of [`Milestone::PROGRESS`].
    pub milestone: Milestone,
    /// The unit; required except for RECOMMENDED.
    pub unit: Option<UnitRef>,
    /// When it happened.
    pub occurred_at: Micros,
    /// Who reports it.
    pub actor: Actor,
}

/// What recording a milestone did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// Added to the timeline (the status may have moved).
    Added,
    /// The same milestone, unit and time were recorded before; nothing changed.
    AlreadyRecorded,
}

/// Why a transition is refused. [`TransitionError::is_bad_input`] tells the input mistakes
/// (the request itself is wrong) from the state conflicts (illegal in the call's state).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The call has ended.
    #[error("the call is {0}; it can no longer change")]
    Terminal(CallStatus),
    /// Dispatch milestones need a category first.
    #[error("the call has no category yet; categorise it first")]
    NotCategorised,
    /// Only calls without a unit can be linked.
    #[error("only a call without a unit (received or categorised) can be linked; this one is {0}")]
    HasUnit(CallStatus),
    /// The milestone is about a unit that is not assigned to the call.
    #[error("unit {0} is not assigned to this call")]
    UnitNotAssigned(String),
    /// The unit is assigned already.
    #[error("unit {0} is already assigned to this call")]
    UnitAlreadyAssigned(String),
    /// The outcome needs the call further along.
    #[error("closing as {outcome} needs the call {needs} or later; it has reached {reached}")]
    NotFarEnough {
        /// The outcome asked for.
        outcome: OutcomeKind,
        /// The status it needs.
        needs: CallStatus,
        /// The furthest status the call has reached.
        reached: CallStatus,
    },
    /// Not a milestone RecordProgress may record.
    #[error("{0} is not a dispatch milestone; use its own request")]
    NotAProgressMilestone(Milestone),
    /// A unit is needed for this milestone.
    #[error("is required for {0}")]
    UnitRequired(Milestone),
    /// The unit's kind differs from the kind it was assigned as.
    #[error("unit {unit_id} was assigned as {assigned_as}")]
    TeamKindMismatch {
        /// The unit.
        unit_id: String,
        /// The kind it was assigned as.
        assigned_as: TeamKind,
    },
    /// The milestone is reported for a time that has not come.
    #[error("is in the future")]
    InFuture,
    /// The milestone is reported for a time before the call was received.
    #[error("is before the call was received")]
    BeforeReceived,
}

impl TransitionError {
    /// The request field at fault when the request itself is wrong; `None` when the request
    /// is well formed but the call's state does not allow it (FailedPrecondition).
    pub fn bad_field(&self) -> Option<&'static str> {
        match self {
            TransitionError::NotAProgressMilestone(_) => Some("milestone"),
            TransitionError::UnitRequired(_) => Some("unit_id"),
            TransitionError::TeamKindMismatch { .. } => Some("team_kind"),
            TransitionError::InFuture | TransitionError::BeforeReceived => Some("occurred_at"),
            _ => None,
        }
    }

    /// Whether the request itself is wrong (InvalidArgument) rather than illegal in this state.
    pub fn is_bad_input(&self) -> bool {
        self.bad_field().is_some()
    }
}

/// A call's status and timeline: the state machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lifecycle {
    /// Current status.
    pub status: CallStatus,
    /// Every transition, in the order recorded.
    pub timeline: Vec<TimelineEntry>,
}

impl Lifecycle {
    /// A call received at `received_at`, registered at `recorded_at`.
    pub fn received(received_at: Micros, recorded_at: Micros, actor: Actor) -> Lifecycle {
        Lifecycle {
            status: CallStatus::Received,
            timeline: vec![TimelineEntry {
                milestone: Milestone::Received,
                occurred_at: received_at,
                recorded_at,
                actor,
                unit: None,
            }],
        }
    }

    /// When the call was received.
    pub fn received_at(&self) -> Micros {
        self.first(Milestone::Received).unwrap_or_default()
    }

    /// When `milestone` first happened, if it has.
    pub fn first(&self, milestone: Milestone) -> Option<Micros> {
        self.timeline.iter().filter(|e| e.milestone == milestone).map(|e| e.occurred_at).min()
    }

    fn require_open(&self) -> Result<(), TransitionError> {
        if self.status.is_terminal() { Err(TransitionError::Terminal(self.status)) } else { Ok(()) }
    }

    fn push(&mut self, milestone: Milestone, occurred_at: Micros, recorded_at: Micros, actor: Actor) {
        self.timeline.push(TimelineEntry { milestone, occurred_at, recorded_at, actor, unit: None });
    }

    /// A category was set (by the protocol or an override) at `at`. Allowed while open; a
    /// received call becomes categorised, others keep their status.
    pub fn categorise(&mut self, at: Micros, actor: Actor) -> Result<(), TransitionError> {
        self.require_open()?;
        self.push(Milestone::Categorised, at, at, actor);
        if self.status == CallStatus::Received {
            self.status = CallStatus::Categorised;
        }
        Ok(())
    }

    /// Units assigned to the call and not released, with the kind each was assigned as.
    pub fn assigned_units(&self) -> Vec<UnitRef> {
        let mut units: Vec<UnitRef> = Vec::new();
        for entry in &self.timeline {
            match (&entry.milestone, &entry.unit) {
                (Milestone::Assigned, Some(unit)) => units.push(unit.clone()),
                (Milestone::UnitReleased, Some(unit)) => units.retain(|u| u.unit_id != unit.unit_id),
                _ => {}
            }
        }
        units
    }

    /// The furthest status the call has ever reached (a call back at CATEGORISED after its
    /// unit was released may still have been on scene).
    pub fn furthest_reached(&self) -> CallStatus {
        let reached = self.timeline.iter().filter_map(|e| e.milestone.status()).max();
        reached.map_or(self.status, |r| r.max(self.status.min(CallStatus::Handover)))
    }

    /// Records a dispatch milestone reported at `now`. RECOMMENDED only marks the timeline;
    /// ASSIGNED adds a unit; later milestones need their unit assigned; UNIT_RELEASED removes
    /// it and, when it was the last, returns the call to CATEGORISED. The status never moves
    /// back otherwise. The same milestone, unit and time again is a no-op.
    pub fn record(&mut self, progress: Progress, now: Micros) -> Result<Recorded, TransitionError> {
        let milestone = progress.milestone;
        if !Milestone::PROGRESS.contains(&milestone) {
            return Err(TransitionError::NotAProgressMilestone(milestone));
        }
        if progress.unit.is_none() && milestone != Milestone::Recommended {
            return Err(TransitionError::UnitRequired(milestone));
        }
        if progress.occurred_at > now {
            return Err(TransitionError::InFuture);
        }
        if progress.occurred_at < self.received_at() {
            return Err(TransitionError::BeforeReceived);
        }
        self.require_open()?;
        if self.status == CallStatus::Received {
            return Err(TransitionError::NotCategorised);
        }
        let same = |e: &TimelineEntry| {
            e.milestone == milestone
                && e.occurred_at == progress.occurred_at
                && e.unit.as_ref().map(|u| &u.unit_id) == progress.unit.as_ref().map(|u| &u.unit_id)
        };
        if self.timeline.iter().any(same) {
            return Ok(Recorded::AlreadyRecorded);
        }
        let assigned = self.assigned_units();
        if let Some(unit) = &progress.unit {
            let current = assigned.iter().find(|u| u.unit_id == unit.unit_id);
            match (milestone, current) {
                (Milestone::Assigned, Some(_)) => {
                    return Err(TransitionError::UnitAlreadyAssigned(unit.unit_id.clone()));
                }
                (Milestone::Assigned | Milestone::Recommended, _) => {}
                (_, None) => return Err(TransitionError::UnitNotAssigned(unit.unit_id.clone())),
                (_, Some(current)) if current.team_kind != unit.team_kind => {
                    return Err(TransitionError::TeamKindMismatch {
                        unit_id: unit.unit_id.clone(),
                        assigned_as: current.team_kind,
                    });
                }
                _ => {}
            }
        }
        self.timeline.push(TimelineEntry {
            milestone,
            occurred_at: progress.occurred_at,
            recorded_at: now,
            actor: progress.actor,
            unit: progress.unit,
        });
        if milestone == Milestone::UnitReleased {
            if self.assigned_units().is_empty() {
                self.status = CallStatus::Categorised;
            }
        } else if let Some(status) = milestone.status() {
            self.status = self.status.max(status);
        }
        Ok(Recorded::Added)
    }

    /// Folds the call into another as its duplicate or repeat. Only before a unit is assigned.
    pub fn link(&mut self, at: Micros, actor: Actor) -> Result<(), TransitionError> {
        self.require_open()?;
        if !matches!(self.status, CallStatus::Received | CallStatus::Categorised) {
            return Err(TransitionError::HasUnit(self.status));
        }
        self.push(Milestone::Linked, at, at, actor);
        self.status = CallStatus::Linked;
        Ok(())
    }

    /// Ends the call without an outcome; allowed from any open status.
    pub fn cancel(&mut self, at: Micros, actor: Actor) -> Result<(), TransitionError> {
        self.require_open()?;
        self.push(Milestone::Cancelled, at, at, actor);
        self.status = CallStatus::Cancelled;
        Ok(())
    }

    /// Ends the call with an outcome of `kind`, which needs the call to have got far enough.
    pub fn close(&mut self, kind: OutcomeKind, at: Micros, actor: Actor) -> Result<(), TransitionError> {
        self.require_open()?;
        let reached = self.furthest_reached();
        if reached < kind.needs() {
            return Err(TransitionError::NotFarEnough { outcome: kind, needs: kind.needs(), reached });
        }
        self.push(Milestone::Closed, at, at, actor);
        self.status = CallStatus::Closed;
        Ok(())
    }
}

impl fmt::Display for UnitRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.unit_id, self.team_kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Micros = 60_000_000;

    fn actor() -> Actor {
        Actor { subject: "aigerim".into(), role: "dispatcher".into() }
    }

    fn unit(id: &str, kind: TeamKind) -> Option<UnitRef> {
        Some(UnitRef { unit_id: id.into(), team_kind: kind })
    }

    fn progress(milestone: Milestone, u: Option<UnitRef>, at: Micros) -> Progress {
        Progress { milestone, unit: u, occurred_at: at, actor: actor() }
    }

    fn categorised() -> Lifecycle {
        let mut call = Lifecycle::received(0, 0, actor());
        call.categorise(MIN, actor()).unwrap();
        call
    }

    #[test]
    fn a_call_goes_from_received_to_closed_with_every_step_timestamped() {
        let mut call = Lifecycle::received(0, 5, actor());
        assert_eq!(call.status, CallStatus::Received);
        call.categorise(MIN, actor()).unwrap();
        assert_eq!(call.status, CallStatus::Categorised);
        let b = unit("B-12", TeamKind::Feldsher);
        let steps = [
            (Milestone::Recommended, None, CallStatus::Categorised),
            (Milestone::Assigned, b.clone(), CallStatus::Assigned),
            (Milestone::CrewNotified, b.clone(), CallStatus::CrewNotified),
            (Milestone::Departed, b.clone(), CallStatus::EnRoute),
            (Milestone::OnScene, b.clone(), CallStatus::OnScene),
            (Milestone::PatientContact, b.clone(), CallStatus::PatientContact),
            (Milestone::Transporting, b.clone(), CallStatus::Transporting),
            (Milestone::AtHospital, b.clone(), CallStatus::AtHospital),
            (Milestone::Handover, b.clone(), CallStatus::Handover),
        ];
        for (i, (milestone, u, status)) in steps.into_iter().enumerate() {
            let at = (2 + i as i64) * MIN;
            assert_eq!(call.record(progress(milestone, u, at), at + 1), Ok(Recorded::Added), "{milestone}");
            assert_eq!(call.status, status, "after {milestone}");
        }
        call.close(OutcomeKind::Hospitalised, 20 * MIN, actor()).unwrap();
        assert_eq!(call.status, CallStatus::Closed);
        let milestones: Vec<Milestone> = call.timeline.iter().map(|e| e.milestone).collect();
        assert_eq!(milestones.len(), 12);
        assert_eq!(milestones[0], Milestone::Received);
        assert_eq!(milestones[11], Milestone::Closed);
        assert_eq!(call.timeline[0].recorded_at, 5);
        assert_eq!(call.first(Milestone::OnScene), Some(6 * MIN));
    }

    #[test]
    fn terminal_calls_refuse_every_transition() {
        let mut closed = categorised();
        closed.record(progress(Milestone::Assigned, unit("B", TeamKind::Physician), 2 * MIN), 3 * MIN).unwrap();
        closed.record(progress(Milestone::OnScene, unit("B", TeamKind::Physician), 3 * MIN), 3 * MIN).unwrap();
        closed.close(OutcomeKind::TreatedOnScene, 4 * MIN, actor()).unwrap();
        let mut cancelled = categorised();
        cancelled.cancel(2 * MIN, actor()).unwrap();
        let mut linked = Lifecycle::received(0, 0, actor());
        linked.link(MIN, actor()).unwrap();
        for (call, status) in
            [(closed, CallStatus::Closed), (cancelled, CallStatus::Cancelled), (linked, CallStatus::Linked)]
        {
            let before = call.clone();
            let terminal = Err(TransitionError::Terminal(status));
            assert_eq!(call.clone().categorise(9 * MIN, actor()), terminal);
            assert_eq!(call.clone().cancel(9 * MIN, actor()), terminal);
            assert_eq!(call.clone().link(9 * MIN, actor()), terminal);
            assert_eq!(call.clone().close(OutcomeKind::HandedToPhc, 9 * MIN, actor()), terminal);
            assert_eq!(
                call.clone().record(progress(Milestone::Recommended, None, 9 * MIN), 9 * MIN).map(|_| ()),
                terminal
            );
            assert_eq!(call, before);
        }
    }

    #[test]
    fn dispatch_milestones_need_a_category_and_an_assigned_unit() {
        let mut received = Lifecycle::received(0, 0, actor());
        assert_eq!(
            received.record(progress(Milestone::Assigned, unit("B", TeamKind::Physician), MIN), MIN),
            Err(TransitionError::NotCategorised)
        );
        let mut call = categorised();
        assert_eq!(
            call.record(progress(Milestone::OnScene, unit("B", TeamKind::Physician), 2 * MIN), 2 * MIN),
            Err(TransitionError::UnitNotAssigned("B".into()))
        );
        call.record(progress(Milestone::Assigned, unit("B", TeamKind::Physician), 2 * MIN), 2 * MIN).unwrap();
        assert_eq!(
            call.record(progress(Milestone::Assigned, unit("B", TeamKind::Physician), 3 * MIN), 3 * MIN),
            Err(TransitionError::UnitAlreadyAssigned("B".into()))
        );
        let mismatch = call.record(progress(Milestone::OnScene, unit("B", TeamKind::Feldsher), 3 * MIN), 3 * MIN);
        assert_eq!(
            mismatch,
            Err(TransitionError::TeamKindMismatch { unit_id: "B".into(), assigned_as: TeamKind::Physician })
        );
        assert_eq!(mismatch.unwrap_err().bad_field(), Some("team_kind"));
        assert_eq!(
            call.record(progress(Milestone::Departed, None, 3 * MIN), 3 * MIN),
            Err(TransitionError::UnitRequired(Milestone::Departed))
        );
        assert_eq!(
            call.record(progress(Milestone::Closed, unit("B", TeamKind::Physician), 3 * MIN), 3 * MIN),
            Err(TransitionError::NotAProgressMilestone(Milestone::Closed))
        );
        assert_eq!(
            call.record(progress(Milestone::Departed, unit("B", TeamKind::Physician), 4 * MIN), 3 * MIN),
            Err(TransitionError::InFuture)
        );
        assert_eq!(
            call.record(progress(Milestone::Departed, unit("B", TeamKind::Physician), -1), 3 * MIN),
            Err(TransitionError::BeforeReceived)
        );
    }

    #[test]
    fn steps_may_be_skipped_but_the_status_never_moves_back() {
        let mut call = categorised();
        let b = unit("B", TeamKind::Physician);
        call.record(progress(Milestone::Assigned, b.clone(), 2 * MIN), 2 * MIN).unwrap();
        call.record(progress(Milestone::OnScene, b.clone(), 9 * MIN), 9 * MIN).unwrap();
        assert_eq!(call.status, CallStatus::OnScene);
        // A late report of departure is kept on the timeline without moving the status back.
        call.record(progress(Milestone::Departed, b.clone(), 3 * MIN), 10 * MIN).unwrap();
        assert_eq!(call.status, CallStatus::OnScene);
        assert_eq!(call.timeline.last().unwrap().recorded_at, 10 * MIN);
    }

    #[test]
    fn releasing_the_last_unit_returns_the_call_to_categorised() {
        let mut call = categorised();
        let (a, b) = (unit("A", TeamKind::Feldsher), unit("B", TeamKind::Resuscitation));
        call.record(progress(Milestone::Assigned, a.clone(), 2 * MIN), 2 * MIN).unwrap();
        call.record(progress(Milestone::Assigned, b.clone(), 2 * MIN), 2 * MIN).unwrap();
        call.record(progress(Milestone::Departed, a.clone(), 3 * MIN), 3 * MIN).unwrap();
        call.record(progress(Milestone::UnitReleased, a.clone(), 4 * MIN), 4 * MIN).unwrap();
        assert_eq!(call.status, CallStatus::EnRoute, "B is still assigned");
        assert_eq!(call.assigned_units(), vec![b.clone().unwrap()]);
        call.record(progress(Milestone::UnitReleased, b.clone(), 5 * MIN), 5 * MIN).unwrap();
        assert_eq!(call.status, CallStatus::Categorised);
        assert_eq!(
            call.record(progress(Milestone::UnitReleased, b.clone(), 6 * MIN), 6 * MIN),
            Err(TransitionError::UnitNotAssigned("B".into()))
        );
        // A unit may be assigned again after its release.
        call.record(progress(Milestone::Assigned, a, 7 * MIN), 7 * MIN).unwrap();
        assert_eq!(call.status, CallStatus::Assigned);
    }

    #[test]
    fn the_same_report_twice_changes_nothing() {
        let mut call = categorised();
        let b = unit("B", TeamKind::Physician);
        call.record(progress(Milestone::Assigned, b.clone(), 2 * MIN), 2 * MIN).unwrap();
        let before = call.clone();
        assert_eq!(call.record(progress(Milestone::Assigned, b, 2 * MIN), 3 * MIN), Ok(Recorded::AlreadyRecorded));
        assert_eq!(call, before);
    }

    #[test]
    fn closing_needs_the_call_far_enough_for_the_outcome() {
        let b = unit("B", TeamKind::Physician);
        let mut call = categorised();
        assert_eq!(
            call.clone().close(OutcomeKind::TreatedOnScene, 2 * MIN, actor()),
            Err(TransitionError::NotFarEnough {
                outcome: OutcomeKind::TreatedOnScene,
                needs: CallStatus::OnScene,
                reached: CallStatus::Categorised
            })
        );
        assert!(call.clone().close(OutcomeKind::HandedToPhc, 2 * MIN, actor()).is_ok(), "from any open status");
        call.record(progress(Milestone::Assigned, b.clone(), 2 * MIN), 2 * MIN).unwrap();
        call.record(progress(Milestone::OnScene, b.clone(), 3 * MIN), 3 * MIN).unwrap();
        let error = call.clone().close(OutcomeKind::Hospitalised, 4 * MIN, actor()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "closing as hospitalised needs the call at_hospital or later; it has reached on_scene"
        );
        assert!(!error.is_bad_input());
        // Released after the crew was on scene: refusal can still be recorded.
        call.record(progress(Milestone::UnitReleased, b, 4 * MIN), 4 * MIN).unwrap();
        assert_eq!(call.status, CallStatus::Categorised);
        assert_eq!(call.furthest_reached(), CallStatus::OnScene);
        for kind in [OutcomeKind::Refused, OutcomeKind::Death, OutcomeKind::TreatedOnScene] {
            assert!(call.clone().close(kind, 5 * MIN, actor()).is_ok(), "{kind}");
        }
    }

    #[test]
    fn only_calls_without_a_unit_can_be_linked() {
        let mut received = Lifecycle::received(0, 0, actor());
        received.link(MIN, actor()).unwrap();
        assert_eq!(received.status, CallStatus::Linked);
        let mut call = categorised();
        call.record(progress(Milestone::Assigned, unit("B", TeamKind::Physician), 2 * MIN), 2 * MIN).unwrap();
        assert_eq!(call.link(3 * MIN, actor()), Err(TransitionError::HasUnit(CallStatus::Assigned)));
        assert!(categorised().link(3 * MIN, actor()).is_ok());
    }

    #[test]
    fn recategorising_keeps_a_dispatched_status() {
        let mut call = categorised();
        call.record(progress(Milestone::Assigned, unit("B", TeamKind::Physician), 2 * MIN), 2 * MIN).unwrap();
        call.categorise(3 * MIN, actor()).unwrap();
        assert_eq!(call.status, CallStatus::Assigned);
        assert_eq!(call.timeline.iter().filter(|e| e.milestone == Milestone::Categorised).count(), 2);
    }
}
