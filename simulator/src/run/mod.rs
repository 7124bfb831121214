//! `jedel-sim run`: the scenario through the real dispatch engine
//! ([`jedel_core::dispatch::Engine`]) with a simulated clock, once per policy, the policies in
//! parallel threads over the same calls (common random numbers: each call draws its durations
//! from its own stream, so policies differ only by what they decide). A policy that keeps units
//! in their region may run as several engines over disjoint sets of regions, on threads the
//! other policies leave idle; its counts add up to the same report.

pub mod policy;
pub mod sim;
pub mod stats;
pub mod world;

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};
use std::time::Instant;

use jedel_core::dispatch::{StraightLineModel, TableTravelModel};

use crate::demand::{Demand, HOUR};
use crate::error::SimError;
use crate::reference::Reference;
use crate::report::{Calibration, CalibrationRow, PolicyReport, Report};
use crate::scenario::Scenario;
pub use policy::Policy;
use sim::{Horizon, Simulation};
use stats::Collector;

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

/// One thread's share of a run: a policy over some regions.
struct Job {
    policy: Policy,
    /// 0 for the first (or only) part of its policy.
    part: usize,
    covers: Vec<bool>,
}

/// The jobs of a run on `threads` threads: a policy whose units stay in their region (straight
/// line, ETA) is split by region across the threads the other policies leave idle, in parts of
/// about equal demand (population); policies that send units across borders run whole.
fn jobs(policies: &[Policy], reference: &Reference, threads: usize) -> Vec<Job> {
    let regions = reference.regions.len();
    let splittable = policies.iter().filter(|p| p.local_only()).count();
    let whole = policies.len() - splittable;
    let spare = threads.saturating_sub(whole);
    let parts = spare.checked_div(splittable).unwrap_or(1).clamp(1, regions);
    let mut by_population: Vec<usize> = (0..regions).collect();
    by_population.sort_by(|a, b| reference.regions[*b].population.total_cmp(&reference.regions[*a].population));
    let mut split = vec![vec![false; regions]; parts];
    let mut load = vec![0.0_f64; parts];
    for region in by_population {
        let lightest = (0..parts).min_by(|a, b| load[*a].total_cmp(&load[*b])).expect("at least one part");
        split[lightest][region] = true;
        load[lightest] += reference.regions[region].population;
    }
    policies
        .iter()
        .flat_map(|&policy| {
            let covers = if policy.local_only() { split.clone() } else { vec![vec![true; regions]] };
            covers.into_iter().enumerate().map(move |(part, covers)| Job { policy, part, covers })
        })
        .collect()
}

/// What one job counted, and the calls it simulated.
type Part = Result<(Collector, u64), SimError>;

fn simulate(scenario: &Scenario, reference: &Reference, job: &Job, seed: u64) -> Part {
    let horizon = horizon(scenario);
    let demand = Demand::new(scenario, reference, seed, horizon.start, horizon.calls_until);
    let (policy, covers) = (job.policy, job.covers.clone());
    let (stats, calls) = if policy.straight_line() {
        let model = StraightLineModel::new(scenario.travel.straight_line_kmh).expect("validated speed");
        let mut sim = Simulation::new(scenario, reference, policy, model, seed, horizon, covers)?;
        sim.run(demand)?;
        (sim.stats, sim.simulated_calls)
    } else {
        let model = TableTravelModel::kazakhstan();
        let mut sim = Simulation::new(scenario, reference, policy, model, seed, horizon, covers)?;
        sim.run(demand)?;
        (sim.stats, sim.simulated_calls)
    };
    tracing::info!(policy = policy.name(), calls, "part simulated");
    Ok((stats, calls))
}

/// Runs every policy of `options` and assembles the report.
pub fn run(scenario: &Scenario, reference: &Reference, options: &RunOptions) -> Result<Outcome, SimError> {
    let started = Instant::now();
    let threads = options.threads.max(1);
    let jobs = jobs(&options.policies, reference, threads);
    // Each thread takes the next job not yet taken, so a long job does not hold up a batch.
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Part>>> = Mutex::new(std::iter::repeat_with(|| None).take(jobs.len()).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads.min(jobs.len()) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, AtomicOrdering::Relaxed);
                    let Some(job) = jobs.get(index) else { break };
                    let result = simulate(scenario, reference, job, options.seed);
                    results.lock().expect("no thread panics holding the results")[index] = Some(result);
                }
            });
        }
    });
    let results = results.into_inner().expect("no thread panics holding the results");
    let mut merged: Vec<(Policy, Collector, u64)> = Vec::new();
    for (job, result) in jobs.iter().zip(results) {
        // A thread that panics takes the scope down with it, so every job has its result here.
        let (stats, calls) = result.expect("every job ran")?;
        match merged.last_mut() {
            Some((_, total, total_calls)) if job.part > 0 => {
                total.add(&stats);
                *total_calls += calls;
            }
            _ => merged.push((job.policy, stats, calls)),
        }
    }
    let simulated_calls = merged.first().map_or(0, |(_, _, calls)| *calls);
    let policies: Vec<PolicyReport> =
        merged.iter().map(|(policy, stats, _)| stats.finish(reference, policy.name())).collect();
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
