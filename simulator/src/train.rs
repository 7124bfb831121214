//! `jedel-sim train`: plays the scenario's calls against a running Jedel as a shift, in real
//! time or `--speed` times faster, so dispatchers work them in the console or with `jedel ctl`.
//! Calls are filed at the scenario's instants (shifted to now) through CallIntake/CreateCall,
//! categorised by the triage answers, and medevac requests through Medevac/CreateRequest as the
//! region's coordinating doctor, optionally only for some regions; each is printed as it goes
//! out.

use std::time::Duration;

use jedel_api::intake::v1::call_intake_client::CallIntakeClient;
use jedel_api::medevac::v1::medevac_client::MedevacClient;
use tokio::time::Instant;

use crate::cli::TrainArgs;
use crate::client::{As, Session};
use crate::demand::{Arrival, Demand};
use crate::error::SimError;
use crate::load::create_call;
use crate::load::medevac::create_request;

/// Plays the shift; returns once every call of it has been filed.
pub async fn run(args: &TrainArgs) -> Result<(), SimError> {
    let (scenario, reference, seed) = crate::open(&args.scenario)?;
    for code in &args.regions {
        if !reference.regions.iter().any(|r| r.code.as_str() == code) {
            return Err(SimError::Usage(format!("--region {code}: no such region in the reference data")));
        }
    }
    let regions: Vec<String> = if args.regions.is_empty() {
        reference.regions.iter().map(|r| r.code.as_str().to_string()).collect()
    } else {
        args.regions.clone()
    };
    let real = Duration::from_secs_f64(args.shift.as_secs_f64() / args.speed);
    let session = Session::open(&args.server, &regions, 1, real + Duration::from_secs(3_600)).await?;
    let mut client = CallIntakeClient::new(session.channel(0, As::CallTaker));
    let mut medevac = MedevacClient::new(session.channel(0, As::Coordinator));
    let start = scenario.start.timestamp_micros();
    let end = start + args.shift.as_micros() as i64;
    let tag = format!("train-{}", uuid::Uuid::now_v7());
    let began = Instant::now();
    let (mut filed, mut failed, mut medevac_filed) = (0u64, 0u64, 0u64);
    for (n, arrival) in Demand::new(&scenario, &reference, seed, start, end).enumerate() {
        let region_index = match &arrival {
            Arrival::Call(incident) => incident.region,
            Arrival::Medevac { region, .. } => *region,
        };
        let region = reference.regions[region_index].code.as_str();
        if !regions.iter().any(|r| r == region) {
            continue;
        }
        let offset = Duration::from_secs_f64((arrival.at() - start) as f64 / 1e6 / args.speed);
        tokio::time::sleep_until(began + offset).await;
        let incident = match arrival {
            Arrival::Call(incident) => incident,
            Arrival::Medevac { .. } => {
                let now = chrono::Utc::now().timestamp_micros();
                let Some(request) = create_request(&reference, region_index, n as u64, &tag, now) else { continue };
                match medevac.create_request(request).await {
                    Ok(response) => {
                        medevac_filed += 1;
                        let request = response.into_inner();
                        println!("{} {} medevac request {}", request.number, region, request.id);
                    }
                    Err(status) => {
                        failed += 1;
                        let (code, message) = (status.code(), status.message());
                        tracing::warn!(region, ?code, message, "medevac request refused");
                    }
                }
                continue;
            }
        };
        match client.create_call(create_call(&scenario, &reference, &incident, &tag)).await {
            Ok(response) => {
                filed += 1;
                let call = response.into_inner().call.unwrap_or_default();
                println!("{} {} category {} {}", call.number, region, incident.category.number(), call.id);
            }
            Err(status) => {
                failed += 1;
                tracing::warn!(region, code = ?status.code(), message = status.message(), "call refused");
            }
        }
    }
    println!("shift over: {filed} calls and {medevac_filed} medevac requests filed, {failed} refused");
    Ok(())
}
