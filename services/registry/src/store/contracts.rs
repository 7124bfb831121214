//! Contracts in the `contracts` table, with the aircraft each covers in `contract_aircraft`
//! (in the contract's order): reads, keyset-paged lists filtered by airline, status and
//! aircraft, the contracts covering one aircraft, and the [`Table`] implementation the shared
//! write path uses.

use jedel_platform::db::DbError;
use jedel_platform::time::Micros;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row as _};

use crate::domain::{ContractFields, ContractStatus};
use crate::events;
use crate::store::Table;

/// A contract as stored, with the registrations it covers; also the payload of its events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContractRow {
    /// UUIDv7.
    pub id: String,
    /// Contract number.
    pub number: String,
    /// Contracted airline.
    pub airline_code: String,
    /// First day in force, `YYYY-MM-DD`.
    pub starts: String,
    /// Last day in force, `YYYY-MM-DD`.
    pub ends: String,
    /// Registrations covered, in the contract's order.
    pub aircraft: Vec<String>,
    /// Tariff per flight hour, whole tenge.
    pub tariff_kzt_per_hour: i64,
    /// Readiness commitment, minutes.
    pub readiness_minutes: i64,
    /// `active`, `suspended` or `terminated`.
    pub status: String,
    /// 1 on create, +1 on each change.
    pub version: i64,
    /// Created, µs since the epoch.
    pub created_at: Micros,
    /// Last changed, µs since the epoch.
    pub updated_at: Micros,
}

