//! `jedel-sim load`: drives a running Jedel over gRPC. Calls are created (CallIntake/CreateCall,
//! categorised by the scenario's triage answers, at scenario positions) on an open-loop
//! schedule at a fixed or ramped rate; thousands of vehicles stream positions
//! (Dispatcher/StreamPositions, each every `--position-interval`); units change status
//! (Dispatcher/UpdateUnitStatus); regional coordinating doctors file medevac requests
//! (Medevac/CreateRequest). Latency counts from each request's intended send time. At the end
//! every call and medevac request the server acknowledged is looked up (ListCalls,
//! ListRequests): nothing may be lost.

pub mod medevac;
pub mod schedule;
pub mod stats;
mod vehicles;
mod verify;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jedel_api::common::v1::LatLon as PbLatLon;
use jedel_api::intake::v1::call_intake_client::CallIntakeClient;
use jedel_api::intake::v1::{Caller, CreateCallRequest, CreateCallResponse, Location, TriageAnswer};
use jedel_api::medevac::v1::MedevacRequest;
use jedel_api::medevac::v1::medevac_client::MedevacClient;
use serde::Serialize;
use tokio::time::Instant;

use crate::cli::LoadArgs;
use crate::client::{As, Session};
use crate::demand::{Arrival, Demand, Incident};
use crate::error::SimError;
use crate::reference::Reference;
use crate::scenario::Scenario;
use stats::{RpcFigures, RpcStats};

/// What a load run measured.
#[derive(Debug, Clone, Serialize)]
pub struct LoadOutcome {
    /// Seconds of scheduled load.
    pub seconds: f64,
    /// Per RPC.
    pub rpcs: Vec<RpcFigures>,
    /// Position reports sent on the streams.
    pub positions_sent: u64,
    /// Of those, taken by the server.
    pub positions_accepted: u64,
    /// Of those, refused by the server.
    pub positions_rejected: u64,
    /// The refusals by the server's reason.
    pub positions_rejected_by_reason: BTreeMap<String, u64>,
    /// Vehicles that streamed.
    pub vehicles: usize,
    /// Calls the server acknowledged.
    pub acknowledged_calls: usize,
    /// Acknowledged calls not found afterwards.
    pub missing_calls: usize,
    /// Medevac requests the server acknowledged.
    pub acknowledged_medevac: usize,
    /// Acknowledged medevac requests not found afterwards.
    pub missing_medevac: usize,
}

impl LoadOutcome {
    /// A table for the terminal.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{:<42} {:>8} {:>7} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8}\n",
            "rpc", "ok", "errors", "per s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms"
        );
        for r in &self.rpcs {
            let errors: u64 = r.errors.values().sum();
            out.push_str(&format!(
                "{:<42} {:>8} {:>7} {:>9.1} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2}\n",
                r.rpc, r.ok, errors, r.throughput_per_s, r.p50_ms, r.p90_ms, r.p99_ms, r.p999_ms, r.max_ms
            ));
            for (code, n) in &r.errors {
                out.push_str(&format!("    {code}: {n}\n"));
            }
        }
        let reasons: Vec<String> =
            self.positions_rejected_by_reason.iter().map(|(reason, n)| format!("{reason} {n}")).collect();
        out.push_str(&format!(
            "positions: {} vehicles, {} sent, {} accepted, {} rejected{}\n",
            self.vehicles,
            self.positions_sent,
            self.positions_accepted,
            self.positions_rejected,
            if reasons.is_empty() { String::new() } else { format!(" ({})", reasons.join(", ")) }
        ));
        out.push_str(&format!(
            "calls: {} acknowledged, {} missing afterwards; medevac requests: {} acknowledged, {} missing{}",
            self.acknowledged_calls,
            self.missing_calls,
            self.acknowledged_medevac,
            self.missing_medevac,
            if self.missing_calls + self.missing_medevac == 0 { " (nothing lost)" } else { " (LOST)" }
        ));
        out
    }

    /// The figures as pretty JSON.
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).expect("figures serialise")
    }

    /// Fails when an acknowledged call or medevac request is missing.
    pub fn check(&self) -> Result<(), SimError> {
        if self.missing_calls > 0 {
            return Err(SimError::Lost {
                what: "calls",
                acknowledged: self.acknowledged_calls,
                missing: self.missing_calls,
            });
        }
        if self.missing_medevac > 0 {
            return Err(SimError::Lost {
                what: "medevac requests",
                acknowledged: self.acknowledged_medevac,
                missing: self.missing_medevac,
            });
        }
        Ok(())
    }
}

/// The request that files `incident` as a 103 call, categorised by the scenario's answers.
pub fn create_call(scenario: &Scenario, reference: &Reference, incident: &Incident, tag: &str) -> CreateCallRequest {
    let answers = &scenario.triage_answers[usize::from(incident.category.number() - 1)];
    CreateCallRequest {
        request_id: format!("{tag}-{}", incident.seq),
        region_code: reference.regions[incident.region].code.as_str().to_string(),
        caller: Some(Caller { phone: format!("+7701{:07}", incident.seq % 10_000_000), name: String::new() }),
        location: Some(Location {
            position: Some(PbLatLon { lat: incident.position.lat(), lon: incident.position.lon() }),
            address: format!("simulated incident {}", incident.seq),
        }),
        patient: None,
        complaint: format!("simulated category {} call", incident.category.number()),
        triage_answers: answers
            .iter()
            .map(|(q, a)| TriageAnswer { question_id: q.clone(), answer_id: a.clone() })
            .collect(),
        received_at: None,
    }
}

