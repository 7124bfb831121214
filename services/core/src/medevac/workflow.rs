//! The workflow of a medevac request: its [`RequestStatus`], the [`Step`]s people take, the
//! table of which step is legal from which status, and the history of every change with the
//! time spent in the status it left — the source of time-in-step reports.
//!
//! ```text
//! draft → submitted → under review → approved → aircraft chosen → airline tasked → accepted
//!            ↑             ├→ returned for information (→ submitted again)      ↓ (declined → choose again)
//!            └─────────────┘└→ rejected                         crew assigned → departed → at origin
//!                   → patient on board → landed → handed over → completed
//! ```
//!
//! Any open status can be cancelled. REJECTED, COMPLETED and CANCELLED are final. Every
//! method takes the time as an argument and either records the change or says why it is not
//! allowed, leaving the workflow untouched.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::call::Actor;
use crate::category::named_enum;
use crate::local_time::Micros;
use crate::medevac::vocabulary::Milestone;

named_enum! {
    /// A step of the request workflow. Numbers are the API's `RequestStatus`.
    RequestStatus {
        /// Being written by the coordinator; not visible to the national centre.
        Draft = 1, "draft";
        /// Sent to the national centre, waiting for review.
        Submitted = 2, "submitted";
        /// A medevac dispatcher is reviewing it.
        UnderReview = 3, "under_review";
        /// Approved; an aircraft is to be chosen.
        Approved = 4, "approved";
        /// Sent back to the coordinator for more information.
        ReturnedForInformation = 5, "returned_for_information";
        /// Refused; final.
        Rejected = 6, "rejected";
        /// An aircraft is chosen; the airline is not told yet.
        AircraftChosen = 7, "aircraft_chosen";
        /// Offered to the airline, waiting for its answer.
        AirlineTasked = 8, "airline_tasked";
        /// The airline accepted.
        Accepted = 9, "accepted";
        /// The airline declined; another aircraft is to be chosen.
        Declined = 10, "declined";
        /// The crew is named.
        CrewAssigned = 11, "crew_assigned";
        /// The aircraft took off from its base.
        Departed = 12, "departed";
        /// The aircraft is at the pick-up airfield or site.
        AtOrigin = 13, "at_origin";
        /// The patient (or team, or cargo) is on board.
        PatientOnBoard = 14, "patient_on_board";
        /// Landed at the destination.
        Landed = 15, "landed";
        /// Handed over to the receiving facility.
        HandedOver = 16, "handed_over";
        /// Closed after hand-over; final.
        Completed = 17, "completed";
        /// Cancelled with a reason; final.
        Cancelled = 18, "cancelled";
    }
}

impl RequestStatus {
    /// Whether the request has ended (rejected, completed or cancelled).
    pub fn is_terminal(self) -> bool {
        matches!(self, RequestStatus::Rejected | RequestStatus::Completed | RequestStatus::Cancelled)
    }

    /// Whether the request is still being worked.
    pub fn is_open(self) -> bool {
        !self.is_terminal()
    }

    /// Whether the coordinator may still edit the details.
    pub fn is_editable(self) -> bool {
        matches!(self, RequestStatus::Draft | RequestStatus::ReturnedForInformation)
    }

    /// The status a flight milestone moves the request to.
    pub fn of_milestone(milestone: Milestone) -> RequestStatus {
        match milestone {
            Milestone::Departed => RequestStatus::Departed,
            Milestone::AtOrigin => RequestStatus::AtOrigin,
            Milestone::PatientOnBoard => RequestStatus::PatientOnBoard,
            Milestone::Landed => RequestStatus::Landed,
            Milestone::HandedOver => RequestStatus::HandedOver,
        }
    }
}

/// Something a person does to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// The coordinator sends the request to the national centre.
    Submit,
    /// A medevac dispatcher takes it for review.
    StartReview,
    /// The flight is medically justified.
    Approve,
    /// The coordinator must complete it.
    Return,
    /// Refused.
    Reject,
    /// An aircraft is chosen from the ranked options (again, to replace an open tasking).
    ChooseAircraft,
    /// The chosen aircraft's airline is offered the tasking.
    TaskAirline,
    /// The airline accepts.
    Accept,
    /// The airline declines.
    Decline,
    /// The crew is named (or renamed).
    AssignCrew,
    /// A flight milestone is reached.
    Reach(Milestone),
    /// Closed after hand-over.
    Complete,
    /// Stopped for good.
    Cancel,
}

