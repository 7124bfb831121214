//! Brigades in the `brigades` table: reads, keyset-paged lists filtered by regions, station,
//! kind and service state, and the [`Table`] implementation the shared write path uses. A
//! brigade's region is its station's, read through a join, never stored twice.

use jedel_core::TeamKind;
use jedel_platform::db::DbError;
use jedel_platform::time::Micros;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, Row as _};

use crate::domain::BrigadeFields;
use crate::events;
use crate::store::{Table, flag, json_list, to_json_list};

/// A brigade as stored, with its station's region; also the payload of its events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BrigadeRow {
    /// UUIDv7.
    pub id: String,
    /// Call sign.
    pub call_sign: String,
    /// Team kind, data-file spelling.
    pub kind: String,
    /// Capabilities, data-file spellings.
    pub capabilities: Vec<String>,
    /// Home station.
    pub station_code: String,
    /// The home station's region (read, not stored).
    pub region_code: String,
    /// Licence plate.
    pub vehicle_plate: String,
    /// Vehicle class, data-file spelling.
    pub vehicle_type: String,
    /// Shift pattern, data-file spelling.
    pub shift_pattern: String,
    /// False while withdrawn.
    pub in_service: bool,
    /// 1 on create, +1 on each change.
    pub version: i64,
    /// Created, µs since the epoch.
    pub created_at: Micros,
    /// Last changed, µs since the epoch.
    pub updated_at: Micros,
}

impl BrigadeRow {
    fn from_row(row: &AnyRow) -> Result<BrigadeRow, DbError> {
        let capabilities: String = row.try_get("capabilities")?;
        Ok(BrigadeRow {
            id: row.try_get("id")?,
            call_sign: row.try_get("call_sign")?,
            kind: row.try_get("kind")?,
            capabilities: json_list(&capabilities)?,
            station_code: row.try_get("station_code")?,
            region_code: row.try_get("region_code")?,
            vehicle_plate: row.try_get("vehicle_plate")?,
            vehicle_type: row.try_get("vehicle_type")?,
            shift_pattern: row.try_get("shift_pattern")?,
            in_service: flag(row, "in_service")?,
            version: row.try_get("version")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// `SELECT` of every brigade column with its station's region, followed by the given clause.
macro_rules! select_brigades {
    ($rest:literal) => {
        concat!(
            "SELECT b.id, b.call_sign, b.kind, b.capabilities, b.station_code, s.region_code, b.vehicle_plate, ",
            "b.vehicle_type, b.shift_pattern, b.in_service, b.version, b.created_at, b.updated_at ",
            "FROM brigades b JOIN stations s ON s.code = b.station_code ",
            $rest
        )
    };
}

/// Which brigades a list returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BrigadeFilter {
    /// Only brigades based in these regions; `None` for every region. An empty list matches nothing.
    pub regions: Option<Vec<String>>,
    /// Only brigades of this station.
    pub station: Option<String>,
    /// Only brigades of this team kind.
    pub kind: Option<TeamKind>,
    /// Only brigades in (true) or out of (false) service.
    pub in_service: Option<bool>,
}

/// The brigade with this id.
pub async fn by_id<'e>(db: impl Executor<'e, Database = Any>, id: &str) -> Result<Option<BrigadeRow>, DbError> {
    let row = sqlx::query(select_brigades!("WHERE b.id = $1")).bind(id).fetch_optional(db).await?;
    row.as_ref().map(BrigadeRow::from_row).transpose()
}

/// The brigade with this call sign.
pub async fn by_call_sign<'e>(
    db: impl Executor<'e, Database = Any>,
    call_sign: &str,
) -> Result<Option<BrigadeRow>, DbError> {
    let row = sqlx::query(select_brigades!("WHERE b.call_sign = $1")).bind(call_sign).fetch_optional(db).await?;
    row.as_ref().map(BrigadeRow::from_row).transpose()
}

/// Up to `limit` brigades matching `filter` whose call sign sorts after `after`, in call-sign
/// order; one query per region, merged.
pub async fn list(
    db: &sqlx::AnyPool,
    filter: &BrigadeFilter,
    after: &str,
    limit: i64,
) -> Result<Vec<BrigadeRow>, DbError> {
    let Some(regions) = &filter.regions else {
        return list_one(db, "", filter, after, limit).await;
    };
    let mut rows = Vec::new();
    for region in regions {
        rows.extend(list_one(db, region, filter, after, limit).await?);
    }
    rows.sort_by(|a, b| a.call_sign.cmp(&b.call_sign));
    rows.dedup_by(|a, b| a.id == b.id);
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(rows)
}

async fn list_one(
    db: &sqlx::AnyPool,
    region: &str,
    filter: &BrigadeFilter,
    after: &str,
    limit: i64,
) -> Result<Vec<BrigadeRow>, DbError> {
    let rows = sqlx::query(select_brigades!(
        "WHERE ($1 = '' OR s.region_code = $1) AND ($2 = '' OR b.station_code = $2) AND ($3 = '' OR b.kind = $3) \
         AND ($4 < 0 OR b.in_service = $4) AND b.call_sign > $5 ORDER BY b.call_sign LIMIT $6"
    ))
    .bind(region)
    .bind(filter.station.as_deref().unwrap_or(""))
    .bind(filter.kind.map_or("", TeamKind::as_str))
    .bind(filter.in_service.map_or(-1, i64::from))
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter().map(BrigadeRow::from_row).collect()
}

#[async_trait::async_trait]
impl Table for BrigadeRow {
    type Fields = BrigadeFields;
    const ENTITY: &'static str = "brigade";
    const CODE_COLUMN: &'static str = "call_sign";
    const CREATE_RPC: &'static str = "Registry/CreateBrigade";
    const UPDATE_RPC: &'static str = "Registry/UpdateBrigade";
    const CREATED_EVENT: &'static str = events::BRIGADE_CREATED;
    const UPDATED_EVENT: &'static str = events::BRIGADE_UPDATED;

