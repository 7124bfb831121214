//! `jedel ctl registry …`: list any record type (with the filters its List RPC offers),
//! import and export data files, and ask about medevac eligibility and expiring certificates
//! and contracts. Tables for people, `--output json` for scripts.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{Args, Subcommand, ValueEnum};
use jedel_api::common::v1::{HospitalProfile, TeamKind};
use jedel_api::registry::v1 as pb;
use jedel_api::registry::v1::registry_client::RegistryClient;
use serde::Serialize;
use serde::ser::SerializeMap as _;
use serde_json::{Value, json};
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

use jedel_platform::auth::Bearer;

use super::print_rows;
use crate::cli::Output;

type Client = RegistryClient<InterceptedService<Channel, Bearer>>;

/// Records fetched per List call while paging through everything.
const PAGE_SIZE: i32 = 1000;

/// `jedel ctl registry` subcommands.
#[derive(Subcommand, Debug)]
pub enum RegistryCommand {
    /// Regions.
    #[command(subcommand)]
    Regions(RegionsCommand),
    /// EMS stations.
    #[command(subcommand)]
    Stations(StationsCommand),
    /// Brigades (ground units).
    #[command(subcommand)]
    Brigades(BrigadesCommand),
    /// Hospitals.
    #[command(subcommand)]
    Hospitals(HospitalsCommand),
    /// Airfields and helipads.
    #[command(subcommand)]
    Airfields(AirfieldsCommand),
    /// Airlines and their medical-aviation certificates.
    #[command(subcommand)]
    Airlines(AirlinesCommand),
    /// Aircraft.
    #[command(subcommand)]
    Aircraft(AircraftCommand),
    /// Contracts.
    #[command(subcommand)]
    Contracts(ContractsCommand),
    /// Import a data file (JSON or CSV) of one record type, all or nothing; exits 1 with
    /// every problem listed if any row is bad.
    Import(ImportArgs),
    /// Export every record of one type as a data file that import reads back.
    Export(ExportArgs),
    /// Whether aircraft may fly medevac at a moment, and why not.
    Eligibility(EligibilityArgs),
    /// Certificates and contracts ending soon, soonest first.
    Expiring(ExpiringArgs),
}

/// `jedel ctl registry regions …`
#[derive(Subcommand, Debug)]
pub enum RegionsCommand {
    /// List regions in code order.
    List,
}

/// `jedel ctl registry stations …`
#[derive(Subcommand, Debug)]
pub enum StationsCommand {
    /// List stations in code order.
    List {
        /// Only this region, e.g. KZ-71.
        #[arg(long)]
        region: Option<String>,
        /// Only this kind, e.g. city_substation.
        #[arg(long)]
        kind: Option<String>,
    },
}

/// `jedel ctl registry brigades …`
#[derive(Subcommand, Debug)]
pub enum BrigadesCommand {
    /// List brigades in call-sign order.
    List {
        /// Only this region, e.g. KZ-71.
        #[arg(long)]
        region: Option<String>,
        /// Only this station, e.g. AST-01.
        #[arg(long)]
        station: Option<String>,
        /// Only this team kind, e.g. feldsher.
        #[arg(long)]
        kind: Option<String>,
        /// Only brigades in (true) or out of (false) service.
        #[arg(long)]
        in_service: Option<bool>,
    },
}

/// `jedel ctl registry hospitals …`
#[derive(Subcommand, Debug)]
pub enum HospitalsCommand {
    /// List hospitals in code order.
    List {
        /// Only this region, e.g. KZ-71.
        #[arg(long)]
        region: Option<String>,
        /// Only hospitals with this profile, e.g. stroke.
        #[arg(long)]
        profile: Option<String>,
    },
}

/// `jedel ctl registry airfields …`
#[derive(Subcommand, Debug)]
pub enum AirfieldsCommand {
    /// List airfields in code order.
    List {
        /// Only this region, e.g. KZ-71.
        #[arg(long)]
        region: Option<String>,
        /// Only this kind: airport, airstrip or helipad.
        #[arg(long)]
        kind: Option<String>,
    },
}

