//! The events the medevac service emits. Request events carry the request's whole
//! non-personal record after the change (see [`crate::model::Request`]), its current tasking
//! and any other tasking the change touched (one withdrawn by a new choice), so WatchRequests
//! and other services need nothing else and no patient identity ever reaches the bus.
//! Flight-alert events carry the alert.

use jedel_api::medevac::v1::RequestEventKind;
use jedel_platform::NewEvent;
use serde::{Deserialize, Serialize};

use crate::model::{Alert, Request, Tasking};

/// Aggregate type of request events.
pub const AGGREGATE: &str = "medevac_request";
/// Aggregate type of flight-alert events (the aggregate id is the tasking's).
pub const ALERT_AGGREGATE: &str = "flight_alert";

/// A request was created.
pub const CREATED: &str = "medevac_request.created";
/// Its details were replaced.
pub const UPDATED: &str = "medevac_request.updated";
/// Its status changed (including milestones).
pub const STATUS_CHANGED: &str = "medevac_request.status_changed";
/// Its current tasking changed without a status change (a new crew, estimates).
pub const TASKING_UPDATED: &str = "medevac_request.tasking_updated";
/// A document was attached.
pub const DOCUMENT_ADDED: &str = "medevac_request.document_added";
/// A document was downloaded (recorded for the audit trail).
pub const DOCUMENT_DOWNLOADED: &str = "medevac_request.document_downloaded";
/// A message of one of its threads was posted, delivered or read.
pub const MESSAGES_CHANGED: &str = "medevac_request.messages_changed";
/// Positions of its flight were recorded.
pub const POSITIONS_RECORDED: &str = "medevac_request.positions_recorded";
/// A flight-following alert was raised.
pub const ALERT_RAISED: &str = "flight_alert.raised";
/// A flight-following alert was cleared.
pub const ALERT_CLEARED: &str = "flight_alert.cleared";

/// The API kind of a stored request event kind; `Unspecified` for those WatchRequests does
/// not stream (downloads, positions).
pub fn kind_of(kind: &str) -> RequestEventKind {
    match kind {
        CREATED => RequestEventKind::Created,
        UPDATED => RequestEventKind::Updated,
        STATUS_CHANGED => RequestEventKind::StatusChanged,
        TASKING_UPDATED => RequestEventKind::TaskingUpdated,
        DOCUMENT_ADDED => RequestEventKind::DocumentAdded,
        MESSAGES_CHANGED => RequestEventKind::MessagesChanged,
        _ => RequestEventKind::Unspecified,
    }
}

/// The payload of a request event.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Payload {
    /// The request after the change, without personal data.
    pub request: Request,
    /// Its current tasking after the change.
    pub tasking: Option<Tasking>,
    /// Other taskings the change touched (withdrawn by a new choice).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_taskings: Vec<Tasking>,
    /// What the change was about beyond the records (a document id, message ids, a count).
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub about: serde_json::Value,
}

impl Payload {
    /// The payload of a change to `request` and its current `tasking`.
    pub fn of(request: &Request, tasking: Option<&Tasking>) -> Payload {
        Payload {
            request: request.clone(),
            tasking: tasking.cloned(),
            other_taskings: Vec::new(),
            about: serde_json::Value::Null,
        }
    }

    /// Every tasking the event shows, current first.
    pub fn taskings(&self) -> impl Iterator<Item = &Tasking> {
        self.tasking.iter().chain(&self.other_taskings)
    }

    /// The event `kind` with this payload.
    pub fn event(self, kind: &'static str) -> NewEvent {
        NewEvent {
            aggregate_type: AGGREGATE,
            aggregate_id: self.request.id.clone(),
            kind,
            // Records of strings and numbers always serialise; `Null` would only hide a bug.
            payload: serde_json::to_value(&self).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// The event of an alert raised or cleared.
pub fn alert_event(alert: &Alert) -> NewEvent {
    NewEvent {
        aggregate_type: ALERT_AGGREGATE,
        aggregate_id: alert.tasking_id.clone(),
        kind: if alert.cleared { ALERT_CLEARED } else { ALERT_RAISED },
        payload: serde_json::to_value(alert).unwrap_or(serde_json::Value::Null),
    }
}
