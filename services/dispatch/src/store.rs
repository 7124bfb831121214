//! The dispatcher's own tables (migrations `0200_dispatch`): units' live state, assignments,
//! open calls as dispatch sees them, region policies and the engine's id counter. Reads build
//! the engine at start; writes run inside the engine task's [`jedel_platform::Tx`], which
//! commits them with their events and audit row. SQL is static and portable (sqlx `Any`).

use std::collections::HashMap;

use jedel_core::RegionCode;
use jedel_core::call::Actor;
use jedel_core::dispatch::{
    Alert, Assignment, AssignmentState, CallRecord, CallView, DispatchPolicy, PolicyRules, Unit, UnitId,
};
use jedel_core::local_time::Micros;
use serde::{Serialize, de::DeserializeOwned};
use sqlx::{Any, AnyConnection, Executor, Row as _};

use crate::error::DispatchServiceError;

/// Who changed a region's policy, when, and its version.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyMeta {
    /// Who last changed it.
    pub updated_by: Actor,
    /// When it was first set.
    pub created_at: Micros,
    /// When it last changed.
    pub updated_at: Micros,
    /// 1 when seeded, +1 on each change.
    pub version: i64,
}

/// Everything the dispatcher stored.
#[derive(Debug, Default)]
pub struct Stored {
    /// Units' live state, by id (their spec as it was when written).
    pub units: HashMap<UnitId, Unit>,
    /// Active assignments.
    pub assignments: Vec<Assignment>,
    /// Open calls with their alert in force.
    pub calls: Vec<CallRecord>,
    /// Region policies.
    pub policies: Vec<(DispatchPolicy, PolicyMeta)>,
    /// Ids the engine minted so far.
    pub ids: u64,
}

fn json<T: Serialize>(value: &T) -> String {
    // Engine records are plain data; serialising them cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

fn parse<T: DeserializeOwned>(what: &'static str, id: &str, text: &str) -> Result<T, DispatchServiceError> {
    serde_json::from_str(text).map_err(|e| DispatchServiceError::corrupt(what, id, e))
}

/// Reads everything the dispatcher stored.
pub async fn load(db: &sqlx::AnyPool) -> Result<Stored, DispatchServiceError> {
    let mut stored = Stored::default();
    for row in sqlx::query("SELECT id, state FROM dispatch_units").fetch_all(db).await? {
        let id: String = row.try_get(0)?;
        let unit: Unit = parse("unit", &id, &row.try_get::<String, _>(1)?)?;
        stored.units.insert(unit.spec.id.clone(), unit);
    }
    for row in sqlx::query("SELECT id, record FROM dispatch_assignments WHERE state = 'active' ORDER BY id")
        .fetch_all(db)
        .await?
    {
        let id: String = row.try_get(0)?;
        stored.assignments.push(parse("assignment", &id, &row.try_get::<String, _>(1)?)?);
    }
    for row in sqlx::query("SELECT id, view, alert FROM dispatch_calls").fetch_all(db).await? {
        let id: String = row.try_get(0)?;
        let view: CallView = parse("call", &id, &row.try_get::<String, _>(1)?)?;
        let alert: Option<String> = row.try_get(2)?;
        let alert: Option<Alert> = alert.map(|a| parse("call", &id, &a)).transpose()?;
        stored.calls.push(CallRecord { view, alert });
    }
    stored.calls.sort_by_key(|c| c.view.seq);
    for row in sqlx::query(
        "SELECT region_code, rules, updated_by_subject, updated_by_role, created_at, updated_at, version \
         FROM dispatch_policies ORDER BY region_code",
    )
    .fetch_all(db)
    .await?
    {
        let code: String = row.try_get(0)?;
        let region = RegionCode::parse(&code).map_err(|e| DispatchServiceError::corrupt("policy", &code, e))?;
        let rules: PolicyRules = parse("policy", &code, &row.try_get::<String, _>(1)?)?;
        let meta = PolicyMeta {
            updated_by: Actor { subject: row.try_get(2)?, role: row.try_get(3)? },
            created_at: row.try_get(4)?,
            updated_at: row.try_get(5)?,
            version: row.try_get(6)?,
        };
        stored.policies.push((DispatchPolicy { region, rules }, meta));
    }
    let ids = sqlx::query("SELECT value FROM dispatch_counters WHERE name = 'ids'").fetch_optional(db).await?;
    stored.ids = ids.map(|r| r.try_get::<i64, _>(0)).transpose()?.unwrap_or(0) as u64;
    Ok(stored)
}

/// The regions that have a stored policy.
pub async fn load_policy_regions<'e>(
    db: impl Executor<'e, Database = Any>,
) -> Result<Vec<RegionCode>, DispatchServiceError> {
    let rows = sqlx::query("SELECT region_code FROM dispatch_policies").fetch_all(db).await?;
    rows.iter()
        .map(|row| {
            let code: String = row.try_get(0)?;
            RegionCode::parse(&code).map_err(|e| DispatchServiceError::corrupt("policy", &code, e))
        })
        .collect()
}

