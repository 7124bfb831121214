//! `jedel-sim run`: the scenario through the real dispatch engine
//! ([`jedel_core::dispatch::Engine`]) with a simulated clock, once per policy, the policies in
//! parallel threads over the same calls (common random numbers: each call draws its durations
//! from its own stream, so policies differ only by what they decide).

pub mod policy;
pub mod sim;
pub mod stats;
pub mod world;

use std::time::Instant;

use jedel_core::dispatch::{StraightLineModel, TableTravelModel};

use crate::demand::{Demand, HOUR};
use crate::error::SimError;
use crate::reference::Reference;
use crate::report::{Calibration, CalibrationRow, PolicyReport, Report};
use crate::scenario::Scenario;
pub use policy::Policy;
use sim::{Horizon, Simulation};

/// What to run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOptions {
    /// The seed of the calls and every draw.
    pub seed: u64,
    /// The policies, in report order.
    pub policies: Vec<Policy>,
    /// Threads to run policies on.
    pub threads: usize,
}

/// A report with what it cost.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The figures (deterministic).
    pub report: Report,
    /// Wall-clock seconds of the whole run.
    pub wall_seconds: f64,
}

/// The instants of `scenario`.
pub fn horizon(scenario: &Scenario) -> Horizon {
    let start = scenario.start.timestamp_micros();
    let report_from = start + (scenario.warmup_hours * HOUR as f64) as i64;
    let calls_until = report_from + (scenario.days * 24.0 * HOUR as f64) as i64;
    let end = calls_until + (scenario.drain_hours * HOUR as f64) as i64;
    Horizon { start, report_from, calls_until, end }
}

fn simulate(
    scenario: &Scenario,
    reference: &Reference,
    policy: Policy,
    seed: u64,
) -> Result<(PolicyReport, u64), SimError> {
    let horizon = horizon(scenario);
    let demand = Demand::new(scenario, reference, seed, horizon.start, horizon.calls_until);
    let (stats, calls) = if policy.straight_line() {
        let model = StraightLineModel::new(scenario.travel.straight_line_kmh).expect("validated speed");
        let mut sim = Simulation::new(scenario, reference, policy, model, seed, horizon)?;
        sim.run(demand)?;
        (sim.stats, sim.simulated_calls)
    } else {
        let mut sim = Simulation::new(scenario, reference, policy, TableTravelModel::kazakhstan(), seed, horizon)?;
        sim.run(demand)?;
        (sim.stats, sim.simulated_calls)
    };
    tracing::info!(policy = policy.name(), calls, "policy simulated");
    Ok((stats.finish(reference, policy.name()), calls))
}

/// Runs every policy of `options` and assembles the report.
pub fn run(scenario: &Scenario, reference: &Reference, options: &RunOptions) -> Result<Outcome, SimError> {
    let started = Instant::now();
    let threads = options.threads.max(1);
    let mut results: Vec<Option<Result<(PolicyReport, u64), SimError>>> = Vec::new();
    results.resize_with(options.policies.len(), || None);
    for (chunk_no, chunk) in options.policies.chunks(threads).enumerate() {
        std::thread::scope(|scope| {
            let handles: Vec<_> = chunk
                .iter()
                .map(|&policy| scope.spawn(move || simulate(scenario, reference, policy, options.seed)))
                .collect();
            for (i, handle) in handles.into_iter().enumerate() {
                let result =
                    handle.join().unwrap_or_else(|_| Err(SimError::Usage("a simulation thread panicked".into())));
                results[chunk_no * threads + i] = Some(result);
            }
        });
    }
    let mut policies = Vec::new();
    let mut simulated_calls = 0;
    for result in results.into_iter().flatten() {
        let (report, calls) = result?;
        simulated_calls = calls;
        policies.push(report);
    }
    let calibration = calibration(scenario, &policies);
    let report = Report {
        scenario: scenario.name.clone(),
        seed: options.seed,
        days: scenario.days,
        simulated_calls,
        policies,
        calibration,
    };
    Ok(Outcome { report, wall_seconds: started.elapsed().as_secs_f64() })
}

fn calibration(scenario: &Scenario, policies: &[PolicyReport]) -> Option<Calibration> {
    let target = &scenario.calibration;
    let policy = policies.iter().find(|p| p.policy == target.policy)?;
    let rows = (1..=4u8)
        .map(|c| CalibrationRow {
            category: c,
            target_min: target.mean_arrival_min[usize::from(c - 1)],
            simulated_min: policy.row("KZ", Some(c)).and_then(|r| r.mean_arrival_min),
        })
        .collect();
    Some(Calibration { source: target.source.clone(), policy: target.policy.clone(), rows })
}
