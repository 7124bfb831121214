//! The medevac service's storage: requests and taskings here; documents, messages, positions
//! and active alerts in their modules; and `registry`, read-only queries on the registry's
//! tables (aircraft, airlines, contracts, airfields, hospitals, regions). SQL is static and
//! portable across PostgreSQL and SQLite (sqlx `Any`). Writes run inside the caller's
//! [`jedel_platform::Tx`], which commits them together with their events and audit row.
//! Lists that filter by several values pass them as `,a,b,` and match with `LIKE`, so the
//! SQL stays static.

pub mod alerts;
pub mod documents;
pub mod messages;
pub mod positions;
pub mod registry;

use jedel_core::local_time::Micros;
use jedel_platform::db::DbError;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, Row as _};

use crate::error::MedevacError;
use crate::model::{Personal, Request, Tasking};

/// `,a,b,` for a list matched with `LIKE '%,' || column || ',%'`; `*` for "any" (`None`).
pub fn list_param(items: Option<&[String]>) -> String {
    match items {
        None => "*".to_string(),
        Some(items) => format!(",{},", items.join(",")),
    }
}

/// `,a,b,` for a filter that is "any" when empty.
pub fn filter_param(items: &[&str]) -> String {
    if items.is_empty() { String::new() } else { format!(",{},", items.join(",")) }
}

fn corrupt(entity: &'static str, id: &str, e: impl ToString) -> MedevacError {
    MedevacError::Corrupt { entity, id: id.to_string(), reason: e.to_string() }
}

fn request_from_row(row: &AnyRow) -> Result<Request, MedevacError> {
    let id: String = row.try_get("id")?;
    let state: String = row.try_get("state")?;
    let personal: String = row.try_get("personal")?;
    let mut request: Request = serde_json::from_str(&state).map_err(|e| corrupt("request", &id, e))?;
    request.personal = serde_json::from_str(&personal).map_err(|e| corrupt("request", &id, e))?;
    Ok(request)
}

fn json<T: serde::Serialize>(entity: &'static str, id: &str, value: &T) -> Result<String, MedevacError> {
    serde_json::to_string(value).map_err(|e| corrupt(entity, id, e))
}

fn personal_json(request: &Request) -> Result<String, MedevacError> {
    json::<Personal>("request", &request.id, &request.personal)
}

/// The request with this id.
pub async fn request<'e>(db: impl Executor<'e, Database = Any>, id: &str) -> Result<Option<Request>, MedevacError> {
    let row = sqlx::query("SELECT id, state, personal FROM medevac_requests WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.as_ref().map(request_from_row).transpose()
}

/// The UTC offset (minutes) of a region, or `None` when the region does not exist.
pub async fn region_offset<'e>(db: impl Executor<'e, Database = Any>, code: &str) -> Result<Option<i32>, MedevacError> {
    let row =
        sqlx::query("SELECT utc_offset_minutes FROM regions WHERE code = $1").bind(code).fetch_optional(db).await?;
    Ok(row.map(|r| r.try_get::<i64, _>(0)).transpose()?.map(|m| m as i32))
}

/// Writes a new request.
pub async fn insert_request(conn: &mut AnyConnection, request: &Request) -> Result<(), MedevacError> {
    sqlx::query(
        "INSERT INTO medevac_requests (id, number, region_code, status, urgency, current_tasking_id, state, \
         personal, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&request.id)
    .bind(&request.number)
    .bind(&request.region_code)
    .bind(request.status().as_str())
    .bind(request.details.urgency.map_or("", |u| u.as_str()))
    .bind(request.current_tasking_id.clone())
    .bind(json("request", &request.id, request)?)
    .bind(personal_json(request)?)
    .bind(request.created_at)
    .bind(request.updated_at)
    .bind(request.version)
    .execute(conn)
    .await
    .map_err(DbError::from)?;
    Ok(())
}

/// Writes a changed request (its `version` already incremented) over the row still at
/// `version - 1`; a concurrent change in between is a version mismatch.
pub async fn update_request(conn: &mut AnyConnection, request: &Request) -> Result<(), MedevacError> {
    let updated = sqlx::query(
        "UPDATE medevac_requests SET status = $1, urgency = $2, current_tasking_id = $3, state = $4, personal = $5, \
         updated_at = $6, version = $7 WHERE id = $8 AND version = $9",
    )
    .bind(request.status().as_str())
    .bind(request.details.urgency.map_or("", |u| u.as_str()))
    .bind(request.current_tasking_id.clone())
    .bind(json("request", &request.id, request)?)
    .bind(personal_json(request)?)
    .bind(request.updated_at)
    .bind(request.version)
    .bind(&request.id)
    .bind(request.version - 1)
    .execute(&mut *conn)
    .await
    .map_err(DbError::from)?
    .rows_affected();
    if updated != 1 {
        let current = self::request(conn, &request.id).await?.map_or(0, |r| r.version);
        return Err(MedevacError::VersionMismatch { id: request.id.clone(), expected: request.version - 1, current });
    }
    Ok(())
}

/// What a list of requests is filtered by; each list is "any" when empty.
#[derive(Debug, Default)]
pub struct RequestFilter {
    /// Regions; `None` = every region.
    pub regions: Option<Vec<String>>,
    /// Statuses (snake_case).
    pub statuses: Vec<&'static str>,
    /// Urgencies (snake_case).
    pub urgencies: Vec<&'static str>,
    /// Leave drafts out (the national centre does not see them).
    pub without_drafts: bool,
    /// Leave final requests out.
    pub open_only: bool,
    /// Created at or after.
    pub from: Micros,
    /// Created before.
    pub to: Micros,
}

/// Where a page starts: after the record with this time and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct After {
    /// The time the list is ordered by.
    pub at: Micros,
    /// The id, breaking ties.
    pub id: String,
}

