//! Hospitals in the `hospitals` table: reads, keyset-paged lists filtered by regions and
//! profile, and the [`Table`] implementation the shared write path uses. Profiles are a JSON
//! list; the profile filter matches the quoted spelling inside it.

use jedel_core::HospitalProfile;
use jedel_platform::db::DbError;
use jedel_platform::time::Micros;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, Row as _};

use crate::domain::HospitalFields;
use crate::events;
use crate::store::{Table, flag, json_list, to_json_list};

/// A hospital as stored; also the payload of its events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HospitalRow {
    /// UUIDv7.
    pub id: String,
    /// Hospital code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Region code.
    pub region_code: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Profiles, data-file spellings.
    pub profiles: Vec<String>,
    /// Trauma level, 0 none.
    pub trauma_level: i64,
    /// Perinatal level, 0 none.
    pub perinatal_level: i64,
    /// Beds.
    pub beds: i64,
    /// Own helipad.
    pub helipad: bool,
    /// Airfield for patients arriving by plane; empty when none.
    pub nearest_airfield_code: String,
    /// 1 on create, +1 on each change.
    pub version: i64,
    /// Created, µs since the epoch.
    pub created_at: Micros,
    /// Last changed, µs since the epoch.
    pub updated_at: Micros,
}

impl HospitalRow {
    fn from_row(row: &AnyRow) -> Result<HospitalRow, DbError> {
        let profiles: String = row.try_get("profiles")?;
        let airfield: Option<String> = row.try_get("nearest_airfield_code")?;
        Ok(HospitalRow {
            id: row.try_get("id")?,
            code: row.try_get("code")?,
            name: row.try_get("name")?,
            region_code: row.try_get("region_code")?,
            lat: row.try_get("lat")?,
            lon: row.try_get("lon")?,
            profiles: json_list(&profiles)?,
            trauma_level: row.try_get("trauma_level")?,
            perinatal_level: row.try_get("perinatal_level")?,
            beds: row.try_get("beds")?,
            helipad: flag(row, "helipad")?,
            nearest_airfield_code: airfield.unwrap_or_default(),
            version: row.try_get("version")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }

    /// The airfield column: NULL when there is none.
    fn airfield(&self) -> Option<&str> {
        Some(self.nearest_airfield_code.as_str()).filter(|c| !c.is_empty())
    }
}

/// `SELECT` of every hospital column, followed by the given clause.
macro_rules! select_hospitals {
    ($rest:literal) => {
        concat!(
            "SELECT id, code, name, region_code, lat, lon, profiles, trauma_level, perinatal_level, beds, helipad, ",
            "nearest_airfield_code, version, created_at, updated_at FROM hospitals ",
            $rest
        )
    };
}

/// Which hospitals a list returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HospitalFilter {
    /// Only hospitals of these regions; `None` for every region. An empty list matches nothing.
    pub regions: Option<Vec<String>>,
    /// Only hospitals with this profile.
    pub profile: Option<HospitalProfile>,
}

/// The hospital with this id.
pub async fn by_id<'e>(db: impl Executor<'e, Database = Any>, id: &str) -> Result<Option<HospitalRow>, DbError> {
    let row = sqlx::query(select_hospitals!("WHERE id = $1")).bind(id).fetch_optional(db).await?;
    row.as_ref().map(HospitalRow::from_row).transpose()
}

/// The hospital with this code.
pub async fn by_code<'e>(db: impl Executor<'e, Database = Any>, code: &str) -> Result<Option<HospitalRow>, DbError> {
    let row = sqlx::query(select_hospitals!("WHERE code = $1")).bind(code).fetch_optional(db).await?;
    row.as_ref().map(HospitalRow::from_row).transpose()
}

