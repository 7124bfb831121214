//! WatchUnits and WatchAlerts: the dispatcher's events after a resume position, in sequence
//! order and without gaps (`relay::watch`), filtered to the caller's regions and the request's
//! kinds or categories. From sequence 0 a watch first sends the current state (every matching
//! unit; the alerts in force) with the sequence it is consistent with, then changes after it.
//! Position updates (WatchUnits with `include_positions`) are not events: they come from the
//! engine task every few seconds and carry the last sequence the watch has sent.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures::StreamExt as _;
use jedel_api::dispatch::v1 as pb;
use jedel_core::dispatch::{Event, Unit};
use jedel_core::{Category, TeamKind};
use jedel_platform::time::{now_micros, to_timestamp};
use jedel_platform::{Context, relay};
use tokio_stream::wrappers::BroadcastStream;
use tonic::Status;
use tonic::codegen::BoxStream;
use tracing::warn;

use crate::actor::Handle;
use crate::convert;
use crate::events;

/// Which units a watcher sees.
#[derive(Debug, Clone)]
pub struct UnitFilter {
    /// Regions; `None` = every region.
    pub regions: Option<Vec<String>>,
    /// Team kinds; empty = any.
    pub kinds: Vec<TeamKind>,
}

impl UnitFilter {
    fn passes(&self, unit: &Unit) -> bool {
        self.regions.as_ref().is_none_or(|r| r.iter().any(|r| r == unit.spec.region.as_str()))
            && (self.kinds.is_empty() || self.kinds.contains(&unit.spec.kind))
    }
}

/// Which alerts a watcher sees.
#[derive(Debug, Clone)]
pub struct AlertFilter {
    /// Regions; `None` = every region.
    pub regions: Option<Vec<String>>,
    /// Categories; empty = any.
    pub categories: Vec<Category>,
}

impl AlertFilter {
    fn passes(&self, alert: &jedel_core::dispatch::Alert) -> bool {
        self.regions.as_ref().is_none_or(|r| r.iter().any(|r| r == alert.region.as_str()))
            && (self.categories.is_empty() || self.categories.contains(&alert.category))
    }
}

fn unavailable<E: std::fmt::Display>(e: E) -> Status {
    warn!(error = %e, "cannot open the event feed");
    Status::unavailable("the event feed is unavailable; retry later")
}

/// Events after `after`, each mapped by `map` (skipped when it answers `None`).
async fn feed<T: Send + 'static>(
    context: &Context,
    after: u64,
    map: impl Fn(&jedel_platform::Event) -> Option<T> + Send + 'static,
) -> Result<BoxStream<T>, Status> {
    let events = relay::watch(context.db.clone(), context.bus.clone(), after).await.map_err(unavailable)?;
    let stream = events
        .scan(false, move |broken, item| {
            let out = match item {
                _ if *broken => None,
                Ok(event) => Some(map(&event).map(Ok)),
                Err(e) => {
                    warn!(error = %e, "dispatch watch feed broke");
                    *broken = true;
                    Some(Some(Err(Status::unavailable("the event feed broke; reconnect with the last sequence seen"))))
                }
            };
            futures::future::ready(out)
        })
        .filter_map(futures::future::ready);
    Ok(stream.boxed())
}

