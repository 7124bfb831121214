//! `jedel ctl medevac …`: every step of a medical-aviation request from the command line —
//! the coordinator's (create, update, submit, upload), the national centre's (review,
//! approve, return, reject, choose, task, complete, cancel), the airline's (accept, decline,
//! crew, milestones, positions), the message threads, and the watches. Tables for people,
//! `--output json` for scripts (`watch` and `alerts` print one JSON object per line). Patient
//! identity is never printed: views show numbers, statuses and the flight.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{Args, Subcommand};
use futures::StreamExt as _;
use jedel_api::common::v1::{LatLon, Sex, TimeRange};
use jedel_api::medevac::v1 as pb;
use jedel_api::medevac::v1::medevac_client::MedevacClient;
use serde::Serialize;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

use jedel_platform::auth::Bearer;

use super::print_rows;
use crate::cli::Output;

type Client = MedevacClient<InterceptedService<Channel, Bearer>>;

/// Bytes per upload message (the API's limit is 1 MiB).
const CHUNK: usize = 1 << 20;

/// `jedel ctl medevac` subcommands.
#[derive(Subcommand, Debug)]
pub enum MedevacCommand {
    /// Create a request in DRAFT (coordinator).
    Create(CreateArgs),
    /// Replace a draft's (or returned request's) details (coordinator).
    Update(UpdateArgs),
    /// Show one request with its history and current tasking.
    Get {
        /// Request id.
        id: String,
    },
    /// List requests in scope, newest first.
    List(ListArgs),
    /// Send a request to the national centre (coordinator).
    Submit {
        /// Request id.
        id: String,
    },
    /// Take a submitted request for review (medevac dispatcher).
    Review {
        /// Request id.
        id: String,
    },
    /// Approve a request under review (medevac dispatcher).
    Approve {
        /// Request id.
        id: String,
    },
    /// Return a request under review for more information (medevac dispatcher).
    Return(ReasonArgs),
    /// Reject a request under review (medevac dispatcher).
    Reject(ReasonArgs),
    /// Choose an aircraft from the ranked options (medevac dispatcher).
    Choose(ChooseArgs),
    /// Offer the chosen aircraft's tasking to its airline (medevac dispatcher).
    Task {
        /// Request id.
        id: String,
    },
    /// Accept an offered tasking (airline).
    Accept(AcceptArgs),
    /// Decline an offered tasking (airline).
    Decline(DeclineArgs),
    /// Name the crew of an accepted tasking (airline).
    Crew(CrewArgs),
    /// Report a flight milestone (airline).
    Milestone(MilestoneArgs),
    /// Close a handed-over request (medevac dispatcher).
    Complete(CompleteArgs),
    /// Cancel an open request (coordinator or medevac dispatcher).
    Cancel(ReasonArgs),
    /// Attach a file to a request.
    Upload(UploadArgs),
    /// List a request's documents.
    Documents {
        /// Request id.
        id: String,
    },
    /// Download a document and check its SHA-256.
    Download(DownloadArgs),
    /// List taskings (an airline sees its own offered ones).
    Taskings(TaskingsArgs),
    /// Post a message to the thread with an airline about a request.
    Message(MessageArgs),
    /// List a thread's messages (delivers the other side's).
    Messages(ThreadArgs),
    /// Mark the other side's messages read up to one.
    Read(ReadArgs),
    /// Send an aircraft position.
    Position(PositionArgs),
    /// Show the recorded positions of a request's flight.
    Track {
        /// Request id.
        id: String,
    },
    /// Follow request events.
    Watch(WatchArgs),
    /// Follow flight-following alerts.
    Alerts(AlertsArgs),
}

/// A request's details as flags.
#[derive(Args, Debug, Default)]
pub struct DetailsArgs {
    /// patient_transport, specialist_delivery, on_site_surgery or organ_transport.
    #[arg(long, value_parser = parse_mission)]
    pub mission: Option<i32>,
    /// emergency, urgent or planned.
    #[arg(long, value_parser = parse_urgency)]
    pub urgency: Option<i32>,
    /// Coordinating doctor's full name.
    #[arg(long, default_value = "")]
    pub doctor_name: String,
    /// Coordinating doctor's title.
    #[arg(long, default_value = "")]
    pub doctor_title: String,
    /// Coordinating doctor's phone.
    #[arg(long, default_value = "")]
    pub doctor_phone: String,
    /// Patient's IIN (12 digits); birth date and sex come from it.
    #[arg(long, default_value = "")]
    pub iin: String,
    /// Patient's surname.
    #[arg(long, default_value = "")]
    pub family_name: String,
    /// Patient's given name.
    #[arg(long, default_value = "")]
    pub given_name: String,
    /// Patient's patronymic.
    #[arg(long, default_value = "")]
    pub patronymic: String,
    /// Patient's birth date, YYYY-MM-DD (without an IIN).
    #[arg(long, default_value = "")]
    pub birth_date: String,
    /// male or female (without an IIN).
    #[arg(long, value_parser = parse_sex)]
    pub sex: Option<i32>,
    /// Patient's weight, kg.
    #[arg(long, default_value_t = 0.0)]
    pub weight: f64,
    /// Main diagnosis, ICD-10, e.g. I21.0.
    #[arg(long, default_value = "")]
    pub icd10: String,
    /// Main diagnosis in words.
    #[arg(long, default_value = "")]
    pub diagnosis: String,
    /// satisfactory, moderate, severe, extremely_severe or terminal.
    #[arg(long, value_parser = parse_severity)]
    pub severity: Option<i32>,
    /// Equipment needed on board (repeat): intensive_care_module, incubator, stretcher, oxygen.
    #[arg(long = "need", value_parser = parse_need)]
    pub needs: Vec<i32>,
    /// The patient is ventilated.
    #[arg(long)]
    pub ventilated: bool,
    /// The patient is (possibly) infectious.
    #[arg(long)]
    pub infectious: bool,
    /// A person flying along as NAME:RELATION:WEIGHT_KG (repeat).
    #[arg(long = "companion", value_parser = parse_companion)]
    pub companions: Vec<pb::AccompanyingPerson>,
    /// Pick-up facility name.
    #[arg(long, default_value = "")]
    pub origin_name: String,
    /// Pick-up facility: registry hospital id.
    #[arg(long, default_value = "")]
    pub origin_hospital_id: String,
    /// Pick-up department.
    #[arg(long, default_value = "")]
    pub origin_department: String,
    /// Pick-up latitude.
    #[arg(long, requires = "origin_lon")]
    pub origin_lat: Option<f64>,
    /// Pick-up longitude.
    #[arg(long, requires = "origin_lat")]
    pub origin_lon: Option<f64>,
    /// Destination facility name.
    #[arg(long, default_value = "")]
    pub destination_name: String,
    /// Destination: registry hospital id.
    #[arg(long, default_value = "")]
    pub destination_hospital_id: String,
    /// Destination department.
    #[arg(long, default_value = "")]
    pub destination_department: String,
    /// Destination latitude.
    #[arg(long, requires = "destination_lon")]
    pub destination_lat: Option<f64>,
    /// Destination longitude.
    #[arg(long, requires = "destination_lat")]
    pub destination_lon: Option<f64>,
    /// The receiving doctor who consented.
    #[arg(long, default_value = "")]
    pub consent_doctor: String,
    /// The receiving doctor's phone.
    #[arg(long, default_value = "")]
    pub consent_phone: String,
    /// When they consented: RFC 3339, `now`, or minutes from now like `-15m`.
    #[arg(long, value_parser = parse_time, allow_hyphen_values = true)]
    pub consent_at: Option<prost_types::Timestamp>,
    /// Wanted window start (same forms as --consent-at).
    #[arg(long, value_parser = parse_time, allow_hyphen_values = true)]
    pub wanted_from: Option<prost_types::Timestamp>,
    /// Wanted window end.
    #[arg(long, value_parser = parse_time, allow_hyphen_values = true)]
    pub wanted_to: Option<prost_types::Timestamp>,
    /// Remarks for the reviewer.
    #[arg(long, default_value = "")]
    pub notes: String,
}

