//! `jedel ctl call …`: take a call, list and show calls, and follow call events, for
//! operators and scripts. Tables for people; `--output json` for scripts (`watch` prints one
//! JSON object per line, so it can be piped).

use std::io::Write as _;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use futures::StreamExt as _;
use jedel_api::common::v1::{LatLon, TeamKind};
use jedel_api::intake::v1::call_intake_client::CallIntakeClient;
use jedel_api::intake::v1::{
    Call, CallEventKind, CallStatus, Caller, CreateCallRequest, GetCallRequest, ListCallsRequest, Location, Milestone,
    Patient, TriageAnswer, WatchCallsRequest,
};
use serde::Serialize;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

use jedel_platform::auth::Bearer;

use super::print_rows;
use crate::cli::Output;

/// `jedel ctl call …`
#[derive(Subcommand, Debug)]
pub enum CallCommand {
    /// Register a call (and categorise it when the answers decide).
    Create(CreateArgs),
    /// List calls, newest received first.
    List(ListArgs),
    /// Show one call with its timeline.
    Get {
        /// Call id.
        id: String,
    },
    /// Follow call events as they are committed.
    Watch(WatchArgs),
}

/// `jedel ctl call create`
#[derive(Args, Debug)]
pub struct CreateArgs {
    /// Region taking the call, e.g. KZ-71.
    #[arg(long)]
    pub region: String,
    /// Caller's phone, e.g. "8 701 234 56 78".
    #[arg(long)]
    pub phone: String,
    /// Caller's name.
    #[arg(long, default_value = "")]
    pub caller_name: String,
    /// Latitude of the scene.
    #[arg(long, requires = "lon")]
    pub lat: Option<f64>,
    /// Longitude of the scene.
    #[arg(long, requires = "lat")]
    pub lon: Option<f64>,
    /// Address as the crew needs it.
    #[arg(long, default_value = "")]
    pub address: String,
    /// Patient's IIN (12 digits); birth date and sex come from it.
    #[arg(long, default_value = "")]
    pub iin: String,
    /// Patient's name.
    #[arg(long, default_value = "")]
    pub patient_name: String,
    /// Patient's age in years, when there is no IIN.
    #[arg(long)]
    pub age: Option<i32>,
    /// Patient's sex, when there is no IIN.
    #[arg(long, value_enum)]
    pub sex: Option<SexArg>,
    /// The caller's complaint.
    #[arg(long, default_value = "")]
    pub complaint: String,
    /// A triage answer as question=answer (repeat), e.g. --answer breathing=not_breathing.
    #[arg(long = "answer", value_parser = parse_answer)]
    pub answers: Vec<(String, String)>,
    /// Idempotency key; a retry with the same key returns the first call. Default: a new one.
    #[arg(long)]
    pub request_id: Option<String>,
}

/// A patient's sex.
#[derive(ValueEnum, Debug, Clone, Copy)]
pub enum SexArg {
    /// Male.
    Male,
    /// Female.
    Female,
}

/// `jedel ctl call list`
#[derive(Args, Debug)]
pub struct ListArgs {
    /// Only this region.
    #[arg(long)]
    pub region: Option<String>,
    /// Only these categories (repeat), 1-4.
    #[arg(long = "category")]
    pub categories: Vec<i32>,
    /// Only these statuses (repeat), e.g. received, categorised, on_scene.
    #[arg(long = "status", value_parser = parse_status)]
    pub statuses: Vec<i32>,
    /// Calls per page.
    #[arg(long, default_value_t = 50)]
    pub limit: i32,
    /// Page token from a previous listing.
    #[arg(long, default_value = "")]
    pub page_token: String,
}

