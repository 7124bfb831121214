//! WatchRequests and WatchFlightAlerts: every event after a resume position, in sequence
//! order and without gaps (from `jedel_platform::relay::watch`), filtered to what the caller
//! may see. From sequence 0 a watch starts with a snapshot (the open requests, or the alerts
//! active now) stamped with the sequence it was taken at, then follows from there.
//!
//! Request events carry the request as it was after the event; its personal data is read
//! from the requests table when the event is sent (so it is the current one). An airline
//! operator gets the tasking of its airline instead, and only once it has been offered.

use std::collections::VecDeque;

use futures::StreamExt as _;
use jedel_api::medevac::v1 as pb;
use jedel_api::medevac::v1::request_event::Subject;
use jedel_core::medevac::{RequestStatus, TaskingStatus};
use jedel_platform::relay::{self, WatchStream};
use jedel_platform::time::to_timestamp;
use jedel_platform::{Context, Event, events as platform_events};
use tonic::Status;
use tonic::codegen::BoxStream;
use tracing::warn;

use crate::convert::{alert_to_proto, request_to_proto, tasking_to_proto};
use crate::error::MedevacError;
use crate::events::{self, Payload};
use crate::model::{Alert, Request, Tasking};
use crate::store::{self, RequestFilter, TaskingFilter};

/// What a request watcher sees.
#[derive(Debug, Clone)]
pub struct RequestWatch {
    /// Regions; `None` = every region.
    pub regions: Option<Vec<String>>,
    /// Request statuses after the change; empty = any.
    pub statuses: Vec<RequestStatus>,
    /// For airline operators: their airline (they see its offered taskings only).
    pub airline: Option<String>,
    /// Whether drafts are visible (coordinators only).
    pub drafts: bool,
}

/// What an alert watcher sees.
#[derive(Debug, Clone)]
pub struct AlertWatch {
    /// Regions; `None` = every region.
    pub regions: Option<Vec<String>>,
    /// Only this airline's flights.
    pub airline: Option<String>,
}

impl RequestWatch {
    fn region_ok(&self, region: &str) -> bool {
        self.regions.as_ref().is_none_or(|r| r.iter().any(|c| c == region))
    }

    fn status_ok(&self, status: RequestStatus) -> bool {
        self.statuses.is_empty() || self.statuses.contains(&status)
    }

    /// The tasking an airline watcher is shown from these, if any.
    fn tasking_for<'a>(&self, airline: &str, taskings: impl Iterator<Item = &'a Tasking>) -> Option<&'a Tasking> {
        taskings.into_iter().find(|t| t.airline_code == airline && t.offered())
    }
}

impl AlertWatch {
    fn passes(&self, alert: &Alert) -> bool {
        self.regions.as_ref().is_none_or(|r| r.contains(&alert.region_code))
            && self.airline.as_ref().is_none_or(|a| *a == alert.airline_code)
    }
}

/// A feed: first the snapshot, then the filtered live events.
struct Feed<F> {
    snapshot: VecDeque<Result<F, Status>>,
    events: Option<WatchStream>,
    done: bool,
}

async fn open_feed(context: &Context, after: u64) -> Result<WatchStream, Status> {
    relay::watch(context.db.clone(), context.bus.clone(), after).await.map_err(|e| {
        warn!(error = %e, "cannot open the event feed");
        Status::unavailable("the event feed is unavailable; retry later")
    })
}

/// Runs `feed` through `convert`, which turns an event into what the watcher sees (or
/// nothing), and ends the stream on the first error.
fn stream<F, C, Fut>(feed: Feed<F>, context: Context, convert: C) -> BoxStream<F>
where
    F: Send + 'static,
    C: Fn(Context, Event) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Option<F>, MedevacError>> + Send,
{
    let convert = std::sync::Arc::new(convert);
    futures::stream::unfold((feed, context, convert), |(mut feed, context, convert)| async move {
        if feed.done {
            return None;
        }
        if let Some(item) = feed.snapshot.pop_front() {
            return Some((item, (feed, context, convert)));
        }
        let events = feed.events.as_mut()?;
        loop {
            match events.next().await {
                None => return None,
                Some(Err(e)) => {
                    warn!(error = %e, "medevac watch feed broke");
                    feed.done = true;
                    let status = Status::unavailable("the event feed broke; reconnect with the last sequence seen");
                    return Some((Err(status), (feed, context, convert)));
                }
                Some(Ok(event)) => match convert(context.clone(), event).await {
                    Ok(Some(item)) => return Some((Ok(item), (feed, context, convert))),
                    Ok(None) => continue,
                    Err(e) => {
                        feed.done = true;
                        return Some((Err(Status::from(e)), (feed, context, convert)));
                    }
                },
            }
        }
    })
    .boxed()
}

async fn current_tasking(context: &Context, request: &Request) -> Result<Option<Tasking>, MedevacError> {
    match &request.current_tasking_id {
        Some(id) => store::tasking(context.db.reader(), id).await,
        None => Ok(None),
    }
}

/// The stream of request events after `after` (0: a snapshot of the open requests first).
pub async fn watch_requests(
    context: Context,
    filter: RequestWatch,
    after: u64,
) -> Result<BoxStream<pb::RequestEvent>, Status> {
    let mut snapshot = VecDeque::new();
    let start = match after {
        0 => {
            let at = platform_events::last_seq(context.db.reader()).await.map_err(MedevacError::from)?;
            snapshot = request_snapshot(&context, &filter, at).await?;
            at
        }
        after => after,
    };
    let events = open_feed(&context, start).await?;
    let feed = Feed { snapshot, events: Some(events), done: false };
    let filter = std::sync::Arc::new(filter);
    Ok(stream(feed, context, move |context, event| {
        let filter = filter.clone();
        async move { request_event(&context, &filter, &event).await }
    }))
}

