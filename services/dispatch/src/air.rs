//! RankAircraft: air tasking options for a medevac mission. The request is checked whole
//! (one violation per bad field), the caller's role and region scope are checked, the
//! Registry's aviation records (aircraft, airlines, contracts, airfields, hospitals) are read
//! with read-only SQL, and the pure rules of [`jedel_core::air`] rank them; the answer is
//! converted back to the API.
//!
//! Who may ask: national medevac dispatchers, administrators and the situation centre
//! (reading) for any mission; regional coordinating doctors for missions that start or end
//! in their regions. The region of a bare position is the region of the nearest hospital in
//! the registry.
//!
//! A stored record that cannot be read (a hand-edited row) is left out with a warning rather
//! than failing every request.

use std::collections::HashMap;
use std::sync::LazyLock;

use jedel_api::common::v1 as common;
use jedel_api::dispatch::v1 as pb;
use jedel_api::fields::record_id;
use jedel_api::{ApiError, Violations};
use jedel_core::air::{
    self, AirOption, AirRanking, AirRules, Aircraft, AircraftKind, AircraftStatus, Airfield, AirfieldKind, Contract,
    Fleet, Leg, MedicalModule, Mission, MissionKind, Needs, OpeningHours, Place, Stop, Surface, Urgency,
};
use jedel_core::calendar::{ClockTime, Period, parse_date};
use jedel_core::dispatch::geometry::great_circle_m;
use jedel_core::eligibility::{self, Certificate, ContractState};
use jedel_core::local_time::MINUTE;
use jedel_core::{LatLon, RegionCode};
use jedel_platform::time::{Micros, from_timestamp, now_micros, to_timestamp};
use jedel_platform::{Caller, Context, Role};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row as _};
use tracing::{info, instrument, warn};

/// Roles that may rank aircraft; coordinators within their regions only.
const RANKERS: &[Role] = &[Role::MedevacDispatcher, Role::Admin, Role::Situation, Role::Coordinator];
/// Options returned when the request gives no limit.
const DEFAULT_LIMIT: usize = 5;
/// The most options one request may ask for.
const MAX_LIMIT: i32 = 50;
/// The most seats a request may ask for.
const MAX_SEATS: i32 = 100;

/// The rules of air tasking, with the shipped road model, built once.
static RULES: LazyLock<AirRules> = LazyLock::new(AirRules::kazakhstan);

/// Ranks the aircraft eligible for a medevac mission with the whole plan of each, beside a
/// ground-only transfer, and lists every aircraft not offered with its reason.
#[instrument(skip_all, fields(role = caller.role.as_str(), medevac_request_id = %request.medevac_request_id))]
pub async fn rank_aircraft(
    context: &Context,
    caller: &Caller,
    request: pb::RankAircraftRequest,
) -> Result<pb::RankAircraftResponse, ApiError> {
    caller.require_role(RANKERS)?;
    let checked = check(&request)?;
    let mut conn = context.db.reader().acquire().await.map_err(storage)?;
    let records = Records::load(&mut conn).await.map_err(storage)?;
    let origin = resolve(&mut conn, &records, &checked.origin, request.origin.as_ref()).await?;
    let destination = resolve(&mut conn, &records, &checked.destination, request.destination.as_ref()).await?;
    drop(conn);
    if caller.role == Role::Coordinator
        && !caller.covers_region(origin.core.region.as_str())
        && !caller.covers_region(destination.core.region.as_str())
    {
        return Err(ApiError::PermissionDenied(format!(
            "neither {} nor {} is in the caller's regions",
            origin.core.region, destination.core.region
        )));
    }

    let mission = Mission {
        kind: checked.kind,
        origin: origin.core.clone(),
        destination: destination.core.clone(),
        needs: checked.needs,
        urgency: checked.urgency,
        start_at: checked.start_at,
    };
    let fleet = records.fleet();
    let ranking = air::rank(&fleet, &mission, &RULES);
    info!(options = ranking.options.len(), excluded = ranking.excluded.len(), "aircraft ranked");
    Ok(to_proto(&records, &origin, &destination, &ranking, checked.limit, checked.start_at))
}

