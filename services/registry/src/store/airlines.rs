//! Airlines in the `airlines` table, each with its medical-aviation certificate (three
//! nullable columns): reads, keyset-paged lists, and the [`Table`] implementation the shared
//! write path uses, which also keeps BINs unique.

use jedel_platform::db::DbError;
use jedel_platform::time::Micros;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, Row as _};

use crate::domain::{AirlineFields, AirlineStatus};
use crate::events;
use crate::store::Table;

/// An airline as stored; also the payload of its events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AirlineRow {
    /// UUIDv7.
    pub id: String,
    /// Airline code.
    pub code: String,
    /// Legal name.
    pub name: String,
    /// Business identification number.
    pub bin: String,
    /// Certificate number; `None` when the airline holds no certificate.
    pub certificate_number: Option<String>,
    /// First day of the certificate, `YYYY-MM-DD`.
    pub certificate_issued: Option<String>,
    /// Last day of the certificate, `YYYY-MM-DD`.
    pub certificate_expires: Option<String>,
    /// `active` or `suspended`.
    pub status: String,
    /// 1 on create, +1 on each change.
    pub version: i64,
    /// Created, µs since the epoch.
    pub created_at: Micros,
    /// Last changed, µs since the epoch.
    pub updated_at: Micros,
}

impl AirlineRow {
    fn from_row(row: &AnyRow) -> Result<AirlineRow, DbError> {
        Ok(AirlineRow {
            id: row.try_get("id")?,
            code: row.try_get("code")?,
            name: row.try_get("name")?,
            bin: row.try_get("bin")?,
            certificate_number: row.try_get("certificate_number")?,
            certificate_issued: row.try_get("certificate_issued")?,
            certificate_expires: row.try_get("certificate_expires")?,
            status: row.try_get("status")?,
            version: row.try_get("version")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// `SELECT` of every airline column, followed by the given clause.
macro_rules! select_airlines {
    ($rest:literal) => {
        concat!(
            "SELECT id, code, name, bin, certificate_number, certificate_issued, certificate_expires, status, ",
            "version, created_at, updated_at FROM airlines ",
            $rest
        )
    };
}

/// Which airlines a list returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AirlineFilter {
    /// Only this airline (an airline operator sees its own only).
    pub code: Option<String>,
    /// Only airlines in this status.
    pub status: Option<AirlineStatus>,
}

/// The airline with this id.
pub async fn by_id<'e>(db: impl Executor<'e, Database = Any>, id: &str) -> Result<Option<AirlineRow>, DbError> {
    let row = sqlx::query(select_airlines!("WHERE id = $1")).bind(id).fetch_optional(db).await?;
    row.as_ref().map(AirlineRow::from_row).transpose()
}

/// The airline with this code.
pub async fn by_code<'e>(db: impl Executor<'e, Database = Any>, code: &str) -> Result<Option<AirlineRow>, DbError> {
    let row = sqlx::query(select_airlines!("WHERE code = $1")).bind(code).fetch_optional(db).await?;
    row.as_ref().map(AirlineRow::from_row).transpose()
}

/// Up to `limit` airlines matching `filter` whose code sorts after `after`, in code order.
pub async fn list<'e>(
    db: impl Executor<'e, Database = Any>,
    filter: &AirlineFilter,
    after: &str,
    limit: i64,
) -> Result<Vec<AirlineRow>, DbError> {
    let rows = sqlx::query(select_airlines!(
        "WHERE ($1 = '' OR code = $1) AND ($2 = '' OR status = $2) AND code > $3 ORDER BY code LIMIT $4"
    ))
    .bind(filter.code.as_deref().unwrap_or(""))
    .bind(filter.status.map_or("", AirlineStatus::as_str))
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter().map(AirlineRow::from_row).collect()
}

#[async_trait::async_trait]
impl Table for AirlineRow {
    type Fields = AirlineFields;
    const ENTITY: &'static str = "airline";
    const CODE_COLUMN: &'static str = "code";
    const CREATE_RPC: &'static str = "Registry/CreateAirline";
    const UPDATE_RPC: &'static str = "Registry/UpdateAirline";
    const CREATED_EVENT: &'static str = events::AIRLINE_CREATED;
    const UPDATED_EVENT: &'static str = events::AIRLINE_UPDATED;

    fn new(id: String, fields: &AirlineFields, version: i64, created_at: Micros, updated_at: Micros) -> Self {
        let certificate = fields.certificate.as_ref();
        AirlineRow {
            id,
            code: fields.code.to_string(),
            name: fields.name.clone(),
            bin: fields.bin.to_string(),
            certificate_number: certificate.map(|c| c.number.clone()),
            certificate_issued: certificate.map(|c| jedel_core::calendar::format_date(c.validity.first())),
            certificate_expires: certificate.map(|c| jedel_core::calendar::format_date(c.validity.last())),
            status: fields.status.as_str().to_string(),
            version,
            created_at,
            updated_at,
        }
    }
    fn code_of(fields: &AirlineFields) -> &str {
        fields.code.as_str()
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn code(&self) -> &str {
        &self.code
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
        by_code(conn, code).await
    }
    async fn insert(conn: &mut AnyConnection, row: &Self) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO airlines (id, code, name, bin, certificate_number, certificate_issued, certificate_expires, \
             status, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&row.id)
        .bind(&row.code)
        .bind(&row.name)
        .bind(&row.bin)
        .bind(&row.certificate_number)
        .bind(&row.certificate_issued)
        .bind(&row.certificate_expires)
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
            "UPDATE airlines SET name = $1, bin = $2, certificate_number = $3, certificate_issued = $4, \
             certificate_expires = $5, status = $6, version = $7, updated_at = $8 WHERE id = $9 AND version = $10",
        )
        .bind(&row.name)
        .bind(&row.bin)
        .bind(&row.certificate_number)
        .bind(&row.certificate_issued)
        .bind(&row.certificate_expires)
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
    async fn conflict(conn: &mut AnyConnection, row: &Self) -> Result<Option<(&'static str, String)>, DbError> {
        let owner = sqlx::query("SELECT code FROM airlines WHERE bin = $1 AND id <> $2")
            .bind(&row.bin)
            .bind(&row.id)
            .fetch_optional(conn)
            .await?;
        let owner: Option<String> = owner.map(|r| r.try_get(0)).transpose()?;
        Ok(owner.map(|code| ("bin", format!("bin {} belongs to airline {code}", row.bin))))
    }
}
