//! The simulated fleet of a load run: the server's units (ListUnits), one position stream per
//! connection carrying every vehicle's fix once per interval (spread evenly over it), and
//! status changes at a fixed rate (free at the station ↔ free on the move).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use jedel_api::common::v1::LatLon as PbLatLon;
use jedel_api::dispatch::v1::dispatcher_client::DispatcherClient;
use jedel_api::dispatch::v1::{
    ListUnitsRequest, PositionReport, RejectionReason, StreamPositionsRequest, UnitStatus, UpdateUnitStatusRequest,
};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::client::{As, Session, timestamp};
use crate::error::SimError;

/// A vehicle: its unit id and where it drives around.
#[derive(Debug, Clone)]
pub struct Vehicle {
    /// Registry brigade id.
    pub id: String,
    /// Its last known position.
    pub home: (f64, f64),
}

/// Up to `n` units of the server, by call sign.
pub async fn units(session: &Session, n: usize) -> Result<Vec<Vehicle>, SimError> {
    let mut client = DispatcherClient::new(session.channel(0, As::Dispatcher));
    let mut out = Vec::new();
    let mut page_token = String::new();
    while out.len() < n {
        let page = client
            .list_units(ListUnitsRequest { page_size: 1000, page_token, ..Default::default() })
            .await
            .map_err(|s| SimError::remote("list units", s.message()))?
            .into_inner();
        for unit in page.units {
            let home = unit.position.map_or((51.17, 71.45), |p| (p.lat, p.lon));
            out.push(Vehicle { id: unit.id, home });
        }
        if page.next_page_token.is_empty() {
            break;
        }
        page_token = page.next_page_token;
    }
    out.truncate(n);
    Ok(out)
}

/// What the position streams sent and the server answered.
#[derive(Debug, Clone, Default)]
pub struct Positions {
    /// Reports sent.
    pub sent: u64,
    /// Taken by the server.
    pub accepted: u64,
    /// Refused, by the server's reason (`STALE`, `UNKNOWN_UNIT`, …).
    pub rejected: BTreeMap<String, u64>,
}

/// Streams every vehicle's position once per `interval` for `duration` from `start`, over one
/// stream per channel.
pub fn stream_positions(
    session: &Session,
    vehicles: &[Vehicle],
    interval: Duration,
    start: Instant,
    duration: Duration,
) -> JoinHandle<Positions> {
    let streams = session.channels.len();
    let clients: Vec<_> = (0..streams).map(|i| DispatcherClient::new(session.channel(i, As::Dispatcher))).collect();
    let vehicles = vehicles.to_vec();
    tokio::spawn(async move {
        if vehicles.is_empty() {
            return Positions::default();
        }
        let mut senders = Vec::new();
        let mut answers = Vec::new();
        for mut client in clients {
            let (tx, rx) = tokio::sync::mpsc::channel::<StreamPositionsRequest>(64);
            senders.push(tx);
            answers.push(tokio::spawn(async move {
                client.stream_positions(tokio_stream::wrappers::ReceiverStream::new(rx)).await
            }));
        }
        let tick = Duration::from_millis(100);
        let ticks_per_interval = (interval.as_millis() / tick.as_millis()).max(1) as usize;
        let mut sent = 0u64;
        let mut n = 0usize;
        while start.elapsed() < duration || Instant::now() < start {
            tokio::time::sleep_until(start + tick * n as u32).await;
            let slot = n % ticks_per_interval;
            let round = (n / ticks_per_interval) as f64;
            let now = chrono::Utc::now().timestamp_micros();
            let reports: Vec<PositionReport> = vehicles
                .iter()
                .enumerate()
                .filter(|(i, _)| i % ticks_per_interval == slot)
                .map(|(i, v)| {
                    let wiggle = ((round + i as f64) * 0.7).sin() * 0.01;
                    PositionReport {
                        unit_id: v.id.clone(),
                        position: Some(PbLatLon { lat: v.home.0 + wiggle, lon: v.home.1 - wiggle }),
                        recorded_at: Some(timestamp(now)),
                        speed_kmh: Some(30.0),
                        heading_deg: Some(90.0),
                    }
                })
                .collect();
            for (k, batch) in reports.chunks(1000).enumerate() {
                sent += batch.len() as u64;
                let _ = senders[(n + k) % senders.len()].send(StreamPositionsRequest { reports: batch.to_vec() }).await;
            }
            n += 1;
        }
        drop(senders);
        let mut positions = Positions { sent, ..Positions::default() };
        for answer in answers {
            if let Ok(Ok(response)) = answer.await {
                let response = response.into_inner();
                positions.accepted += response.accepted;
                for r in response.rejections {
                    let reason = RejectionReason::try_from(r.reason).map_or("UNKNOWN", |r| r.as_str_name());
                    *positions.rejected.entry(reason.to_string()).or_default() += r.count;
                }
            }
        }
        positions
    })
}

/// Changes unit statuses at `rate` per second (open loop), calling `record` with each latency
/// from the intended instant and its outcome.
pub fn change_statuses(
    session: Arc<Session>,
    vehicles: Vec<Vehicle>,
    rate: f64,
    start: Instant,
    duration: Duration,
    timeout: Duration,
    record: impl Fn(u64, Result<(), String>) + Send + Sync + 'static,
) -> JoinHandle<()> {
    let record = Arc::new(record);
    tokio::spawn(async move {
        if vehicles.is_empty() {
            return;
        }
        let send = |i: usize| {
            let vehicle = &vehicles[i % vehicles.len()];
            // Each vehicle alternates: first on the move, then back at its station.
            let status = if (i / vehicles.len()).is_multiple_of(2) {
                UnitStatus::AvailableOnMove
            } else {
                UnitStatus::AvailableAtStation
            };
            let request = UpdateUnitStatusRequest {
                id: vehicle.id.clone(),
                status: status.into(),
                position: Some(PbLatLon { lat: vehicle.home.0, lon: vehicle.home.1 }),
                ..Default::default()
            };
            let mut client = DispatcherClient::new(session.channel(i, As::Dispatcher));
            Some(async move { client.update_unit_status(request).await })
        };
        let record = move |latency, answer: Result<_, String>| record(latency, answer.map(drop));
        super::schedule::drive(start, super::schedule::instants(rate, None, duration), timeout, send, record).await;
    })
}
