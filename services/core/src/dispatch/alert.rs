//! Norm-clock alerts ([`Alert`]) and the timer queue that fires them at exact instants.
//!
//! Conventions: a call *meets the norm* when a crew arrives at or before its deadline. An
//! alert's `at` is the instant the condition arose: for BREACHED the deadline itself, for
//! AT_RISK the instant the best arrival estimate reaches the deadline (`deadline − best ETA`)
//! or the moment a change made it late. The engine reports a timed alert on the first
//! command or tick whose `now` is after that instant.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use serde::{Deserialize, Serialize};

use super::ids::{CallId, UnitId};
use super::serde_with;
use crate::category::Category;
use crate::local_time::Micros;
use crate::region_code::RegionCode;

/// What an alert says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// The best arrival estimate lands after the deadline, or no unit can be sent.
    AtRisk,
    /// The deadline passed with no crew on scene.
    Breached,
    /// An alert in force no longer holds: a unit that meets the norm was assigned, a crew
    /// reached the scene, or the call ended.
    Cleared,
}

/// One norm-clock alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// What it says.
    pub kind: AlertKind,
    /// When the condition arose.
    pub at: Micros,
    /// The call.
    pub call: CallId,
    /// Human call number.
    pub call_number: String,
    /// Region of the call.
    #[serde(with = "serde_with::region")]
    pub region: RegionCode,
    /// Urgency category.
    pub category: Category,
    /// When the norm runs out.
    pub deadline_at: Micros,
    /// Best ETA at `at` (the assigned unit's, else the best candidate's); `None` when no
    /// unit can be sent.
    pub best_eta: Option<Micros>,
    /// The unit behind `best_eta`.
    pub best_unit: Option<UnitId>,
}

/// What a timer checks when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum TimerKind {
    /// Re-rank a waiting call: at risk if the best ETA now reaches the deadline.
    RiskCheck,
    /// The deadline.
    Breach,
}

/// A pending timer; stale ones (the call moved on) are skipped when popped.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Timer {
    pub(crate) at: Micros,
    pub(crate) kind: TimerKind,
    pub(crate) call_seq: u64,
    pub(crate) call: CallId,
}

/// Timers in firing order: by instant, then risk checks before breaches, then call order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Timers(BinaryHeap<Reverse<Timer>>);

impl Timers {
    pub(crate) fn push(&mut self, timer: Timer) {
        self.0.push(Reverse(timer));
    }

    /// The earliest timer strictly before `now`.
    pub(crate) fn pop_before(&mut self, now: Micros) -> Option<Timer> {
        if self.0.peek().is_some_and(|Reverse(t)| t.at < now) { self.0.pop().map(|Reverse(t)| t) } else { None }
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}
