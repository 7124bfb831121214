//! Regions in the `regions` table: reads, keyset-paged lists, and the create and update
//! writes (through the shared write path of [`crate::store`]), each with its event.

use jedel_platform::db::DbError;
use jedel_platform::time::Micros;
use jedel_platform::{Caller, Db};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, Row as _};

use crate::domain::RegionFields;
use crate::error::RegistryError;
use crate::events;
use crate::store::{self, Table};

/// The audit name of the create RPC, also the scope of its request ids.
pub const CREATE_RPC: &str = "Registry/CreateRegion";
/// The audit name of the update RPC.
pub const UPDATE_RPC: &str = "Registry/UpdateRegion";

/// A region as stored; also the payload of its events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionRow {
    /// UUIDv7.
    pub id: String,
    /// ISO 3166-2:KZ code.
    pub code: String,
    /// Name in Kazakh.
    pub name_kk: String,
    /// Name in Russian.
    pub name_ru: String,
    /// Name in English.
    pub name_en: String,
    /// Administrative centre, in English.
    pub centre_name: String,
    /// Latitude of the centre.
    pub lat: f64,
    /// Longitude of the centre.
    pub lon: f64,
    /// Resident population.
    pub population: i64,
    /// Urban share, 0..=1.
    pub urban_share: f64,
    /// IANA time zone.
    pub time_zone: String,
    /// UTC offset of the time zone in minutes.
    pub utc_offset_minutes: i64,
    /// 1 on create, +1 on each change.
    pub version: i64,
    /// Created, µs since the epoch.
    pub created_at: Micros,
    /// Last changed, µs since the epoch.
    pub updated_at: Micros,
}

impl RegionRow {
    /// The row for `fields` at `version`, stamped with its times.
    pub(crate) fn new(
        id: String,
        fields: &RegionFields,
        version: i64,
        created_at: Micros,
        updated_at: Micros,
    ) -> RegionRow {
        RegionRow {
            id,
            code: fields.code.to_string(),
            name_kk: fields.name_kk.clone(),
            name_ru: fields.name_ru.clone(),
            name_en: fields.name_en.clone(),
            centre_name: fields.centre_name.clone(),
            lat: fields.position.lat(),
            lon: fields.position.lon(),
            population: fields.population,
            urban_share: fields.urban_share,
            time_zone: fields.time_zone.name().to_string(),
            utc_offset_minutes: i64::from(fields.utc_offset_minutes),
            version,
            created_at,
            updated_at,
        }
    }

    fn from_row(row: &AnyRow) -> Result<RegionRow, DbError> {
        Ok(RegionRow {
            id: row.try_get("id")?,
            code: row.try_get("code")?,
            name_kk: row.try_get("name_kk")?,
            name_ru: row.try_get("name_ru")?,
            name_en: row.try_get("name_en")?,
            centre_name: row.try_get("centre_name")?,
            lat: row.try_get("lat")?,
            lon: row.try_get("lon")?,
            population: row.try_get("population")?,
            urban_share: row.try_get("urban_share")?,
            time_zone: row.try_get("time_zone")?,
            utc_offset_minutes: row.try_get("utc_offset_minutes")?,
            version: row.try_get("version")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// `SELECT` of every region column, followed by the given clause.
macro_rules! select_regions {
    ($rest:literal) => {
        concat!(
            "SELECT id, code, name_kk, name_ru, name_en, centre_name, lat, lon, population, urban_share, ",
            "time_zone, utc_offset_minutes, version, created_at, updated_at FROM regions ",
            $rest
        )
    };
}

/// The region with this id.
pub async fn by_id<'e>(db: impl Executor<'e, Database = Any>, id: &str) -> Result<Option<RegionRow>, DbError> {
    let row = sqlx::query(select_regions!("WHERE id = $1")).bind(id).fetch_optional(db).await?;
    row.as_ref().map(RegionRow::from_row).transpose()
}

/// The region with this code.
pub async fn by_code<'e>(db: impl Executor<'e, Database = Any>, code: &str) -> Result<Option<RegionRow>, DbError> {
    let row = sqlx::query(select_regions!("WHERE code = $1")).bind(code).fetch_optional(db).await?;
    row.as_ref().map(RegionRow::from_row).transpose()
}

/// Whether a region with this code exists.
pub async fn exists<'e>(db: impl Executor<'e, Database = Any>, code: &str) -> Result<bool, DbError> {
    let row = sqlx::query("SELECT 1 FROM regions WHERE code = $1").bind(code).fetch_optional(db).await?;
    Ok(row.is_some())
}

/// How many regions there are.
pub async fn count<'e>(db: impl Executor<'e, Database = Any>) -> Result<i64, DbError> {
    Ok(sqlx::query("SELECT COUNT(*) FROM regions").fetch_one(db).await?.try_get(0)?)
}