/// `jedel ctl medevac create`
#[derive(Args, Debug)]
pub struct CreateArgs {
    /// Requesting region, e.g. KZ-11.
    #[arg(long)]
    pub region: String,
    /// Idempotency key; a retry with the same key returns the first request. Default: a new one.
    #[arg(long)]
    pub request_id: Option<String>,
    /// The details.
    #[command(flatten)]
    pub details: DetailsArgs,
}

/// `jedel ctl medevac update`
#[derive(Args, Debug)]
pub struct UpdateArgs {
    /// Request id.
    pub id: String,
    /// The version edited; 0 skips the check.
    #[arg(long, default_value_t = 0)]
    pub version: i64,
    /// The new details, replacing the old ones.
    #[command(flatten)]
    pub details: DetailsArgs,
}

/// `jedel ctl medevac list`
#[derive(Args, Debug)]
pub struct ListArgs {
    /// Only this region.
    #[arg(long)]
    pub region: Option<String>,
    /// Only these statuses (repeat), e.g. submitted, airline_tasked.
    #[arg(long = "status", value_parser = parse_status)]
    pub statuses: Vec<i32>,
    /// Only these urgencies (repeat).
    #[arg(long = "urgency", value_parser = parse_urgency)]
    pub urgencies: Vec<i32>,
    /// Requests per page.
    #[arg(long, default_value_t = 50)]
    pub limit: i32,
    /// Page token from a previous listing.
    #[arg(long, default_value = "")]
    pub page_token: String,
}

/// A step with a reason.
#[derive(Args, Debug)]
pub struct ReasonArgs {
    /// Request id.
    pub id: String,
    /// Why.
    #[arg(long)]
    pub reason: String,
}

/// `jedel ctl medevac choose`
#[derive(Args, Debug)]
pub struct ChooseArgs {
    /// Request id.
    pub id: String,
    /// Registration of the aircraft, e.g. UP-MI801.
    #[arg(long)]
    pub aircraft: String,
    /// Its rank among the options; 1 is the top one.
    #[arg(long, default_value_t = 1)]
    pub rank: i32,
    /// Why not the top option, or why an open tasking is replaced.
    #[arg(long, default_value = "")]
    pub reason: String,
}

/// `jedel ctl medevac accept`
#[derive(Args, Debug)]
pub struct AcceptArgs {
    /// Tasking id.
    pub tasking_id: String,
    /// Committed take-off: RFC 3339, `now`, or minutes from now like `+45m`. Default: as the
    /// contract's readiness allows.
    #[arg(long, value_parser = parse_time, allow_hyphen_values = true)]
    pub departure: Option<prost_types::Timestamp>,
}

/// `jedel ctl medevac decline`
#[derive(Args, Debug)]
pub struct DeclineArgs {
    /// Tasking id.
    pub tasking_id: String,
    /// Why.
    #[arg(long)]
    pub reason: String,
}

/// `jedel ctl medevac crew`
#[derive(Args, Debug)]
pub struct CrewArgs {
    /// Tasking id.
    pub tasking_id: String,
    /// A member as NAME:ROLE[:PHONE] (repeat); roles pilot_in_command, co_pilot,
    /// flight_engineer, physician, paramedic.
    #[arg(long = "member", value_parser = parse_member, required = true)]
    pub members: Vec<pb::CrewMember>,
}

/// `jedel ctl medevac milestone`
#[derive(Args, Debug)]
pub struct MilestoneArgs {
    /// Tasking id.
    pub tasking_id: String,
    /// departed, at_origin, patient_on_board, landed or handed_over.
    #[arg(value_parser = parse_milestone)]
    pub milestone: i32,
    /// When it was reached (default now).
    #[arg(long, value_parser = parse_time, allow_hyphen_values = true)]
    pub at: Option<prost_types::Timestamp>,
    /// When the next milestone is expected.
    #[arg(long, value_parser = parse_time, allow_hyphen_values = true)]
    pub next_expected: Option<prost_types::Timestamp>,
    /// A remark.
    #[arg(long, default_value = "")]
    pub note: String,
}

/// `jedel ctl medevac complete`
#[derive(Args, Debug)]
pub struct CompleteArgs {
    /// Request id.
    pub id: String,
    /// Flight time of all legs, minutes.
    #[arg(long)]
    pub flight_minutes: i64,
}

/// `jedel ctl medevac upload`
#[derive(Args, Debug)]
pub struct UploadArgs {
    /// Request id.
    pub id: String,
    /// The file.
    pub file: PathBuf,
    /// medical_record_extract, test_results, imaging_report, consent or other.
    #[arg(long, value_parser = parse_document_kind)]
    pub kind: i32,
    /// MIME type; default from the extension (.pdf .jpg .jpeg .png .dcm .txt).
    #[arg(long)]
    pub content_type: Option<String>,
    /// Idempotency key. Default: a new one.
    #[arg(long)]
    pub request_id: Option<String>,
}

