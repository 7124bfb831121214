//! What the dispatcher reads from the Registry's tables (read-only SQL, the Registry owns them):
//! brigades with their home station (the units' static part), stations (home positions and the
//! area type calls take from the nearest one), hospitals (destinations) and regions (UTC
//! offsets). A brigade's region is its station's, read through the same join the Registry uses.

use jedel_core::dispatch::{AreaType, Equipment, Hospital, HospitalId, UnitId, UnitSpec};
use jedel_core::{HospitalProfile, LatLon, RegionCode, TeamKind};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row as _};

use crate::error::DispatchServiceError;

/// A station as dispatch needs it.
#[derive(Debug, Clone)]
pub struct Station {
    /// Registry id.
    pub id: String,
    /// Region of the station.
    pub region: RegionCode,
    /// Where it is.
    pub position: LatLon,
    /// City or rural.
    pub area: AreaType,
}

/// A brigade as a unit spec, with whether the Registry has it in service.
#[derive(Debug, Clone)]
pub struct Brigade {
    /// The unit's static part.
    pub spec: UnitSpec,
    /// False while the Registry has it withdrawn.
    pub in_service: bool,
}

/// Everything the engine is built on from the Registry.
#[derive(Debug, Clone, Default)]
pub struct Reference {
    /// Regions with their UTC offsets (minutes).
    pub regions: Vec<(RegionCode, i32)>,
    /// Stations.
    pub stations: Vec<Station>,
    /// Brigades.
    pub brigades: Vec<Brigade>,
    /// Hospitals.
    pub hospitals: Vec<Hospital>,
}

fn corrupt(what: &'static str, row: &AnyRow, reason: impl ToString) -> DispatchServiceError {
    DispatchServiceError::corrupt(what, row.try_get::<String, _>("id").unwrap_or_default(), reason)
}

fn region_of(what: &'static str, row: &AnyRow) -> Result<RegionCode, DispatchServiceError> {
    let code: String = row.try_get("region_code")?;
    RegionCode::parse(&code).map_err(|e| corrupt(what, row, e))
}

fn position_of(what: &'static str, row: &AnyRow) -> Result<LatLon, DispatchServiceError> {
    LatLon::parse(row.try_get("lat")?, row.try_get("lon")?).map_err(|e| corrupt(what, row, e))
}

/// `SELECT` of a brigade with its station's id, region and position.
macro_rules! select_brigades {
    ($rest:literal) => {
        concat!(
            "SELECT b.id, b.call_sign, b.kind, b.capabilities, b.in_service, s.id AS station_id, s.region_code, ",
            "s.lat, s.lon FROM brigades b JOIN stations s ON s.code = b.station_code ",
            $rest
        )
    };
}

fn brigade_from_row(row: &AnyRow) -> Result<Brigade, DispatchServiceError> {
    let id: String = row.try_get("id")?;
    let kind: String = row.try_get("kind")?;
    let capabilities: String = row.try_get("capabilities")?;
    let equipment: Vec<Equipment> = serde_json::from_str(&capabilities).map_err(|e| corrupt("brigade", row, e))?;
    let spec = UnitSpec {
        id: UnitId::parse(&id).map_err(|e| corrupt("brigade", row, e))?,
        call_sign: row.try_get("call_sign")?,
        kind: TeamKind::parse(&kind).ok_or_else(|| corrupt("brigade", row, format!("unknown kind {kind}")))?,
        equipment: equipment.into_iter().collect(),
        station_id: row.try_get("station_id")?,
        region: region_of("brigade", row)?,
        home: position_of("brigade", row)?,
    };
    Ok(Brigade { spec, in_service: row.try_get::<i64, _>("in_service")? != 0 })
}

fn station_from_row(row: &AnyRow) -> Result<Station, DispatchServiceError> {
    let area: String = row.try_get("area_type")?;
    Ok(Station {
        id: row.try_get("id")?,
        region: region_of("station", row)?,
        position: position_of("station", row)?,
        area: if area == "rural" { AreaType::Rural } else { AreaType::City },
    })
}

