//! The command line of `jedel-sim`: `run`, `load` and `train`, each flag with its `JEDEL_SIM_*`
//! environment variable where a script would want one.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use jedel_platform::config::parse_duration;

use crate::run::Policy;
use crate::scenario::DEFAULT_SCENARIO;

/// Jedel's simulator: dispatch-policy studies, load tests and training shifts.
#[derive(Parser, Debug)]
#[command(name = "jedel-sim", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The modes.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Simulate the scenario through the dispatch engine with a simulated clock and compare
    /// policies.
    Run(RunArgs),
    /// Drive a running Jedel over gRPC at a fixed or ramped rate and measure it.
    Load(LoadArgs),
    /// Play the scenario against a running Jedel in real time or faster, for a training shift.
    Train(TrainArgs),
}

/// The scenario and seed every mode starts from.
#[derive(Args, Debug, Clone)]
pub struct ScenarioArgs {
    /// The scenario file.
    #[arg(long, env = "JEDEL_SIM_SCENARIO", default_value = DEFAULT_SCENARIO)]
    pub scenario: PathBuf,
    /// The seed (default: the scenario's).
    #[arg(long, env = "JEDEL_SIM_SEED")]
    pub seed: Option<u64>,
}

/// `jedel-sim run`
#[derive(Args, Debug, Clone)]
pub struct RunArgs {
    /// Scenario and seed.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Days to report (default: the scenario's).
    #[arg(long, value_parser = positive)]
    pub days: Option<f64>,
    /// Calls a year, nationally (default: the scenario's).
    #[arg(long, value_parser = positive)]
    pub calls_per_year: Option<f64>,
    /// A policy to compare (repeat; default: all four).
    #[arg(long = "policy", value_enum)]
    pub policies: Vec<Policy>,
    /// Threads to run policies on, and the regions of a straight-line or ETA policy when there
    /// are more threads than policies (default: the machine's cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Also print every region.
    #[arg(long)]
    pub regions: bool,
    /// Write every row as CSV to this file.
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Write the whole report as JSON to this file.
    #[arg(long)]
    pub json: Option<PathBuf>,
}

/// How to reach and authenticate to a running Jedel.
#[derive(Args, Debug, Clone)]
pub struct ServerArgs {
    /// gRPC address of the server.
    #[arg(long, env = "JEDEL_SIM_SERVER", default_value = "http://127.0.0.1:50051")]
    pub server: String,
    /// The deployment's data directory, whose signing key mints the simulator's tokens.
    #[arg(long, env = "JEDEL_DATA_DIR", default_value = "./jedel-data")]
    pub data_dir: PathBuf,
    /// The signing key (PEM) instead of the one in the data directory.
    #[arg(long, env = "JEDEL_SIM_PRIVATE_KEY")]
    pub private_key: Option<PathBuf>,
}

/// `jedel-sim load`
#[derive(Args, Debug, Clone)]
pub struct LoadArgs {
    /// Server and keys.
    #[command(flatten)]
    pub server: ServerArgs,
    /// Scenario (call positions, categories) and seed.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Calls created per second (at the start, when ramping).
    #[arg(long, default_value_t = 100.0, value_parser = positive)]
    pub rate: f64,
    /// Ramp linearly to this many calls per second by the end.
    #[arg(long, value_parser = positive)]
    pub ramp_to: Option<f64>,
    /// How long to send.
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    pub duration: Duration,
    /// Vehicles streaming positions.
    #[arg(long, default_value_t = 2_000)]
    pub vehicles: usize,
    /// Each vehicle reports its position this often.
    #[arg(long, default_value = "5s", value_parser = parse_duration)]
    pub position_interval: Duration,
    /// Unit status changes per second.
    #[arg(long, default_value_t = 10.0, value_parser = non_negative)]
    pub status_rate: f64,
    /// Medevac requests created per minute (Medevac/CreateRequest as the region's coordinating
    /// doctor, round the regions).
    #[arg(long, default_value_t = 6.0, value_parser = non_negative)]
    pub medevac_rate: f64,
    /// HTTP/2 connections to spread requests over.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub connections: u16,
    /// Give up on a request after this long (counted as an error).
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    pub timeout: Duration,
    /// Write the figures as JSON to this file.
    #[arg(long)]
    pub json: Option<PathBuf>,
}

/// `jedel-sim train`
#[derive(Args, Debug, Clone)]
pub struct TrainArgs {
    /// Server and keys.
    #[command(flatten)]
    pub server: ServerArgs,
    /// Scenario and seed.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Simulated seconds per real second (1 = real time).
    #[arg(long, default_value_t = 1.0, value_parser = positive)]
    pub speed: f64,
    /// Only calls of this region (repeat; default: every region).
    #[arg(long = "region")]
    pub regions: Vec<String>,
    /// Length of the simulated shift.
    #[arg(long, default_value = "12h", value_parser = parse_duration)]
    pub shift: Duration,
}

fn number(text: &str) -> Result<f64, String> {
    text.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| format!("'{text}' is not a number"))
}

fn positive(text: &str) -> Result<f64, String> {
    number(text).and_then(|v| if v > 0.0 { Ok(v) } else { Err(format!("'{text}' must be above 0")) })
}

fn non_negative(text: &str) -> Result<f64, String> {
    number(text).and_then(|v| if v >= 0.0 { Ok(v) } else { Err(format!("'{text}' must not be negative")) })
}
