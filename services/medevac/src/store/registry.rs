//! Read-only queries on the registry's tables (see `migrations/*/0003_registry_ems_and_aviation.sql`):
//! what choosing an aircraft needs to know about it, contract numbers, and the hospitals a
//! request names (the Dispatcher's air tasking reads the rest). The registry owns these rows;
//! the medevac service never writes them.

use std::collections::HashMap;

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

/// Every contract's number by Registry id.
pub async fn contract_numbers<'e>(
    db: impl Executor<'e, Database = Any>,
) -> Result<HashMap<String, String>, MedevacError> {
    let rows = sqlx::query("SELECT id, number FROM contracts").fetch_all(db).await?;
    rows.iter().map(|row| Ok((row.try_get(0)?, row.try_get(1)?))).collect()
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
