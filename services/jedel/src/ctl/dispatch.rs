//! `jedel ctl dispatch …`: rank units for a call, assign one, list units, show the waiting
//! queue, and follow norm-clock alerts, for dispatchers and scripts. Tables for people;
//! `--output json` for scripts (`watch-alerts` prints one JSON object per line).

use std::io::Write as _;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use futures::StreamExt as _;
use jedel_api::common::v1::TeamKind;
use jedel_api::dispatch::v1::dispatcher_client::DispatcherClient;
use jedel_api::dispatch::v1::{
    AlertKind, AssignRequest, GetQueueRequest, ListUnitsRequest, RecommendRequest, Unit, UnitStatus, WatchAlertsRequest,
};
use serde::Serialize;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

use jedel_platform::auth::Bearer;

use super::print_rows;
use crate::cli::Output;

/// `jedel ctl dispatch …`
#[derive(Subcommand, Debug)]
pub enum DispatchCommand {
    /// Rank the units that can take a call, best first, with ETA and the reason.
    Recommend {
        /// Call id.
        call_id: String,
        /// Units to list (at most 50).
        #[arg(long, default_value_t = 5)]
        limit: i32,
        /// Also rank units of neighbouring regions.
        #[arg(long)]
        cross_border: bool,
    },
    /// Assign a unit to a call; a unit other than the top recommendation needs --reason.
    Assign {
        /// Call id.
        call_id: String,
        /// Unit id (the Registry brigade id).
        unit_id: String,
        /// Why this unit, when it is not the top recommendation.
        #[arg(long, default_value = "")]
        reason: String,
        /// Idempotency key; a retry with the same key returns the first assignment.
        #[arg(long)]
        request_id: Option<String>,
    },
    /// List units with their live status, by call sign.
    Units(UnitsArgs),
    /// Calls waiting for a unit, by category, then age.
    Queue {
        /// Region, e.g. KZ-71.
        #[arg(long)]
        region: String,
        /// Only these categories (repeat), 1-4.
        #[arg(long = "category")]
        categories: Vec<i32>,
    },
    /// Follow norm-clock alerts: at risk, breached, cleared.
    WatchAlerts {
        /// Only this region.
        #[arg(long)]
        region: Option<String>,
        /// Only these categories (repeat), 1-4.
        #[arg(long = "category")]
        categories: Vec<i32>,
        /// Resume after this event sequence; 0 starts with the alerts in force.
        #[arg(long, default_value_t = 0)]
        after_sequence: u64,
        /// Stop after this many alerts.
        #[arg(long)]
        count: Option<usize>,
    },
}

/// `jedel ctl dispatch units`
#[derive(Args, Debug)]
pub struct UnitsArgs {
    /// Only this region.
    #[arg(long)]
    pub region: Option<String>,
    /// Only these statuses (repeat), e.g. available_at_station, en_route.
    #[arg(long = "status", value_parser = parse_status)]
    pub statuses: Vec<i32>,
    /// Units per page.
    #[arg(long, default_value_t = 100)]
    pub limit: i32,
    /// Page token from a previous listing.
    #[arg(long, default_value = "")]
    pub page_token: String,
}

fn parse_status(text: &str) -> Result<i32, String> {
    UnitStatus::from_str_name(&format!("UNIT_STATUS_{}", text.to_uppercase()))
        .filter(|s| *s != UnitStatus::Unspecified)
        .map(|s| s as i32)
        .ok_or_else(|| format!("'{text}' is not a unit status (available_at_station, en_route, …)"))
}

type Client = DispatcherClient<InterceptedService<Channel, Bearer>>;

