//! Calls in the `calls` table: reads, the candidate queries for duplicates and repeats, the
//! keyset-paged list, and the writes (insert, version-guarded update, the per-region per-day
//! number sequence). SQL is static and portable across PostgreSQL and SQLite (sqlx `Any`).
//! Writes run inside the caller's [`jedel_platform::Tx`], which commits them together with
//! their events and audit row.

use jedel_core::duplicates::BoundingBox;
use jedel_core::local_time::Micros;
use jedel_platform::db::DbError;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, Row as _};

use crate::error::IntakeError;
use crate::model::{Call, Personal};

/// `SELECT` of the columns a call is read from, followed by the given clause.
macro_rules! select_calls {
    ($rest:literal) => {
        concat!(
            "SELECT id, state, caller_phone, caller_name, patient_iin, patient_name, patient_birth_date, complaint ",
            "FROM calls ",
            $rest
        )
    };
}

/// The SQL condition "the call is still being worked" (not closed, cancelled or linked).
macro_rules! open_only {
    () => {
        "status NOT IN ('closed', 'cancelled', 'linked')"
    };
}

fn call_from_row(row: &AnyRow) -> Result<Call, IntakeError> {
    let id: String = row.try_get("id")?;
    let state: String = row.try_get("state")?;
    let mut call: Call =
        serde_json::from_str(&state).map_err(|e| IntakeError::Corrupt { id: id.clone(), reason: e.to_string() })?;
    call.personal = Personal {
        caller_phone: row.try_get("caller_phone")?,
        caller_name: row.try_get("caller_name")?,
        patient_iin: row.try_get("patient_iin")?,
        patient_name: row.try_get("patient_name")?,
        patient_birth_date: row.try_get("patient_birth_date")?,
        complaint: row.try_get("complaint")?,
    };
    Ok(call)
}

fn state_json(call: &Call) -> Result<String, IntakeError> {
    serde_json::to_string(call).map_err(|e| IntakeError::Corrupt { id: call.id.clone(), reason: e.to_string() })
}

/// The call with this id.
pub async fn by_id<'e>(db: impl Executor<'e, Database = Any>, id: &str) -> Result<Option<Call>, IntakeError> {
    let row = sqlx::query(select_calls!("WHERE id = $1")).bind(id).fetch_optional(db).await?;
    row.as_ref().map(call_from_row).transpose()
}

/// The UTC offset (minutes) of a region's time zone, or `None` when the region does not exist.
pub async fn region_offset<'e>(db: impl Executor<'e, Database = Any>, code: &str) -> Result<Option<i32>, IntakeError> {
    let row =
        sqlx::query("SELECT utc_offset_minutes FROM regions WHERE code = $1").bind(code).fetch_optional(db).await?;
    Ok(row.map(|r| r.try_get::<i64, _>(0)).transpose()?.map(|m| m as i32))
}

/// Writes a new call.
pub async fn insert(conn: &mut AnyConnection, call: &Call) -> Result<(), IntakeError> {
    let state = state_json(call)?;
    sqlx::query(
        "INSERT INTO calls (id, number, region_code, status, category, received_at, deadline_at, caller_phone, \
         lat, lon, response_standard_id, duplicate_of_id, repeat_of_id, state, caller_name, patient_iin, \
         patient_name, patient_birth_date, complaint, created_at, updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)",
    )
    .bind(&call.id)
    .bind(&call.number)
    .bind(&call.region_code)
    .bind(call.status().as_str())
    .bind(call.category.map_or(0, |c| i64::from(c.number())))
    .bind(call.received_at)
    .bind(call.deadline_at)
    .bind(&call.personal.caller_phone)
    .bind(call.position.map(|p| p.lat))
    .bind(call.position.map(|p| p.lon))
    .bind(&call.response_standard_id)
    .bind(call.duplicate_of_id.clone())
    .bind(call.repeat_of_id.clone())
    .bind(state)
    .bind(&call.personal.caller_name)
    .bind(&call.personal.patient_iin)
    .bind(&call.personal.patient_name)
    .bind(&call.personal.patient_birth_date)
    .bind(&call.personal.complaint)
    .bind(call.created_at)
    .bind(call.updated_at)
    .bind(call.version)
    .execute(conn)
    .await
    .map_err(DbError::from)?;
    Ok(())
}

/// Writes a changed call (its `version` already incremented) over the row still at
/// `version - 1`; a concurrent change in between is a version mismatch.
pub async fn update(conn: &mut AnyConnection, call: &Call) -> Result<(), IntakeError> {
    let state = state_json(call)?;
    let updated = sqlx::query(
        "UPDATE calls SET status = $1, category = $2, deadline_at = $3, caller_phone = $4, lat = $5, lon = $6, \
         duplicate_of_id = $7, repeat_of_id = $8, state = $9, caller_name = $10, patient_iin = $11, \
         patient_name = $12, patient_birth_date = $13, complaint = $14, updated_at = $15, version = $16 \
         WHERE id = $17 AND version = $18",
    )
    .bind(call.status().as_str())
    .bind(call.category.map_or(0, |c| i64::from(c.number())))
    .bind(call.deadline_at)
    .bind(&call.personal.caller_phone)
    .bind(call.position.map(|p| p.lat))
    .bind(call.position.map(|p| p.lon))
    .bind(call.duplicate_of_id.clone())
    .bind(call.repeat_of_id.clone())
    .bind(state)
    .bind(&call.personal.caller_name)
    .bind(&call.personal.patient_iin)
    .bind(&call.personal.patient_name)
    .bind(&call.personal.patient_birth_date)
    .bind(&call.personal.complaint)
    .bind(call.updated_at)
    .bind(call.version)
    .bind(&call.id)
    .bind(call.version - 1)
    .execute(&mut *conn)
    .await
    .map_err(DbError::from)?
    .rows_affected();
    if updated != 1 {
        let current = by_id(conn, &call.id).await?.map_or(0, |c| c.version);
        return Err(IntakeError::VersionMismatch { id: call.id.clone(), expected: call.version - 1, current });
    }
    Ok(())
}