impl Step {
    /// Every step, for exhaustive checks.
    pub const ALL: [Step; 17] = [
        Step::Submit,
        Step::StartReview,
        Step::Approve,
        Step::Return,
        Step::Reject,
        Step::ChooseAircraft,
        Step::TaskAirline,
        Step::Accept,
        Step::Decline,
        Step::AssignCrew,
        Step::Reach(Milestone::Departed),
        Step::Reach(Milestone::AtOrigin),
        Step::Reach(Milestone::PatientOnBoard),
        Step::Reach(Milestone::Landed),
        Step::Reach(Milestone::HandedOver),
        Step::Complete,
        Step::Cancel,
    ];

    /// Whether the step always needs a reason from the person taking it.
    pub fn needs_reason(self) -> bool {
        matches!(self, Step::Return | Step::Reject | Step::Decline | Step::Cancel)
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Submit => f.write_str("submit"),
            Step::StartReview => f.write_str("start the review of"),
            Step::Approve => f.write_str("approve"),
            Step::Return => f.write_str("return"),
            Step::Reject => f.write_str("reject"),
            Step::ChooseAircraft => f.write_str("choose an aircraft for"),
            Step::TaskAirline => f.write_str("task the airline of"),
            Step::Accept => f.write_str("accept"),
            Step::Decline => f.write_str("decline"),
            Step::AssignCrew => f.write_str("assign a crew to"),
            Step::Reach(milestone) => write!(f, "report {milestone} for"),
            Step::Complete => f.write_str("complete"),
            Step::Cancel => f.write_str("cancel"),
        }
    }
}

/// The status `step` leads to from `from`, or `None` when the step is not legal there.
pub fn next_status(from: RequestStatus, step: Step) -> Option<RequestStatus> {
    use RequestStatus as S;
    Some(match (from, step) {
        (S::Draft | S::ReturnedForInformation, Step::Submit) => S::Submitted,
        (S::Submitted, Step::StartReview) => S::UnderReview,
        (S::UnderReview, Step::Approve) => S::Approved,
        (S::UnderReview, Step::Return) => S::ReturnedForInformation,
        (S::UnderReview, Step::Reject) => S::Rejected,
        (S::Approved | S::AircraftChosen | S::AirlineTasked | S::Declined, Step::ChooseAircraft) => S::AircraftChosen,
        (S::AircraftChosen, Step::TaskAirline) => S::AirlineTasked,
        (S::AirlineTasked, Step::Accept) => S::Accepted,
        (S::AirlineTasked, Step::Decline) => S::Declined,
        (S::Accepted | S::CrewAssigned, Step::AssignCrew) => S::CrewAssigned,
        (S::CrewAssigned, Step::Reach(Milestone::Departed)) => S::Departed,
        (S::Departed, Step::Reach(Milestone::AtOrigin)) => S::AtOrigin,
        (S::AtOrigin, Step::Reach(Milestone::PatientOnBoard)) => S::PatientOnBoard,
        (S::PatientOnBoard, Step::Reach(Milestone::Landed)) => S::Landed,
        (S::Landed, Step::Reach(Milestone::HandedOver)) => S::HandedOver,
        (S::HandedOver, Step::Complete) => S::Completed,
        (open, Step::Cancel) if open.is_open() => S::Cancelled,
        _ => return None,
    })
}

/// Whether choosing the aircraft with `option_rank` from `from` needs a reason: any option
/// but the top one, and any choice that replaces an open tasking.
pub fn choice_needs_reason(from: RequestStatus, option_rank: u32) -> bool {
    option_rank != 1 || matches!(from, RequestStatus::AircraftChosen | RequestStatus::AirlineTasked)
}

/// One change of a request's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    /// Status before; `None` for creation.
    pub from: Option<RequestStatus>,
    /// Status after.
    pub to: RequestStatus,
    /// When it happened (for milestones, as reported).
    pub occurred_at: Micros,
    /// When it was recorded.
    pub recorded_at: Micros,
    /// Who made it.
    pub actor: Actor,
    /// Why, when the step asks for a reason, or a remark.
    pub reason: String,
    /// Time spent in `from`: this change's `occurred_at` minus the previous one's.
    pub time_in_from: Micros,
}

