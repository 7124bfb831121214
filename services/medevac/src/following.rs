//! Flight following: positions from trackers and crews, and the alerts the service raises on
//! a timer with `jedel_core::medevac::alerts` — evaluated at a moment the caller passes in,
//! so tests drive it with a clock of their own.
//!
//! A bad position is counted and skipped, never fatal to its stream: unknown or malformed
//! aircraft, outside Kazakhstan, a time far from now, no accepted tasking for the aircraft,
//! or (for airline operators) another airline's aircraft.

use std::collections::HashMap;

use jedel_api::medevac::v1 as pb;
use jedel_core::LatLon;
use jedel_core::aviation::Registration;
use jedel_core::local_time::{MINUTE, Micros};
use jedel_core::medevac::PositionSource;
use jedel_core::medevac::alerts::{self, AlertChange, Flight, Thresholds};
use jedel_platform::db::Change;
use jedel_platform::time::from_timestamp;
use jedel_platform::{Caller, Db, Role};
use tracing::debug;

use crate::error::MedevacError;
use crate::events;
use crate::model::{Alert, Point, Position};
use crate::requests::rpc;
use crate::store;

/// How far ahead of the server's clock a position's time may be (clock skew).
const MAX_AHEAD: Micros = 5 * MINUTE;
/// How old a position may be (a tracker's buffered backlog).
const MAX_AGE: Micros = 24 * 60 * MINUTE;

/// A position checked in isolation, before its tasking is looked up.
fn check(p: &pb::FlightPosition, now: Micros) -> Option<(Registration, Point, Micros, PositionSource)> {
    let registration = Registration::parse(&p.aircraft_registration).ok()?;
    let at = p.position.as_ref().and_then(|ll| LatLon::parse(ll.lat, ll.lon).ok())?;
    let recorded_at = p.recorded_at.as_ref().and_then(from_timestamp)?;
    if recorded_at > now + MAX_AHEAD || recorded_at < now - MAX_AGE {
        return None;
    }
    let source = PositionSource::from_number(p.source)?;
    let plausible = p.altitude_m.is_finite()
        && (-500.0..=15_000.0).contains(&p.altitude_m)
        && p.ground_speed_kmh.is_finite()
        && (0.0..=2_000.0).contains(&p.ground_speed_kmh);
    plausible.then_some((registration, Point { lat: at.lat(), lon: at.lon() }, recorded_at, source))
}

/// Records the positions of one stream message; returns (accepted, rejected). Accepted ones
/// are committed per request, each batch with one event.
pub async fn record(
    db: &Db,
    caller: &Caller,
    positions: &[pb::FlightPosition],
    now: Micros,
) -> Result<(u64, u64), MedevacError> {
    let mut by_request: Vec<(String, Vec<Position>)> = Vec::new();
    let mut rejected = 0;
    for p in positions {
        let Some((registration, point, recorded_at, source)) = check(p, now) else {
            rejected += 1;
            continue;
        };
        let tasking = match p.medevac_request_id.as_str() {
            "" => store::flying_tasking_of_aircraft(db.reader(), registration.as_str()).await?,
            request_id => match store::request(db.reader(), request_id).await? {
                Some(request) => match &request.current_tasking_id {
                    Some(id) => store::tasking(db.reader(), id).await?,
                    None => None,
                },
                None => None,
            },
        };
        let Some(tasking) = tasking.filter(|t| {
            t.aircraft_registration == registration.as_str()
                && t.status == jedel_core::medevac::TaskingStatus::Accepted
                && (caller.role != Role::Airline || caller.airline.as_deref() == Some(t.airline_code.as_str()))
        }) else {
            rejected += 1;
            continue;
        };
        let position = Position {
            aircraft_registration: registration.as_str().to_string(),
            medevac_request_id: tasking.medevac_request_id.clone(),
            tasking_id: tasking.id.clone(),
            point,
            altitude_m: p.altitude_m,
            ground_speed_kmh: p.ground_speed_kmh,
            recorded_at,
            source,
        };
        match by_request.iter_mut().find(|(id, _)| *id == position.medevac_request_id) {
            Some((_, batch)) => batch.push(position),
            None => by_request.push((position.medevac_request_id.clone(), vec![position])),
        }
    }
    let mut accepted = 0;
    for (request_id, batch) in by_request {
        let mut tx = db.begin().await?;
        for position in &batch {
            store::positions::insert(tx.conn(), position, now).await?;
        }
        let last = batch.iter().max_by_key(|p| p.recorded_at);
        let payload = serde_json::json!({
            "count": batch.len(),
            "tasking_id": last.map(|p| p.tasking_id.clone()),
            "aircraft_registration": last.map(|p| p.aircraft_registration.clone()),
            "last_recorded_at": last.map(|p| p.recorded_at),
        });
        tx.commit(Change {
            actor: caller.clone(),
            rpc: rpc::POSITIONS,
            entity_type: events::AGGREGATE,
            entity_id: request_id.clone(),
            events: vec![jedel_platform::NewEvent {
                aggregate_type: events::AGGREGATE,
                aggregate_id: request_id,
                kind: events::POSITIONS_RECORDED,
                payload,
            }],
        })
        .await?;
        accepted += batch.len() as u64;
    }
    Ok((accepted, rejected))
}

