//! Read-only queries on the registry's tables (see `migrations/*/0003_registry_ems_and_aviation.sql`):
//! what choosing an aircraft needs to know about it, its airline, the contracts that list it
//! and its base airfield, and the hospitals a request names. The registry owns these rows;
//! the medevac service never writes them.

use sqlx::{Any, Executor, Row as _};

use crate::error::MedevacError;
use crate::model::Point;

/// What choosing an aircraft needs to know about it.
#[derive(Debug, Clone, PartialEq)]
pub struct AircraftFacts {
    /// Registration.
    pub registration: String,
    /// Operating airline.
    pub airline_code: String,
    /// `available`, `on_mission` or `maintenance`.
    pub status: String,
    /// Cruise speed, km/h.
    pub cruise_speed_kmh: i64,
    /// `none`, `basic`, `intensive_care` or `neonatal`.
    pub medical_module: String,
    /// Its base.
    pub base_airfield_code: String,
}

/// The aircraft with this registration.
pub async fn aircraft<'e>(
    db: impl Executor<'e, Database = Any>,
    registration: &str,
) -> Result<Option<AircraftFacts>, MedevacError> {
    let row = sqlx::query(
        "SELECT registration, airline_code, status, cruise_speed_kmh, medical_module, base_airfield_code \
         FROM aircraft WHERE registration = $1",
    )
    .bind(registration)
    .fetch_optional(db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(AircraftFacts {
        registration: row.try_get(0)?,
        airline_code: row.try_get(1)?,
        status: row.try_get(2)?,
        cruise_speed_kmh: row.try_get(3)?,
        medical_module: row.try_get(4)?,
        base_airfield_code: row.try_get(5)?,
    }))
}

/// What the eligibility rule needs to know about an airline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AirlineFacts {
    /// Code.
    pub code: String,
    /// `active` or `suspended`.
    pub status: String,
    /// Certificate number, issue and expiry dates (`YYYY-MM-DD`), when it holds one.
    pub certificate: Option<(String, String, String)>,
}

/// The airline with this code.
pub async fn airline<'e>(
    db: impl Executor<'e, Database = Any>,
    code: &str,
) -> Result<Option<AirlineFacts>, MedevacError> {
    let row = sqlx::query(
        "SELECT code, status, certificate_number, certificate_issued, certificate_expires FROM airlines WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let certificate = match (
        row.try_get::<Option<String>, _>(2)?,
        row.try_get::<Option<String>, _>(3)?,
        row.try_get::<Option<String>, _>(4)?,
    ) {
        (Some(number), Some(issued), Some(expires)) => Some((number, issued, expires)),
        _ => None,
    };
    Ok(Some(AirlineFacts { code: row.try_get(0)?, status: row.try_get(1)?, certificate }))
}

/// A contract that lists an aircraft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractFacts {
    /// Number.
    pub number: String,
    /// First day in force, `YYYY-MM-DD`.
    pub starts: String,
    /// Last day in force.
    pub ends: String,
    /// `active`, `suspended` or `terminated`.
    pub status: String,
    /// Tariff per flight hour, tenge.
    pub tariff_kzt_per_hour: i64,
    /// Minutes from tasking to take-off.
    pub readiness_minutes: i64,
}

/// The contracts that list `registration`, by number.
pub async fn contracts_covering<'e>(
    db: impl Executor<'e, Database = Any>,
    registration: &str,
) -> Result<Vec<ContractFacts>, MedevacError> {
    let rows = sqlx::query(
        "SELECT c.number, c.starts, c.ends, c.status, c.tariff_kzt_per_hour, c.readiness_minutes \
         FROM contracts c JOIN contract_aircraft ca ON ca.contract_id = c.id \
         WHERE ca.registration = $1 ORDER BY c.number",
    )
    .bind(registration)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(ContractFacts {
                number: row.try_get(0)?,
                starts: row.try_get(1)?,
                ends: row.try_get(2)?,
                status: row.try_get(3)?,
                tariff_kzt_per_hour: row.try_get(4)?,
                readiness_minutes: row.try_get(5)?,
            })
        })
        .collect()
}

/// Where an airfield is.
pub async fn airfield_position<'e>(
    db: impl Executor<'e, Database = Any>,
    code: &str,
) -> Result<Option<Point>, MedevacError> {
    let row = sqlx::query("SELECT lat, lon FROM airfields WHERE code = $1").bind(code).fetch_optional(db).await?;
    Ok(row.map(|r| Ok::<_, sqlx::Error>(Point { lat: r.try_get(0)?, lon: r.try_get(1)? })).transpose()?)
}

/// A registry hospital's name and position.
pub async fn hospital<'e>(
    db: impl Executor<'e, Database = Any>,
    id: &str,
) -> Result<Option<(String, Point)>, MedevacError> {
    let row = sqlx::query("SELECT name, lat, lon FROM hospitals WHERE id = $1").bind(id).fetch_optional(db).await?;
    Ok(row
        .map(|r| Ok::<_, sqlx::Error>((r.try_get(0)?, Point { lat: r.try_get(1)?, lon: r.try_get(2)? })))
        .transpose()?)
}