/// `jedel ctl registry airlines …`
#[derive(Subcommand, Debug)]
pub enum AirlinesCommand {
    /// List airlines in code order.
    List {
        /// Only this status: active or suspended.
        #[arg(long)]
        status: Option<String>,
    },
}

/// `jedel ctl registry aircraft …`
#[derive(Subcommand, Debug)]
pub enum AircraftCommand {
    /// List aircraft in registration order.
    List {
        /// Only this airline, e.g. KAZAVIASPAS.
        #[arg(long)]
        airline: Option<String>,
        /// Only planes or helicopters.
        #[arg(long)]
        kind: Option<String>,
        /// Only this status: available, on_mission or maintenance.
        #[arg(long)]
        status: Option<String>,
    },
}

/// `jedel ctl registry contracts …`
#[derive(Subcommand, Debug)]
pub enum ContractsCommand {
    /// List contracts in number order.
    List {
        /// Only this airline, e.g. ORLAN_2000.
        #[arg(long)]
        airline: Option<String>,
        /// Only this status: active, suspended or terminated.
        #[arg(long)]
        status: Option<String>,
        /// Only contracts that list this aircraft, e.g. UP-MI805.
        #[arg(long)]
        aircraft: Option<String>,
    },
}

/// A record type of a data file.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    /// regions.json
    #[value(alias = "region")]
    Regions,
    /// stations.json
    #[value(alias = "station")]
    Stations,
    /// brigades.json
    #[value(alias = "brigade")]
    Brigades,
    /// airfields.json
    #[value(alias = "airfield")]
    Airfields,
    /// hospitals.json
    #[value(alias = "hospital")]
    Hospitals,
    /// airlines.json
    #[value(alias = "airline")]
    Airlines,
    /// aircraft.json
    Aircraft,
    /// contracts.json
    #[value(alias = "contract")]
    Contracts,
}

impl Entity {
    fn proto(self) -> pb::EntityType {
        match self {
            Entity::Regions => pb::EntityType::Region,
            Entity::Stations => pb::EntityType::Station,
            Entity::Brigades => pb::EntityType::Brigade,
            Entity::Airfields => pb::EntityType::Airfield,
            Entity::Hospitals => pb::EntityType::Hospital,
            Entity::Airlines => pb::EntityType::Airline,
            Entity::Aircraft => pb::EntityType::Aircraft,
            Entity::Contracts => pb::EntityType::Contract,
        }
    }
}

/// A data-file encoding.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// A JSON array of flat objects.
    Json,
    /// CSV with a header row; lists `;`-separated.
    Csv,
}

impl FileFormat {
    fn proto(self) -> pb::RecordFormat {
        match self {
            FileFormat::Json => pb::RecordFormat::Json,
            FileFormat::Csv => pb::RecordFormat::Csv,
        }
    }
}

/// `jedel ctl registry import`
#[derive(Args, Debug)]
pub struct ImportArgs {
    /// What the file holds.
    #[arg(value_enum)]
    pub entity: Entity,
    /// The file.
    pub file: PathBuf,
    /// Check everything and report, but write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Replace records whose code exists instead of refusing them.
    #[arg(long)]
    pub replace_existing: bool,
    /// The file's encoding; by default from its extension (.csv or .json).
    #[arg(long, value_enum)]
    pub format: Option<FileFormat>,
    /// Idempotency key: a retry with the same key answers as the first import did.
    #[arg(long)]
    pub request_id: Option<String>,
}

/// `jedel ctl registry export`
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// What to export.
    #[arg(value_enum)]
    pub entity: Entity,
    /// The encoding.
    #[arg(long, value_enum, default_value_t = FileFormat::Json)]
    pub format: FileFormat,
    /// Only records of this region (not for airlines, aircraft, contracts).
    #[arg(long)]
    pub region: Option<String>,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `jedel ctl registry eligibility`