/// Why a step is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    /// The request has ended.
    #[error("the request is {0}; it can no longer change")]
    Terminal(RequestStatus),
    /// The step is not legal from the current status.
    #[error("cannot {step} a request that is {from}")]
    Illegal {
        /// The step tried.
        step: Step,
        /// The current status.
        from: RequestStatus,
    },
    /// The step needs a reason and none was given.
    #[error("is required to {0} a request")]
    ReasonRequired(Step),
    /// The reported time is after the time it was recorded.
    #[error("is in the future")]
    InFuture,
    /// The reported time is before the previous change.
    #[error("is before the previous step of the request")]
    BeforePrevious,
}

impl WorkflowError {
    /// The request field at fault, when the error is about the input rather than the state.
    pub fn bad_field(&self) -> Option<&'static str> {
        match self {
            WorkflowError::ReasonRequired(_) => Some("reason"),
            WorkflowError::InFuture | WorkflowError::BeforePrevious => Some("occurred_at"),
            WorkflowError::Terminal(_) | WorkflowError::Illegal { .. } => None,
        }
    }
}

/// A request's status and the history that led to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workflow {
    /// Current status.
    pub status: RequestStatus,
    /// Every change, oldest first; the first is the creation.
    pub history: Vec<StatusChange>,
}

/// What a step records besides its status: when it happened and was recorded, who took it,
/// and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// When it happened; for reported milestones possibly before `recorded_at`.
    pub occurred_at: Micros,
    /// Now.
    pub recorded_at: Micros,
    /// Who.
    pub actor: Actor,
    /// Why; empty when none is given.
    pub reason: String,
}

impl Workflow {
    /// A new request in DRAFT, created at `now` by `actor`.
    pub fn created(now: Micros, actor: Actor) -> Workflow {
        let change = StatusChange {
            from: None,
            to: RequestStatus::Draft,
            occurred_at: now,
            recorded_at: now,
            actor,
            reason: String::new(),
            time_in_from: 0,
        };
        Workflow { status: RequestStatus::Draft, history: vec![change] }
    }

    /// When the current status was entered.
    pub fn entered_at(&self) -> Micros {
        self.history.last().map_or(0, |c| c.occurred_at)
    }

    /// The status `step` would lead to, or why it may not be taken.
    pub fn check(&self, step: Step) -> Result<RequestStatus, WorkflowError> {
        if self.status.is_terminal() {
            return Err(WorkflowError::Terminal(self.status));
        }
        next_status(self.status, step).ok_or(WorkflowError::Illegal { step, from: self.status })
    }

    /// Takes `step`: checks it is legal, that a reason is given where one is needed, and that
    /// the time is neither in the future nor before the previous change; then records it.
    /// A step that leaves the status as it is (a new crew) is not a change of status and adds
    /// nothing to the history, except choosing an aircraft again, which people follow.
    pub fn apply(&mut self, step: Step, transition: Transition) -> Result<RequestStatus, WorkflowError> {
        let to = self.check(step)?;
        let needs_reason = step.needs_reason()
            || (step == Step::ChooseAircraft
                && matches!(self.status, RequestStatus::AircraftChosen | RequestStatus::AirlineTasked));
        if needs_reason && transition.reason.trim().is_empty() {
            return Err(WorkflowError::ReasonRequired(step));
        }
        if transition.occurred_at > transition.recorded_at {
            return Err(WorkflowError::InFuture);
        }
        let previous = self.entered_at();
        if transition.occurred_at < previous {
            return Err(WorkflowError::BeforePrevious);
        }
        if to == self.status && step != Step::ChooseAircraft {
            return Ok(to);
        }
        self.history.push(StatusChange {
            from: Some(self.status),
            to,
            occurred_at: transition.occurred_at,
            recorded_at: transition.recorded_at,
            actor: transition.actor,
            reason: transition.reason,
            time_in_from: transition.occurred_at - previous,
        });
        self.status = to;
        Ok(to)
    }

    /// When the request first entered `status`, if it ever did.
    pub fn reached_at(&self, status: RequestStatus) -> Option<Micros> {
        self.history.iter().find(|c| c.to == status).map(|c| c.occurred_at)
    }

