//! Stations in the `stations` table: reads, keyset-paged lists filtered by region and kind,
//! and the create and update writes, each with its event. A station's region must exist:
//! checked in the write's transaction and enforced by a foreign key.

use jedel_platform::db::DbError;
use jedel_platform::time::Micros;
use jedel_platform::{Caller, Db};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, Row as _};

use crate::domain::{Reference, StationFields, StationKind};
use crate::error::RegistryError;
use crate::events;
use crate::store::{self, Table};

/// The audit name of the create RPC, also the scope of its request ids.
pub const CREATE_RPC: &str = "Registry/CreateStation";
/// The audit name of the update RPC.
pub const UPDATE_RPC: &str = "Registry/UpdateStation";

/// A station as stored; also the payload of its events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StationRow {
    /// UUIDv7.
    pub id: String,
    /// Station code.
    pub code: String,
    /// Name as dispatchers use it.
    pub name: String,
    /// Organisational level, data-file spelling (`regional_station`, …).
    pub kind: String,
    /// Region code.
    pub region_code: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Postal address; may be empty.
    pub address: String,
    /// Area served, data-file spelling (`city`, `rural`).
    pub area_type: String,
    /// 1 on create, +1 on each change.
    pub version: i64,
    /// Created, µs since the epoch.
    pub created_at: Micros,
    /// Last changed, µs since the epoch.
    pub updated_at: Micros,
}

impl StationRow {
    /// The row for `fields` at `version`, stamped with its times.
    pub(crate) fn new(
        id: String,
        fields: &StationFields,
        version: i64,
        created_at: Micros,
        updated_at: Micros,
    ) -> StationRow {
        StationRow {
            id,
            code: fields.code.to_string(),
            name: fields.name.clone(),
            kind: fields.kind.as_str().to_string(),
            region_code: fields.region_code.to_string(),
            lat: fields.position.lat(),
            lon: fields.position.lon(),
            address: fields.address.clone(),
            area_type: fields.area_type.as_str().to_string(),
            version,
            created_at,
            updated_at,
        }
    }