#[derive(Args, Debug)]
pub struct EligibilityArgs {
    /// Registrations of the aircraft, e.g. UP-MI805.
    #[arg(required = true)]
    pub registrations: Vec<String>,
    /// The moment: RFC 3339 (2026-10-02T00:00:00+05:00), or a date (00:00 Almaty time that
    /// day); now by default.
    #[arg(long)]
    pub at: Option<String>,
}

/// `jedel ctl registry expiring`
#[derive(Args, Debug)]
pub struct ExpiringArgs {
    /// Horizon in days.
    #[arg(long, default_value_t = 30)]
    pub within_days: i32,
    /// The moment to look from (as for eligibility); now by default.
    #[arg(long)]
    pub at: Option<String>,
    /// Only this airline.
    #[arg(long)]
    pub airline: Option<String>,
    /// Also list what has already ended.
    #[arg(long)]
    pub include_expired: bool,
}

/// A record as printed: named values in column order (a JSON object for scripts).
struct Record(Vec<(&'static str, Value)>);

impl Serialize for Record {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(";"),
        other => other.to_string(),
    }
}

/// Prints records as a table (headers from their keys) or a JSON array.
fn print_records(output: Output, records: &[Record]) -> anyhow::Result<()> {
    let Some(first) = records.first() else {
        if output == Output::Json {
            println!("[]");
        }
        return Ok(());
    };
    let headers: Vec<String> = first.0.iter().map(|(k, _)| k.to_uppercase()).collect();
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    print_rows(output, records, |r| r.0.iter().map(|(_, v)| cell(v)).collect(), &headers)
}

/// The file spelling of an API enum value: its name without `prefix`, lower case.
fn word(name: Option<&str>, prefix: &str) -> String {
    name.map(|n| n.strip_prefix(prefix).unwrap_or(n).to_lowercase()).unwrap_or_default()
}

/// The API number of a file spelling, via the enum's `from_str_name`.
fn number(text: &str, prefix: &str, from_name: impl Fn(&str) -> Option<i32>, what: &str) -> anyhow::Result<i32> {
    from_name(&format!("{prefix}{}", text.to_uppercase())).with_context(|| format!("{text:?} is not {what}"))
}

fn optional_number(
    text: Option<&str>,
    prefix: &str,
    from_name: impl Fn(&str) -> Option<i32>,
    what: &str,
) -> anyhow::Result<i32> {
    text.map_or(Ok(0), |t| number(t, prefix, from_name, what))
}

fn date(date: Option<&pb::Date>) -> String {
    date.map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)).unwrap_or_default()
}

/// A moment from RFC 3339 or a date (00:00 Almaty time).
fn moment(text: Option<&str>) -> anyhow::Result<Option<prost_types::Timestamp>> {
    let Some(text) = text else { return Ok(None) };
    let at = match chrono::DateTime::parse_from_rfc3339(text) {
        Ok(at) => at,
        Err(_) => chrono::DateTime::parse_from_rfc3339(&format!("{text}T00:00:00+05:00"))
            .with_context(|| format!("{text:?} is neither RFC 3339 nor YYYY-MM-DD"))?,
    };
    Ok(Some(prost_types::Timestamp { seconds: at.timestamp(), nanos: at.timestamp_subsec_nanos() as i32 }))
}

