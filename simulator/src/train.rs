//! `jedel-sim train`: plays the scenario's calls against a running Jedel as a shift, in real
//! time or `--speed` times faster, so dispatchers work them in the console or with `jedel ctl`.
//! Calls are filed at the scenario's instants (shifted to now) through CallIntake/CreateCall,
//! categorised by the triage answers, optionally only for some regions; each is printed as it
//! goes out.

use std::time::Duration;

use jedel_api::intake::v1::call_intake_client::CallIntakeClient;
use tokio::time::Instant;

use crate::cli::TrainArgs;
use crate::client::{As, Session};
use crate::demand::{Arrival, Demand};
use crate::error::SimError;
use crate::load::create_call;

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
    let start = scenario.start.timestamp_micros();
    let end = start + args.shift.as_micros() as i64;
    let tag = format!("train-{}", uuid::Uuid::now_v7());
    let began = Instant::now();
    let (mut filed, mut failed) = (0u64, 0u64);
    for arrival in Demand::new(&scenario, &reference, seed, start, end) {
        let Arrival::Call(incident) = arrival else { continue };
        let region = reference.regions[incident.region].code.as_str();
        if !regions.iter().any(|r| r == region) {
            continue;
        }
        let offset = Duration::from_secs_f64((incident.at - start) as f64 / 1e6 / args.speed);
        tokio::time::sleep_until(began + offset).await;
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
    println!("shift over: {filed} calls filed, {failed} refused");
    Ok(())
}
