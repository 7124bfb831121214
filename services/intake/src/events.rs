//! The events intake emits, one per call changed. The payload is the call's whole
//! non-personal record after the change (see [`crate::model::Call`]) and the effective
//! category before it, so the dispatcher and the situation centre need nothing else, and
//! WatchCalls can filter on "category before or after".

use jedel_api::intake::v1::CallEventKind;
use jedel_core::Category;
use jedel_platform::NewEvent;
use serde::{Deserialize, Serialize};

use crate::model::Call;

/// Aggregate type of call events.
pub const AGGREGATE: &str = "call";

/// The call was created.
pub const CREATED: &str = "call.created";
/// Caller, location, patient or complaint changed.
pub const DETAILS_UPDATED: &str = "call.details_updated";
/// The protocol set or changed the category.
pub const CATEGORISED: &str = "call.categorised";
/// A call-taker overrode the category.
pub const CATEGORY_OVERRIDDEN: &str = "call.category_overridden";
/// The call was linked to another.
pub const LINKED: &str = "call.linked";
/// Another call was linked to this one.
pub const LINK_ADDED: &str = "call.link_added";
/// A dispatch milestone was recorded.
pub const PROGRESS_RECORDED: &str = "call.progress_recorded";
/// The call was cancelled.
pub const CANCELLED: &str = "call.cancelled";
/// The call was closed with an outcome.
pub const CLOSED: &str = "call.closed";

/// The API kind of a stored event kind.
pub fn kind_of(kind: &str) -> CallEventKind {
    match kind {
        CREATED => CallEventKind::Created,
        DETAILS_UPDATED => CallEventKind::DetailsUpdated,
        CATEGORISED => CallEventKind::Categorised,
        CATEGORY_OVERRIDDEN => CallEventKind::CategoryOverridden,
        LINKED => CallEventKind::Linked,
        LINK_ADDED => CallEventKind::LinkAdded,
        PROGRESS_RECORDED => CallEventKind::ProgressRecorded,
        CANCELLED => CallEventKind::Cancelled,
        CLOSED => CallEventKind::Closed,
        _ => CallEventKind::Unspecified,
    }
}

/// The payload of a call event.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Payload {
    /// Effective category before the change.
    pub category_before: Option<Category>,
    /// The call after the change, without personal data.
    pub call: Call,
}

/// The event `kind` of `call`, whose effective category was `before`.
pub fn event(kind: &'static str, call: &Call, before: Option<Category>) -> NewEvent {
    let payload = Payload { category_before: before, call: call.clone() };
    NewEvent {
        aggregate_type: AGGREGATE,
        aggregate_id: call.id.clone(),
        kind,
        // A record of strings and numbers always serialises; `Null` would only hide a bug.
        payload: serde_json::to_value(&payload).unwrap_or(serde_json::Value::Null),
    }
}
