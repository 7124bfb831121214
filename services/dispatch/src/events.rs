//! The events the Dispatcher writes: one per engine [`Event`], with the engine event itself as
//! the payload (its `type` tag and the record after the change), so WatchUnits, WatchAlerts,
//! the situation centre and a replay need nothing else. Aggregates: `unit` (a Registry brigade
//! id), `assignment`, `dispatch_call` (an Intake call id; not `call`, which is Intake's own
//! aggregate and payload), and `dispatch_policy` (a region code). Positions are not events.

use jedel_core::dispatch::{AlertKind, DispatchPolicy, Event};
use jedel_platform::NewEvent;

/// Aggregate type of unit events.
pub const UNIT: &str = "unit";
/// Aggregate type of assignment events.
pub const ASSIGNMENT: &str = "assignment";
/// Aggregate type of a call's dispatch events and alerts.
pub const DISPATCH_CALL: &str = "dispatch_call";
/// Aggregate type of policy events.
pub const POLICY: &str = "dispatch_policy";

/// A unit was first known to the dispatcher (a new Registry brigade).
pub const UNIT_ADDED: &str = "unit.added";
/// A unit's Registry data changed (call sign, kind, station, equipment).
pub const UNIT_DETAILS_CHANGED: &str = "unit.details_changed";
/// A unit's status or assignment changed.
pub const UNIT_STATUS_CHANGED: &str = "unit.status_changed";
/// A unit was removed.
pub const UNIT_REMOVED: &str = "unit.removed";
/// An assignment began.
pub const ASSIGNMENT_STARTED: &str = "assignment.started";
/// An assignment changed or ended.
pub const ASSIGNMENT_CHANGED: &str = "assignment.changed";
/// A call entered the queue (opened, or left without a unit).
pub const CALL_QUEUED: &str = "dispatch_call.queued";
/// Units were ranked for a call.
pub const CALL_RECOMMENDED: &str = "dispatch_call.recommended";
/// A call left dispatch (closed or cancelled).
pub const CALL_ENDED: &str = "dispatch_call.ended";
/// The best ETA of a call lands after its deadline.
pub const ALERT_AT_RISK: &str = "alert.at_risk";
/// A call's deadline passed with no crew on scene.
pub const ALERT_BREACHED: &str = "alert.breached";
/// An alert in force no longer holds.
pub const ALERT_CLEARED: &str = "alert.cleared";
/// A region's policy was replaced.
pub const POLICY_CHANGED: &str = "dispatch_policy.changed";
/// A region's policy was first set from the deployment defaults.
pub const POLICY_SEEDED: &str = "dispatch_policy.seeded";

/// How a unit change reads: a new unit, new Registry data, or a status change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitChange {
    /// First known.
    Added,
    /// Registry data changed.
    Details,
    /// Status or assignment changed.
    Status,
}

/// The stored event of an engine event; `unit_change` says how a `UnitChanged` reads.
pub fn to_new(event: &Event, unit_change: UnitChange) -> NewEvent {
    let (aggregate_type, aggregate_id, kind) = match event {
        Event::UnitChanged { unit, .. } => (
            UNIT,
            unit.spec.id.to_string(),
            match unit_change {
                UnitChange::Added => UNIT_ADDED,
                UnitChange::Details => UNIT_DETAILS_CHANGED,
                UnitChange::Status => UNIT_STATUS_CHANGED,
            },
        ),
        Event::UnitRemoved { unit, .. } => (UNIT, unit.to_string(), UNIT_REMOVED),
        Event::CallQueued { call, .. } => (DISPATCH_CALL, call.to_string(), CALL_QUEUED),
        Event::CallEnded { call, .. } => (DISPATCH_CALL, call.to_string(), CALL_ENDED),
        Event::Recommended { call, .. } => (DISPATCH_CALL, call.to_string(), CALL_RECOMMENDED),
        Event::AssignmentStarted { assignment, .. } => (ASSIGNMENT, assignment.id.to_string(), ASSIGNMENT_STARTED),
        Event::AssignmentChanged { assignment, .. } => (ASSIGNMENT, assignment.id.to_string(), ASSIGNMENT_CHANGED),
        Event::Alert(alert) => (
            DISPATCH_CALL,
            alert.call.to_string(),
            match alert.kind {
                AlertKind::AtRisk => ALERT_AT_RISK,
                AlertKind::Breached => ALERT_BREACHED,
                AlertKind::Cleared => ALERT_CLEARED,
            },
        ),
        Event::PolicyChanged { region, .. } => (POLICY, region.to_string(), POLICY_CHANGED),
    };
    NewEvent {
        aggregate_type,
        aggregate_id,
        kind,
        // Engine events are plain data; `Null` would only hide a bug.
        payload: serde_json::to_value(event).unwrap_or(serde_json::Value::Null),
    }
}

/// The event of a policy seeded from the deployment defaults.
pub fn seeded(policy: &DispatchPolicy) -> NewEvent {
    NewEvent {
        aggregate_type: POLICY,
        aggregate_id: policy.region.to_string(),
        kind: POLICY_SEEDED,
        payload: serde_json::to_value(policy).unwrap_or(serde_json::Value::Null),
    }
}

/// The engine event a stored dispatcher event carries, or `None` for other events.
pub fn engine_event(event: &jedel_platform::Event) -> Option<Event> {
    if !matches!(event.aggregate_type.as_str(), UNIT | ASSIGNMENT | DISPATCH_CALL) {
        return None;
    }
    serde_json::from_str(&event.payload).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jedel_core::dispatch::CallId;

    #[test]
    fn engine_events_round_trip_through_the_outbox() {
        let event = Event::CallQueued { at: 5, call: CallId::parse("c1").unwrap() };
        let new = to_new(&event, UnitChange::Status);
        assert_eq!((new.aggregate_type, new.kind, new.aggregate_id.as_str()), (DISPATCH_CALL, CALL_QUEUED, "c1"));
        let stored = jedel_platform::Event {
            seq: 1,
            aggregate_type: new.aggregate_type.into(),
            aggregate_id: new.aggregate_id,
            kind: new.kind.into(),
            payload: new.payload.to_string(),
            actor_subject: "s".into(),
            actor_role: "system".into(),
            occurred_at: 5,
        };
        assert_eq!(engine_event(&stored), Some(event));
    }
}