// ---------------------------------------------------------------------------
// The request
// ---------------------------------------------------------------------------

/// A place as the request names it.
enum PlaceKey {
    Hospital(String),
    Airfield(String),
    Position(LatLon),
}

/// The request once every field has passed.
struct Checked {
    kind: MissionKind,
    origin: PlaceKey,
    destination: PlaceKey,
    needs: Needs,
    urgency: Urgency,
    start_at: Micros,
    limit: usize,
}

fn check(request: &pb::RankAircraftRequest) -> Result<Checked, ApiError> {
    let mut v = Violations::new();
    if !request.medevac_request_id.is_empty() {
        v.check("medevac_request_id", record_id(&request.medevac_request_id));
    }
    let kind = match pb::MissionType::try_from(request.mission_type) {
        Ok(pb::MissionType::PatientTransport) => Some(MissionKind::PatientTransport),
        Ok(pb::MissionType::SpecialistDelivery) => Some(MissionKind::SpecialistDelivery),
        Ok(pb::MissionType::OnSiteSurgery) => Some(MissionKind::OnSiteSurgery),
        Ok(pb::MissionType::OrganTransport) => Some(MissionKind::OrganTransport),
        Ok(pb::MissionType::Unspecified) => {
            v.add("mission_type", "is required");
            None
        }
        Err(_) => {
            v.add("mission_type", format!("{} is not a mission type", request.mission_type));
            None
        }
    };
    let origin = place_key("origin", request.origin.as_ref(), &mut v);
    let destination = place_key("destination", request.destination.as_ref(), &mut v);
    let needs = needs(request.needs.as_ref(), &mut v);
    let urgency = match pb::AirUrgency::try_from(request.urgency) {
        Ok(pb::AirUrgency::Emergency) => Some(Urgency::Emergency),
        Ok(pb::AirUrgency::Urgent) => Some(Urgency::Urgent),
        Ok(pb::AirUrgency::Planned) => Some(Urgency::Planned),
        Ok(pb::AirUrgency::Unspecified) => {
            v.add("urgency", "is required");
            None
        }
        Err(_) => {
            v.add("urgency", format!("{} is not an urgency", request.urgency));
            None
        }
    };
    let start_at = match &request.start_at {
        None => Some(now_micros()),
        Some(ts) => {
            let at = from_timestamp(ts);
            if at.is_none() {
                v.add("start_at", "is not a valid timestamp");
            }
            at
        }
    };
    let limit = match request.limit {
        0 => DEFAULT_LIMIT,
        n if n < 0 => {
            v.add("limit", "must not be negative");
            0
        }
        n if n > MAX_LIMIT => {
            v.add("limit", format!("must be at most {MAX_LIMIT}"));
            0
        }
        n => n as usize,
    };
    v.finish()?;
    let missing = || ApiError::Internal("a checked request lost a value".into());
    Ok(Checked {
        kind: kind.ok_or_else(missing)?,
        origin: origin.ok_or_else(missing)?,
        destination: destination.ok_or_else(missing)?,
        needs: needs.ok_or_else(missing)?,
        urgency: urgency.ok_or_else(missing)?,
        start_at: start_at.ok_or_else(missing)?,
        limit,
    })
}