/// Runs a registry subcommand.
pub async fn run(mut client: Client, output: Output, command: RegistryCommand) -> anyhow::Result<ExitCode> {
    let records = match command {
        RegistryCommand::Regions(RegionsCommand::List) => regions(&mut client).await?,
        RegistryCommand::Stations(StationsCommand::List { region, kind }) => {
            let kind = optional_number(kind.as_deref(), "STATION_KIND_", station_kind, "a station kind")?;
            stations(&mut client, region.unwrap_or_default(), kind).await?
        }
        RegistryCommand::Brigades(BrigadesCommand::List { region, station, kind, in_service }) => {
            let kind = optional_number(kind.as_deref(), "TEAM_KIND_", team_kind, "a team kind")?;
            let request = pb::ListBrigadesRequest {
                page_size: PAGE_SIZE,
                region_code: region.unwrap_or_default(),
                station_code: station.unwrap_or_default(),
                kind,
                in_service,
                ..Default::default()
            };
            brigades(&mut client, request).await?
        }
        RegistryCommand::Hospitals(HospitalsCommand::List { region, profile }) => {
            let profile = optional_number(profile.as_deref(), "HOSPITAL_PROFILE_", hospital_profile, "a profile")?;
            hospitals(&mut client, region.unwrap_or_default(), profile).await?
        }
        RegistryCommand::Airfields(AirfieldsCommand::List { region, kind }) => {
            let kind = optional_number(kind.as_deref(), "AIRFIELD_KIND_", airfield_kind, "an airfield kind")?;
            airfields(&mut client, region.unwrap_or_default(), kind).await?
        }
        RegistryCommand::Airlines(AirlinesCommand::List { status }) => {
            let status = optional_number(status.as_deref(), "AIRLINE_STATUS_", airline_status, "an airline status")?;
            airlines(&mut client, status).await?
        }
        RegistryCommand::Aircraft(AircraftCommand::List { airline, kind, status }) => {
            let request = pb::ListAircraftRequest {
                page_size: PAGE_SIZE,
                airline_code: airline.unwrap_or_default(),
                kind: optional_number(kind.as_deref(), "AIRCRAFT_KIND_", aircraft_kind, "an aircraft kind")?,
                status: optional_number(status.as_deref(), "AIRCRAFT_STATUS_", aircraft_status, "an aircraft status")?,
                ..Default::default()
            };
            aircraft(&mut client, request).await?
        }
        RegistryCommand::Contracts(ContractsCommand::List { airline, status, aircraft }) => {
            let request = pb::ListContractsRequest {
                page_size: PAGE_SIZE,
                airline_code: airline.unwrap_or_default(),
                status: optional_number(status.as_deref(), "CONTRACT_STATUS_", contract_status, "a contract status")?,
                aircraft_registration: aircraft.unwrap_or_default(),
                ..Default::default()
            };
            contracts(&mut client, request).await?
        }
        RegistryCommand::Import(args) => return import(&mut client, output, args).await,
        RegistryCommand::Export(args) => return export(&mut client, args).await,
        RegistryCommand::Eligibility(args) => eligibility(&mut client, args).await?,
        RegistryCommand::Expiring(args) => expiring(&mut client, args).await?,
    };
    print_records(output, &records)?;
    Ok(ExitCode::SUCCESS)
}

fn station_kind(name: &str) -> Option<i32> {
    pb::StationKind::from_str_name(name).map(Into::into)
}
fn team_kind(name: &str) -> Option<i32> {
    TeamKind::from_str_name(name).map(Into::into)
}
fn hospital_profile(name: &str) -> Option<i32> {
    HospitalProfile::from_str_name(name).map(Into::into)
}
fn airfield_kind(name: &str) -> Option<i32> {
    pb::AirfieldKind::from_str_name(name).map(Into::into)
}
fn airline_status(name: &str) -> Option<i32> {
    pb::AirlineStatus::from_str_name(name).map(Into::into)
}
fn aircraft_kind(name: &str) -> Option<i32> {
    pb::AircraftKind::from_str_name(name).map(Into::into)
}
fn aircraft_status(name: &str) -> Option<i32> {
    pb::AircraftStatus::from_str_name(name).map(Into::into)
}
fn contract_status(name: &str) -> Option<i32> {
    pb::ContractStatus::from_str_name(name).map(Into::into)
}

/// Calls a List RPC page after page until the token is empty, collecting the records. The
/// request sets `page_size` (see [`PAGE_SIZE`]).
macro_rules! all_pages {
    ($client:expr, $method:ident, $request:expr, $field:ident) => {{
        let mut request = $request;
        let mut out = Vec::new();
        loop {
            let page = $client.$method(request.clone()).await?.into_inner();
            out.extend(page.$field);
            if page.next_page_token.is_empty() {
                break out;
            }
            request.page_token = page.next_page_token;
        }
    }};
}

