//! WatchCalls: every call event after a resume position, in sequence order and without gaps
//! (from `jedel_platform::relay::watch`), filtered to the caller's regions and the requested
//! categories, each carrying the call as it was after that event. The event payload holds
//! the non-personal record; the personal data (phone, names, IIN, complaint) is read from
//! the calls table when the event is sent, so it is the current one.

use futures::StreamExt as _;
use jedel_api::intake::v1 as pb;
use jedel_core::Category;
use jedel_platform::relay::{self, WatchStream};
use jedel_platform::time::to_timestamp;
use jedel_platform::{Context, Event};
use tonic::Status;
use tonic::codegen::BoxStream;
use tracing::warn;

use crate::calls::in_categories;
use crate::convert::call_to_proto;
use crate::error::IntakeError;
use crate::events::{self, Payload};
use crate::store;

/// What a watcher sees.
#[derive(Debug, Clone)]
pub struct WatchFilter {
    /// Regions; `None` = every region.
    pub regions: Option<Vec<String>>,
    /// Effective categories before or after the event; empty = any.
    pub categories: Vec<Category>,
}

struct State {
    events: WatchStream,
    context: Context,
    filter: WatchFilter,
    done: bool,
}

/// The stream of call events after sequence `after` that `filter` lets through.
pub async fn watch_calls(
    context: Context,
    filter: WatchFilter,
    after: u64,
) -> Result<BoxStream<pb::CallEvent>, Status> {
    let events = relay::watch(context.db.clone(), context.bus.clone(), after).await.map_err(|e| {
        warn!(error = %e, "cannot open the event feed");
        Status::unavailable("the event feed is unavailable; retry later")
    })?;
    let state = State { events, context, filter, done: false };
    let stream = futures::stream::unfold(state, |mut s| async move {
        if s.done {
            return None;
        }
        loop {
            match s.events.next().await {
                None => return None,
                Some(Err(e)) => {
                    warn!(error = %e, "call watch feed broke");
                    s.done = true;
                    let status = Status::unavailable("the event feed broke; reconnect with the last sequence seen");
                    return Some((Err(status), s));
                }
                Some(Ok(event)) => match to_call_event(&s.context, &s.filter, &event).await {
                    Ok(Some(call_event)) => return Some((Ok(call_event), s)),
                    Ok(None) => continue,
                    Err(e) => {
                        s.done = true;
                        return Some((Err(Status::from(e)), s));
                    }
                },
            }
        }
    });
    Ok(stream.boxed())
}

/// The API event for a stored event, or `None` when it is not a call event the filter passes.
async fn to_call_event(
    context: &Context,
    filter: &WatchFilter,
    event: &Event,
) -> Result<Option<pb::CallEvent>, IntakeError> {
    if event.aggregate_type != events::AGGREGATE {
        return Ok(None);
    }
    let payload: Payload = serde_json::from_str(&event.payload)
        .map_err(|e| IntakeError::Corrupt { id: event.aggregate_id.clone(), reason: e.to_string() })?;
    let mut call = payload.call;
    if let Some(regions) = &filter.regions
        && !regions.contains(&call.region_code)
    {
        return Ok(None);
    }
    if !in_categories(&filter.categories, payload.category_before, call.category) {
        return Ok(None);
    }
    call.personal = store::personal(context.db.reader(), &call.id).await?.unwrap_or_default();
    Ok(Some(pb::CallEvent {
        sequence: event.seq,
        occurred_at: Some(to_timestamp(event.occurred_at)),
        kind: events::kind_of(&event.kind) as i32,
        call: Some(call_to_proto(&call)),
    }))
}