/// `jedel ctl call watch`
#[derive(Args, Debug)]
pub struct WatchArgs {
    /// Only this region.
    #[arg(long)]
    pub region: Option<String>,
    /// Only calls in these categories before or after the event (repeat), 1-4.
    #[arg(long = "category")]
    pub categories: Vec<i32>,
    /// Resume after this event sequence; 0 follows from now.
    #[arg(long, default_value_t = 0)]
    pub after_sequence: u64,
    /// Stop after this many events.
    #[arg(long)]
    pub count: Option<usize>,
}

fn parse_answer(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((q, a)) if !q.is_empty() && !a.is_empty() => Ok((q.to_string(), a.to_string())),
        _ => Err(format!("'{text}' is not question=answer")),
    }
}

fn parse_status(text: &str) -> Result<i32, String> {
    CallStatus::from_str_name(&format!("CALL_STATUS_{}", text.to_uppercase()))
        .filter(|s| *s != CallStatus::Unspecified)
        .map(|s| s as i32)
        .ok_or_else(|| format!("'{text}' is not a call status (received, categorised, assigned, …)"))
}

type Client = CallIntakeClient<InterceptedService<Channel, Bearer>>;

/// Runs a `ctl call` subcommand.
pub async fn run(
    channel: Channel,
    token: Option<&str>,
    output: Output,
    command: CallCommand,
) -> anyhow::Result<ExitCode> {
    let mut client = CallIntakeClient::with_interceptor(channel, super::bearer(token)?);
    match command {
        CallCommand::Create(args) => create(&mut client, output, args).await,
        CallCommand::List(args) => list(&mut client, output, args).await,
        CallCommand::Get { id } => get(&mut client, output, id).await,
        CallCommand::Watch(args) => watch(&mut client, output, args).await,
    }
}