async fn regions(client: &mut Client) -> anyhow::Result<Vec<Record>> {
    let all = all_pages!(
        client,
        list_regions,
        pb::ListRegionsRequest { page_size: PAGE_SIZE, ..Default::default() },
        regions
    );
    Ok(all
        .into_iter()
        .map(|r| {
            Record(vec![
                ("code", json!(r.code)),
                ("name", json!(r.name.map(|n| n.en).unwrap_or_default())),
                ("centre", json!(r.centre_name)),
                ("population", json!(r.population)),
                ("urban_share", json!(r.urban_share)),
            ])
        })
        .collect())
}

async fn stations(client: &mut Client, region_code: String, kind: i32) -> anyhow::Result<Vec<Record>> {
    let request = pb::ListStationsRequest { page_size: PAGE_SIZE, region_code, kind, ..Default::default() };
    let all = all_pages!(client, list_stations, request, stations);
    Ok(all
        .into_iter()
        .map(|s| {
            Record(vec![
                ("code", json!(s.code)),
                ("kind", json!(word(Some(s.kind().as_str_name()), "STATION_KIND_"))),
                ("region", json!(s.region_code)),
                ("area", json!(word(Some(s.area_type().as_str_name()), "AREA_TYPE_"))),
                ("name", json!(s.name)),
            ])
        })
        .collect())
}

async fn brigades(client: &mut Client, request: pb::ListBrigadesRequest) -> anyhow::Result<Vec<Record>> {
    let all = all_pages!(client, list_brigades, request, brigades);
    Ok(all
        .into_iter()
        .map(|b| {
            let capabilities: Vec<String> = b
                .capabilities
                .iter()
                .map(|&c| word(pb::BrigadeCapability::try_from(c).ok().map(|c| c.as_str_name()), "BRIGADE_CAPABILITY_"))
                .collect();
            Record(vec![
                ("call_sign", json!(b.call_sign)),
                ("kind", json!(word(Some(b.kind().as_str_name()), "TEAM_KIND_"))),
                ("station", json!(b.station_code)),
                ("region", json!(b.region_code)),
                ("vehicle", json!(word(Some(b.vehicle_type().as_str_name()), "VEHICLE_TYPE_"))),
                ("shift", json!(word(Some(b.shift_pattern().as_str_name()), "SHIFT_PATTERN_"))),
                ("in_service", json!(b.in_service)),
                ("capabilities", json!(capabilities)),
            ])
        })
        .collect())
}

async fn hospitals(client: &mut Client, region_code: String, profile: i32) -> anyhow::Result<Vec<Record>> {
    let request = pb::ListHospitalsRequest { page_size: PAGE_SIZE, region_code, profile, ..Default::default() };
    let all = all_pages!(client, list_hospitals, request, hospitals);
    Ok(all
        .into_iter()
        .map(|h| {
            let profiles: Vec<String> = h
                .profiles
                .iter()
                .map(|&p| word(HospitalProfile::try_from(p).ok().map(|p| p.as_str_name()), "HOSPITAL_PROFILE_"))
                .collect();
            Record(vec![
                ("code", json!(h.code)),
                ("region", json!(h.region_code)),
                ("beds", json!(h.beds)),
                ("helipad", json!(h.helipad)),
                ("airfield", json!(h.nearest_airfield_code)),
                ("profiles", json!(profiles)),
                ("name", json!(h.name)),
            ])
        })
        .collect())
}

async fn airfields(client: &mut Client, region_code: String, kind: i32) -> anyhow::Result<Vec<Record>> {
    let request = pb::ListAirfieldsRequest { page_size: PAGE_SIZE, region_code, kind, ..Default::default() };
    let all = all_pages!(client, list_airfields, request, airfields);
    Ok(all
        .into_iter()
        .map(|a| {
            Record(vec![
                ("code", json!(a.code)),
                ("kind", json!(word(Some(a.kind().as_str_name()), "AIRFIELD_KIND_"))),
                ("region", json!(a.region_code)),
                ("runway_m", json!(a.runway_length_m)),
                ("surface", json!(word(Some(a.surface().as_str_name()), "RUNWAY_SURFACE_"))),
                ("hours", json!(format!("{}-{}", a.opens_local, a.closes_local))),
                ("name", json!(a.name)),
            ])
        })
        .collect())
}