/// Up to `limit` hospitals matching `filter` whose code sorts after `after`, in code order;
/// one indexed query per region, merged.
pub async fn list(
    db: &sqlx::AnyPool,
    filter: &HospitalFilter,
    after: &str,
    limit: i64,
) -> Result<Vec<HospitalRow>, DbError> {
    let profile = filter.profile.map_or(String::new(), |p| format!("%\"{}\"%", p.as_str()));
    let Some(regions) = &filter.regions else {
        return list_one(db, "", &profile, after, limit).await;
    };
    let mut rows = Vec::new();
    for region in regions {
        rows.extend(list_one(db, region, &profile, after, limit).await?);
    }
    rows.sort_by(|a, b| a.code.cmp(&b.code));
    rows.dedup_by(|a, b| a.id == b.id);
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(rows)
}

async fn list_one(
    db: &sqlx::AnyPool,
    region: &str,
    profile_pattern: &str,
    after: &str,
    limit: i64,
) -> Result<Vec<HospitalRow>, DbError> {
    let rows = sqlx::query(select_hospitals!(
        "WHERE ($1 = '' OR region_code = $1) AND ($2 = '' OR profiles LIKE $2) AND code > $3 ORDER BY code LIMIT $4"
    ))
    .bind(region)
    .bind(profile_pattern)
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter().map(HospitalRow::from_row).collect()
}

#[async_trait::async_trait]
impl Table for HospitalRow {
    type Fields = HospitalFields;
    const ENTITY: &'static str = "hospital";
    const CODE_COLUMN: &'static str = "code";
    const CREATE_RPC: &'static str = "Registry/CreateHospital";
    const UPDATE_RPC: &'static str = "Registry/UpdateHospital";
    const CREATED_EVENT: &'static str = events::HOSPITAL_CREATED;
    const UPDATED_EVENT: &'static str = events::HOSPITAL_UPDATED;

    fn new(id: String, fields: &HospitalFields, version: i64, created_at: Micros, updated_at: Micros) -> Self {
        HospitalRow {
            id,
            code: fields.code.to_string(),
            name: fields.name.clone(),
            region_code: fields.region_code.to_string(),
            lat: fields.position.lat(),
            lon: fields.position.lon(),
            profiles: fields.profiles.iter().map(|p| p.as_str().to_string()).collect(),
            trauma_level: fields.trauma_level.into(),
            perinatal_level: fields.perinatal_level.into(),
            beds: fields.beds.into(),
            helipad: fields.helipad,
            nearest_airfield_code: fields.nearest_airfield_code.as_ref().map(ToString::to_string).unwrap_or_default(),
            version,
            created_at,
            updated_at,
        }
    }
    fn code_of(fields: &HospitalFields) -> &str {
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
            "INSERT INTO hospitals (id, code, name, region_code, lat, lon, profiles, trauma_level, perinatal_level, \
             beds, helipad, nearest_airfield_code, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(&row.id)
        .bind(&row.code)
        .bind(&row.name)
        .bind(&row.region_code)
        .bind(row.lat)
        .bind(row.lon)
        .bind(to_json_list(&row.profiles))
        .bind(row.trauma_level)
        .bind(row.perinatal_level)
        .bind(row.beds)
        .bind(i64::from(row.helipad))
        .bind(row.airfield())
        .bind(row.version)
        .bind(row.created_at)
        .bind(row.updated_at)
        .execute(conn)
        .await?;
        Ok(())
    }
    async fn replace(conn: &mut AnyConnection, row: &Self, current_version: i64) -> Result<bool, DbError> {
        let updated = sqlx::query(
            "UPDATE hospitals SET name = $1, region_code = $2, lat = $3, lon = $4, profiles = $5, trauma_level = $6, \
             perinatal_level = $7, beds = $8, helipad = $9, nearest_airfield_code = $10, version = $11, \
             updated_at = $12 WHERE id = $13 AND version = $14",
        )
        .bind(&row.name)
        .bind(&row.region_code)
        .bind(row.lat)
        .bind(row.lon)
        .bind(to_json_list(&row.profiles))
        .bind(row.trauma_level)
        .bind(row.perinatal_level)
        .bind(row.beds)
        .bind(i64::from(row.helipad))
        .bind(row.airfield())
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
