//! `jedel ctl`: a gRPC client for operators and scripts. Tables for people, `--output json`
//! for scripts. It grows with each service; the registry's commands are in `ctl/registry.rs`,
//! the dispatcher's in `ctl/dispatch.rs`.

mod call;
mod dispatch;
mod medevac;
mod registry;
mod report;

use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Subcommand};
use jedel_platform::auth::Bearer;
use serde::Serialize;
use tonic::transport::Channel;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

use crate::cli::Output;

/// `jedel ctl` options shared by every subcommand.
#[derive(Args, Debug)]
pub struct CtlArgs {
    /// Address of a running Jedel.
    #[arg(long, env = "JEDEL_ADDR", default_value = "http://127.0.0.1:50051", global = true)]
    pub addr: String,
    /// Bearer token (see `jedel token issue`).
    #[arg(long, env = "JEDEL_TOKEN", global = true, hide_env_values = true)]
    pub token: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Output::Table, global = true)]
    pub output: Output,
    /// What to do.
    #[command(subcommand)]
    pub command: CtlCommand,
}

/// `jedel ctl` subcommands.
#[derive(Subcommand, Debug)]
pub enum CtlCommand {
    /// Health of the server and of each Jedel service; exits 1 unless all are SERVING.
    Health,
    /// Emergency calls: create, list, get, watch.
    #[command(subcommand)]
    Call(call::CallCommand),
    /// The registry: list records, import and export data files, medevac eligibility.
    #[command(subcommand)]
    Registry(registry::RegistryCommand),
    /// Ground dispatch: recommend, assign, units, the queue, norm-clock alerts.
    #[command(subcommand)]
    Dispatch(dispatch::DispatchCommand),
    /// Medical-aviation requests: every step from the coordinator to the airline, documents,
    /// messages, flight following.
    #[command(subcommand)]
    Medevac(medevac::MedevacCommand),
    /// Situation-centre period reports as CSV: national statistics, indicators 24 and 18,
    /// arrival times, medevac steps.
    Report(report::ReportArgs),
}

/// Runs a `ctl` subcommand.
pub async fn run(args: CtlArgs) -> anyhow::Result<ExitCode> {
    let channel = Channel::from_shared(args.addr.clone())
        .with_context(|| format!("'{}' is not a server address", args.addr))?
        .connect()
        .await
        .with_context(|| format!("cannot reach {}", args.addr))?;
    match args.command {
        CtlCommand::Health => health(channel, args.output).await,
        CtlCommand::Call(command) => call::run(channel, args.token.as_deref(), args.output, command).await,
        CtlCommand::Medevac(command) => medevac::run(channel, args.token.as_deref(), args.output, command).await,
        CtlCommand::Report(report_args) => report::run(channel, args.token.as_deref(), report_args).await,
        CtlCommand::Dispatch(command) => dispatch::run(channel, args.token.as_deref(), args.output, command).await,
        CtlCommand::Registry(command) => {
            let client = jedel_api::registry::v1::registry_client::RegistryClient::with_interceptor(
                channel,
                bearer(args.token.as_deref())?,
            );
            registry::run(client, args.output, command).await
        }
    }
}

/// One service's health.
#[derive(Serialize)]
struct HealthRow {
    service: String,
    status: String,
}

const SERVICES: [&str; 6] = [
    "",
    "jedel.intake.v1.CallIntake",
    "jedel.registry.v1.Registry",
    "jedel.dispatch.v1.Dispatcher",
    "jedel.medevac.v1.Medevac",
    "jedel.situation.v1.SituationCentre",
];

async fn health(channel: Channel, output: Output) -> anyhow::Result<ExitCode> {
    let mut client = HealthClient::new(channel);
    let mut rows = Vec::new();
    for service in SERVICES {
        let status = match client.check(HealthCheckRequest { service: service.to_string() }).await {
            Ok(response) => {
                ServingStatus::try_from(response.into_inner().status).map_or("UNKNOWN", |s| s.as_str_name()).to_string()
            }
            Err(status) if status.code() == tonic::Code::NotFound => "NOT_RUN_HERE".to_string(),
            Err(status) => format!("ERROR: {}", status.message()),
        };
        let name = if service.is_empty() { "(server)" } else { service };
        rows.push(HealthRow { service: name.to_string(), status });
    }
    print_rows(output, &rows, |r| vec![r.service.clone(), r.status.clone()], &["SERVICE", "STATUS"])?;
    let all_up = rows.iter().all(|r| r.status == "SERVING" || r.status == "NOT_RUN_HERE");
    Ok(if all_up { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// The interceptor for the `--token` given; refuses to run without one.
pub fn bearer(token: Option<&str>) -> anyhow::Result<Bearer> {
    let token = token.context("no token: pass --token or set JEDEL_TOKEN (see `jedel token issue`)")?;
    Bearer::new(token).context("the token is not valid header text")
}

/// Prints rows as an aligned table or as a JSON array.
pub fn print_rows<T: Serialize>(
    output: Output,
    rows: &[T],
    cells: impl Fn(&T) -> Vec<String>,
    headers: &[&str],
) -> anyhow::Result<()> {
    match output {
        Output::Json => println!("{}", serde_json::to_string_pretty(rows)?),
        Output::Table => {
            let body: Vec<Vec<String>> = rows.iter().map(cells).collect();
            let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
            for row in &body {
                for (i, cell) in row.iter().enumerate() {
                    widths[i] = widths[i].max(cell.chars().count());
                }
            }
            let line = |cells: Vec<String>| {
                cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| format!("{c:<width$}", width = widths[i]))
                    .collect::<Vec<_>>()
                    .join("  ")
                    .trim_end()
                    .to_string()
            };
            println!("{}", line(headers.iter().map(|h| h.to_string()).collect()));
            for row in body {
                println!("{}", line(row));
            }
        }
    }
    Ok(())
}