async fn airlines(client: &mut Client, status: i32) -> anyhow::Result<Vec<Record>> {
    let request = pb::ListAirlinesRequest { page_size: PAGE_SIZE, status, ..Default::default() };
    let all = all_pages!(client, list_airlines, request, airlines);
    Ok(all
        .into_iter()
        .map(|a| {
            let certificate = a.certificate.as_ref();
            Record(vec![
                ("code", json!(a.code)),
                ("status", json!(word(Some(a.status().as_str_name()), "AIRLINE_STATUS_"))),
                ("bin", json!(a.bin)),
                ("certificate", json!(certificate.map(|c| c.number.clone()).unwrap_or_default())),
                ("expires", json!(date(certificate.and_then(|c| c.expires.as_ref())))),
                ("name", json!(a.name)),
            ])
        })
        .collect())
}

async fn aircraft(client: &mut Client, request: pb::ListAircraftRequest) -> anyhow::Result<Vec<Record>> {
    let all = all_pages!(client, list_aircraft, request, aircraft);
    Ok(all
        .into_iter()
        .map(|a| {
            Record(vec![
                ("registration", json!(a.registration)),
                ("airline", json!(a.airline_code)),
                ("kind", json!(word(Some(a.kind().as_str_name()), "AIRCRAFT_KIND_"))),
                ("model", json!(a.model)),
                ("module", json!(word(Some(a.medical_module().as_str_name()), "MEDICAL_MODULE_"))),
                ("status", json!(word(Some(a.status().as_str_name()), "AIRCRAFT_STATUS_"))),
                ("base", json!(a.base_airfield_code)),
            ])
        })
        .collect())
}

async fn contracts(client: &mut Client, request: pb::ListContractsRequest) -> anyhow::Result<Vec<Record>> {
    let all = all_pages!(client, list_contracts, request, contracts);
    Ok(all
        .into_iter()
        .map(|c| {
            Record(vec![
                ("number", json!(c.number)),
                ("airline", json!(c.airline_code)),
                ("starts", json!(date(c.starts.as_ref()))),
                ("ends", json!(date(c.ends.as_ref()))),
                ("status", json!(word(Some(c.status().as_str_name()), "CONTRACT_STATUS_"))),
                ("tariff_kzt_per_hour", json!(c.tariff_per_hour.map(|m| m.minor_units / 100).unwrap_or_default())),
                ("aircraft", json!(c.aircraft)),
            ])
        })
        .collect())
}