/// `jedel ctl medevac download`
#[derive(Args, Debug)]
pub struct DownloadArgs {
    /// Document id.
    pub id: String,
    /// Where to write it (default: its file name in the current directory).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `jedel ctl medevac taskings`
#[derive(Args, Debug)]
pub struct TaskingsArgs {
    /// Only this airline (ignored for airline operators).
    #[arg(long)]
    pub airline: Option<String>,
    /// Only this request's.
    #[arg(long)]
    pub request: Option<String>,
    /// Only these statuses (repeat): chosen, offered, accepted, declined, withdrawn, completed.
    #[arg(long = "status", value_parser = parse_tasking_status)]
    pub statuses: Vec<i32>,
}

/// `jedel ctl medevac message`
#[derive(Args, Debug)]
pub struct MessageArgs {
    /// Request id.
    pub id: String,
    /// The text.
    pub body: String,
    /// The thread's airline (national centre only).
    #[arg(long, default_value = "")]
    pub airline: String,
    /// Idempotency key. Default: a new one.
    #[arg(long)]
    pub request_id: Option<String>,
}

/// `jedel ctl medevac messages`
#[derive(Args, Debug)]
pub struct ThreadArgs {
    /// Request id.
    pub id: String,
    /// The thread's airline (national centre only).
    #[arg(long, default_value = "")]
    pub airline: String,
}

/// `jedel ctl medevac read`
#[derive(Args, Debug)]
pub struct ReadArgs {
    /// Request id.
    pub id: String,
    /// Mark read up to and including this message.
    #[arg(long)]
    pub up_to: String,
    /// The thread's airline (national centre only).
    #[arg(long, default_value = "")]
    pub airline: String,
}

/// `jedel ctl medevac position`
#[derive(Args, Debug)]
pub struct PositionArgs {
    /// Aircraft registration.
    #[arg(long)]
    pub aircraft: String,
    /// Latitude.
    #[arg(long)]
    pub lat: f64,
    /// Longitude.
    #[arg(long)]
    pub lon: f64,
    /// Altitude, metres.
    #[arg(long, default_value_t = 0.0)]
    pub altitude: f64,
    /// Ground speed, km/h.
    #[arg(long, default_value_t = 0.0)]
    pub speed: f64,
    /// When measured (default now).
    #[arg(long, value_parser = parse_time, allow_hyphen_values = true)]
    pub at: Option<prost_types::Timestamp>,
    /// The request flown (default: the aircraft's accepted tasking).
    #[arg(long, default_value = "")]
    pub request: String,
}

/// `jedel ctl medevac watch`
#[derive(Args, Debug)]
pub struct WatchArgs {
    /// Resume after this event sequence; 0 starts with the open requests.
    #[arg(long, default_value_t = 0)]
    pub after_sequence: u64,
    /// Only this region.
    #[arg(long)]
    pub region: Option<String>,
    /// Only requests in these statuses after the change (repeat).
    #[arg(long = "status", value_parser = parse_status)]
    pub statuses: Vec<i32>,
    /// Stop after this many events.
    #[arg(long)]
    pub count: Option<usize>,
}

/// `jedel ctl medevac alerts`
#[derive(Args, Debug)]
pub struct AlertsArgs {
    /// Resume after this event sequence; 0 starts with the alerts active now.
    #[arg(long, default_value_t = 0)]
    pub after_sequence: u64,
    /// Only this region.
    #[arg(long)]
    pub region: Option<String>,
    /// Only this airline.
    #[arg(long)]
    pub airline: Option<String>,
    /// Stop after this many alerts.
    #[arg(long)]
    pub count: Option<usize>,
}

/// A value parser for an API enum, from its value name without the prefix (case and `-`
/// ignored).
fn enum_parser(prefix: &str, text: &str, parse: fn(&str) -> Option<i32>, what: &str) -> Result<i32, String> {
    let name = format!("{prefix}_{}", text.trim().to_uppercase().replace('-', "_"));
    parse(&name).filter(|n| *n != 0).ok_or_else(|| format!("'{text}' is not {what}"))
}

macro_rules! parsers {
    ($($name:ident: $ty:ty, $prefix:literal, $what:literal;)+) => {
        $(fn $name(text: &str) -> Result<i32, String> {
            enum_parser($prefix, text, |n| <$ty>::from_str_name(n).map(|v| v as i32), $what)
        })+
    };
}

parsers! {
    parse_mission: pb::MissionType, "MISSION_TYPE", "a mission type";
    parse_urgency: pb::Urgency, "URGENCY", "an urgency";
    parse_severity: pb::Severity, "SEVERITY", "a severity";
    parse_need: pb::PatientNeed, "PATIENT_NEED", "a patient need";
    parse_status: pb::RequestStatus, "REQUEST_STATUS", "a request status";
    parse_tasking_status: pb::TaskingStatus, "TASKING_STATUS", "a tasking status";
    parse_milestone: pb::Milestone, "MILESTONE", "a milestone";
    parse_crew_role: pb::CrewRole, "CREW_ROLE", "a crew role";
    parse_document_kind: pb::DocumentKind, "DOCUMENT_KIND", "a document kind";
    parse_sex: Sex, "SEX", "a sex (male, female)";
}

/// RFC 3339, `now`, or whole minutes from now (`+45m`, `-15m`).
fn parse_time(text: &str) -> Result<prost_types::Timestamp, String> {
    let now = chrono::Utc::now();
    let at = match text {
        "now" => now,
        t if t.ends_with('m') && (t.starts_with('+') || t.starts_with('-')) => {
            let minutes: i64 = t[..t.len() - 1].parse().map_err(|_| format!("'{t}' is not minutes like +45m"))?;
            now + chrono::TimeDelta::minutes(minutes)
        }
        t => chrono::DateTime::parse_from_rfc3339(t)
            .map_err(|_| format!("'{t}' is not RFC 3339 (2026-11-22T10:00:00+05:00), now, or +45m"))?
            .to_utc(),
    };
    Ok(prost_types::Timestamp { seconds: at.timestamp(), nanos: at.timestamp_subsec_nanos() as i32 })
}

fn parse_companion(text: &str) -> Result<pb::AccompanyingPerson, String> {
    let parts: Vec<&str> = text.split(':').collect();
    match parts.as_slice() {
        [name, relation, weight] => Ok(pb::AccompanyingPerson {
            full_name: name.to_string(),
            relation: relation.to_string(),
            weight_kg: weight.parse().map_err(|_| format!("'{weight}' is not a weight in kg"))?,
        }),
        _ => Err(format!("'{text}' is not NAME:RELATION:WEIGHT_KG")),
    }
}

fn parse_member(text: &str) -> Result<pb::CrewMember, String> {
    let parts: Vec<&str> = text.split(':').collect();
    let (name, role, phone) = match parts.as_slice() {
        [name, role] => (name, role, ""),
        [name, role, phone] => (name, role, *phone),
        _ => return Err(format!("'{text}' is not NAME:ROLE[:PHONE]")),
    };
    Ok(pb::CrewMember { full_name: name.to_string(), role: parse_crew_role(role)?, phone: phone.to_string() })
}

fn new_request_id() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("ctl-{nanos}-{}", std::process::id())
}

