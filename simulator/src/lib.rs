//! Jedel's simulator (`jedel-sim`): the national scenario as data ([`scenario`], [`reference`],
//! [`demand`]), a discrete-event simulation over the real dispatch engine comparing policies
//! ([`run`], [`report`]), a load driver over gRPC ([`load`]) and a training mode that plays the
//! scenario against a running Jedel ([`train`]). `main.rs` only parses and hands over to
//! [`execute`].

pub mod cli;
pub mod client;
pub mod demand;
pub mod error;
pub mod load;
pub mod random;
pub mod reference;
pub mod report;
pub mod run;
pub mod scenario;
pub mod train;

use cli::{Command, RunArgs};
use error::SimError;
use reference::Reference;
use report::Report;
use scenario::Scenario;

/// Reads a scenario with its reference data, applying the seed override.
pub fn open(args: &cli::ScenarioArgs) -> Result<(Scenario, Reference, u64), SimError> {
    let scenario = Scenario::load(&args.scenario)?;
    let reference = Reference::load(&scenario.reference_dir())?;
    let seed = args.seed.unwrap_or(scenario.seed);
    Ok((scenario, reference, seed))
}

/// Runs one command to completion; what it prints goes to stdout, logs to stderr.
pub async fn execute(command: Command) -> Result<(), SimError> {
    match command {
        Command::Run(args) => tokio::task::spawn_blocking(move || run_command(&args))
            .await
            .map_err(|e| SimError::Usage(format!("the simulation stopped: {e}")))?,
        Command::Load(args) => {
            let outcome = load::run(&args).await?;
            println!("{}", outcome.table());
            if let Some(path) = &args.json {
                Report::write(path, &outcome.json())?;
            }
            outcome.check()
        }
        Command::Train(args) => train::run(&args).await,
    }
}

fn run_command(args: &RunArgs) -> Result<(), SimError> {
    let (mut scenario, reference, seed) = open(&args.scenario)?;
    if let Some(days) = args.days {
        scenario.days = days;
    }
    if let Some(calls) = args.calls_per_year {
        scenario.calls_per_year = calls;
    }
    let policies = if args.policies.is_empty() { run::Policy::ALL.to_vec() } else { args.policies.clone() };
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let options = run::RunOptions { seed, policies, threads };
    let outcome = run::run(&scenario, &reference, &options)?;
    let report = &outcome.report;
    print!("{}", report.table(args.regions));
    println!(
        "\n{} calls simulated per policy, {} policies, {:.1} s wall clock: {:.0} simulated calls per second",
        report.simulated_calls,
        report.policies.len(),
        outcome.wall_seconds,
        (report.simulated_calls as f64 * report.policies.len() as f64) / outcome.wall_seconds.max(1e-9)
    );
    if let Some(path) = &args.csv {
        Report::write(path, &report.csv())?;
    }
    if let Some(path) = &args.json {
        Report::write(path, &report.json())?;
    }
    Ok(())
}