async fn import(client: &mut Client, output: Output, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let content = std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let format = match args.format {
        Some(format) => format,
        None => match args.file.extension().and_then(|e| e.to_str()).map(str::to_lowercase).as_deref() {
            Some("csv") => FileFormat::Csv,
            Some("json") => FileFormat::Json,
            _ => bail!("cannot tell the format of {}: pass --format csv or --format json", args.file.display()),
        },
    };
    let request_id = args.request_id.unwrap_or_else(|| {
        let now = chrono::Utc::now().timestamp_micros();
        format!("ctl-import-{}-{}-{now}", args.file.display(), content.len())
    });
    let request = pb::ImportRecordsRequest {
        request_id,
        entity_type: args.entity.proto().into(),
        format: format.proto().into(),
        content,
        dry_run: args.dry_run,
        replace_existing: args.replace_existing,
    };
    let response = client.import_records(request).await?.into_inner();
    let clean = response.errors.is_empty() && response.failed_row_count == 0;
    match output {
        Output::Json => {
            let errors: Vec<Value> = response
                .errors
                .iter()
                .map(|e| json!({"row": e.row, "field": e.field, "record_code": e.record_code, "message": e.message}))
                .collect();
            let summary = json!({
                "committed": response.committed,
                "dry_run": args.dry_run,
                "row_count": response.row_count,
                "created_count": response.created_count,
                "updated_count": response.updated_count,
                "failed_row_count": response.failed_row_count,
                "errors": errors,
            });
            println!("{}", serde_json::to_string_pretty(&summary)?);
        }
        Output::Table => {
            let records: Vec<Record> = response
                .errors
                .iter()
                .map(|e| {
                    Record(vec![
                        ("row", json!(e.row)),
                        ("field", json!(e.field)),
                        ("code", json!(e.record_code)),
                        ("problem", json!(e.message)),
                    ])
                })
                .collect();
            print_records(output, &records)?;
            let verb = match (response.committed, args.dry_run, clean) {
                (true, _, _) => "imported",
                (false, true, true) => "dry run: would import",
                _ => "refused, nothing written",
            };
            println!(
                "{verb}: {} rows, {} created, {} updated, {} rows with problems",
                response.row_count, response.created_count, response.updated_count, response.failed_row_count
            );
        }
    }
    Ok(if clean { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

async fn export(client: &mut Client, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let request = pb::ExportRecordsRequest {
        entity_type: args.entity.proto().into(),
        format: args.format.proto().into(),
        region_code: args.region.unwrap_or_default(),
    };
    let response = client.export_records(request).await?.into_inner();
    match args.out {
        Some(path) => {
            std::fs::write(&path, &response.content).with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("wrote {} records to {}", response.row_count, path.display());
        }
        None => {
            use std::io::Write as _;
            std::io::stdout().write_all(&response.content)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn eligibility(client: &mut Client, args: EligibilityArgs) -> anyhow::Result<Vec<Record>> {
    let request =
        pb::BatchCheckEligibilityRequest { registrations: args.registrations, at: moment(args.at.as_deref())? };
    let response = client.batch_check_eligibility(request).await?.into_inner();
    Ok(response
        .results
        .into_iter()
        .map(|r| {
            let reasons: Vec<String> = r.reasons.into_iter().map(|reason| reason.message).collect();
            Record(vec![
                ("registration", json!(r.registration)),
                ("airline", json!(r.airline_code)),
                ("eligible", json!(r.eligible)),
                ("contract", json!(r.contract.map(|c| c.number).unwrap_or_default())),
                ("reasons", json!(reasons)),
            ])
        })
        .collect())
}

async fn expiring(client: &mut Client, args: ExpiringArgs) -> anyhow::Result<Vec<Record>> {
    let request = pb::ListExpiringRequest {
        page_size: PAGE_SIZE,
        within_days: args.within_days,
        at: moment(args.at.as_deref())?,
        airline_code: args.airline.unwrap_or_default(),
        include_expired: args.include_expired,
        ..Default::default()
    };
    let all = all_pages!(client, list_expiring, request, expiries);
    Ok(all
        .into_iter()
        .map(|e| {
            Record(vec![
                ("kind", json!(word(Some(e.kind().as_str_name()), "EXPIRY_KIND_"))),
                ("airline", json!(e.airline_code)),
                ("number", json!(e.number)),
                ("expires", json!(date(e.expires.as_ref()))),
                ("days_left", json!(e.days_left)),
            ])
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_map_to_api_numbers_and_back() {
        assert_eq!(number("city_substation", "STATION_KIND_", station_kind, "a kind").unwrap(), 2);
        assert!(number("hospital", "STATION_KIND_", station_kind, "a kind").is_err());
        assert_eq!(word(Some("SHIFT_PATTERN_DAY_08_20"), "SHIFT_PATTERN_"), "day_08_20");
        assert_eq!(optional_number(None, "TEAM_KIND_", team_kind, "a kind").unwrap(), 0);
    }

    #[test]
    fn moments_are_rfc3339_or_an_almaty_midnight() {
        let at = moment(Some("2026-10-02")).unwrap().unwrap();
        assert_eq!(at.seconds, chrono::DateTime::parse_from_rfc3339("2026-10-01T19:00:00Z").unwrap().timestamp());
        assert!(moment(Some("2026-10-02T00:00:00+05:00")).unwrap().is_some());
        assert!(moment(Some("tomorrow")).is_err());
    }
}