fn hospital_from_row(row: &AnyRow) -> Result<Hospital, DispatchServiceError> {
    let id: String = row.try_get("id")?;
    let profiles: String = row.try_get("profiles")?;
    let profiles: Vec<HospitalProfile> = serde_json::from_str(&profiles).map_err(|e| corrupt("hospital", row, e))?;
    Ok(Hospital {
        id: HospitalId::parse(&id).map_err(|e| corrupt("hospital", row, e))?,
        name: row.try_get("name")?,
        region: region_of("hospital", row)?,
        position: position_of("hospital", row)?,
        profiles,
        trauma_level: row.try_get::<i64, _>("trauma_level")?.clamp(0, 3) as u8,
        perinatal_level: row.try_get::<i64, _>("perinatal_level")?.clamp(0, 3) as u8,
    })
}

/// Every region, station, brigade and hospital.
pub async fn load(db: &sqlx::AnyPool) -> Result<Reference, DispatchServiceError> {
    let regions = sqlx::query("SELECT id, code AS region_code, utc_offset_minutes FROM regions ORDER BY code")
        .fetch_all(db)
        .await?
        .iter()
        .map(|row| Ok((region_of("region", row)?, row.try_get::<i64, _>("utc_offset_minutes")? as i32)))
        .collect::<Result<_, DispatchServiceError>>()?;
    let stations = stations(db).await?;
    let brigades = sqlx::query(select_brigades!("ORDER BY b.call_sign"))
        .fetch_all(db)
        .await?
        .iter()
        .map(brigade_from_row)
        .collect::<Result<_, _>>()?;
    Ok(Reference { regions, stations, brigades, hospitals: hospitals(db).await? })
}

/// The code of every region.
pub async fn load_region_codes<'e>(
    db: impl Executor<'e, Database = Any>,
) -> Result<Vec<RegionCode>, DispatchServiceError> {
    sqlx::query("SELECT id, code AS region_code FROM regions ORDER BY code")
        .fetch_all(db)
        .await?
        .iter()
        .map(|row| region_of("region", row))
        .collect()
}

/// Every station.
pub async fn stations<'e>(db: impl Executor<'e, Database = Any>) -> Result<Vec<Station>, DispatchServiceError> {
    sqlx::query("SELECT id, region_code, lat, lon, area_type FROM stations ORDER BY code")
        .fetch_all(db)
        .await?
        .iter()
        .map(station_from_row)
        .collect()
}

/// Every hospital.
pub async fn hospitals<'e>(db: impl Executor<'e, Database = Any>) -> Result<Vec<Hospital>, DispatchServiceError> {
    sqlx::query(
        "SELECT id, name, region_code, lat, lon, profiles, trauma_level, perinatal_level FROM hospitals ORDER BY code",
    )
    .fetch_all(db)
    .await?
    .iter()
    .map(hospital_from_row)
    .collect()
}

/// One brigade by id.
pub async fn brigade<'e>(
    db: impl Executor<'e, Database = Any>,
    id: &str,
) -> Result<Option<Brigade>, DispatchServiceError> {
    let row = sqlx::query(select_brigades!("WHERE b.id = $1")).bind(id).fetch_optional(db).await?;
    row.as_ref().map(brigade_from_row).transpose()
}

/// The brigades of one station (by station id).
pub async fn brigades_of_station<'e>(
    db: impl Executor<'e, Database = Any>,
    station_id: &str,
) -> Result<Vec<Brigade>, DispatchServiceError> {
    sqlx::query(select_brigades!("WHERE s.id = $1 ORDER BY b.call_sign"))
        .bind(station_id)
        .fetch_all(db)
        .await?
        .iter()
        .map(brigade_from_row)
        .collect()
}

/// One region's code and UTC offset, by Registry id.
pub async fn region<'e>(
    db: impl Executor<'e, Database = Any>,
    id: &str,
) -> Result<Option<(RegionCode, i32)>, DispatchServiceError> {
    let row = sqlx::query("SELECT id, code AS region_code, utc_offset_minutes FROM regions WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.map(|row| Ok((region_of("region", &row)?, row.try_get::<i64, _>("utc_offset_minutes")? as i32))).transpose()
}

/// The station nearest `position` (great circle), for a call's area type and a position's
/// region when nothing else names them.
pub fn nearest(stations: &[Station], position: LatLon) -> Option<&Station> {
    let key = |s: &Station| {
        let (dlat, dlon) = (s.position.lat() - position.lat(), s.position.lon() - position.lon());
        let dlon = dlon * position.lat().to_radians().cos();
        dlat * dlat + dlon * dlon
    };
    stations.iter().min_by(|a, b| key(a).total_cmp(&key(b)))
}