/// One of hospital_id, airfield_id or position.
fn place_key(field: &str, place: Option<&pb::Place>, v: &mut Violations) -> Option<PlaceKey> {
    let Some(place) = place else {
        v.add(field, "is required: give hospital_id, airfield_id or position");
        return None;
    };
    let given = [!place.hospital_id.is_empty(), !place.airfield_id.is_empty(), place.position.is_some()];
    match given.iter().filter(|g| **g).count() {
        0 => {
            v.add(field, "give hospital_id, airfield_id or position");
            return None;
        }
        1 => {}
        _ => {
            v.add(field, "give only one of hospital_id, airfield_id or position");
            return None;
        }
    }
    if !place.hospital_id.is_empty() {
        return v.check(&format!("{field}.hospital_id"), record_id(&place.hospital_id)).map(PlaceKey::Hospital);
    }
    if !place.airfield_id.is_empty() {
        return v.check(&format!("{field}.airfield_id"), record_id(&place.airfield_id)).map(PlaceKey::Airfield);
    }
    let position = place.position.as_ref()?;
    match LatLon::parse(position.lat, position.lon) {
        Ok(p) => Some(PlaceKey::Position(p)),
        Err(e) => {
            if let Some(lat) = e.lat {
                v.add(format!("{field}.position.lat"), lat.to_string());
            }
            if let Some(lon) = e.lon {
                v.add(format!("{field}.position.lon"), lon.to_string());
            }
            None
        }
    }
}

fn needs(needs: Option<&pb::PatientNeeds>, v: &mut Violations) -> Option<Needs> {
    let Some(needs) = needs else { return Some(Needs::default()) };
    let module = match pb::MedicalModule::try_from(needs.medical_module) {
        Ok(pb::MedicalModule::Unspecified | pb::MedicalModule::None) => Some(None),
        Ok(pb::MedicalModule::Basic) => Some(Some(MedicalModule::Basic)),
        Ok(pb::MedicalModule::IntensiveCare) => Some(Some(MedicalModule::IntensiveCare)),
        Ok(pb::MedicalModule::Neonatal) => {
            v.add("needs.medical_module", "for a newborn in an incubator set needs.incubator, not NEONATAL");
            None
        }
        Err(_) => {
            v.add("needs.medical_module", format!("{} is not a medical module", needs.medical_module));
            None
        }
    };
    let seats = match needs.seats {
        n if n < 0 => {
            v.add("needs.seats", "must not be negative");
            None
        }
        n if n > MAX_SEATS => {
            v.add("needs.seats", format!("must be at most {MAX_SEATS}"));
            None
        }
        n => Some(n as u32),
    };
    Some(Needs {
        module: module?,
        stretcher: needs.stretcher,
        pressurised: needs.pressurised_cabin,
        incubator: needs.incubator,
        seats: seats?,
    })
}

// ---------------------------------------------------------------------------
// The Registry's records
// ---------------------------------------------------------------------------

/// What a stored row adds to its core record: the Registry id and a display name (the
/// airline's name, the aircraft's model, the airfield's code and name).
struct Meta {
    id: String,
    name: String,
}

/// The aviation records: the core records, and beside each list, in the same order, what the
/// answer needs from the rows.
struct Records {
    aircraft: Vec<Aircraft>,
    airlines: Vec<eligibility::Airline>,
    contracts: Vec<Contract>,
    airfields: Vec<Airfield>,
    aircraft_meta: Vec<Meta>,
    airline_meta: Vec<Meta>,
    contract_meta: Vec<Meta>,
    airfield_meta: Vec<(Meta, RegionCode)>,
}