    /// Total time spent in each status the request has been in, counting the current one up
    /// to `now` (`None` leaves the current status out). Statuses entered more than once (a
    /// request returned and submitted again) add up.
    pub fn time_in_status(&self, now: Option<Micros>) -> BTreeMap<RequestStatus, Micros> {
        let mut totals = BTreeMap::new();
        for change in &self.history {
            if let Some(from) = change.from {
                *totals.entry(from).or_insert(0) += change.time_in_from;
            }
        }
        if let Some(now) = now
            && !self.status.is_terminal()
        {
            *totals.entry(self.status).or_insert(0) += (now - self.entered_at()).max(0);
        }
        totals
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local_time::MINUTE;
    use RequestStatus as S;

    fn actor(role: &str) -> Actor {
        Actor { subject: format!("{role}-1"), role: role.into() }
    }

    fn at(minute: i64, reason: &str) -> Transition {
        Transition {
            occurred_at: minute * MINUTE,
            recorded_at: minute * MINUTE,
            actor: actor("x"),
            reason: reason.into(),
        }
    }

    /// The legal transitions, written out once more by hand: (from, step, to).
    fn legal() -> Vec<(RequestStatus, Step, RequestStatus)> {
        let mut table = vec![
            (S::Draft, Step::Submit, S::Submitted),
            (S::ReturnedForInformation, Step::Submit, S::Submitted),
            (S::Submitted, Step::StartReview, S::UnderReview),
            (S::UnderReview, Step::Approve, S::Approved),
            (S::UnderReview, Step::Return, S::ReturnedForInformation),
            (S::UnderReview, Step::Reject, S::Rejected),
            (S::Approved, Step::ChooseAircraft, S::AircraftChosen),
            (S::AircraftChosen, Step::ChooseAircraft, S::AircraftChosen),
            (S::AirlineTasked, Step::ChooseAircraft, S::AircraftChosen),
            (S::Declined, Step::ChooseAircraft, S::AircraftChosen),
            (S::AircraftChosen, Step::TaskAirline, S::AirlineTasked),
            (S::AirlineTasked, Step::Accept, S::Accepted),
            (S::AirlineTasked, Step::Decline, S::Declined),
            (S::Accepted, Step::AssignCrew, S::CrewAssigned),
            (S::CrewAssigned, Step::AssignCrew, S::CrewAssigned),
            (S::CrewAssigned, Step::Reach(Milestone::Departed), S::Departed),
            (S::Departed, Step::Reach(Milestone::AtOrigin), S::AtOrigin),
            (S::AtOrigin, Step::Reach(Milestone::PatientOnBoard), S::PatientOnBoard),
            (S::PatientOnBoard, Step::Reach(Milestone::Landed), S::Landed),
            (S::Landed, Step::Reach(Milestone::HandedOver), S::HandedOver),
            (S::HandedOver, Step::Complete, S::Completed),
        ];
        for status in S::ALL.iter().copied().filter(|s| s.is_open()) {
            table.push((status, Step::Cancel, S::Cancelled));
        }
        table
    }

    #[test]
    fn exactly_the_documented_transitions_are_legal() {
        let table = legal();
        for &from in S::ALL {
            for step in Step::ALL {
                let expected = table.iter().find(|(f, s, _)| *f == from && *s == step).map(|(_, _, to)| *to);
                assert_eq!(next_status(from, step), expected, "{from} + {step:?}");
                let workflow = Workflow { status: from, history: Vec::new() };
                match (workflow.check(step), expected) {
                    (Ok(to), Some(want)) => assert_eq!(to, want),
                    (Err(WorkflowError::Terminal(s)), None) => assert!(s.is_terminal() && s == from),
                    (Err(WorkflowError::Illegal { from: f, step: s }), None) => assert_eq!((f, s), (from, step)),
                    (got, want) => panic!("{from} + {step:?}: {got:?} vs {want:?}"),
                }
            }
        }
    }

    #[test]
    fn final_statuses_refuse_everything() {
        for status in [S::Rejected, S::Completed, S::Cancelled] {
            let workflow = Workflow { status, history: Vec::new() };
            for step in Step::ALL {
                assert_eq!(workflow.check(step), Err(WorkflowError::Terminal(status)));
            }
        }
        assert_eq!(
            WorkflowError::Illegal { step: Step::TaskAirline, from: S::Approved }.to_string(),
            "cannot task the airline of a request that is approved"
        );
        assert_eq!(
            WorkflowError::Terminal(S::Completed).to_string(),
            "the request is completed; it can no longer change"
        );
    }

    #[test]
    fn the_whole_path_keeps_time_in_each_step() {
        let mut w = Workflow::created(0, actor("coordinator"));
        let steps = [
            (Step::Submit, 10),
            (Step::StartReview, 15),
            (Step::Return, 20),
            (Step::Submit, 50),
            (Step::StartReview, 52),
            (Step::Approve, 60),
            (Step::ChooseAircraft, 61),
            (Step::TaskAirline, 62),
            (Step::Decline, 70),
            (Step::ChooseAircraft, 71),
            (Step::TaskAirline, 72),
            (Step::Accept, 75),
            (Step::AssignCrew, 80),
            (Step::AssignCrew, 85),
            (Step::Reach(Milestone::Departed), 90),
            (Step::Reach(Milestone::AtOrigin), 150),
            (Step::Reach(Milestone::PatientOnBoard), 170),
            (Step::Reach(Milestone::Landed), 230),
            (Step::Reach(Milestone::HandedOver), 250),
            (Step::Complete, 260),
        ];
        for (step, minute) in steps {
            let reason = if step.needs_reason() { "because" } else { "" };
            w.apply(step, at(minute, reason)).unwrap_or_else(|e| panic!("{step:?}: {e}"));
        }
        assert_eq!(w.status, S::Completed);
        // The second crew assignment changed no status and added no entry.
        assert_eq!(w.history.len(), 1 + steps.len() - 1);
        let totals = w.time_in_status(Some(1_000 * MINUTE));
        assert_eq!(totals[&S::Draft], 10 * MINUTE);
        assert_eq!(totals[&S::Submitted], (5 + 2) * MINUTE, "two submissions add up");
        assert_eq!(totals[&S::ReturnedForInformation], 30 * MINUTE);
        assert_eq!(totals[&S::AirlineTasked], (8 + 3) * MINUTE);
        assert_eq!(totals[&S::CrewAssigned], 10 * MINUTE);
        assert_eq!(totals[&S::Departed], 60 * MINUTE);
        assert!(!totals.contains_key(&S::Completed), "a final status does not accumulate time");
        let change = &w.history[2];
        assert_eq!((change.from, change.to, change.time_in_from), (Some(S::Submitted), S::UnderReview, 5 * MINUTE));
        assert_eq!(w.reached_at(S::Approved), Some(60 * MINUTE));
    }

    #[test]
    fn the_current_step_counts_up_to_now() {
        let mut w = Workflow::created(0, actor("coordinator"));
        w.apply(Step::Submit, at(10, "")).unwrap();
        assert_eq!(w.time_in_status(Some(25 * MINUTE))[&S::Submitted], 15 * MINUTE);
        assert!(!w.time_in_status(None).contains_key(&S::Submitted));
    }

    #[test]
    fn reasons_and_times_are_checked() {
        let mut w = Workflow::created(10 * MINUTE, actor("coordinator"));
        w.apply(Step::Submit, at(11, "")).unwrap();
        w.apply(Step::StartReview, at(12, "")).unwrap();
        assert_eq!(w.apply(Step::Reject, at(13, " ")), Err(WorkflowError::ReasonRequired(Step::Reject)));
        assert_eq!(WorkflowError::ReasonRequired(Step::Reject).bad_field(), Some("reason"));
        assert_eq!(w.apply(Step::Approve, at(5, "")), Err(WorkflowError::BeforePrevious));
        let future = Transition { occurred_at: 20 * MINUTE, recorded_at: 14 * MINUTE, ..at(0, "") };
        assert_eq!(w.apply(Step::Approve, future), Err(WorkflowError::InFuture));
        assert_eq!(w.status, S::UnderReview, "refused steps change nothing");
        w.apply(Step::Approve, at(14, "")).unwrap();
        w.apply(Step::ChooseAircraft, at(15, "")).unwrap();
        assert_eq!(
            w.apply(Step::ChooseAircraft, at(16, "")),
            Err(WorkflowError::ReasonRequired(Step::ChooseAircraft)),
            "replacing an open tasking needs a reason"
        );
        w.apply(Step::ChooseAircraft, at(16, "the first aircraft is grounded by weather")).unwrap();
        assert_eq!(w.history.last().unwrap().from, Some(S::AircraftChosen));
    }

    #[test]
    fn choices_other_than_the_first_need_a_reason() {
        assert!(!choice_needs_reason(S::Approved, 1));
        assert!(choice_needs_reason(S::Approved, 2));
        assert!(!choice_needs_reason(S::Declined, 1));
        assert!(choice_needs_reason(S::AirlineTasked, 1));
        assert!(choice_needs_reason(S::AircraftChosen, 1));
    }

    #[test]
    fn drafts_and_returned_requests_are_editable() {
        assert!(S::Draft.is_editable() && S::ReturnedForInformation.is_editable() && !S::Submitted.is_editable());
        assert_eq!(S::of_milestone(Milestone::Landed), S::Landed);
    }
}
