//! Aircraft in the `aircraft` table: reads, keyset-paged lists filtered by airline, kind and
//! status, and the [`Table`] implementation the shared write path uses. An aircraft keeps its
//! airline while a contract of that airline lists it.

use jedel_platform::db::DbError;
use jedel_platform::time::Micros;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, Row as _};

use crate::domain::{AircraftFields, AircraftKind, AircraftStatus};
use crate::events;
use crate::store::{Table, flag, json_list, to_json_list};

/// An aircraft as stored; also the payload of its events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AircraftRow {
    /// UUIDv7.
    pub id: String,
    /// Registration.
    pub registration: String,
    /// Operating airline.
    pub airline_code: String,
    /// `plane` or `helicopter`.
    pub kind: String,
    /// Type designation.
    pub model: String,
    /// Cruise speed, km/h.
    pub cruise_speed_kmh: i64,
    /// Range, km.
    pub range_km: i64,
    /// Shortest usable runway, m.
    pub min_runway_m: i64,
    /// Usable surfaces, data-file spellings.
    pub surfaces: Vec<String>,
    /// Can land on a helipad.
    pub helipad_capable: bool,
    /// Can fly at night.
    pub night_capable: bool,
    /// Pressurised cabin.
    pub pressurised: bool,
    /// Medical module, data-file spelling.
    pub medical_module: String,
    /// Stretcher places.
    pub stretchers: i64,
    /// Seats.
    pub seats: i64,
    /// Tracker installed.
    pub tracker_installed: bool,
    /// Year of manufacture.
    pub year_built: i64,
    /// Home airfield.
    pub base_airfield_code: String,
    /// Status, data-file spelling.
    pub status: String,
    /// 1 on create, +1 on each change.
    pub version: i64,
    /// Created, µs since the epoch.
    pub created_at: Micros,
    /// Last changed, µs since the epoch.
    pub updated_at: Micros,
}

impl AircraftRow {
    fn from_row(row: &AnyRow) -> Result<AircraftRow, DbError> {
        let surfaces: String = row.try_get("surfaces")?;
        Ok(AircraftRow {
            id: row.try_get("id")?,
            registration: row.try_get("registration")?,
            airline_code: row.try_get("airline_code")?,
            kind: row.try_get("kind")?,
            model: row.try_get("model")?,
            cruise_speed_kmh: row.try_get("cruise_speed_kmh")?,
            range_km: row.try_get("range_km")?,
            min_runway_m: row.try_get("min_runway_m")?,
            surfaces: json_list(&surfaces)?,
            helipad_capable: flag(row, "helipad_capable")?,
            night_capable: flag(row, "night_capable")?,
            pressurised: flag(row, "pressurised")?,
            medical_module: row.try_get("medical_module")?,
            stretchers: row.try_get("stretchers")?,
            seats: row.try_get("seats")?,
            tracker_installed: flag(row, "tracker_installed")?,
            year_built: row.try_get("year_built")?,
            base_airfield_code: row.try_get("base_airfield_code")?,
            status: row.try_get("status")?,
            version: row.try_get("version")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// `SELECT` of every aircraft column, followed by the given clause.
macro_rules! select_aircraft {
    ($rest:literal) => {
        concat!(
            "SELECT id, registration, airline_code, kind, model, cruise_speed_kmh, range_km, min_runway_m, surfaces, ",
            "helipad_capable, night_capable, pressurised, medical_module, stretchers, seats, tracker_installed, ",
            "year_built, base_airfield_code, status, version, created_at, updated_at FROM aircraft ",
            $rest
        )
    };
}

/// Which aircraft a list returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AircraftFilter {
    /// Only this airline's aircraft.
    pub airline: Option<String>,
    /// Only planes or only helicopters.
    pub kind: Option<AircraftKind>,
    /// Only aircraft in this status.
    pub status: Option<AircraftStatus>,
}

/// The aircraft with this id.
pub async fn by_id<'e>(db: impl Executor<'e, Database = Any>, id: &str) -> Result<Option<AircraftRow>, DbError> {
    let row = sqlx::query(select_aircraft!("WHERE id = $1")).bind(id).fetch_optional(db).await?;
    row.as_ref().map(AircraftRow::from_row).transpose()
}

/// The aircraft with this registration.
pub async fn by_registration<'e>(
    db: impl Executor<'e, Database = Any>,
    registration: &str,
) -> Result<Option<AircraftRow>, DbError> {
    let row = sqlx::query(select_aircraft!("WHERE registration = $1")).bind(registration).fetch_optional(db).await?;
    row.as_ref().map(AircraftRow::from_row).transpose()
}

/// Up to `limit` aircraft matching `filter` whose registration sorts after `after`, in
/// registration order.
pub async fn list<'e>(
    db: impl Executor<'e, Database = Any>,
    filter: &AircraftFilter,
    after: &str,
    limit: i64,
) -> Result<Vec<AircraftRow>, DbError> {
    let rows = sqlx::query(select_aircraft!(
        "WHERE ($1 = '' OR airline_code = $1) AND ($2 = '' OR kind = $2) AND ($3 = '' OR status = $3) \
         AND registration > $4 ORDER BY registration LIMIT $5"
    ))
    .bind(filter.airline.as_deref().unwrap_or(""))
    .bind(filter.kind.map_or("", AircraftKind::as_str))
    .bind(filter.status.map_or("", AircraftStatus::as_str))
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter().map(AircraftRow::from_row).collect()
}