    fn new(id: String, fields: &BrigadeFields, version: i64, created_at: Micros, updated_at: Micros) -> Self {
        BrigadeRow {
            id,
            call_sign: fields.call_sign.to_string(),
            kind: fields.kind.as_str().to_string(),
            capabilities: fields.capabilities.iter().map(|c| c.as_str().to_string()).collect(),
            station_code: fields.station_code.to_string(),
            region_code: String::new(),
            vehicle_plate: fields.vehicle_plate.clone(),
            vehicle_type: fields.vehicle_type.as_str().to_string(),
            shift_pattern: fields.shift_pattern.as_str().to_string(),
            in_service: fields.in_service,
            version,
            created_at,
            updated_at,
        }
    }
    fn code_of(fields: &BrigadeFields) -> &str {
        fields.call_sign.as_str()
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn code(&self) -> &str {
        &self.call_sign
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
        by_call_sign(conn, code).await
    }
    async fn insert(conn: &mut AnyConnection, row: &Self) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO brigades (id, call_sign, kind, capabilities, station_code, vehicle_plate, vehicle_type, \
             shift_pattern, in_service, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&row.id)
        .bind(&row.call_sign)
        .bind(&row.kind)
        .bind(to_json_list(&row.capabilities))
        .bind(&row.station_code)
        .bind(&row.vehicle_plate)
        .bind(&row.vehicle_type)
        .bind(&row.shift_pattern)
        .bind(i64::from(row.in_service))
        .bind(row.version)
        .bind(row.created_at)
        .bind(row.updated_at)
        .execute(conn)
        .await?;
        Ok(())
    }
    async fn replace(conn: &mut AnyConnection, row: &Self, current_version: i64) -> Result<bool, DbError> {
        let updated = sqlx::query(
            "UPDATE brigades SET kind = $1, capabilities = $2, station_code = $3, vehicle_plate = $4, \
             vehicle_type = $5, shift_pattern = $6, in_service = $7, version = $8, updated_at = $9 \
             WHERE id = $10 AND version = $11",
        )
        .bind(&row.kind)
        .bind(to_json_list(&row.capabilities))
        .bind(&row.station_code)
        .bind(&row.vehicle_plate)
        .bind(&row.vehicle_type)
        .bind(&row.shift_pattern)
        .bind(i64::from(row.in_service))
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