fn facility(name: String, hospital_id: String, department: String, lat: Option<f64>, lon: Option<f64>) -> pb::Facility {
    pb::Facility { hospital_id, name, department, position: lat.zip(lon).map(|(lat, lon)| LatLon { lat, lon }) }
}

impl DetailsArgs {
    fn into_proto(self) -> pb::RequestDetails {
        let clinician = |full_name: String, title: String, phone: String| pb::Clinician { full_name, title, phone };
        pb::RequestDetails {
            mission_type: self.mission.unwrap_or_default(),
            urgency: self.urgency.unwrap_or_default(),
            coordinating_doctor: Some(clinician(self.doctor_name, self.doctor_title, self.doctor_phone)),
            patient: Some(pb::Patient {
                iin: self.iin,
                family_name: self.family_name,
                given_name: self.given_name,
                patronymic: self.patronymic,
                birth_date: self.birth_date,
                sex: self.sex.unwrap_or_default(),
                weight_kg: self.weight,
                icd10_code: self.icd10,
                diagnosis: self.diagnosis,
                severity: self.severity.unwrap_or_default(),
                vital_signs: None,
                ventilated: self.ventilated,
                needs: self.needs,
                infectious: self.infectious,
            }),
            accompanying_persons: self.companions,
            origin: Some(facility(
                self.origin_name,
                self.origin_hospital_id,
                self.origin_department,
                self.origin_lat,
                self.origin_lon,
            )),
            destination: Some(facility(
                self.destination_name,
                self.destination_hospital_id,
                self.destination_department,
                self.destination_lat,
                self.destination_lon,
            )),
            receiving_consent: Some(pb::ReceivingConsent {
                doctor: Some(clinician(self.consent_doctor, String::new(), self.consent_phone)),
                given_at: self.consent_at,
            }),
            wanted_window: (self.wanted_from.is_some() || self.wanted_to.is_some())
                .then_some(TimeRange { from: self.wanted_from, to: self.wanted_to }),
            notes: self.notes,
        }
    }
}

/// Runs a `ctl medevac` subcommand.
pub async fn run(
    channel: Channel,
    token: Option<&str>,
    output: Output,
    command: MedevacCommand,
) -> anyhow::Result<ExitCode> {
    let mut client = MedevacClient::with_interceptor(channel, super::bearer(token)?);
    let c = &mut client;
    use MedevacCommand as M;
    let request = match command {
        M::Create(args) => {
            let r = pb::CreateRequestRequest {
                request_id: args.request_id.unwrap_or_else(new_request_id),
                region_code: args.region,
                details: Some(args.details.into_proto()),
            };
            c.create_request(r).await.map_err(status_error)?.into_inner()
        }
        M::Update(args) => {
            let r = pb::UpdateRequestRequest {
                id: args.id,
                expected_version: args.version,
                details: Some(args.details.into_proto()),
            };
            c.update_request(r).await.map_err(status_error)?.into_inner()
        }
        M::Get { id } => c.get_request(pb::GetRequestRequest { id }).await.map_err(status_error)?.into_inner(),
        M::List(args) => return list(c, output, args).await,
        M::Submit { id } => c.submit_request(pb::SubmitRequestRequest { id }).await.map_err(status_error)?.into_inner(),
        M::Review { id } => c.start_review(pb::StartReviewRequest { id }).await.map_err(status_error)?.into_inner(),
        M::Approve { id } => {
            c.approve_request(pb::ApproveRequestRequest { id }).await.map_err(status_error)?.into_inner()
        }
        M::Return(a) => c
            .return_request(pb::ReturnRequestRequest { id: a.id, reason: a.reason })
            .await
            .map_err(status_error)?
            .into_inner(),
        M::Reject(a) => c
            .reject_request(pb::RejectRequestRequest { id: a.id, reason: a.reason })
            .await
            .map_err(status_error)?
            .into_inner(),
        M::Choose(a) => {
            let r = pb::ChooseAircraftRequest {
                id: a.id,
                aircraft_registration: a.aircraft,
                option_rank: a.rank,
                reason: a.reason,
            };
            c.choose_aircraft(r).await.map_err(status_error)?.into_inner()
        }
        M::Task { id } => c.task_airline(pb::TaskAirlineRequest { id }).await.map_err(status_error)?.into_inner(),
        M::Complete(a) => {
            let r = pb::CompleteRequestRequest {
                id: a.id,
                flight_time: Some(prost_types::Duration { seconds: a.flight_minutes * 60, nanos: 0 }),
            };
            c.complete_request(r).await.map_err(status_error)?.into_inner()
        }
        M::Cancel(a) => c
            .cancel_request(pb::CancelRequestRequest { id: a.id, reason: a.reason })
            .await
            .map_err(status_error)?
            .into_inner(),
        M::Accept(a) => {
            let r = pb::AcceptTaskingRequest { tasking_id: a.tasking_id, expected_departure_at: a.departure };
            return print_tasking(output, &c.accept_tasking(r).await.map_err(status_error)?.into_inner());
        }
        M::Decline(a) => {
            let r = pb::DeclineTaskingRequest { tasking_id: a.tasking_id, reason: a.reason };
            return print_tasking(output, &c.decline_tasking(r).await.map_err(status_error)?.into_inner());
        }
        M::Crew(a) => {
            let r = pb::AssignCrewRequest { tasking_id: a.tasking_id, crew: a.members };
            return print_tasking(output, &c.assign_crew(r).await.map_err(status_error)?.into_inner());
        }
        M::Milestone(a) => {
            let r = pb::ReportMilestoneRequest {
                tasking_id: a.tasking_id,
                milestone: a.milestone,
                occurred_at: a.at,
                next_milestone_expected_at: a.next_expected,
                note: a.note,
            };
            return print_tasking(output, &c.report_milestone(r).await.map_err(status_error)?.into_inner());
        }
        M::Upload(a) => return upload(c, output, a).await,
        M::Documents { id } => return documents(c, output, id).await,
        M::Download(a) => return download(c, output, a).await,
        M::Taskings(a) => return taskings(c, output, a).await,
        M::Message(a) => return message(c, output, a).await,
        M::Messages(a) => return messages(c, output, a).await,
        M::Read(a) => {
            let r = pb::MarkMessagesReadRequest {
                medevac_request_id: a.id,
                airline_code: a.airline,
                up_to_message_id: a.up_to,
            };
            let marked = c.mark_messages_read(r).await.map_err(status_error)?.into_inner().marked_count;
            match output {
                Output::Json => println!("{}", serde_json::json!({ "marked_count": marked })),
                Output::Table => println!("{marked} message(s) marked read"),
            }
            return Ok(ExitCode::SUCCESS);
        }
        M::Position(a) => return position(c, output, a).await,
        M::Track { id } => return track(c, output, id).await,
        M::Watch(a) => return watch(c, output, a).await,
        M::Alerts(a) => return alerts(c, output, a).await,
    };
    print_request(output, &request)
}

