//! Airfields in the `airfields` table: reads, keyset-paged lists filtered by region and kind,
//! and the [`Table`] implementation the shared write path uses.

use jedel_platform::db::DbError;
use jedel_platform::time::Micros;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, Row as _};

use crate::domain::{AirfieldFields, AirfieldKind};
use crate::events;
use crate::store::{Table, flag};

/// An airfield as stored; also the payload of its events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AirfieldRow {
    /// UUIDv7.
    pub id: String,
    /// ICAO or local code.
    pub code: String,
    /// Name.
    pub name: String,
    /// `airport`, `airstrip` or `helipad`.
    pub kind: String,
    /// Region code.
    pub region_code: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Runway length, metres.
    pub runway_length_m: i64,
    /// `paved`, `unpaved` or `none`.
    pub surface: String,
    /// Lit for night operations.
    pub night_lighting: bool,
    /// Opening time `HH:MM`, local.
    pub opens_local: String,
    /// Closing time `HH:MM`, local.
    pub closes_local: String,
    /// 1 on create, +1 on each change.
    pub version: i64,
    /// Created, µs since the epoch.
    pub created_at: Micros,
    /// Last changed, µs since the epoch.
    pub updated_at: Micros,
}

impl AirfieldRow {
    fn from_row(row: &AnyRow) -> Result<AirfieldRow, DbError> {
        Ok(AirfieldRow {
            id: row.try_get("id")?,
            code: row.try_get("code")?,
            name: row.try_get("name")?,
            kind: row.try_get("kind")?,
            region_code: row.try_get("region_code")?,
            lat: row.try_get("lat")?,
            lon: row.try_get("lon")?,
            runway_length_m: row.try_get("runway_length_m")?,
            surface: row.try_get("surface")?,
            night_lighting: flag(row, "night_lighting")?,
            opens_local: row.try_get("opens_local")?,
            closes_local: row.try_get("closes_local")?,
            version: row.try_get("version")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// `SELECT` of every airfield column, followed by the given clause.
macro_rules! select_airfields {
    ($rest:literal) => {
        concat!(
            "SELECT id, code, name, kind, region_code, lat, lon, runway_length_m, surface, night_lighting, ",
            "opens_local, closes_local, version, created_at, updated_at FROM airfields ",
            $rest
        )
    };
}

/// Which airfields a list returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AirfieldFilter {
    /// Only airfields of this region; `None` for every region.
    pub region: Option<String>,
    /// Only airfields of this kind.
    pub kind: Option<AirfieldKind>,
}

/// The airfield with this id.
pub async fn by_id<'e>(db: impl Executor<'e, Database = Any>, id: &str) -> Result<Option<AirfieldRow>, DbError> {
    let row = sqlx::query(select_airfields!("WHERE id = $1")).bind(id).fetch_optional(db).await?;
    row.as_ref().map(AirfieldRow::from_row).transpose()
}

/// The airfield with this code.
pub async fn by_code<'e>(db: impl Executor<'e, Database = Any>, code: &str) -> Result<Option<AirfieldRow>, DbError> {
    let row = sqlx::query(select_airfields!("WHERE code = $1")).bind(code).fetch_optional(db).await?;
    row.as_ref().map(AirfieldRow::from_row).transpose()
}

/// Up to `limit` airfields matching `filter` whose code sorts after `after`, in code order.
pub async fn list<'e>(
    db: impl Executor<'e, Database = Any>,
    filter: &AirfieldFilter,
    after: &str,
    limit: i64,
) -> Result<Vec<AirfieldRow>, DbError> {
    let rows = sqlx::query(select_airfields!(
        "WHERE ($1 = '' OR region_code = $1) AND ($2 = '' OR kind = $2) AND code > $3 ORDER BY code LIMIT $4"
    ))
    .bind(filter.region.as_deref().unwrap_or(""))
    .bind(filter.kind.map_or("", AirfieldKind::as_str))
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter().map(AirfieldRow::from_row).collect()
}

#[async_trait::async_trait]
impl Table for AirfieldRow {
    type Fields = AirfieldFields;
    const ENTITY: &'static str = "airfield";
    const CODE_COLUMN: &'static str = "code";
    const CREATE_RPC: &'static str = "Registry/CreateAirfield";
    const UPDATE_RPC: &'static str = "Registry/UpdateAirfield";
    const CREATED_EVENT: &'static str = events::AIRFIELD_CREATED;
    const UPDATED_EVENT: &'static str = events::AIRFIELD_UPDATED;

    fn new(id: String, fields: &AirfieldFields, version: i64, created_at: Micros, updated_at: Micros) -> Self {
        AirfieldRow {
            id,
            code: fields.code.to_string(),
            name: fields.name.clone(),
            kind: fields.kind.as_str().to_string(),
            region_code: fields.region_code.to_string(),
            lat: fields.position.lat(),
            lon: fields.position.lon(),
            runway_length_m: fields.runway_length_m.into(),
            surface: fields.surface.as_str().to_string(),
            night_lighting: fields.night_lighting,
            opens_local: fields.opens_local.to_string(),
            closes_local: fields.closes_local.to_string(),
            version,
            created_at,
            updated_at,
        }
    }
    fn code_of(fields: &AirfieldFields) -> &str {
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
            "INSERT INTO airfields (id, code, name, kind, region_code, lat, lon, runway_length_m, surface, \
             night_lighting, opens_local, closes_local, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(&row.id)
        .bind(&row.code)
        .bind(&row.name)
        .bind(&row.kind)
        .bind(&row.region_code)
        .bind(row.lat)
        .bind(row.lon)
        .bind(row.runway_length_m)
        .bind(&row.surface)
        .bind(i64::from(row.night_lighting))
        .bind(&row.opens_local)
        .bind(&row.closes_local)
        .bind(row.version)
        .bind(row.created_at)
        .bind(row.updated_at)
        .execute(conn)
        .await?;
        Ok(())
    }
    async fn replace(conn: &mut AnyConnection, row: &Self, current_version: i64) -> Result<bool, DbError> {
        let updated = sqlx::query(
            "UPDATE airfields SET name = $1, kind = $2, region_code = $3, lat = $4, lon = $5, runway_length_m = $6, \
             surface = $7, night_lighting = $8, opens_local = $9, closes_local = $10, version = $11, \
             updated_at = $12 WHERE id = $13 AND version = $14",
        )
        .bind(&row.name)
        .bind(&row.kind)
        .bind(&row.region_code)
        .bind(row.lat)
        .bind(row.lon)
        .bind(row.runway_length_m)
        .bind(&row.surface)
        .bind(i64::from(row.night_lighting))
        .bind(&row.opens_local)
        .bind(&row.closes_local)
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