impl ContractRow {
    /// The row without its aircraft, which come from `contract_aircraft`.
    fn from_row(row: &AnyRow) -> Result<ContractRow, DbError> {
        Ok(ContractRow {
            id: row.try_get("id")?,
            number: row.try_get("number")?,
            airline_code: row.try_get("airline_code")?,
            starts: row.try_get("starts")?,
            ends: row.try_get("ends")?,
            aircraft: Vec::new(),
            tariff_kzt_per_hour: row.try_get("tariff_kzt_per_hour")?,
            readiness_minutes: row.try_get("readiness_minutes")?,
            status: row.try_get("status")?,
            version: row.try_get("version")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// `SELECT` of every contract column, followed by the given clause.
macro_rules! select_contracts {
    ($rest:literal) => {
        concat!(
            "SELECT c.id, c.number, c.airline_code, c.starts, c.ends, c.tariff_kzt_per_hour, c.readiness_minutes, ",
            "c.status, c.version, c.created_at, c.updated_at FROM contracts c ",
            $rest
        )
    };
}

/// Which contracts a list returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContractFilter {
    /// Only this airline's contracts.
    pub airline: Option<String>,
    /// Only contracts in this status.
    pub status: Option<ContractStatus>,
    /// Only contracts that list this registration.
    pub aircraft: Option<String>,
}

/// Fills in the registrations each contract covers.
async fn with_aircraft(conn: &mut AnyConnection, mut rows: Vec<ContractRow>) -> Result<Vec<ContractRow>, DbError> {
    for row in &mut rows {
        let listed = sqlx::query("SELECT registration FROM contract_aircraft WHERE contract_id = $1 ORDER BY position")
            .bind(&row.id)
            .fetch_all(&mut *conn)
            .await?;
        row.aircraft = listed.iter().map(|r| r.try_get(0)).collect::<Result<_, _>>()?;
    }
    Ok(rows)
}

async fn one(conn: &mut AnyConnection, row: Option<AnyRow>) -> Result<Option<ContractRow>, DbError> {
    let Some(row) = row else { return Ok(None) };
    Ok(with_aircraft(conn, vec![ContractRow::from_row(&row)?]).await?.pop())
}

/// The contract with this id.
pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<ContractRow>, DbError> {
    let row = sqlx::query(select_contracts!("WHERE c.id = $1")).bind(id).fetch_optional(&mut *conn).await?;
    one(conn, row).await
}

/// The contract with this number.
pub async fn by_number(conn: &mut AnyConnection, number: &str) -> Result<Option<ContractRow>, DbError> {
    let row = sqlx::query(select_contracts!("WHERE c.number = $1")).bind(number).fetch_optional(&mut *conn).await?;
    one(conn, row).await
}

/// Up to `limit` contracts matching `filter` whose number sorts after `after`, in number order.
pub async fn list(db: &AnyPool, filter: &ContractFilter, after: &str, limit: i64) -> Result<Vec<ContractRow>, DbError> {
    let mut conn = db.acquire().await?;
    let rows = sqlx::query(select_contracts!(
        "WHERE ($1 = '' OR c.airline_code = $1) AND ($2 = '' OR c.status = $2) AND ($3 = '' OR EXISTS \
         (SELECT 1 FROM contract_aircraft ca WHERE ca.contract_id = c.id AND ca.registration = $3)) \
         AND c.number > $4 ORDER BY c.number LIMIT $5"
    ))
    .bind(filter.airline.as_deref().unwrap_or(""))
    .bind(filter.status.map_or("", ContractStatus::as_str))
    .bind(filter.aircraft.as_deref().unwrap_or(""))
    .bind(after)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let rows = rows.iter().map(ContractRow::from_row).collect::<Result<Vec<_>, _>>()?;
    with_aircraft(&mut conn, rows).await
}

/// Every contract that lists `registration`, in number order.
pub async fn covering(conn: &mut AnyConnection, registration: &str) -> Result<Vec<ContractRow>, DbError> {
    let rows = sqlx::query(select_contracts!(
        "JOIN contract_aircraft ca ON ca.contract_id = c.id WHERE ca.registration = $1 ORDER BY c.number"
    ))
    .bind(registration)
    .fetch_all(&mut *conn)
    .await?;
    let rows = rows.iter().map(ContractRow::from_row).collect::<Result<Vec<_>, _>>()?;
    with_aircraft(conn, rows).await
}

/// Writes the covered registrations of `row`, in order.
async fn insert_aircraft(conn: &mut AnyConnection, row: &ContractRow) -> Result<(), DbError> {
    for (position, registration) in row.aircraft.iter().enumerate() {
        sqlx::query("INSERT INTO contract_aircraft (contract_id, position, registration) VALUES ($1, $2, $3)")
            .bind(&row.id)
            .bind(position as i64)
            .bind(registration)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl Table for ContractRow {
    type Fields = ContractFields;
    const ENTITY: &'static str = "contract";
    const CODE_COLUMN: &'static str = "number";
    const CREATE_RPC: &'static str = "Registry/CreateContract";
    const UPDATE_RPC: &'static str = "Registry/UpdateContract";
    const CREATED_EVENT: &'static str = events::CONTRACT_CREATED;
    const UPDATED_EVENT: &'static str = events::CONTRACT_UPDATED;

    fn new(id: String, fields: &ContractFields, version: i64, created_at: Micros, updated_at: Micros) -> Self {
        ContractRow {
            id,
            number: fields.number.to_string(),
            airline_code: fields.airline_code.to_string(),
            starts: jedel_core::calendar::format_date(fields.period.first()),
            ends: jedel_core::calendar::format_date(fields.period.last()),
            aircraft: fields.aircraft.iter().map(ToString::to_string).collect(),
            tariff_kzt_per_hour: fields.tariff_kzt_per_hour,
            readiness_minutes: fields.readiness_minutes.into(),
            status: fields.status.as_str().to_string(),
            version,
            created_at,
            updated_at,
        }
    }
    fn code_of(fields: &ContractFields) -> &str {
        fields.number.as_str()
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn code(&self) -> &str {
        &self.number
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
        by_number(conn, code).await
    }
    async fn insert(conn: &mut AnyConnection, row: &Self) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO contracts (id, number, airline_code, starts, ends, tariff_kzt_per_hour, readiness_minutes, \
             status, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&row.id)
        .bind(&row.number)
        .bind(&row.airline_code)
        .bind(&row.starts)
        .bind(&row.ends)
        .bind(row.tariff_kzt_per_hour)
        .bind(row.readiness_minutes)
        .bind(&row.status)
        .bind(row.version)
        .bind(row.created_at)
        .bind(row.updated_at)
        .execute(&mut *conn)
        .await?;
        insert_aircraft(conn, row).await
    }
    async fn replace(conn: &mut AnyConnection, row: &Self, current_version: i64) -> Result<bool, DbError> {
        let updated = sqlx::query(
            "UPDATE contracts SET airline_code = $1, starts = $2, ends = $3, tariff_kzt_per_hour = $4, \
             readiness_minutes = $5, status = $6, version = $7, updated_at = $8 WHERE id = $9 AND version = $10",
        )
        .bind(&row.airline_code)
        .bind(&row.starts)
        .bind(&row.ends)
        .bind(row.tariff_kzt_per_hour)
        .bind(row.readiness_minutes)
        .bind(&row.status)
        .bind(row.version)
        .bind(row.updated_at)
        .bind(&row.id)
        .bind(current_version)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if updated != 1 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM contract_aircraft WHERE contract_id = $1").bind(&row.id).execute(&mut *conn).await?;
        insert_aircraft(conn, row).await?;
        Ok(true)
    }
}