/// Writes a unit's live state.
pub async fn put_unit(conn: &mut AnyConnection, unit: &Unit) -> Result<(), DispatchServiceError> {
    sqlx::query(
        "INSERT INTO dispatch_units (id, status, call_id, state, version, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, call_id = excluded.call_id, state = excluded.state, \
         version = excluded.version, updated_at = excluded.updated_at",
    )
    .bind(unit.spec.id.as_str())
    .bind(unit.status.as_str())
    .bind(unit.call.as_ref().map(|c| c.to_string()))
    .bind(json(unit))
    .bind(unit.version)
    .bind(unit.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets a removed unit.
pub async fn delete_unit(conn: &mut AnyConnection, id: &UnitId) -> Result<(), DispatchServiceError> {
    sqlx::query("DELETE FROM dispatch_units WHERE id = $1").bind(id.as_str()).execute(conn).await?;
    Ok(())
}

fn state_name(state: AssignmentState) -> &'static str {
    match state {
        AssignmentState::Active => "active",
        AssignmentState::Completed => "completed",
        AssignmentState::Released => "released",
        AssignmentState::Reassigned => "reassigned",
        AssignmentState::Redispatched => "redispatched",
        AssignmentState::Cancelled => "cancelled",
    }
}

/// Writes an assignment as it is now.
pub async fn put_assignment(conn: &mut AnyConnection, assignment: &Assignment) -> Result<(), DispatchServiceError> {
    sqlx::query(
        "INSERT INTO dispatch_assignments (id, call_id, unit_id, state, record, created_at, updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, record = excluded.record, \
         updated_at = excluded.updated_at, version = excluded.version",
    )
    .bind(assignment.id.as_str())
    .bind(assignment.call.as_str())
    .bind(assignment.unit.as_str())
    .bind(state_name(assignment.state))
    .bind(json(assignment))
    .bind(assignment.created_at)
    .bind(assignment.updated_at)
    .bind(assignment.version)
    .execute(conn)
    .await?;
    Ok(())
}

/// One assignment, active or ended.
pub async fn assignment<'e>(
    db: impl Executor<'e, Database = Any>,
    id: &str,
) -> Result<Option<Assignment>, DispatchServiceError> {
    let row = sqlx::query("SELECT record FROM dispatch_assignments WHERE id = $1").bind(id).fetch_optional(db).await?;
    row.map(|r| parse("assignment", id, &r.try_get::<String, _>(0)?)).transpose()
}

/// Writes an open call's dispatch view and its alert in force.
pub async fn put_call(
    conn: &mut AnyConnection,
    view: &CallView,
    alert: Option<&Alert>,
    now: Micros,
) -> Result<(), DispatchServiceError> {
    sqlx::query(
        "INSERT INTO dispatch_calls (id, view, alert, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (id) DO UPDATE SET view = excluded.view, alert = excluded.alert, updated_at = excluded.updated_at",
    )
    .bind(view.spec.id.as_str())
    .bind(json(view))
    .bind(alert.map(json))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets an ended call.
pub async fn delete_call(conn: &mut AnyConnection, id: &str) -> Result<(), DispatchServiceError> {
    sqlx::query("DELETE FROM dispatch_calls WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// Writes a region's policy.
pub async fn put_policy(
    conn: &mut AnyConnection,
    policy: &DispatchPolicy,
    meta: &PolicyMeta,
) -> Result<(), DispatchServiceError> {
    sqlx::query(
        "INSERT INTO dispatch_policies (region_code, rules, updated_by_subject, updated_by_role, created_at, \
         updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (region_code) DO UPDATE SET rules = excluded.rules, \
         updated_by_subject = excluded.updated_by_subject, updated_by_role = excluded.updated_by_role, \
         updated_at = excluded.updated_at, version = excluded.version",
    )
    .bind(policy.region.as_str())
    .bind(json(&policy.rules))
    .bind(&meta.updated_by.subject)
    .bind(&meta.updated_by.role)
    .bind(meta.created_at)
    .bind(meta.updated_at)
    .bind(meta.version)
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes the number of ids the engine minted.
pub async fn put_ids(conn: &mut AnyConnection, ids: u64) -> Result<(), DispatchServiceError> {
    sqlx::query(
        "INSERT INTO dispatch_counters (name, value) VALUES ('ids', $1) \
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    )
    .bind(ids as i64)
    .execute(conn)
    .await?;
    Ok(())
}

/// The resource an earlier request with this idempotency key created, if any.
pub async fn claimed<'e>(
    db: impl Executor<'e, Database = Any>,
    scope: &str,
    request_id: &str,
) -> Result<Option<String>, DispatchServiceError> {
    let row = sqlx::query("SELECT resource_id FROM idempotency_keys WHERE scope = $1 AND request_id = $2")
        .bind(scope)
        .bind(request_id)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|r| r.try_get::<String, _>(0)).transpose()?)
}