/// A timestamp as RFC 3339 UTC; empty when unset.
fn time(ts: Option<&prost_types::Timestamp>) -> String {
    ts.and_then(|t| chrono::DateTime::from_timestamp(t.seconds, t.nanos.max(0) as u32))
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// An enum value's name without its prefix, lower case.
fn name(full: Option<&str>, prefix: &str) -> String {
    full.map_or("unknown".into(), |n| n.strip_prefix(prefix).unwrap_or(n).to_lowercase())
}

fn status_name(n: i32) -> String {
    name(pb::RequestStatus::try_from(n).ok().map(|s| s.as_str_name()), "REQUEST_STATUS_")
}

/// A request as `ctl` prints it: no patient identity.
#[derive(Serialize)]
struct RequestView {
    id: String,
    number: String,
    region_code: String,
    status: String,
    mission_type: String,
    urgency: String,
    version: i64,
    created_at: String,
    tasking: Option<TaskingView>,
    history: Vec<HistoryView>,
}

/// One status change.
#[derive(Serialize)]
struct HistoryView {
    to: String,
    occurred_at: String,
    time_in_previous_s: i64,
    by: String,
    reason: String,
}

/// A tasking as `ctl` prints it.
#[derive(Serialize)]
struct TaskingView {
    id: String,
    request_number: String,
    airline_code: String,
    aircraft_registration: String,
    option_rank: i32,
    status: String,
    planned_flight_minutes: i64,
    planned_cost_kzt: f64,
    crew: Vec<String>,
    schedule: Vec<MilestoneView>,
    decline_reason: String,
}

/// One milestone of a schedule.
#[derive(Serialize)]
struct MilestoneView {
    milestone: String,
    planned_at: String,
    expected_at: String,
    actual_at: String,
}

impl From<&pb::Tasking> for TaskingView {
    fn from(t: &pb::Tasking) -> Self {
        TaskingView {
            id: t.id.clone(),
            request_number: t.request_number.clone(),
            airline_code: t.airline_code.clone(),
            aircraft_registration: t.aircraft_registration.clone(),
            option_rank: t.option_rank,
            status: name(pb::TaskingStatus::try_from(t.status).ok().map(|s| s.as_str_name()), "TASKING_STATUS_"),
            planned_flight_minutes: t.planned_flight_time.map_or(0, |d| d.seconds / 60),
            planned_cost_kzt: t.planned_cost.as_ref().map_or(0.0, |m| m.minor_units as f64 / 100.0),
            crew: t
                .crew
                .iter()
                .map(|m| {
                    format!(
                        "{} ({})",
                        m.full_name,
                        name(pb::CrewRole::try_from(m.role).ok().map(|r| r.as_str_name()), "CREW_ROLE_")
                    )
                })
                .collect(),
            schedule: t
                .schedule
                .iter()
                .map(|m| MilestoneView {
                    milestone: name(pb::Milestone::try_from(m.milestone).ok().map(|v| v.as_str_name()), "MILESTONE_"),
                    planned_at: time(m.planned_at.as_ref()),
                    expected_at: time(m.expected_at.as_ref()),
                    actual_at: time(m.actual_at.as_ref()),
                })
                .collect(),
            decline_reason: t.decline_reason.clone(),
        }
    }
}

impl From<&pb::MedevacRequest> for RequestView {
    fn from(r: &pb::MedevacRequest) -> Self {
        let details = r.details.clone().unwrap_or_default();
        RequestView {
            id: r.id.clone(),
            number: r.number.clone(),
            region_code: r.region_code.clone(),
            status: status_name(r.status),
            mission_type: name(
                pb::MissionType::try_from(details.mission_type).ok().map(|m| m.as_str_name()),
                "MISSION_TYPE_",
            ),
            urgency: name(pb::Urgency::try_from(details.urgency).ok().map(|u| u.as_str_name()), "URGENCY_"),
            version: r.version,
            created_at: time(r.created_at.as_ref()),
            tasking: r.current_tasking.as_ref().map(TaskingView::from),
            history: r
                .history
                .iter()
                .map(|h| HistoryView {
                    to: status_name(h.to_status),
                    occurred_at: time(h.occurred_at.as_ref()),
                    time_in_previous_s: h.time_in_from_status.map_or(0, |d| d.seconds),
                    by: h.actor.as_ref().map(|a| format!("{} ({})", a.subject, a.role)).unwrap_or_default(),
                    reason: h.reason.clone(),
                })
                .collect(),
        }
    }
}

const REQUEST_HEADERS: [&str; 7] = ["NUMBER", "STATUS", "REGION", "URGENCY", "AIRCRAFT", "VERSION", "ID"];

fn request_cells(r: &RequestView) -> Vec<String> {
    vec![
        r.number.clone(),
        r.status.clone(),
        r.region_code.clone(),
        r.urgency.clone(),
        r.tasking.as_ref().map(|t| t.aircraft_registration.clone()).unwrap_or_default(),
        r.version.to_string(),
        r.id.clone(),
    ]
}

fn print_request(output: Output, request: &pb::MedevacRequest) -> anyhow::Result<ExitCode> {
    let view = RequestView::from(request);
    match output {
        Output::Json => println!("{}", serde_json::to_string_pretty(&view)?),
        Output::Table => {
            print_rows(output, std::slice::from_ref(&view), request_cells, &REQUEST_HEADERS)?;
            if let Some(t) = &view.tasking {
                println!();
                print_rows(output, std::slice::from_ref(t), tasking_cells, &TASKING_HEADERS)?;
            }
            println!();
            print_rows(
                output,
                &view.history,
                |h| {
                    vec![
                        h.to.clone(),
                        h.occurred_at.clone(),
                        h.time_in_previous_s.to_string(),
                        h.by.clone(),
                        h.reason.clone(),
                    ]
                },
                &["STATUS", "AT", "PREVIOUS_S", "BY", "REASON"],
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

const TASKING_HEADERS: [&str; 8] = ["REQUEST", "AIRLINE", "AIRCRAFT", "RANK", "STATUS", "FLIGHT_MIN", "COST_KZT", "ID"];

fn tasking_cells(t: &TaskingView) -> Vec<String> {
    vec![
        t.request_number.clone(),
        t.airline_code.clone(),
        t.aircraft_registration.clone(),
        t.option_rank.to_string(),
        t.status.clone(),
        t.planned_flight_minutes.to_string(),
        format!("{:.0}", t.planned_cost_kzt),
        t.id.clone(),
    ]
}

fn print_tasking(output: Output, tasking: &pb::Tasking) -> anyhow::Result<ExitCode> {
    let view = TaskingView::from(tasking);
    match output {
        Output::Json => println!("{}", serde_json::to_string_pretty(&view)?),
        Output::Table => {
            print_rows(output, std::slice::from_ref(&view), tasking_cells, &TASKING_HEADERS)?;
            println!();
            print_rows(
                output,
                &view.schedule,
                |m| vec![m.milestone.clone(), m.planned_at.clone(), m.expected_at.clone(), m.actual_at.clone()],
                &["MILESTONE", "PLANNED", "EXPECTED", "ACTUAL"],
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn list(c: &mut Client, output: Output, args: ListArgs) -> anyhow::Result<ExitCode> {
    let r = pb::ListRequestsRequest {
        page_size: args.limit,
        page_token: args.page_token,
        region_code: args.region.unwrap_or_default(),
        statuses: args.statuses,
        urgencies: args.urgencies,
        created_within: None,
    };
    let response = c.list_requests(r).await.map_err(status_error)?.into_inner();
    let rows: Vec<RequestView> = response.medevac_requests.iter().map(RequestView::from).collect();
    print_rows(output, &rows, request_cells, &REQUEST_HEADERS)?;
    if output == Output::Table && !response.next_page_token.is_empty() {
        println!("more: --page-token {}", response.next_page_token);
    }
    Ok(ExitCode::SUCCESS)
}

async fn taskings(c: &mut Client, output: Output, args: TaskingsArgs) -> anyhow::Result<ExitCode> {
    let r = pb::ListTaskingsRequest {
        airline_code: args.airline.unwrap_or_default(),
        medevac_request_id: args.request.unwrap_or_default(),
        statuses: args.statuses,
        ..Default::default()
    };
    let response = c.list_taskings(r).await.map_err(status_error)?.into_inner();
    let rows: Vec<TaskingView> = response.taskings.iter().map(TaskingView::from).collect();
    print_rows(output, &rows, tasking_cells, &TASKING_HEADERS)?;
    Ok(ExitCode::SUCCESS)
}

/// A document as `ctl` prints it.
#[derive(Serialize)]
struct DocumentView {
    id: String,
    kind: String,
    file_name: String,
    content_type: String,
    size_bytes: i64,
    sha256_hex: String,
    created_at: String,
}

impl From<&pb::Document> for DocumentView {
    fn from(d: &pb::Document) -> Self {
        DocumentView {
            id: d.id.clone(),
            kind: name(pb::DocumentKind::try_from(d.kind).ok().map(|k| k.as_str_name()), "DOCUMENT_KIND_"),
            file_name: d.file_name.clone(),
            content_type: d.content_type.clone(),
            size_bytes: d.size_bytes,
            sha256_hex: d.sha256_hex.clone(),
            created_at: time(d.created_at.as_ref()),
        }
    }
}

const DOCUMENT_HEADERS: [&str; 6] = ["FILE", "KIND", "TYPE", "BYTES", "SHA256", "ID"];

fn document_cells(d: &DocumentView) -> Vec<String> {
    vec![
        d.file_name.clone(),
        d.kind.clone(),
        d.content_type.clone(),
        d.size_bytes.to_string(),
        d.sha256_hex.clone(),
        d.id.clone(),
    ]
}

fn content_type_of(path: &std::path::Path) -> Option<&'static str> {
    let extension = path.extension()?.to_str()?.to_lowercase();
    Some(match extension.as_str() {
        "pdf" => "application/pdf",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "dcm" | "dicom" => "application/dicom",
        "txt" => "text/plain",
        _ => return None,
    })
}

async fn upload(c: &mut Client, output: Output, args: UploadArgs) -> anyhow::Result<ExitCode> {
    let content = std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let content_type = match args.content_type {
        Some(t) => t,
        None => match content_type_of(&args.file) {
            Some(t) => t.to_string(),
            None => bail!("cannot tell the content type of {}; pass --content-type", args.file.display()),
        },
    };
    let file_name = args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut messages = vec![pb::UploadDocumentRequest {
        payload: Some(pb::upload_document_request::Payload::Metadata(pb::DocumentUpload {
            request_id: args.request_id.unwrap_or_else(new_request_id),
            medevac_request_id: args.id,
            kind: args.kind,
            file_name,
            content_type,
            size_bytes: content.len() as i64,
        })),
    }];
    messages.extend(content.chunks(CHUNK).map(|chunk| pb::UploadDocumentRequest {
        payload: Some(pb::upload_document_request::Payload::Chunk(chunk.to_vec())),
    }));
    let document = c.upload_document(futures::stream::iter(messages)).await.map_err(status_error)?.into_inner();
    print_rows(output, &[DocumentView::from(&document)], document_cells, &DOCUMENT_HEADERS)?;
    Ok(ExitCode::SUCCESS)
}

async fn documents(c: &mut Client, output: Output, id: String) -> anyhow::Result<ExitCode> {
    let r = pb::ListDocumentsRequest { medevac_request_id: id, ..Default::default() };
    let response = c.list_documents(r).await.map_err(status_error)?.into_inner();
    let rows: Vec<DocumentView> = response.documents.iter().map(DocumentView::from).collect();
    print_rows(output, &rows, document_cells, &DOCUMENT_HEADERS)?;
    Ok(ExitCode::SUCCESS)
}

async fn download(c: &mut Client, output: Output, args: DownloadArgs) -> anyhow::Result<ExitCode> {
    use pb::download_document_response::Payload;
    use sha2::Digest as _;
    let mut stream =
        c.download_document(pb::DownloadDocumentRequest { id: args.id }).await.map_err(status_error)?.into_inner();
    let Some(Payload::Metadata(document)) =
        stream.next().await.transpose().map_err(status_error)?.and_then(|m| m.payload)
    else {
        bail!("the server sent no document metadata");
    };
    let mut content = Vec::with_capacity(document.size_bytes.max(0) as usize);
    while let Some(message) = stream.next().await {
        if let Some(Payload::Chunk(bytes)) = message.map_err(status_error)?.payload {
            content.extend_from_slice(&bytes);
        }
    }
    let digest = hex::encode(sha2::Sha256::digest(&content));
    if digest != document.sha256_hex {
        bail!("SHA-256 mismatch: got {digest}, the document records {}", document.sha256_hex);
    }
    let path = args.out.unwrap_or_else(|| PathBuf::from(&document.file_name));
    std::fs::write(&path, &content).with_context(|| format!("cannot write {}", path.display()))?;
    match output {
        Output::Json => println!("{}", serde_json::json!({ "path": path, "document": DocumentView::from(&document) })),
        Output::Table => println!("{} bytes written to {} (SHA-256 {digest} verified)", content.len(), path.display()),
    }
    Ok(ExitCode::SUCCESS)
}

/// A message as `ctl` prints it.
#[derive(Serialize)]
struct MessageView {
    id: String,
    from: String,
    sender: String,
    body: String,
    sent_at: String,
    delivered_at: String,
    read_at: String,
}

impl From<&pb::Message> for MessageView {
    fn from(m: &pb::Message) -> Self {
        MessageView {
            id: m.id.clone(),
            from: name(pb::Party::try_from(m.sender_party).ok().map(|p| p.as_str_name()), "PARTY_"),
            sender: m.sender.as_ref().map(|a| a.subject.clone()).unwrap_or_default(),
            body: m.body.clone(),
            sent_at: time(m.sent_at.as_ref()),
            delivered_at: time(m.delivered_at.as_ref()),
            read_at: time(m.read_at.as_ref()),
        }
    }
}

const MESSAGE_HEADERS: [&str; 6] = ["SENT", "FROM", "DELIVERED", "READ", "BODY", "ID"];

fn message_cells(m: &MessageView) -> Vec<String> {
    vec![m.sent_at.clone(), m.from.clone(), m.delivered_at.clone(), m.read_at.clone(), m.body.clone(), m.id.clone()]
}

async fn message(c: &mut Client, output: Output, args: MessageArgs) -> anyhow::Result<ExitCode> {
    let r = pb::PostMessageRequest {
        request_id: args.request_id.unwrap_or_else(new_request_id),
        medevac_request_id: args.id,
        airline_code: args.airline,
        body: args.body,
    };
    let posted = c.post_message(r).await.map_err(status_error)?.into_inner();
    print_rows(output, &[MessageView::from(&posted)], message_cells, &MESSAGE_HEADERS)?;
    Ok(ExitCode::SUCCESS)
}

async fn messages(c: &mut Client, output: Output, args: ThreadArgs) -> anyhow::Result<ExitCode> {
    let mut rows = Vec::new();
    let mut page_token = String::new();
    loop {
        let r = pb::ListMessagesRequest {
            medevac_request_id: args.id.clone(),
            airline_code: args.airline.clone(),
            page_size: 1000,
            page_token,
        };
        let page = c.list_messages(r).await.map_err(status_error)?.into_inner();
        rows.extend(page.messages.iter().map(MessageView::from));
        if page.next_page_token.is_empty() {
            break;
        }
        page_token = page.next_page_token;
    }
    print_rows(output, &rows, message_cells, &MESSAGE_HEADERS)?;
    Ok(ExitCode::SUCCESS)
}

async fn position(c: &mut Client, output: Output, args: PositionArgs) -> anyhow::Result<ExitCode> {
    let at = match args.at {
        Some(at) => at,
        None => parse_time("now").map_err(anyhow::Error::msg)?,
    };
    let report = pb::FlightPosition {
        aircraft_registration: args.aircraft,
        medevac_request_id: args.request,
        position: Some(LatLon { lat: args.lat, lon: args.lon }),
        altitude_m: args.altitude,
        ground_speed_kmh: args.speed,
        recorded_at: Some(at),
        source: pb::PositionSource::Crew.into(),
    };
    let batch = pb::StreamFlightPositionsRequest { positions: vec![report] };
    let summary =
        c.stream_flight_positions(futures::stream::iter(vec![batch])).await.map_err(status_error)?.into_inner();
    match output {
        Output::Json => println!(
            "{}",
            serde_json::json!({ "accepted_count": summary.accepted_count, "rejected_count": summary.rejected_count })
        ),
        Output::Table => println!("accepted {}, rejected {}", summary.accepted_count, summary.rejected_count),
    }
    Ok(if summary.rejected_count == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// A position as `ctl` prints it.
#[derive(Serialize)]
struct PositionView {
    aircraft: String,
    recorded_at: String,
    lat: f64,
    lon: f64,
    altitude_m: f64,
    ground_speed_kmh: f64,
}

async fn track(c: &mut Client, output: Output, id: String) -> anyhow::Result<ExitCode> {
    let track = c
        .get_flight_track(pb::GetFlightTrackRequest { medevac_request_id: id })
        .await
        .map_err(status_error)?
        .into_inner();
    let rows: Vec<PositionView> = track
        .positions
        .iter()
        .map(|p| PositionView {
            aircraft: p.aircraft_registration.clone(),
            recorded_at: time(p.recorded_at.as_ref()),
            lat: p.position.map_or(0.0, |l| l.lat),
            lon: p.position.map_or(0.0, |l| l.lon),
            altitude_m: p.altitude_m,
            ground_speed_kmh: p.ground_speed_kmh,
        })
        .collect();
    print_rows(
        output,
        &rows,
        |p| {
            vec![
                p.recorded_at.clone(),
                p.aircraft.clone(),
                format!("{:.5}", p.lat),
                format!("{:.5}", p.lon),
                format!("{:.0}", p.altitude_m),
                format!("{:.0}", p.ground_speed_kmh),
            ]
        },
        &["AT", "AIRCRAFT", "LAT", "LON", "ALT_M", "KMH"],
    )?;
    Ok(ExitCode::SUCCESS)
}

/// A request event as `ctl medevac watch` prints it.
#[derive(Serialize)]
struct EventView {
    sequence: u64,
    occurred_at: String,
    kind: String,
    medevac_request_id: String,
    number: String,
    status: String,
}

async fn watch(c: &mut Client, output: Output, args: WatchArgs) -> anyhow::Result<ExitCode> {
    let r = pb::WatchRequestsRequest {
        after_sequence: args.after_sequence,
        region_code: args.region.unwrap_or_default(),
        statuses: args.statuses,
    };
    let mut stream = c.watch_requests(r).await.map_err(status_error)?.into_inner();
    let mut stdout = std::io::stdout();
    if output == Output::Table {
        writeln!(stdout, "{:<8}  {:<16}  {:<20}  {:<24}  ID", "SEQ", "KIND", "NUMBER", "STATUS")?;
    }
    let mut seen = 0;
    while args.count.is_none_or(|n| seen < n) {
        let Some(event) = stream.next().await else { break };
        let event = event.map_err(status_error)?;
        let number = match &event.subject {
            Some(pb::request_event::Subject::MedevacRequest(r)) => r.number.clone(),
            Some(pb::request_event::Subject::Tasking(t)) => t.request_number.clone(),
            None => String::new(),
        };
        let view = EventView {
            sequence: event.sequence,
            occurred_at: time(event.occurred_at.as_ref()),
            kind: name(pb::RequestEventKind::try_from(event.kind).ok().map(|k| k.as_str_name()), "REQUEST_EVENT_KIND_"),
            medevac_request_id: event.medevac_request_id,
            number,
            status: status_name(event.status),
        };
        match output {
            Output::Json => writeln!(stdout, "{}", serde_json::to_string(&view)?)?,
            Output::Table => writeln!(
                stdout,
                "{:<8}  {:<16}  {:<20}  {:<24}  {}",
                view.sequence, view.kind, view.number, view.status, view.medevac_request_id
            )?,
        }
        stdout.flush()?;
        seen += 1;
    }
    Ok(ExitCode::SUCCESS)
}

/// An alert as `ctl medevac alerts` prints it.
#[derive(Serialize)]
struct AlertView {
    sequence: u64,
    occurred_at: String,
    kind: String,
    cleared: bool,
    aircraft: String,
    airline: String,
    medevac_request_id: String,
    milestone: String,
    lag_s: i64,
    threshold_s: i64,
}

async fn alerts(c: &mut Client, output: Output, args: AlertsArgs) -> anyhow::Result<ExitCode> {
    let r = pb::WatchFlightAlertsRequest {
        after_sequence: args.after_sequence,
        region_code: args.region.unwrap_or_default(),
        airline_code: args.airline.unwrap_or_default(),
    };
    let mut stream = c.watch_flight_alerts(r).await.map_err(status_error)?.into_inner();
    let mut stdout = std::io::stdout();
    let mut seen = 0;
    while args.count.is_none_or(|n| seen < n) {
        let Some(alert) = stream.next().await else { break };
        let alert = alert.map_err(status_error)?;
        let view = AlertView {
            sequence: alert.sequence,
            occurred_at: time(alert.occurred_at.as_ref()),
            kind: name(pb::FlightAlertKind::try_from(alert.kind).ok().map(|k| k.as_str_name()), "FLIGHT_ALERT_KIND_"),
            cleared: alert.cleared,
            aircraft: alert.aircraft_registration,
            airline: alert.airline_code,
            medevac_request_id: alert.medevac_request_id,
            milestone: if alert.milestone == 0 {
                String::new()
            } else {
                name(pb::Milestone::try_from(alert.milestone).ok().map(|m| m.as_str_name()), "MILESTONE_")
            },
            lag_s: alert.lag.map_or(0, |d| d.seconds),
            threshold_s: alert.threshold.map_or(0, |d| d.seconds),
        };
        match output {
            Output::Json => writeln!(stdout, "{}", serde_json::to_string(&view)?)?,
            Output::Table => writeln!(
                stdout,
                "{:<8}  {:<12}  {:<8}  {:<10}  {:>6}s  {}",
                view.sequence,
                view.kind,
                if view.cleared { "cleared" } else { "RAISED" },
                view.aircraft,
                view.lag_s,
                view.medevac_request_id
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
    fn flags_parse_to_api_values() {
        assert_eq!(parse_mission("patient_transport"), Ok(pb::MissionType::PatientTransport as i32));
        assert_eq!(parse_milestone("patient-on-board"), Ok(pb::Milestone::PatientOnBoard as i32));
        assert!(parse_status("unspecified").is_err());
        assert!(parse_need("parachute").is_err());
        let member = parse_member("Marat Ospanov:pilot_in_command:+77017770011").unwrap();
        assert_eq!((member.role, member.phone.as_str()), (pb::CrewRole::PilotInCommand as i32, "+77017770011"));
        assert!(parse_member("Marat").is_err());
        assert_eq!(parse_companion("Aigerim:wife:60").unwrap().weight_kg, 60.0);
        let now = chrono::Utc::now().timestamp();
        assert!((parse_time("+45m").unwrap().seconds - now - 2_700).abs() < 5);
        assert_eq!(parse_time("2026-11-22T10:00:00+05:00").unwrap().seconds, 1_795_323_600);
        assert!(parse_time("tomorrow").is_err());
        assert_eq!(content_type_of(std::path::Path::new("ecg.PDF")), Some("application/pdf"));
    }
}
