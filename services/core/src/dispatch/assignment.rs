//! [`Assignment`]: one unit working one call, from assignment to its end, with how it was
//! made (manual, auto, reassign, redispatch), the recommendation rank it was chosen at, the
//! predicted ETA, and why.

use serde::{Deserialize, Serialize};

use super::ids::{AssignmentId, CallId, UnitId};
use crate::call::Actor;
use crate::local_time::Micros;

/// How an assignment was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentKind {
    /// A dispatcher chose the unit.
    Manual,
    /// The policy assigned the top recommendation.
    Auto,
    /// Replaced the unit of an earlier assignment.
    Reassign,
    /// Took the unit off a less urgent call.
    Redispatch,
}

/// Where an assignment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentState {
    /// The unit is working the call.
    Active,
    /// The unit finished the call.
    Completed,
    /// Ended by Release.
    Released,
    /// Another unit took over (Reassign).
    Reassigned,
    /// The unit was diverted to another call.
    Redispatched,
    /// The call was cancelled.
    Cancelled,
}

/// A unit working a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    /// Minted by the engine (UUIDv7-shaped).
    pub id: AssignmentId,
    /// The call.
    pub call: CallId,
    /// The unit.
    pub unit: UnitId,
    /// How it was made.
    pub kind: AssignmentKind,
    /// Where it stands.
    pub state: AssignmentState,
    /// The unit's rank in the recommendation it was chosen from; 0 when not in it.
    pub recommendation_rank: u32,
    /// ETA predicted at assignment.
    pub eta: Micros,
    /// Latest estimate of arrival at the scene (assignment time plus ETA, refined by the
    /// unit's position reports while it heads there).
    pub arrival_estimate: Micros,
    /// Why this unit, or why reassigned or redispatched.
    pub reason: Option<String>,
    /// Who assigned.
    pub assigned_by: Actor,
    /// The assignment this one ended (reassign, redispatch).
    pub previous: Option<AssignmentId>,
    /// When it ended.
    pub ended_at: Option<Micros>,
    /// Why it ended, when given.
    pub end_reason: Option<String>,
    /// When the unit was assigned.
    pub created_at: Micros,
    /// When it last changed.
    pub updated_at: Micros,
    /// 1 on create, +1 on each change.
    pub version: i64,
}

/// The subject automatic assignments are made by.
pub const SYSTEM_SUBJECT: &str = "jedel-dispatch";

/// The actor of automatic assignments.
pub fn system_actor() -> Actor {
    Actor { subject: SYSTEM_SUBJECT.into(), role: "system".into() }
}