impl Records {
    async fn load(conn: &mut AnyConnection) -> Result<Records, sqlx::Error> {
        let (airfield_meta, airfields): (Vec<_>, Vec<_>) = sqlx::query(
            "SELECT id, code, name, kind, region_code, lat, lon, runway_length_m, surface, night_lighting, \
             opens_local, closes_local FROM airfields ORDER BY code",
        )
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .filter_map(|row| readable("airfield", row, airfield(row)))
        .unzip();
        let (airline_meta, airlines): (Vec<_>, Vec<_>) = sqlx::query(
            "SELECT id, code, name, certificate_number, certificate_issued, certificate_expires, status \
             FROM airlines ORDER BY code",
        )
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .filter_map(|row| readable("airline", row, airline(row)))
        .unzip();
        let mut covered: HashMap<String, Vec<String>> = HashMap::new();
        for row in sqlx::query("SELECT contract_id, registration FROM contract_aircraft ORDER BY contract_id, position")
            .fetch_all(&mut *conn)
            .await?
        {
            covered.entry(row.try_get("contract_id")?).or_default().push(row.try_get("registration")?);
        }
        let (contract_meta, contracts): (Vec<_>, Vec<_>) = sqlx::query(
            "SELECT id, number, airline_code, starts, ends, tariff_kzt_per_hour, readiness_minutes, status \
             FROM contracts ORDER BY number",
        )
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .filter_map(|row| readable("contract", row, contract(row, &mut covered)))
        .unzip();
        let (aircraft_meta, aircraft): (Vec<_>, Vec<_>) = sqlx::query(
            "SELECT id, registration, airline_code, kind, model, cruise_speed_kmh, range_km, min_runway_m, surfaces, \
             helipad_capable, night_capable, pressurised, medical_module, stretchers, seats, base_airfield_code, \
             status FROM aircraft ORDER BY registration",
        )
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .filter_map(|row| readable("aircraft", row, aircraft(row)))
        .unzip();
        Ok(Records {
            aircraft,
            airlines,
            contracts,
            airfields,
            aircraft_meta,
            airline_meta,
            contract_meta,
            airfield_meta,
        })
    }

    fn fleet(&self) -> Fleet<'_> {
        Fleet {
            aircraft: &self.aircraft,
            airlines: &self.airlines,
            contracts: &self.contracts,
            airfields: &self.airfields,
        }
    }

    /// The id and name of the airline with `code`, empty when it is not stored.
    fn airline(&self, code: &str) -> (String, String) {
        self.airlines
            .iter()
            .position(|a| a.code == code)
            .map_or_else(Default::default, |i| (self.airline_meta[i].id.clone(), self.airline_meta[i].name.clone()))
    }
}

/// Why a stored row could not be read as a record.
type Unreadable = String;

/// The record, or `None` with a warning naming the row.
fn readable<T>(what: &'static str, row: &AnyRow, record: Result<T, Unreadable>) -> Option<T> {
    match record {
        Ok(record) => Some(record),
        Err(reason) => {
            let id: String = row.try_get("id").unwrap_or_default();
            warn!(record = what, id = %id, reason = %reason, "stored record left out of air tasking");
            None
        }
    }
}

fn text(row: &AnyRow, column: &str) -> Result<String, Unreadable> {
    row.try_get(column).map_err(|e| format!("{column}: {e}"))
}

fn number(row: &AnyRow, column: &str) -> Result<i64, Unreadable> {
    row.try_get(column).map_err(|e| format!("{column}: {e}"))
}

fn count(row: &AnyRow, column: &str) -> Result<u32, Unreadable> {
    u32::try_from(number(row, column)?).map_err(|_| format!("{column}: out of range"))
}

fn flag(row: &AnyRow, column: &str) -> Result<bool, Unreadable> {
    Ok(number(row, column)? != 0)
}

fn position(row: &AnyRow) -> Result<LatLon, Unreadable> {
    let (lat, lon): (f64, f64) =
        (row.try_get("lat").map_err(|e| format!("lat: {e}"))?, row.try_get("lon").map_err(|e| format!("lon: {e}"))?);
    LatLon::parse(lat, lon).map_err(|e| e.to_string())
}

fn region(row: &AnyRow) -> Result<RegionCode, Unreadable> {
    RegionCode::parse(&text(row, "region_code")?).map_err(|e| e.to_string())
}

fn period(first: &str, last: &str) -> Result<Period, Unreadable> {
    let first = parse_date(first).map_err(|e| e.to_string())?;
    let last = parse_date(last).map_err(|e| e.to_string())?;
    Period::new(first, last).map_err(|e| e.to_string())
}

fn surface(word: &str) -> Result<Option<Surface>, Unreadable> {
    match word {
        "paved" => Ok(Some(Surface::Paved)),
        "unpaved" => Ok(Some(Surface::Unpaved)),
        "none" => Ok(None),
        other => Err(format!("surface {other:?} is unknown")),
    }
}