/// A timestamp as RFC 3339 UTC; empty when unset.
fn time(ts: Option<&prost_types::Timestamp>) -> String {
    ts.and_then(|t| chrono::DateTime::from_timestamp(t.seconds, t.nanos.max(0) as u32))
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

fn status_name(status: i32) -> String {
    CallStatus::try_from(status).map_or("UNKNOWN", |s| s.as_str_name()).to_string()
}

fn short(name: &str, prefix: &str) -> String {
    name.strip_prefix(prefix).unwrap_or(name).to_string()
}

/// A call as `ctl` prints it.
#[derive(Serialize)]
struct CallView {
    id: String,
    number: String,
    region_code: String,
    status: String,
    category: i32,
    determinant: String,
    received_at: String,
    deadline_at: String,
    team_kinds: Vec<String>,
    phone: String,
    address: String,
    lat: Option<f64>,
    lon: Option<f64>,
    patient_age_years: Option<i32>,
    duplicate_of_id: String,
    repeat_of_id: String,
    linked_call_ids: Vec<String>,
    version: i64,
    timeline: Vec<TimelineView>,
}

/// One timeline entry as `ctl` prints it.
#[derive(Serialize)]
struct TimelineView {
    milestone: String,
    occurred_at: String,
    unit_id: String,
    actor: String,
}

impl From<&Call> for CallView {
    fn from(call: &Call) -> Self {
        let position = call.location.as_ref().and_then(|l| l.position);
        CallView {
            id: call.id.clone(),
            number: call.number.clone(),
            region_code: call.region_code.clone(),
            status: status_name(call.status),
            category: call.category,
            determinant: call.triage.as_ref().map(|t| t.determinant.clone()).unwrap_or_default(),
            received_at: time(call.received_at.as_ref()),
            deadline_at: time(call.deadline_at.as_ref()),
            team_kinds: call
                .team_kinds
                .iter()
                .map(|k| TeamKind::try_from(*k).map_or("UNKNOWN".into(), |k| short(k.as_str_name(), "TEAM_KIND_")))
                .collect(),
            phone: call.caller.as_ref().map(|c| c.phone.clone()).unwrap_or_default(),
            address: call.location.as_ref().map(|l| l.address.clone()).unwrap_or_default(),
            lat: position.map(|p| p.lat),
            lon: position.map(|p| p.lon),
            patient_age_years: call.patient.as_ref().and_then(|p| p.age_years),
            duplicate_of_id: call.duplicate_of_id.clone(),
            repeat_of_id: call.repeat_of_id.clone(),
            linked_call_ids: call.linked_call_ids.clone(),
            version: call.version,
            timeline: call
                .timeline
                .iter()
                .map(|e| TimelineView {
                    milestone: Milestone::try_from(e.milestone)
                        .map_or("UNKNOWN".into(), |m| short(m.as_str_name(), "MILESTONE_")),
                    occurred_at: time(e.occurred_at.as_ref()),
                    unit_id: e.unit_id.clone(),
                    actor: e.actor.as_ref().map(|a| format!("{} ({})", a.subject, a.role)).unwrap_or_default(),
                })
                .collect(),
        }
    }
}

const CALL_HEADERS: [&str; 7] = ["NUMBER", "STATUS", "CAT", "DETERMINANT", "RECEIVED", "DEADLINE", "ID"];

fn call_cells(c: &CallView) -> Vec<String> {
    vec![
        c.number.clone(),
        short(&c.status, "CALL_STATUS_"),
        if c.category == 0 { "-".into() } else { c.category.to_string() },
        c.determinant.clone(),
        c.received_at.clone(),
        c.deadline_at.clone(),
        c.id.clone(),
    ]
}

/// What `ctl call create` prints.
#[derive(Serialize)]
struct Created {
    call: CallView,
    duplicate_candidates: Vec<Candidate>,
    repeat_candidates: Vec<CallView>,
}

/// An open call the new one may duplicate.
#[derive(Serialize)]
struct Candidate {
    call: CallView,
    distance_m: f64,
}

async fn create(client: &mut Client, output: Output, args: CreateArgs) -> anyhow::Result<ExitCode> {
    let request_id = args.request_id.unwrap_or_else(|| {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        format!("ctl-{nanos}-{}", std::process::id())
    });
    let request = CreateCallRequest {
        request_id,
        region_code: args.region,
        caller: Some(Caller { phone: args.phone, name: args.caller_name }),
        location: Some(Location {
            position: args.lat.zip(args.lon).map(|(lat, lon)| LatLon { lat, lon }),
            address: args.address,
        }),
        patient: Some(Patient {
            iin: args.iin,
            name: args.patient_name,
            age_years: args.age,
            sex: match args.sex {
                None => 0,
                Some(SexArg::Male) => jedel_api::common::v1::Sex::Male as i32,
                Some(SexArg::Female) => jedel_api::common::v1::Sex::Female as i32,
            },
            birth_date: String::new(),
        }),
        complaint: args.complaint,
        triage_answers: args
            .answers
            .into_iter()
            .map(|(question_id, answer_id)| TriageAnswer { question_id, answer_id })
            .collect(),
        received_at: None,
    };
    let response = client.create_call(request).await.map_err(status_error)?.into_inner();
    let created = Created {
        call: CallView::from(&response.call.unwrap_or_default()),
        duplicate_candidates: response
            .duplicate_candidates
            .iter()
            .map(|c| Candidate { call: CallView::from(&c.call.clone().unwrap_or_default()), distance_m: c.distance_m })
            .collect(),
        repeat_candidates: response.repeat_candidates.iter().map(CallView::from).collect(),
    };
    match output {
        Output::Json => println!("{}", serde_json::to_string_pretty(&created)?),
        Output::Table => {
            print_rows(output, std::slice::from_ref(&created.call), call_cells, &CALL_HEADERS)?;
            for c in &created.duplicate_candidates {
                println!("possible duplicate: {} ({:.0} m away), id {}", c.call.number, c.distance_m, c.call.id);
            }
            for c in &created.repeat_candidates {
                println!("possible repeat of {} (same phone), id {}", c.number, c.id);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn list(client: &mut Client, output: Output, args: ListArgs) -> anyhow::Result<ExitCode> {
    let request = ListCallsRequest {
        page_size: args.limit,
        page_token: args.page_token,
        region_code: args.region.unwrap_or_default(),
        categories: args.categories,
        statuses: args.statuses,
        received: None,
    };
    let response = client.list_calls(request).await.map_err(status_error)?.into_inner();
    let rows: Vec<CallView> = response.calls.iter().map(CallView::from).collect();
    print_rows(output, &rows, call_cells, &CALL_HEADERS)?;
    if output == Output::Table && !response.next_page_token.is_empty() {
        println!("more: --page-token {}", response.next_page_token);
    }
    Ok(ExitCode::SUCCESS)
}

async fn get(client: &mut Client, output: Output, id: String) -> anyhow::Result<ExitCode> {
    let call = client.get_call(GetCallRequest { id }).await.map_err(status_error)?.into_inner();
    let view = CallView::from(&call);
    match output {
        Output::Json => println!("{}", serde_json::to_string_pretty(&view)?),
        Output::Table => {
            print_rows(output, std::slice::from_ref(&view), call_cells, &CALL_HEADERS)?;
            println!();
            print_rows(
                output,
                &view.timeline,
                |e| vec![e.milestone.clone(), e.occurred_at.clone(), e.unit_id.clone(), e.actor.clone()],
                &["MILESTONE", "OCCURRED", "UNIT", "BY"],
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One event as `ctl call watch` prints it.
#[derive(Serialize)]
struct EventView {
    sequence: u64,
    occurred_at: String,
    kind: String,
    call_id: String,
    number: String,
    status: String,
    category: i32,
}

async fn watch(client: &mut Client, output: Output, args: WatchArgs) -> anyhow::Result<ExitCode> {
    let request = WatchCallsRequest {
        after_sequence: args.after_sequence,
        region_code: args.region.unwrap_or_default(),
        categories: args.categories,
    };
    let mut stream = client.watch_calls(request).await.map_err(status_error)?.into_inner();
    let mut stdout = std::io::stdout();
    if output == Output::Table {
        writeln!(stdout, "{:<8}  {:<20}  {:<16}  {:<16}  CAT", "SEQ", "KIND", "NUMBER", "STATUS")?;
    }
    let mut seen = 0;
    while args.count.is_none_or(|n| seen < n) {
        let Some(event) = stream.next().await else { break };
        let event = event.map_err(status_error)?;
        let call = event.call.unwrap_or_default();
        let view = EventView {
            sequence: event.sequence,
            occurred_at: time(event.occurred_at.as_ref()),
            kind: CallEventKind::try_from(event.kind).map_or("UNKNOWN", |k| k.as_str_name()).to_string(),
            call_id: call.id,
            number: call.number,
            status: status_name(call.status),
            category: call.category,
        };
        match output {
            Output::Json => writeln!(stdout, "{}", serde_json::to_string(&view)?)?,
            Output::Table => writeln!(
                stdout,
                "{:<8}  {:<20}  {:<16}  {:<16}  {}",
                view.sequence,
                short(&view.kind, "CALL_EVENT_KIND_"),
                view.number,
                short(&view.status, "CALL_STATUS_"),
                if view.category == 0 { "-".to_string() } else { view.category.to_string() }
            )?,
        }
        stdout.flush()?;
        seen += 1;
    }
    Ok(ExitCode::SUCCESS)
}

/// A refusal as one readable line (for bad input the message lists every bad field).
fn status_error(status: tonic::Status) -> anyhow::Error {
    anyhow::anyhow!("{:?}: {}", status.code(), status.message()).context("the server refused the request")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_and_statuses_parse() {
        assert_eq!(parse_answer("breathing=not_breathing"), Ok(("breathing".into(), "not_breathing".into())));
        assert!(parse_answer("breathing").is_err());
        assert_eq!(parse_status("on_scene"), Ok(CallStatus::OnScene as i32));
        assert!(parse_status("unspecified").is_err());
        assert!(parse_status("flying").is_err());
    }
}