/// Up to `limit` requests matching `filter` after `after`, newest first.
pub async fn list_requests<'e>(
    db: impl Executor<'e, Database = Any>,
    filter: &RequestFilter,
    after: Option<&After>,
    limit: i64,
) -> Result<Vec<Request>, MedevacError> {
    let (after_at, after_id) = after.map_or((Micros::MAX, String::new()), |a| (a.at, a.id.clone()));
    let rows = sqlx::query(
        "SELECT id, state, personal FROM medevac_requests \
         WHERE ($1 = '*' OR $1 LIKE ('%,' || region_code || ',%')) \
         AND ($2 = '' OR $2 LIKE ('%,' || status || ',%')) \
         AND ($3 = '' OR $3 LIKE ('%,' || urgency || ',%')) \
         AND ($4 = 0 OR status <> 'draft') \
         AND ($5 = 0 OR status NOT IN ('rejected', 'completed', 'cancelled')) \
         AND created_at >= $6 AND created_at < $7 \
         AND (created_at < $8 OR (created_at = $8 AND id < $9)) \
         ORDER BY created_at DESC, id DESC LIMIT $10",
    )
    .bind(list_param(filter.regions.as_deref()))
    .bind(filter_param(&filter.statuses))
    .bind(filter_param(&filter.urgencies))
    .bind(i64::from(filter.without_drafts))
    .bind(i64::from(filter.open_only))
    .bind(filter.from)
    .bind(filter.to)
    .bind(after_at)
    .bind(after_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter().map(request_from_row).collect()
}

fn tasking_from_row(row: &AnyRow) -> Result<Tasking, MedevacError> {
    let id: String = row.try_get("id")?;
    let state: String = row.try_get("state")?;
    serde_json::from_str(&state).map_err(|e| corrupt("tasking", &id, e))
}

/// The tasking with this id.
pub async fn tasking<'e>(db: impl Executor<'e, Database = Any>, id: &str) -> Result<Option<Tasking>, MedevacError> {
    let row = sqlx::query("SELECT id, state FROM medevac_taskings WHERE id = $1").bind(id).fetch_optional(db).await?;
    row.as_ref().map(tasking_from_row).transpose()
}

/// Writes a new tasking.
pub async fn insert_tasking(conn: &mut AnyConnection, tasking: &Tasking) -> Result<(), MedevacError> {
    sqlx::query(
        "INSERT INTO medevac_taskings (id, medevac_request_id, region_code, airline_code, aircraft_registration, \
         status, offered, state, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&tasking.id)
    .bind(&tasking.medevac_request_id)
    .bind(&tasking.region_code)
    .bind(&tasking.airline_code)
    .bind(&tasking.aircraft_registration)
    .bind(tasking.status.as_str())
    .bind(i64::from(tasking.offered()))
    .bind(json("tasking", &tasking.id, tasking)?)
    .bind(tasking.created_at)
    .bind(tasking.updated_at)
    .bind(tasking.version)
    .execute(conn)
    .await
    .map_err(DbError::from)?;
    Ok(())
}

/// Writes a changed tasking (its `version` already incremented) over the row still at
/// `version - 1`.
pub async fn update_tasking(conn: &mut AnyConnection, tasking: &Tasking) -> Result<(), MedevacError> {
    let updated = sqlx::query(
        "UPDATE medevac_taskings SET status = $1, offered = $2, state = $3, updated_at = $4, version = $5 \
         WHERE id = $6 AND version = $7",
    )
    .bind(tasking.status.as_str())
    .bind(i64::from(tasking.offered()))
    .bind(json("tasking", &tasking.id, tasking)?)
    .bind(tasking.updated_at)
    .bind(tasking.version)
    .bind(&tasking.id)
    .bind(tasking.version - 1)
    .execute(&mut *conn)
    .await
    .map_err(DbError::from)?
    .rows_affected();
    if updated != 1 {
        return Err(MedevacError::Precondition(format!(
            "tasking {} changed meanwhile; re-read the request and retry",
            tasking.id
        )));
    }
    Ok(())
}

/// An open tasking (chosen, offered or accepted) of `registration` for another request than
/// `request_id`, if any: the aircraft is spoken for.
pub async fn open_tasking_of_aircraft<'e>(
    db: impl Executor<'e, Database = Any>,
    registration: &str,
    request_id: &str,
) -> Result<Option<Tasking>, MedevacError> {
    let row = sqlx::query(
        "SELECT id, state FROM medevac_taskings WHERE aircraft_registration = $1 AND medevac_request_id <> $2 \
         AND status IN ('chosen', 'offered', 'accepted') ORDER BY created_at DESC LIMIT 1",
    )
    .bind(registration)
    .bind(request_id)
    .fetch_optional(db)
    .await?;
    row.as_ref().map(tasking_from_row).transpose()
}