/// Runs a `ctl dispatch` subcommand.
pub async fn run(
    channel: Channel,
    token: Option<&str>,
    output: Output,
    command: DispatchCommand,
) -> anyhow::Result<ExitCode> {
    let mut client = DispatcherClient::with_interceptor(channel, super::bearer(token)?);
    match command {
        DispatchCommand::Recommend { call_id, limit, cross_border } => {
            recommend(&mut client, output, call_id, limit, cross_border).await
        }
        DispatchCommand::Assign { call_id, unit_id, reason, request_id } => {
            assign(&mut client, output, call_id, unit_id, reason, request_id).await
        }
        DispatchCommand::Units(args) => units(&mut client, output, args).await,
        DispatchCommand::Queue { region, categories } => queue(&mut client, output, region, categories).await,
        DispatchCommand::WatchAlerts { region, categories, after_sequence, count } => {
            watch_alerts(&mut client, output, region, categories, after_sequence, count).await
        }
    }
}

fn status_error(status: tonic::Status) -> anyhow::Error {
    anyhow::anyhow!("{:?}: {}", status.code(), status.message()).context("the server refused the request")
}

/// A timestamp as RFC 3339 UTC; empty when unset.
fn time(ts: Option<&prost_types::Timestamp>) -> String {
    ts.and_then(|t| chrono::DateTime::from_timestamp(t.seconds, t.nanos.max(0) as u32))
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

fn seconds(d: Option<&prost_types::Duration>) -> Option<i64> {
    d.map(|d| d.seconds)
}

fn minutes(seconds: Option<i64>) -> String {
    seconds.map(|s| format!("{}:{:02}", s / 60, (s % 60).abs())).unwrap_or_else(|| "-".into())
}

fn short(name: &str, prefix: &str) -> String {
    name.strip_prefix(prefix).unwrap_or(name).to_string()
}

fn kind_name(kind: i32) -> String {
    short(TeamKind::try_from(kind).map_or("UNKNOWN", |k| k.as_str_name()), "TEAM_KIND_").to_lowercase()
}

fn unit_status_name(status: i32) -> String {
    short(UnitStatus::try_from(status).map_or("UNKNOWN", |s| s.as_str_name()), "UNIT_STATUS_").to_lowercase()
}

/// One ranked unit as `ctl` prints it.
#[derive(Serialize)]
struct CandidateView {
    rank: i32,
    unit_id: String,
    call_sign: String,
    kind: String,
    region_code: String,
    eta_seconds: Option<i64>,
    distance_m: f64,
    meets_norm: bool,
    cross_border: bool,
    redispatch_from_call_id: String,
    reason: String,
}

/// The answer to `recommend` as `ctl` prints it.
#[derive(Serialize)]
struct RecommendView {
    recommendation_id: String,
    call_id: String,
    category: i32,
    deadline_at: String,
    no_unit_meets_norm: bool,
    message: String,
    units: Vec<CandidateView>,
    air_option: Option<String>,
}

async fn recommend(
    client: &mut Client,
    output: Output,
    call_id: String,
    limit: i32,
    cross_border: bool,
) -> anyhow::Result<ExitCode> {
    let request = RecommendRequest { call_id, limit, include_cross_border: cross_border, include_air: false };
    let r = client.recommend(request).await.map_err(status_error)?.into_inner();
    let view = RecommendView {
        recommendation_id: r.recommendation_id,
        call_id: r.call_id,
        category: r.category,
        deadline_at: time(r.deadline_at.as_ref()),
        no_unit_meets_norm: r.no_unit_meets_norm,
        message: r.message,
        units: r
            .recommendations
            .iter()
            .map(|c| {
                let unit = c.unit.clone().unwrap_or_default();
                CandidateView {
                    rank: c.rank,
                    unit_id: unit.id,
                    call_sign: unit.call_sign,
                    kind: kind_name(unit.kind),
                    region_code: unit.region_code,
                    eta_seconds: seconds(c.eta.as_ref()),
                    distance_m: c.distance_m,
                    meets_norm: c.meets_norm,
                    cross_border: c.cross_border,
                    redispatch_from_call_id: c.redispatch_from_call_id.clone(),
                    reason: c.reason.clone(),
                }
            })
            .collect(),
        air_option: r.air_option.map(|a| format!("{} ({})", a.registration, a.airline_name)),
    };
    match output {
        Output::Json => println!("{}", serde_json::to_string_pretty(&view)?),
        Output::Table => {
            println!(
                "recommendation {} for call {} (category {})",
                view.recommendation_id, view.call_id, view.category
            );
            if !view.message.is_empty() {
                println!("{}", view.message);
            }
            print_rows(
                output,
                &view.units,
                |c| {
                    vec![
                        c.rank.to_string(),
                        c.call_sign.clone(),
                        c.kind.clone(),
                        minutes(c.eta_seconds),
                        format!("{:.1}", c.distance_m / 1000.0),
                        c.unit_id.clone(),
                        c.reason.clone(),
                    ]
                },
                &["RANK", "CALL SIGN", "KIND", "ETA", "KM", "UNIT", "REASON"],
            )?;
            if let Some(air) = &view.air_option {
                println!("air option: {air}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn assign(
    client: &mut Client,
    output: Output,
    call_id: String,
    unit_id: String,
    reason: String,
    request_id: Option<String>,
) -> anyhow::Result<ExitCode> {
    let request_id = request_id.unwrap_or_else(|| format!("ctl-{}", chrono::Utc::now().timestamp_micros()));
    let request = AssignRequest { request_id, call_id, unit_id, recommendation_id: String::new(), reason };
    let a = client.assign(request).await.map_err(status_error)?.into_inner();
    #[derive(Serialize)]
    struct AssignmentView {
        id: String,
        call_id: String,
        unit_id: String,
        recommendation_rank: i32,
        eta_seconds: Option<i64>,
        reason: String,
        created_at: String,
    }
    let view = AssignmentView {
        id: a.id,
        call_id: a.call_id,
        unit_id: a.unit_id,
        recommendation_rank: a.recommendation_rank,
        eta_seconds: seconds(a.eta.as_ref()),
        reason: a.reason,
        created_at: time(a.created_at.as_ref()),
    };
    match output {
        Output::Json => println!("{}", serde_json::to_string_pretty(&view)?),
        Output::Table => print_rows(
            output,
            std::slice::from_ref(&view),
            |v| vec![v.id.clone(), v.unit_id.clone(), v.recommendation_rank.to_string(), minutes(v.eta_seconds)],
            &["ASSIGNMENT", "UNIT", "RANK", "ETA"],
        )?,
    }
    Ok(ExitCode::SUCCESS)
}

/// A unit as `ctl` prints it.
#[derive(Serialize)]
struct UnitView {
    id: String,
    call_sign: String,
    kind: String,
    region_code: String,
    status: String,
    lat: Option<f64>,
    lon: Option<f64>,
    call_id: String,
    version: i64,
}

impl From<&Unit> for UnitView {
    fn from(u: &Unit) -> Self {
        UnitView {
            id: u.id.clone(),
            call_sign: u.call_sign.clone(),
            kind: kind_name(u.kind),
            region_code: u.region_code.clone(),
            status: unit_status_name(u.status),
            lat: u.position.as_ref().map(|p| p.lat),
            lon: u.position.as_ref().map(|p| p.lon),
            call_id: u.call_id.clone(),
            version: u.version,
        }
    }
}

async fn units(client: &mut Client, output: Output, args: UnitsArgs) -> anyhow::Result<ExitCode> {
    let request = ListUnitsRequest {
        page_size: args.limit,
        page_token: args.page_token,
        region_code: args.region.unwrap_or_default(),
        statuses: args.statuses,
        ..Default::default()
    };
    let response = client.list_units(request).await.map_err(status_error)?.into_inner();
    let rows: Vec<UnitView> = response.units.iter().map(UnitView::from).collect();
    print_rows(
        output,
        &rows,
        |u| vec![u.call_sign.clone(), u.kind.clone(), u.region_code.clone(), u.status.clone(), u.call_id.clone()],
        &["CALL SIGN", "KIND", "REGION", "STATUS", "CALL"],
    )?;
    if output == Output::Table && !response.next_page_token.is_empty() {
        println!("next page: --page-token {}", response.next_page_token);
    }
    Ok(ExitCode::SUCCESS)
}

async fn queue(client: &mut Client, output: Output, region: String, categories: Vec<i32>) -> anyhow::Result<ExitCode> {
    let response =
        client.get_queue(GetQueueRequest { region_code: region, categories }).await.map_err(status_error)?.into_inner();
    #[derive(Serialize)]
    struct QueuedView {
        position: i32,
        call_id: String,
        call_number: String,
        category: i32,
        received_at: String,
        deadline_at: String,
        time_left_seconds: Option<i64>,
    }
    let rows: Vec<QueuedView> = response
        .calls
        .iter()
        .map(|q| QueuedView {
            position: q.position_in_queue,
            call_id: q.call_id.clone(),
            call_number: q.call_number.clone(),
            category: q.category,
            received_at: time(q.received_at.as_ref()),
            deadline_at: time(q.deadline_at.as_ref()),
            time_left_seconds: seconds(q.time_left.as_ref()),
        })
        .collect();
    print_rows(
        output,
        &rows,
        |q| {
            vec![
                q.position.to_string(),
                q.call_number.clone(),
                q.category.to_string(),
                q.received_at.clone(),
                minutes(q.time_left_seconds),
                q.call_id.clone(),
            ]
        },
        &["#", "NUMBER", "CAT", "RECEIVED", "LEFT", "CALL"],
    )?;
    Ok(ExitCode::SUCCESS)
}

async fn watch_alerts(
    client: &mut Client,
    output: Output,
    region: Option<String>,
    categories: Vec<i32>,
    after_sequence: u64,
    count: Option<usize>,
) -> anyhow::Result<ExitCode> {
    let request = WatchAlertsRequest { after_sequence, region_code: region.unwrap_or_default(), categories };
    let mut stream = client.watch_alerts(request).await.map_err(status_error)?.into_inner();
    #[derive(Serialize)]
    struct AlertView {
        sequence: u64,
        occurred_at: String,
        kind: String,
        call_id: String,
        call_number: String,
        region_code: String,
        category: i32,
        deadline_at: String,
        best_eta_seconds: Option<i64>,
        best_unit_id: String,
    }
    let mut stdout = std::io::stdout();
    if output == Output::Table {
        writeln!(
            stdout,
            "{:<8}  {:<9}  {:<16}  {:<6}  CAT  {:<20}  BEST ETA",
            "SEQ", "KIND", "NUMBER", "REGION", "DEADLINE"
        )?;
    }
    let mut seen = 0;
    while count.is_none_or(|n| seen < n) {
        let Some(alert) = stream.next().await else { break };
        let alert = alert.map_err(status_error)?;
        let view = AlertView {
            sequence: alert.sequence,
            occurred_at: time(alert.occurred_at.as_ref()),
            kind: short(AlertKind::try_from(alert.kind).map_or("UNKNOWN", |k| k.as_str_name()), "ALERT_KIND_"),
            call_id: alert.call_id,
            call_number: alert.call_number,
            region_code: alert.region_code,
            category: alert.category,
            deadline_at: time(alert.deadline_at.as_ref()),
            best_eta_seconds: seconds(alert.best_eta.as_ref()),
            best_unit_id: alert.best_unit_id,
        };
        match output {
            Output::Json => writeln!(stdout, "{}", serde_json::to_string(&view)?)?,
            Output::Table => writeln!(
                stdout,
                "{:<8}  {:<9}  {:<16}  {:<6}  {:<3}  {:<20}  {}",
                view.sequence,
                view.kind,
                view.call_number,
                view.region_code,
                view.category,
                view.deadline_at,
                minutes(view.best_eta_seconds)
            )?,
        }
        stdout.flush()?;
        seen += 1;
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_spans_read_well() {
        assert_eq!(parse_status("en_route"), Ok(UnitStatus::EnRoute as i32));
        assert!(parse_status("flying").is_err());
        assert_eq!(minutes(Some(425)), "7:05");
        assert_eq!(minutes(None), "-");
        assert_eq!(kind_name(TeamKind::PhcMobile as i32), "phc_mobile");
    }
}