fn airfield(row: &AnyRow) -> Result<((Meta, RegionCode), Airfield), Unreadable> {
    let kind = match text(row, "kind")?.as_str() {
        "airport" => AirfieldKind::Airport,
        "airstrip" => AirfieldKind::Airstrip,
        "helipad" => AirfieldKind::Helipad,
        other => return Err(format!("kind {other:?} is unknown")),
    };
    let clock = |column| ClockTime::parse(&text(row, column)?).map_err(|e| format!("{column}: {e}"));
    let code = text(row, "code")?;
    let name = text(row, "name")?;
    let record = Airfield {
        code: code.clone(),
        name: name.clone(),
        kind,
        position: position(row)?,
        runway_length_m: count(row, "runway_length_m")?,
        surface: surface(&text(row, "surface")?)?,
        night_lighting: flag(row, "night_lighting")?,
        hours: OpeningHours { opens: clock("opens_local")?, closes: clock("closes_local")? },
    };
    Ok(((Meta { id: text(row, "id")?, name: format!("{code} {name}") }, region(row)?), record))
}

fn airline(row: &AnyRow) -> Result<(Meta, eligibility::Airline), Unreadable> {
    let optional = |column| row.try_get::<Option<String>, _>(column).map_err(|e| format!("{column}: {e}"));
    let certificate =
        match (optional("certificate_number")?, optional("certificate_issued")?, optional("certificate_expires")?) {
            (Some(number), Some(issued), Some(expires)) => {
                Some(Certificate { number, validity: period(&issued, &expires)? })
            }
            _ => None,
        };
    let record =
        eligibility::Airline { code: text(row, "code")?, active: text(row, "status")? == "active", certificate };
    Ok((Meta { id: text(row, "id")?, name: text(row, "name")? }, record))
}

fn contract(row: &AnyRow, covered: &mut HashMap<String, Vec<String>>) -> Result<(Meta, Contract), Unreadable> {
    let id = text(row, "id")?;
    let state = match text(row, "status")?.as_str() {
        "active" => ContractState::Active,
        "suspended" => ContractState::Suspended,
        "terminated" => ContractState::Terminated,
        other => return Err(format!("status {other:?} is unknown")),
    };
    let number = text(row, "number")?;
    let record = Contract {
        terms: eligibility::Contract {
            number: number.clone(),
            period: period(&text(row, "starts")?, &text(row, "ends")?)?,
            state,
        },
        airline_code: text(row, "airline_code")?,
        aircraft: covered.remove(&id).unwrap_or_default(),
        tariff_kzt_per_hour: number_of(row, "tariff_kzt_per_hour")?,
        readiness: number_of(row, "readiness_minutes")? * MINUTE,
    };
    Ok((Meta { id, name: number }, record))
}

fn number_of(row: &AnyRow, column: &str) -> Result<i64, Unreadable> {
    let value = number(row, column)?;
    if value < 0 { Err(format!("{column}: negative")) } else { Ok(value) }
}