/// The WatchUnits stream.
pub async fn watch_units(
    context: Context,
    handle: Handle,
    filter: UnitFilter,
    after: u64,
    include_positions: bool,
) -> Result<BoxStream<pb::UnitEvent>, Status> {
    // Subscribed before the snapshot so that no position update falls between the two.
    let positions = include_positions.then(|| handle.position_updates());
    let (snapshot, after) = if after == 0 {
        let filter = filter.clone();
        let (mut units, seq) = handle
            .read_at(move |world, seq| {
                let units: Vec<Unit> = world.engine.units().filter(|u| filter.passes(u)).cloned().collect();
                (units, seq)
            })
            .await
            .map_err(Status::from)?;
        units.sort_by(|a, b| a.spec.call_sign.cmp(&b.spec.call_sign));
        let at = Some(to_timestamp(now_micros()));
        let snapshot: Vec<Result<pb::UnitEvent, Status>> = units
            .iter()
            .map(|u| {
                Ok(pb::UnitEvent {
                    sequence: seq,
                    occurred_at: at,
                    kind: pb::UnitEventKind::Snapshot as i32,
                    unit: Some(convert::unit(u)),
                })
            })
            .collect();
        (snapshot, seq)
    } else {
        (Vec::new(), after)
    };
    let last = Arc::new(AtomicU64::new(after));
    let seen = last.clone();
    let event_filter = filter.clone();
    let changes = feed(&context, after, move |event| {
        seen.fetch_max(event.seq, Ordering::Relaxed);
        let kind = match event.kind.as_str() {
            events::UNIT_STATUS_CHANGED => pb::UnitEventKind::StatusChanged,
            events::UNIT_ADDED | events::UNIT_DETAILS_CHANGED => pb::UnitEventKind::DetailsChanged,
            _ => return None,
        };
        match events::engine_event(event)? {
            Event::UnitChanged { at, unit, .. } if event_filter.passes(&unit) => Some(pb::UnitEvent {
                sequence: event.seq,
                occurred_at: Some(to_timestamp(at)),
                kind: kind as i32,
                unit: Some(convert::unit(&unit)),
            }),
            _ => None,
        }
    })
    .await?;
    let stream = match positions {
        None => changes,
        Some(updates) => {
            let moves = BroadcastStream::new(updates)
                .filter_map(move |batch| {
                    let out = batch.ok().map(|units| {
                        let sequence = last.load(Ordering::Relaxed);
                        let at = Some(to_timestamp(now_micros()));
                        let events: Vec<Result<pb::UnitEvent, Status>> = units
                            .iter()
                            .filter(|u| filter.passes(u))
                            .map(|u| {
                                Ok(pb::UnitEvent {
                                    sequence,
                                    occurred_at: u.fix.map(|f| to_timestamp(f.recorded_at)).or(at),
                                    kind: pb::UnitEventKind::PositionChanged as i32,
                                    unit: Some(convert::unit(u)),
                                })
                            })
                            .collect();
                        futures::stream::iter(events)
                    });
                    futures::future::ready(out)
                })
                .flatten();
            futures::stream::select(changes, moves).boxed()
        }
    };
    Ok(futures::stream::iter(snapshot).chain(stream).boxed())
}

/// The WatchAlerts stream.
pub async fn watch_alerts(
    context: Context,
    handle: Handle,
    filter: AlertFilter,
    after: u64,
) -> Result<BoxStream<pb::Alert>, Status> {
    let (in_force, after) = if after == 0 {
        let filter = filter.clone();
        let (mut alerts, seq) = handle
            .read_at(move |world, seq| {
                let alerts: Vec<_> = world.alerts.values().filter(|a| filter.passes(a)).cloned().collect();
                (alerts, seq)
            })
            .await
            .map_err(Status::from)?;
        alerts.sort_by(|a, b| (a.at, &a.call).cmp(&(b.at, &b.call)));
        let in_force: Vec<Result<pb::Alert, Status>> = alerts.iter().map(|a| Ok(convert::alert(a, seq))).collect();
        (in_force, seq)
    } else {
        (Vec::new(), after)
    };
    let changes = feed(&context, after, move |event| {
        if event.aggregate_type != events::DISPATCH_CALL || !event.kind.starts_with("alert.") {
            return None;
        }
        match events::engine_event(event)? {
            Event::Alert(alert) if filter.passes(&alert) => Some(convert::alert(&alert, event.seq)),
            _ => None,
        }
    })
    .await?;
    Ok(futures::stream::iter(in_force).chain(changes).boxed())
}