    fn from_row(row: &AnyRow) -> Result<StationRow, DbError> {
        Ok(StationRow {
            id: row.try_get("id")?,
            code: row.try_get("code")?,
            name: row.try_get("name")?,
            kind: row.try_get("kind")?,
            region_code: row.try_get("region_code")?,
            lat: row.try_get("lat")?,
            lon: row.try_get("lon")?,
            address: row.try_get("address")?,
            area_type: row.try_get("area_type")?,
            version: row.try_get("version")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// `SELECT` of every station column, followed by the given clause.
macro_rules! select_stations {
    ($rest:literal) => {
        concat!(
            "SELECT id, code, name, kind, region_code, lat, lon, address, area_type, version, created_at, updated_at ",
            "FROM stations ",
            $rest
        )
    };
}

/// Which stations a list returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StationFilter {
    /// Only stations of these regions; `None` for every region. An empty list matches nothing.
    pub regions: Option<Vec<String>>,
    /// Only stations of this kind; `None` for every kind.
    pub kind: Option<StationKind>,
}

/// The station with this id.
pub async fn by_id<'e>(db: impl Executor<'e, Database = Any>, id: &str) -> Result<Option<StationRow>, DbError> {
    let row = sqlx::query(select_stations!("WHERE id = $1")).bind(id).fetch_optional(db).await?;
    row.as_ref().map(StationRow::from_row).transpose()
}

/// The station with this code.
pub async fn by_code<'e>(db: impl Executor<'e, Database = Any>, code: &str) -> Result<Option<StationRow>, DbError> {
    let row = sqlx::query(select_stations!("WHERE code = $1")).bind(code).fetch_optional(db).await?;
    row.as_ref().map(StationRow::from_row).transpose()
}

/// Up to `limit` stations matching `filter` whose code sorts after `after` (all when
/// empty), in code order. A filter on several regions runs one indexed query per region
/// and merges them, which keeps the SQL static.
pub async fn list(
    db: &sqlx::AnyPool,
    filter: &StationFilter,
    after: &str,
    limit: i64,
) -> Result<Vec<StationRow>, DbError> {
    let kind = filter.kind.map_or("", StationKind::as_str);
    let Some(regions) = &filter.regions else {
        return list_one(db, "", kind, after, limit).await;
    };
    let mut rows = Vec::new();
    for region in regions {
        rows.extend(list_one(db, region, kind, after, limit).await?);
    }
    rows.sort_by(|a, b| a.code.cmp(&b.code));
    rows.dedup_by(|a, b| a.id == b.id);
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(rows)
}

/// One list query; an empty `region` or `kind` matches every value.
async fn list_one(
    db: &sqlx::AnyPool,
    region: &str,
    kind: &str,
    after: &str,
    limit: i64,
) -> Result<Vec<StationRow>, DbError> {
    let rows = sqlx::query(select_stations!(
        "WHERE ($1 = '' OR region_code = $1) AND ($2 = '' OR kind = $2) AND code > $3 ORDER BY code LIMIT $4"
    ))
    .bind(region)
    .bind(kind)
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter().map(StationRow::from_row).collect()
}

/// Writes a new row; a taken code is a unique violation, an unknown region a foreign-key one.
pub(crate) async fn insert(conn: &mut AnyConnection, row: &StationRow) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO stations (id, code, name, kind, region_code, lat, lon, address, area_type, version, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&row.id)
    .bind(&row.code)
    .bind(&row.name)
    .bind(&row.kind)
    .bind(&row.region_code)
    .bind(row.lat)
    .bind(row.lon)
    .bind(&row.address)
    .bind(&row.area_type)
    .bind(row.version)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

#[async_trait::async_trait]
impl Table for StationRow {
    type Fields = StationFields;
    const ENTITY: &'static str = "station";
    const CODE_COLUMN: &'static str = "code";
    const CREATE_RPC: &'static str = CREATE_RPC;
    const UPDATE_RPC: &'static str = UPDATE_RPC;
    const CREATED_EVENT: &'static str = events::STATION_CREATED;
    const UPDATED_EVENT: &'static str = events::STATION_UPDATED;

    fn new(id: String, fields: &StationFields, version: i64, created_at: Micros, updated_at: Micros) -> Self {
        StationRow::new(id, fields, version, created_at, updated_at)
    }
    fn code_of(fields: &StationFields) -> &str {
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
            "UPDATE stations SET name = $1, kind = $2, region_code = $3, lat = $4, lon = $5, address = $6, \
             area_type = $7, version = $8, updated_at = $9 WHERE id = $10 AND version = $11",
        )
        .bind(&row.name)
        .bind(&row.kind)
        .bind(&row.region_code)
        .bind(row.lat)
        .bind(row.lon)
        .bind(&row.address)
        .bind(&row.area_type)
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

/// What a station's fields reference: its region.
fn references(fields: &StationFields) -> [(&'static str, Reference); 1] {
    [("region_code", Reference::Region(fields.region_code.to_string()))]
}

/// Creates a station, or returns the one an earlier call with the same `request_id` created.
pub async fn create(
    db: &Db,
    actor: &Caller,
    request_id: &str,
    fields: &StationFields,
) -> Result<StationRow, RegistryError> {
    store::create::<StationRow>(db, actor, request_id, fields, &references(fields)).await
}

/// Replaces a station's writable fields (it may move to another region, taking its brigades
/// with it). `expected_version` 0 skips the version check; the code can never change.
pub async fn update(
    db: &Db,
    actor: &Caller,
    id: &str,
    expected_version: i64,
    fields: &StationFields,
) -> Result<StationRow, RegistryError> {
    store::update::<StationRow>(db, actor, id, expected_version, fields, &references(fields)).await
}