#[async_trait::async_trait]
impl Table for AircraftRow {
    type Fields = AircraftFields;
    const ENTITY: &'static str = "aircraft";
    const CODE_COLUMN: &'static str = "registration";
    const CREATE_RPC: &'static str = "Registry/CreateAircraft";
    const UPDATE_RPC: &'static str = "Registry/UpdateAircraft";
    const CREATED_EVENT: &'static str = events::AIRCRAFT_CREATED;
    const UPDATED_EVENT: &'static str = events::AIRCRAFT_UPDATED;

    fn new(id: String, fields: &AircraftFields, version: i64, created_at: Micros, updated_at: Micros) -> Self {
        AircraftRow {
            id,
            registration: fields.registration.to_string(),
            airline_code: fields.airline_code.to_string(),
            kind: fields.kind.as_str().to_string(),
            model: fields.model.clone(),
            cruise_speed_kmh: fields.cruise_speed_kmh.into(),
            range_km: fields.range_km.into(),
            min_runway_m: fields.min_runway_m.into(),
            surfaces: fields.surfaces.iter().map(|s| s.as_str().to_string()).collect(),
            helipad_capable: fields.helipad_capable,
            night_capable: fields.night_capable,
            pressurised: fields.pressurised,
            medical_module: fields.medical_module.as_str().to_string(),
            stretchers: fields.stretchers.into(),
            seats: fields.seats.into(),
            tracker_installed: fields.tracker_installed,
            year_built: fields.year_built.into(),
            base_airfield_code: fields.base_airfield_code.to_string(),
            status: fields.status.as_str().to_string(),
            version,
            created_at,
            updated_at,
        }
    }
    fn code_of(fields: &AircraftFields) -> &str {
        fields.registration.as_str()
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn code(&self) -> &str {
        &self.registration
    }
    fn version(&self) -> i64 {
        self.version
    }
    fn created_at(&self) -> Micros {
        self.created_at
    }
    async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<Self>, DbError> {
        by_id(conn, id).await
    }
    async fn by_code(conn: &mut AnyConnection, code: &str) -> Result<Option<Self>, DbError> {
        by_registration(conn, code).await
    }
    async fn insert(conn: &mut AnyConnection, row: &Self) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO aircraft (id, registration, airline_code, kind, model, cruise_speed_kmh, range_km, \
             min_runway_m, surfaces, helipad_capable, night_capable, pressurised, medical_module, stretchers, seats, \
             tracker_installed, year_built, base_airfield_code, status, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, \
             $21, $22)",
        )
        .bind(&row.id)
        .bind(&row.registration)
        .bind(&row.airline_code)
        .bind(&row.kind)
        .bind(&row.model)
        .bind(row.cruise_speed_kmh)
        .bind(row.range_km)
        .bind(row.min_runway_m)
        .bind(to_json_list(&row.surfaces))
        .bind(i64::from(row.helipad_capable))
        .bind(i64::from(row.night_capable))
        .bind(i64::from(row.pressurised))
        .bind(&row.medical_module)
        .bind(row.stretchers)
        .bind(row.seats)
        .bind(i64::from(row.tracker_installed))
        .bind(row.year_built)
        .bind(&row.base_airfield_code)
        .bind(&row.status)
        .bind(row.version)
        .bind(row.created_at)
        .bind(row.updated_at)
        .execute(conn)
        .await?;
        Ok(())
    }
    async fn replace(conn: &mut AnyConnection, row: &Self, current_version: i64) -> Result<bool, DbError> {
        let updated = sqlx::query(
            "UPDATE aircraft SET airline_code = $1, kind = $2, model = $3, cruise_speed_kmh = $4, range_km = $5, \
             min_runway_m = $6, surfaces = $7, helipad_capable = $8, night_capable = $9, pressurised = $10, \
             medical_module = $11, stretchers = $12, seats = $13, tracker_installed = $14, year_built = $15, \
             base_airfield_code = $16, status = $17, version = $18, updated_at = $19 WHERE id = $20 AND version = $21",
        )
        .bind(&row.airline_code)
        .bind(&row.kind)
        .bind(&row.model)
        .bind(row.cruise_speed_kmh)
        .bind(row.range_km)
        .bind(row.min_runway_m)
        .bind(to_json_list(&row.surfaces))
        .bind(i64::from(row.helipad_capable))
        .bind(i64::from(row.night_capable))
        .bind(i64::from(row.pressurised))
        .bind(&row.medical_module)
        .bind(row.stretchers)
        .bind(row.seats)
        .bind(i64::from(row.tracker_installed))
        .bind(row.year_built)
        .bind(&row.base_airfield_code)
        .bind(&row.status)
        .bind(row.version)
        .bind(row.updated_at)
        .bind(&row.id)
        .bind(current_version)
        .execute(conn)
        .await?
        .rows_affected();
        Ok(updated == 1)
    }
    async fn blocked(conn: &mut AnyConnection, current: &Self, row: &Self) -> Result<Option<String>, DbError> {
        if current.airline_code == row.airline_code {
            return Ok(None);
        }
        let listed = sqlx::query(
            "SELECT c.number FROM contracts c JOIN contract_aircraft ca ON ca.contract_id = c.id \
             WHERE ca.registration = $1 ORDER BY c.number LIMIT 1",
        )
        .bind(&row.registration)
        .fetch_optional(conn)
        .await?;
        let number: Option<String> = listed.map(|r| r.try_get(0)).transpose()?;
        Ok(number.map(|number| {
            format!(
                "aircraft {} cannot move to airline {}: contract {number} of airline {} lists it",
                row.registration, row.airline_code, current.airline_code
            )
        }))
    }
}