fn aircraft(row: &AnyRow) -> Result<(Meta, Aircraft), Unreadable> {
    let kind = match text(row, "kind")?.as_str() {
        "plane" => AircraftKind::Plane,
        "helicopter" => AircraftKind::Helicopter,
        other => return Err(format!("kind {other:?} is unknown")),
    };
    let medical_module = match text(row, "medical_module")?.as_str() {
        "none" => MedicalModule::None,
        "basic" => MedicalModule::Basic,
        "intensive_care" => MedicalModule::IntensiveCare,
        "neonatal" => MedicalModule::Neonatal,
        other => return Err(format!("medical module {other:?} is unknown")),
    };
    let status = match text(row, "status")?.as_str() {
        "available" => AircraftStatus::Available,
        "on_mission" => AircraftStatus::OnMission,
        "maintenance" => AircraftStatus::Maintenance,
        other => return Err(format!("status {other:?} is unknown")),
    };
    let words: Vec<String> = serde_json::from_str(&text(row, "surfaces")?).map_err(|e| format!("surfaces: {e}"))?;
    let mut surfaces = Vec::with_capacity(words.len());
    for word in &words {
        surfaces.extend(surface(word)?);
    }
    let record = Aircraft {
        registration: text(row, "registration")?,
        airline_code: text(row, "airline_code")?,
        kind,
        cruise_speed_kmh: count(row, "cruise_speed_kmh")?.max(1),
        range_km: count(row, "range_km")?,
        min_runway_m: count(row, "min_runway_m")?,
        surfaces,
        helipad_capable: flag(row, "helipad_capable")?,
        night_capable: flag(row, "night_capable")?,
        pressurised: flag(row, "pressurised")?,
        medical_module,
        stretchers: count(row, "stretchers")?,
        seats: count(row, "seats")?,
        status,
        base_airfield_code: text(row, "base_airfield_code")?,
    };
    Ok((Meta { id: text(row, "id")?, name: text(row, "model")? }, record))
}

/// An end of the mission: the core place and the API place to echo in legs.
struct End {
    core: Place,
    proto: pb::Place,
}

/// Finds the hospital or airfield a place names, or the region of a bare position.
async fn resolve(
    conn: &mut AnyConnection,
    records: &Records,
    key: &PlaceKey,
    asked: Option<&pb::Place>,
) -> Result<End, ApiError> {
    let (hospital_id, airfield_id) =
        asked.map_or_else(Default::default, |p| (p.hospital_id.clone(), p.airfield_id.clone()));
    let (name, position, region) = match key {
        PlaceKey::Hospital(id) => {
            let row = sqlx::query("SELECT id, name, region_code, lat, lon FROM hospitals WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await
                .map_err(storage)?
                .ok_or_else(|| ApiError::NotFound(format!("hospital {id} does not exist")))?;
            let unreadable = |reason: String| {
                warn!(record = "hospital", id = %id, reason = %reason, "stored hospital is unreadable");
                ApiError::Internal("a stored hospital is unreadable".into())
            };
            (
                text(&row, "name").map_err(unreadable)?,
                position(&row).map_err(unreadable)?,
                region(&row).map_err(unreadable)?,
            )
        }
        PlaceKey::Airfield(id) => {
            let i = records
                .airfield_meta
                .iter()
                .position(|(meta, _)| meta.id == *id)
                .ok_or_else(|| ApiError::NotFound(format!("airfield {id} does not exist")))?;
            let (meta, region) = &records.airfield_meta[i];
            (meta.name.clone(), records.airfields[i].position, region.clone())
        }
        PlaceKey::Position(p) => (p.to_string(), *p, nearest_region(conn, *p).await?),
    };
    let proto = pb::Place {
        hospital_id,
        airfield_id,
        name: name.clone(),
        position: Some(common::LatLon { lat: position.lat(), lon: position.lon() }),
    };
    Ok(End { core: Place { name, position, region }, proto })
}

/// The region of the hospital nearest to `position`.
async fn nearest_region(conn: &mut AnyConnection, position: LatLon) -> Result<RegionCode, ApiError> {
    let rows =
        sqlx::query("SELECT id, region_code, lat, lon FROM hospitals").fetch_all(&mut *conn).await.map_err(storage)?;
    rows.iter()
        .filter_map(|row| Some((great_circle_m(position, self::position(row).ok()?), region(row).ok()?)))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, region)| region)
        .ok_or_else(|| {
            ApiError::FailedPrecondition("the registry holds no hospitals to place a position in a region".into())
        })
}

/// A storage failure as the caller sees it; the cause is logged.
fn storage(error: sqlx::Error) -> ApiError {
    warn!(error = %error, "cannot read the registry's aviation records");
    match error {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            ApiError::Unavailable("the database is unavailable; retry later".into())
        }
        _ => ApiError::Internal("internal storage error".into()),
    }
}