async fn request_snapshot(
    context: &Context,
    filter: &RequestWatch,
    at: u64,
) -> Result<VecDeque<Result<pb::RequestEvent, Status>>, MedevacError> {
    let reader = context.db.reader();
    let snapshot = |request: &Request, subject: Subject| pb::RequestEvent {
        sequence: at,
        occurred_at: Some(to_timestamp(request.updated_at)),
        kind: pb::RequestEventKind::Snapshot.into(),
        medevac_request_id: request.id.clone(),
        status: request.status().number(),
        subject: Some(subject),
    };
    let mut out = VecDeque::new();
    if let Some(airline) = &filter.airline {
        let open = [TaskingStatus::Offered.as_str(), TaskingStatus::Accepted.as_str()];
        let taskings = TaskingFilter {
            regions: filter.regions.clone(),
            airline: Some(airline.clone()),
            offered_only: true,
            statuses: open.to_vec(),
            from: i64::MIN,
            to: i64::MAX,
            ..TaskingFilter::default()
        };
        for tasking in store::list_taskings(reader, &taskings, None, i64::MAX).await? {
            if let Some(request) = store::request(reader, &tasking.medevac_request_id).await?
                && filter.status_ok(request.status())
            {
                out.push_back(Ok(snapshot(&request, Subject::Tasking(tasking_to_proto(&tasking)))));
            }
        }
        return Ok(out);
    }
    let requests = RequestFilter {
        regions: filter.regions.clone(),
        statuses: filter.statuses.iter().map(|s| s.as_str()).collect(),
        without_drafts: !filter.drafts,
        open_only: true,
        from: i64::MIN,
        to: i64::MAX,
        ..RequestFilter::default()
    };
    let mut listed = store::list_requests(reader, &requests, None, i64::MAX).await?;
    listed.reverse();
    for request in listed {
        let tasking = current_tasking(context, &request).await?;
        let subject = Subject::MedevacRequest(request_to_proto(&request, tasking.as_ref()));
        out.push_back(Ok(snapshot(&request, subject)));
    }
    Ok(out)
}

/// The API event for a stored event, or `None` when the watcher does not see it.
async fn request_event(
    context: &Context,
    filter: &RequestWatch,
    event: &Event,
) -> Result<Option<pb::RequestEvent>, MedevacError> {
    let kind = events::kind_of(&event.kind);
    if event.aggregate_type != events::AGGREGATE || kind == pb::RequestEventKind::Unspecified {
        return Ok(None);
    }
    let payload: Payload = serde_json::from_str(&event.payload).map_err(|e| MedevacError::Corrupt {
        entity: "request event",
        id: event.seq.to_string(),
        reason: e.to_string(),
    })?;
    let mut request = payload.request.clone();
    let status = request.status();
    if !filter.region_ok(&request.region_code) || !filter.status_ok(status) {
        return Ok(None);
    }
    let subject = match &filter.airline {
        Some(airline) => match filter.tasking_for(airline, payload.taskings()) {
            Some(tasking) => Subject::Tasking(tasking_to_proto(tasking)),
            None => return Ok(None),
        },
        None => {
            if status == RequestStatus::Draft && !filter.drafts {
                return Ok(None);
            }
            if let Some(stored) = store::request(context.db.reader(), &request.id).await? {
                request.personal = stored.personal;
            }
            Subject::MedevacRequest(request_to_proto(&request, payload.tasking.as_ref()))
        }
    };
    Ok(Some(pb::RequestEvent {
        sequence: event.seq,
        occurred_at: Some(to_timestamp(event.occurred_at)),
        kind: kind.into(),
        medevac_request_id: request.id.clone(),
        status: status.number(),
        subject: Some(subject),
    }))
}

/// The stream of flight alerts after `after` (0: the alerts active now first).
pub async fn watch_alerts(
    context: Context,
    filter: AlertWatch,
    after: u64,
) -> Result<BoxStream<pb::FlightAlert>, Status> {
    let mut snapshot = VecDeque::new();
    let start = match after {
        0 => {
            let reader = context.db.reader();
            let at = platform_events::last_seq(reader).await.map_err(MedevacError::from)?;
            for mut alert in store::alerts::active(reader).await?.into_iter().filter(|a| filter.passes(a)) {
                alert.last_position = store::positions::last_of_tasking(reader, &alert.tasking_id).await?;
                snapshot.push_back(Ok(alert_to_proto(&alert, at)));
            }
            at
        }
        after => after,
    };
    let events = open_feed(&context, start).await?;
    let feed = Feed { snapshot, events: Some(events), done: false };
    let filter = std::sync::Arc::new(filter);
    Ok(stream(feed, context, move |_context, event| {
        let filter = filter.clone();
        async move {
            if event.aggregate_type != events::ALERT_AGGREGATE {
                return Ok(None);
            }
            let alert: Alert = serde_json::from_str(&event.payload).map_err(|e| MedevacError::Corrupt {
                entity: "alert event",
                id: event.seq.to_string(),
                reason: e.to_string(),
            })?;
            Ok(filter.passes(&alert).then(|| alert_to_proto(&alert, event.seq)))
        }
    }))
}