/// Up to `limit` regions whose code sorts after `after` (all when empty), in code order.
pub async fn list<'e>(
    db: impl Executor<'e, Database = Any>,
    after: &str,
    limit: i64,
) -> Result<Vec<RegionRow>, DbError> {
    let rows = sqlx::query(select_regions!("WHERE code > $1 ORDER BY code LIMIT $2"))
        .bind(after)
        .bind(limit)
        .fetch_all(db)
        .await?;
    rows.iter().map(RegionRow::from_row).collect()
}

/// Writes a new row; a taken code is a unique violation.
pub(crate) async fn insert(conn: &mut AnyConnection, row: &RegionRow) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO regions (id, code, name_kk, name_ru, name_en, centre_name, lat, lon, population, urban_share, \
         time_zone, utc_offset_minutes, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(&row.id)
    .bind(&row.code)
    .bind(&row.name_kk)
    .bind(&row.name_ru)
    .bind(&row.name_en)
    .bind(&row.centre_name)
    .bind(row.lat)
    .bind(row.lon)
    .bind(row.population)
    .bind(row.urban_share)
    .bind(&row.time_zone)
    .bind(row.utc_offset_minutes)
    .bind(row.version)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

#[async_trait::async_trait]
impl Table for RegionRow {
    type Fields = RegionFields;
    const ENTITY: &'static str = "region";
    const CODE_COLUMN: &'static str = "code";
    const CREATE_RPC: &'static str = CREATE_RPC;
    const UPDATE_RPC: &'static str = UPDATE_RPC;
    const CREATED_EVENT: &'static str = events::REGION_CREATED;
    const UPDATED_EVENT: &'static str = events::REGION_UPDATED;

    fn new(id: String, fields: &RegionFields, version: i64, created_at: Micros, updated_at: Micros) -> Self {
        RegionRow::new(id, fields, version, created_at, updated_at)
    }
    fn code_of(fields: &RegionFields) -> &str {
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
        insert(conn, row).await
    }
    async fn replace(conn: &mut AnyConnection, row: &Self, current_version: i64) -> Result<bool, DbError> {
        let updated = sqlx::query(
            "UPDATE regions SET name_kk = $1, name_ru = $2, name_en = $3, centre_name = $4, lat = $5, lon = $6, \
             population = $7, urban_share = $8, time_zone = $9, utc_offset_minutes = $10, version = $11, \
             updated_at = $12 WHERE id = $13 AND version = $14",
        )
        .bind(&row.name_kk)
        .bind(&row.name_ru)
        .bind(&row.name_en)
        .bind(&row.centre_name)
        .bind(row.lat)
        .bind(row.lon)
        .bind(row.population)
        .bind(row.urban_share)
        .bind(&row.time_zone)
        .bind(row.utc_offset_minutes)
        .bind(row.version)
        .bind(row.updated_at)
        .bind(&row.id)
        .bind(current_version)
        .execute(conn)
        .await?
        .rows_affected();
        Ok(updated == 1)
    }
}

/// Creates a region, or returns the one an earlier call with the same `request_id` created.
pub async fn create(
    db: &Db,
    actor: &Caller,
    request_id: &str,
    fields: &RegionFields,
) -> Result<RegionRow, RegistryError> {
    store::create::<RegionRow>(db, actor, request_id, fields, &[]).await
}

/// Replaces a region's writable fields. `expected_version` 0 skips the version check; the
/// code can never change.
pub async fn update(
    db: &Db,
    actor: &Caller,
    id: &str,
    expected_version: i64,
    fields: &RegionFields,
) -> Result<RegionRow, RegistryError> {
    store::update::<RegionRow>(db, actor, id, expected_version, fields, &[]).await
}