// ---------------------------------------------------------------------------
// The answer
// ---------------------------------------------------------------------------

fn duration(micros: Micros) -> prost_types::Duration {
    prost_types::Duration {
        seconds: micros.div_euclid(1_000_000),
        nanos: (micros.rem_euclid(1_000_000) * 1_000) as i32,
    }
}

fn aircraft_kind(kind: AircraftKind) -> pb::AircraftKind {
    match kind {
        AircraftKind::Plane => pb::AircraftKind::Plane,
        AircraftKind::Helicopter => pb::AircraftKind::Helicopter,
    }
}

fn medical_module(module: MedicalModule) -> pb::MedicalModule {
    match module {
        MedicalModule::None => pb::MedicalModule::None,
        MedicalModule::Basic => pb::MedicalModule::Basic,
        MedicalModule::IntensiveCare => pb::MedicalModule::IntensiveCare,
        MedicalModule::Neonatal => pb::MedicalModule::Neonatal,
    }
}

fn to_proto(
    records: &Records,
    origin: &End,
    destination: &End,
    ranking: &AirRanking,
    limit: usize,
    start_at: Micros,
) -> pb::RankAircraftResponse {
    let place = |stop: Stop| match stop {
        Stop::Origin => origin.proto.clone(),
        Stop::Destination => destination.proto.clone(),
        Stop::Airfield(i) => {
            let (meta, _) = &records.airfield_meta[i];
            let p = records.airfields[i].position;
            pb::Place {
                hospital_id: String::new(),
                airfield_id: meta.id.clone(),
                name: meta.name.clone(),
                position: Some(common::LatLon { lat: p.lat(), lon: p.lon() }),
            }
        }
    };
    let leg = |leg: &Leg| pb::Leg {
        kind: leg.kind.number(),
        mode: leg.mode.number(),
        from: Some(place(leg.from)),
        to: Some(place(leg.to)),
        distance_m: leg.distance_m,
        duration: Some(duration(leg.duration())),
        departs_at: Some(to_timestamp(leg.departs_at)),
        arrives_at: Some(to_timestamp(leg.arrives_at)),
    };
    let option = |(rank, option): (usize, &AirOption)| {
        let (aircraft, meta) = (&records.aircraft[option.aircraft], &records.aircraft_meta[option.aircraft]);
        let (airline_id, airline_name) = records.airline(&aircraft.airline_code);
        pb::AirOption {
            rank: rank as i32 + 1,
            aircraft_id: meta.id.clone(),
            registration: aircraft.registration.clone(),
            model: meta.name.clone(),
            aircraft_kind: aircraft_kind(aircraft.kind).into(),
            medical_module: medical_module(aircraft.medical_module).into(),
            airline_id,
            airline_name,
            contract_id: records.contract_meta[option.contract].id.clone(),
            legs: option.legs.iter().map(leg).collect(),
            time_to_patient: Some(duration(option.time_to_patient)),
            time_to_destination: Some(duration(option.time_to_destination)),
            flight_time: Some(duration(option.flight_time)),
            cost: Some(common::Money { currency: "KZT".into(), minor_units: option.cost_tiyn }),
        }
    };
    let excluded = ranking
        .excluded
        .iter()
        .map(|e| {
            let aircraft = &records.aircraft[e.aircraft];
            let (airline_id, airline_name) = records.airline(&aircraft.airline_code);
            pb::ExcludedAircraft {
                aircraft_id: records.aircraft_meta[e.aircraft].id.clone(),
                registration: aircraft.registration.clone(),
                airline_id,
                airline_name,
                reason: e.exclusion.reason.number(),
                detail: e.exclusion.detail.clone(),
            }
        })
        .collect();
    pb::RankAircraftResponse {
        options: ranking.options.iter().take(limit).enumerate().map(option).collect(),
        ground_transfer: Some(leg(&ranking.ground_transfer)),
        excluded,
        start_at: Some(to_timestamp(start_at)),
    }
}