/// Whether `airline` has been offered a tasking for `request_id` (and so has a thread).
pub async fn airline_was_offered<'e>(
    db: impl Executor<'e, Database = Any>,
    request_id: &str,
    airline: &str,
) -> Result<bool, MedevacError> {
    let row = sqlx::query(
        "SELECT COUNT(*) FROM medevac_taskings WHERE medevac_request_id = $1 AND airline_code = $2 AND offered = 1",
    )
    .bind(request_id)
    .bind(airline)
    .fetch_one(db)
    .await?;
    Ok(row.try_get::<i64, _>(0)? > 0)
}

/// The accepted tasking `registration` flies now, if any (the tasking a tracker's positions
/// belong to).
pub async fn flying_tasking_of_aircraft<'e>(
    db: impl Executor<'e, Database = Any>,
    registration: &str,
) -> Result<Option<Tasking>, MedevacError> {
    let row = sqlx::query(
        "SELECT id, state FROM medevac_taskings WHERE aircraft_registration = $1 AND status = 'accepted' \
         ORDER BY created_at DESC LIMIT 1",
    )
    .bind(registration)
    .fetch_optional(db)
    .await?;
    row.as_ref().map(tasking_from_row).transpose()
}

/// Every accepted tasking: the flights being followed.
pub async fn accepted_taskings<'e>(db: impl Executor<'e, Database = Any>) -> Result<Vec<Tasking>, MedevacError> {
    let rows = sqlx::query("SELECT id, state FROM medevac_taskings WHERE status = 'accepted' ORDER BY created_at, id")
        .fetch_all(db)
        .await?;
    rows.iter().map(tasking_from_row).collect()
}

/// What a list of taskings is filtered by.
#[derive(Debug, Default)]
pub struct TaskingFilter {
    /// Regions; `None` = every region.
    pub regions: Option<Vec<String>>,
    /// Only this airline.
    pub airline: Option<String>,
    /// Only offered ones (what an airline may see).
    pub offered_only: bool,
    /// Only this request's.
    pub request_id: Option<String>,
    /// Statuses (snake_case).
    pub statuses: Vec<&'static str>,
    /// Created at or after.
    pub from: Micros,
    /// Created before.
    pub to: Micros,
}

/// Up to `limit` taskings matching `filter` after `after`, newest first.
pub async fn list_taskings<'e>(
    db: impl Executor<'e, Database = Any>,
    filter: &TaskingFilter,
    after: Option<&After>,
    limit: i64,
) -> Result<Vec<Tasking>, MedevacError> {
    let (after_at, after_id) = after.map_or((Micros::MAX, String::new()), |a| (a.at, a.id.clone()));
    let rows = sqlx::query(
        "SELECT id, state FROM medevac_taskings \
         WHERE ($1 = '*' OR $1 LIKE ('%,' || region_code || ',%')) \
         AND ($2 = '' OR airline_code = $2) \
         AND ($3 = 0 OR offered = 1) \
         AND ($4 = '' OR medevac_request_id = $4) \
         AND ($5 = '' OR $5 LIKE ('%,' || status || ',%')) \
         AND created_at >= $6 AND created_at < $7 \
         AND (created_at < $8 OR (created_at = $8 AND id < $9)) \
         ORDER BY created_at DESC, id DESC LIMIT $10",
    )
    .bind(list_param(filter.regions.as_deref()))
    .bind(filter.airline.clone().unwrap_or_default())
    .bind(i64::from(filter.offered_only))
    .bind(filter.request_id.clone().unwrap_or_default())
    .bind(filter_param(&filter.statuses))
    .bind(filter.from)
    .bind(filter.to)
    .bind(after_at)
    .bind(after_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter().map(tasking_from_row).collect()
}