/// Open calls of `region` (other than `exclude`) received in `from..=to` whose scene lies in
/// `area`: the candidates a duplicate check then measures exactly.
pub async fn open_calls_near<'e>(
    db: impl Executor<'e, Database = Any>,
    region: &str,
    exclude: &str,
    from: Micros,
    to: Micros,
    area: &BoundingBox,
) -> Result<Vec<Call>, IntakeError> {
    let rows = sqlx::query(concat!(
        select_calls!("WHERE region_code = $1 AND id <> $2 AND received_at >= $3 AND received_at <= $4 "),
        "AND lat >= $5 AND lat <= $6 AND lon >= $7 AND lon <= $8 AND ",
        open_only!(),
        " ORDER BY received_at DESC LIMIT 100"
    ))
    .bind(region)
    .bind(exclude)
    .bind(from)
    .bind(to)
    .bind(area.min_lat)
    .bind(area.max_lat)
    .bind(area.min_lon)
    .bind(area.max_lon)
    .fetch_all(db)
    .await?;
    rows.iter().map(call_from_row).collect()
}

/// Open calls of `region` (other than `exclude`) from `phone`, newest first.
pub async fn open_calls_from<'e>(
    db: impl Executor<'e, Database = Any>,
    region: &str,
    phone: &str,
    exclude: &str,
) -> Result<Vec<Call>, IntakeError> {
    let rows = sqlx::query(concat!(
        select_calls!("WHERE caller_phone = $1 AND region_code = $2 AND id <> $3 "),
        "AND ",
        open_only!(),
        " ORDER BY received_at DESC LIMIT 20"
    ))
    .bind(phone)
    .bind(region)
    .bind(exclude)
    .fetch_all(db)
    .await?;
    rows.iter().map(call_from_row).collect()
}

/// What a list of calls is filtered by; each list is "any" when empty.
#[derive(Debug, Default)]
pub struct CallFilter {
    /// Regions; `None` = every region.
    pub regions: Option<Vec<String>>,
    /// Effective categories 1–4.
    pub categories: Vec<u8>,
    /// Statuses (snake_case).
    pub statuses: Vec<&'static str>,
    /// Received at or after.
    pub from: Micros,
    /// Received before.
    pub to: Micros,
}

/// Where a page starts: after the call with this reception time and id (newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct After {
    /// Reception time of the last call of the previous page.
    pub received_at: Micros,
    /// Its id.
    pub id: String,
}

/// Up to `limit` calls matching `filter` after `after`, newest received first.
pub async fn list<'e>(
    db: impl Executor<'e, Database = Any>,
    filter: &CallFilter,
    after: Option<&After>,
    limit: i64,
) -> Result<Vec<Call>, IntakeError> {
    // Lists are passed as ",a,b," and matched with LIKE, so the SQL stays static.
    let join = |items: Vec<String>| if items.is_empty() { String::new() } else { format!(",{},", items.join(",")) };
    let regions = match &filter.regions {
        None => "*".to_string(),
        Some(list) => join(list.clone()),
    };
    let categories = join(filter.categories.iter().map(u8::to_string).collect());
    let statuses = join(filter.statuses.iter().map(|s| s.to_string()).collect());
    let (after_at, after_id) = after.map_or((Micros::MAX, String::new()), |a| (a.received_at, a.id.clone()));
    let rows = sqlx::query(concat!(
        select_calls!("WHERE ($1 = '*' OR $1 LIKE ('%,' || region_code || ',%')) "),
        "AND ($2 = '' OR $2 LIKE ('%,' || CAST(category AS TEXT) || ',%')) ",
        "AND ($3 = '' OR $3 LIKE ('%,' || status || ',%')) ",
        "AND received_at >= $4 AND received_at < $5 ",
        "AND (received_at < $6 OR (received_at = $6 AND id < $7)) ",
        "ORDER BY received_at DESC, id DESC LIMIT $8"
    ))
    .bind(regions)
    .bind(categories)
    .bind(statuses)
    .bind(filter.from)
    .bind(filter.to)
    .bind(after_at)
    .bind(after_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter().map(call_from_row).collect()
}

/// The personal data of a call, for completing an event's snapshot.
pub async fn personal<'e>(db: impl Executor<'e, Database = Any>, id: &str) -> Result<Option<Personal>, IntakeError> {
    Ok(by_id(db, id).await?.map(|c| c.personal))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_open_filter_names_every_terminal_status() {
        for status in jedel_core::CallStatus::ALL {
            assert_eq!(open_only!().contains(&format!("'{}'", status.as_str())), status.is_terminal(), "{status}");
        }
    }
}