/// Evaluates every followed flight at `now`, and raises and clears alerts accordingly, each
/// in its own transaction with its event. Returns the alerts raised and cleared.
pub async fn follow(db: &Db, thresholds: &Thresholds, now: Micros) -> Result<Vec<Alert>, MedevacError> {
    let reader = db.reader();
    let taskings = store::accepted_taskings(reader).await?;
    let mut last: HashMap<String, Position> = HashMap::new();
    for tasking in &taskings {
        if let Some(position) = store::positions::last_of_tasking(reader, &tasking.id).await? {
            last.insert(tasking.id.clone(), position);
        }
    }
    let active = store::alerts::active(reader).await?;
    let keys: Vec<_> = active.iter().map(store::alerts::key).collect();
    let flights: Vec<Flight<'_>> = taskings
        .iter()
        .map(|t| Flight {
            tasking_id: &t.id,
            schedule: &t.schedule,
            last_position_at: last.get(&t.id).map(|p| p.recorded_at),
        })
        .collect();
    let changes = alerts::reconcile(&keys, &flights, now, thresholds);
    let system = Caller::system("medevac-flight-following");
    let mut done = Vec::new();
    for change in changes {
        let alert = match &change {
            AlertChange::Raise(condition) => {
                let Some(t) = taskings.iter().find(|t| t.id == condition.tasking_id) else { continue };
                Alert {
                    kind: condition.kind,
                    cleared: false,
                    tasking_id: t.id.clone(),
                    medevac_request_id: t.medevac_request_id.clone(),
                    region_code: t.region_code.clone(),
                    airline_code: t.airline_code.clone(),
                    aircraft_registration: t.aircraft_registration.clone(),
                    threshold: condition.threshold,
                    lag: condition.lag,
                    milestone: condition.milestone,
                    last_position: last.get(&t.id).cloned(),
                    at: now,
                }
            }
            AlertChange::Clear { alert, lag, threshold } => {
                let Some(raised) = active.iter().find(|a| store::alerts::key(a) == *alert) else { continue };
                Alert {
                    cleared: true,
                    lag: *lag,
                    threshold: *threshold,
                    last_position: last.get(&raised.tasking_id).cloned(),
                    at: now,
                    ..raised.clone()
                }
            }
        };
        let mut tx = db.begin().await?;
        let applied = if alert.cleared {
            store::alerts::delete(tx.conn(), &alert.tasking_id, alert.kind).await?
        } else {
            store::alerts::insert(tx.conn(), &alert).await?
        };
        if !applied {
            debug!(tasking_id = %alert.tasking_id, "alert already handled by another process");
            continue;
        }
        tx.commit(Change {
            actor: system.clone(),
            rpc: rpc::FOLLOW,
            entity_type: events::ALERT_AGGREGATE,
            entity_id: alert.tasking_id.clone(),
            events: vec![events::alert_event(&alert)],
        })
        .await?;
        done.push(alert);
    }
    Ok(done)
}
