//! Calls as Intake keeps them, read from its `calls` table (read-only SQL; Intake owns it), and
//! turned into what the engine dispatches: a [`CallSpec`] for every open call that has a
//! category, a deadline and a scene position. The scene's area type is the nearest station's.

use jedel_core::dispatch::{CallId, CallSpec, EquipmentSet};
use jedel_core::{CallStatus, LatLon, RegionCode};
use jedel_intake::model::Call;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row as _};

use crate::error::DispatchServiceError;
use crate::reference::{Station, nearest};

fn call_from_row(row: &AnyRow) -> Result<Call, DispatchServiceError> {
    let id: String = row.try_get("id")?;
    let state: String = row.try_get("state")?;
    serde_json::from_str(&state).map_err(|e| DispatchServiceError::corrupt("call", id, e))
}

/// Every call still being worked (not closed, cancelled or linked).
pub async fn open_calls<'e>(db: impl Executor<'e, Database = Any>) -> Result<Vec<Call>, DispatchServiceError> {
    sqlx::query(
        "SELECT id, state FROM calls WHERE status NOT IN ('closed', 'cancelled', 'linked') \
         ORDER BY received_at, id",
    )
    .fetch_all(db)
    .await?
    .iter()
    .map(call_from_row)
    .collect()
}

/// One call by id, whatever its status.
pub async fn by_id<'e>(db: impl Executor<'e, Database = Any>, id: &str) -> Result<Option<Call>, DispatchServiceError> {
    let row = sqlx::query("SELECT id, state FROM calls WHERE id = $1").bind(id).fetch_optional(db).await?;
    row.as_ref().map(call_from_row).transpose()
}

/// What the engine dispatches for `call`, or `None` when there is nothing to dispatch yet
/// (no category, deadline or position) or any more (the call ended).
pub fn spec(call: &Call, stations: &[Station]) -> Option<CallSpec> {
    if call.status().is_terminal() {
        return None;
    }
    let category = call.category?;
    let deadline_at = call.deadline_at.filter(|d| *d > call.received_at)?;
    let position = call.position.and_then(|p| LatLon::parse(p.lat, p.lon).ok())?;
    let area = nearest(stations, position).map_or(jedel_core::dispatch::AreaType::City, |s| s.area);
    Some(CallSpec {
        id: CallId::parse(&call.id).ok()?,
        number: call.number.clone(),
        region: RegionCode::parse(&call.region_code).ok()?,
        category,
        position,
        area,
        received_at: call.received_at,
        deadline_at,
        equipment: EquipmentSet::EMPTY,
    })
}

/// Whether an ended call was cancelled (or linked) rather than closed with an outcome.
pub fn cancelled(call: &Call) -> bool {
    call.status() != CallStatus::Closed
}
