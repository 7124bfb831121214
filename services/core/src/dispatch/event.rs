//! [`Event`]: what a command changed, in the order it happened. The service writes them to
//! its outbox; the simulator folds them into its report. Positions are not events.

use serde::{Deserialize, Serialize};

use super::alert::Alert;
use super::assignment::Assignment;
use super::ids::{CallId, RecommendationId, UnitId};
use super::serde_with;
use super::unit::Unit;
use crate::local_time::Micros;
use crate::region_code::RegionCode;

/// One change the engine made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A unit was added, or its status, assignment or spec changed; `unit` is after the change.
    UnitChanged {
        /// When.
        at: Micros,
        /// The unit after the change.
        unit: Box<Unit>,
        /// Why, when a reason was given.
        reason: Option<String>,
    },
    /// A unit was removed.
    UnitRemoved {
        /// When.
        at: Micros,
        /// The unit.
        unit: UnitId,
    },
    /// A call entered the queue: opened, or left without a unit by release or redispatch.
    CallQueued {
        /// When.
        at: Micros,
        /// The call.
        call: CallId,
    },
    /// A call left the engine: closed or cancelled.
    CallEnded {
        /// When.
        at: Micros,
        /// The call.
        call: CallId,
        /// Cancelled rather than closed.
        cancelled: bool,
    },
    /// Units were ranked for a call and the answer kept.
    Recommended {
        /// When.
        at: Micros,
        /// The call.
        call: CallId,
        /// The recommendation.
        recommendation: RecommendationId,
        /// The top unit, if any.
        top_unit: Option<UnitId>,
    },
    /// An assignment began.
    AssignmentStarted {
        /// When.
        at: Micros,
        /// The assignment.
        assignment: Box<Assignment>,
    },
    /// An assignment changed or ended; `assignment` is after the change.
    AssignmentChanged {
        /// When.
        at: Micros,
        /// The assignment.
        assignment: Box<Assignment>,
    },
    /// A norm-clock alert.
    Alert(Alert),
    /// A region's policy was replaced.
    PolicyChanged {
        /// When.
        at: Micros,
        /// The region.
        #[serde(with = "serde_with::region")]
        region: RegionCode,
    },
}

impl Event {
    /// When the change happened.
    pub fn at(&self) -> Micros {
        match self {
            Event::UnitChanged { at, .. }
            | Event::UnitRemoved { at, .. }
            | Event::CallQueued { at, .. }
            | Event::CallEnded { at, .. }
            | Event::Recommended { at, .. }
            | Event::AssignmentStarted { at, .. }
            | Event::AssignmentChanged { at, .. }
            | Event::PolicyChanged { at, .. } => *at,
            Event::Alert(alert) => alert.at,
        }
    }
}