/// The incidents of the scenario, in order, as many as asked.
pub fn incidents(scenario: &Scenario, reference: &Reference, seed: u64, n: usize) -> Vec<Incident> {
    let start = scenario.start.timestamp_micros();
    Demand::new(scenario, reference, seed, start, i64::MAX / 2)
        .filter_map(|a| match a {
            Arrival::Call(incident) => Some(incident),
            Arrival::Medevac { .. } => None,
        })
        .take(n)
        .collect()
}

/// The gRPC code name of a failure.
pub fn code_of(status: &tonic::Status) -> String {
    format!("{:?}", status.code())
}

/// Shared counters of a run.
#[derive(Debug, Default)]
struct Shared {
    create_call: RpcStats,
    update_status: RpcStats,
    create_medevac: RpcStats,
    acknowledged: Vec<String>,
    acknowledged_medevac: Vec<String>,
}

/// Runs the load `args` describe.
pub async fn run(args: &LoadArgs) -> Result<LoadOutcome, SimError> {
    let (scenario, reference, seed) = crate::open(&args.scenario)?;
    let regions: Vec<String> = reference.regions.iter().map(|r| r.code.as_str().to_string()).collect();
    let ttl = args.duration + Duration::from_secs(3_600);
    let session = Arc::new(Session::open(&args.server, &regions, usize::from(args.connections), ttl).await?);
    let units = vehicles::units(&session, args.vehicles).await?;
    let instants = schedule::instants(args.rate, args.ramp_to, args.duration);
    let calls = incidents(&scenario, &reference, seed, instants.len());
    let tag = format!("sim-{}", uuid::Uuid::now_v7());
    let shared = Arc::new(Mutex::new(Shared::default()));
    let started_wall = chrono::Utc::now();
    let start = Instant::now() + Duration::from_millis(200);
    let positions = vehicles::stream_positions(&session, &units, args.position_interval, start, args.duration);
    let statuses = vehicles::change_statuses(
        session.clone(),
        units.clone(),
        args.status_rate,
        start,
        args.duration,
        args.timeout,
        {
            let shared = shared.clone();
            move |latency, outcome| shared.lock().expect("stats lock").update_status.record(latency, outcome)
        },
    );
    let medevac = file_medevac(session.clone(), reference.clone(), args, start, &tag, shared.clone());
    schedule::drive(
        start,
        instants,
        args.timeout,
        |i| {
            let mut client = CallIntakeClient::new(session.channel(i, As::CallTaker));
            let request = create_call(&scenario, &reference, &calls[i], &tag);
            Some(async move { client.create_call(request).await })
        },
        {
            let shared = shared.clone();
            move |latency, answer: Result<CreateCallResponse, String>| {
                let mut shared = shared.lock().expect("stats lock");
                if let Some(call) = answer.as_ref().ok().and_then(|a| a.call.as_ref()) {
                    shared.acknowledged.push(call.id.clone());
                }
                shared.create_call.record(latency, answer.map(drop));
            }
        },
    )
    .await;
    let _ = statuses.await;
    let _ = medevac.await;
    let positions = positions.await.unwrap_or_default();
    let seconds = args.duration.as_secs_f64();
    let shared = std::mem::take(&mut *shared.lock().expect("stats lock"));
    let missing = verify::missing_calls(&session, &shared.acknowledged, started_wall).await?;
    let missing_medevac = verify::missing_medevac(&session, &shared.acknowledged_medevac, started_wall).await?;
    Ok(LoadOutcome {
        seconds,
        rpcs: vec![
            shared.create_call.figures("jedel.intake.v1.CallIntake/CreateCall", seconds),
            shared.update_status.figures("jedel.dispatch.v1.Dispatcher/UpdateUnitStatus", seconds),
            shared.create_medevac.figures("jedel.medevac.v1.Medevac/CreateRequest", seconds),
        ],
        positions_sent: positions.sent,
        positions_accepted: positions.accepted,
        positions_rejected: positions.rejected.values().sum(),
        positions_rejected_by_reason: positions.rejected,
        vehicles: units.len(),
        acknowledged_calls: shared.acknowledged.len(),
        missing_calls: missing,
        acknowledged_medevac: shared.acknowledged_medevac.len(),
        missing_medevac,
    })
}

/// Files medevac requests at `--medevac-rate` a minute (open loop), round the regions.
fn file_medevac(
    session: Arc<Session>,
    reference: Reference,
    args: &LoadArgs,
    start: Instant,
    tag: &str,
    shared: Arc<Mutex<Shared>>,
) -> tokio::task::JoinHandle<()> {
    let instants = schedule::instants(args.medevac_rate / 60.0, None, args.duration);
    let (timeout, tag) = (args.timeout, tag.to_string());
    tokio::spawn(async move {
        let send = |i: usize| {
            let now = chrono::Utc::now().timestamp_micros();
            let request = medevac::create_request(&reference, i % reference.regions.len(), i as u64, &tag, now)?;
            let mut client = MedevacClient::new(session.channel(i, As::Coordinator));
            Some(async move { client.create_request(request).await })
        };
        let record = move |latency, answer: Result<MedevacRequest, String>| {
            let mut shared = shared.lock().expect("stats lock");
            if let Ok(request) = &answer {
                shared.acknowledged_medevac.push(request.id.clone());
            }
            shared.create_medevac.record(latency, answer.map(drop));
        };
        schedule::drive(start, instants, timeout, send, record).await;
    })
}
