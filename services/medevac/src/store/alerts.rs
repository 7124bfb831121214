//! The flight-following alerts raised and not yet cleared, one row per tasking and kind. A
//! raise inserts the row and a clear deletes it, each in the transaction of its event.

use jedel_core::medevac::Milestone;
use jedel_core::medevac::alerts::{ActiveAlert, AlertKind};
use jedel_platform::db::DbError;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, Row as _};

use crate::error::MedevacError;
use crate::model::Alert;

fn alert_from_row(row: &AnyRow) -> Result<Alert, MedevacError> {
    let tasking_id: String = row.try_get("tasking_id")?;
    let kind: String = row.try_get("kind")?;
    let milestone: String = row.try_get("milestone")?;
    let corrupt = |what: &str| MedevacError::Corrupt {
        entity: "flight alert",
        id: tasking_id.clone(),
        reason: format!("unknown {what}"),
    };
    Ok(Alert {
        kind: AlertKind::parse(&kind).ok_or_else(|| corrupt("kind"))?,
        cleared: false,
        milestone: match milestone.as_str() {
            "" => None,
            m => Some(Milestone::parse(m).ok_or_else(|| corrupt("milestone"))?),
        },
        medevac_request_id: row.try_get("medevac_request_id")?,
        region_code: row.try_get("region_code")?,
        airline_code: row.try_get("airline_code")?,
        aircraft_registration: row.try_get("aircraft_registration")?,
        threshold: row.try_get("threshold_us")?,
        lag: row.try_get("lag_us")?,
        last_position: None,
        at: row.try_get("raised_at")?,
        tasking_id,
    })
}

/// Every active alert, oldest first.
pub async fn active<'e>(db: impl Executor<'e, Database = Any>) -> Result<Vec<Alert>, MedevacError> {
    let rows = sqlx::query(
        "SELECT tasking_id, kind, milestone, medevac_request_id, region_code, airline_code, aircraft_registration, \
         threshold_us, lag_us, raised_at FROM medevac_flight_alerts ORDER BY raised_at, tasking_id, kind",
    )
    .fetch_all(db)
    .await?;
    rows.iter().map(alert_from_row).collect()
}

/// The key of an active alert, as the core rule compares them.
pub fn key(alert: &Alert) -> ActiveAlert {
    ActiveAlert { tasking_id: alert.tasking_id.clone(), kind: alert.kind, milestone: alert.milestone }
}

/// Records a raised alert; false when another process raised it first.
pub async fn insert(conn: &mut AnyConnection, alert: &Alert) -> Result<bool, MedevacError> {
    let inserted = sqlx::query(
        "INSERT INTO medevac_flight_alerts (tasking_id, kind, milestone, medevac_request_id, region_code, \
         airline_code, aircraft_registration, threshold_us, lag_us, raised_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (tasking_id, kind) DO NOTHING",
    )
    .bind(&alert.tasking_id)
    .bind(alert.kind.as_str())
    .bind(alert.milestone.map_or("", |m| m.as_str()))
    .bind(&alert.medevac_request_id)
    .bind(&alert.region_code)
    .bind(&alert.airline_code)
    .bind(&alert.aircraft_registration)
    .bind(alert.threshold)
    .bind(alert.lag)
    .bind(alert.at)
    .execute(conn)
    .await
    .map_err(DbError::from)?
    .rows_affected();
    Ok(inserted == 1)
}

/// Removes a cleared alert; false when another process cleared it first.
pub async fn delete(conn: &mut AnyConnection, tasking_id: &str, kind: AlertKind) -> Result<bool, MedevacError> {
    let deleted = sqlx::query("DELETE FROM medevac_flight_alerts WHERE tasking_id = $1 AND kind = $2")
        .bind(tasking_id)
        .bind(kind.as_str())
        .execute(conn)
        .await
        .map_err(DbError::from)?
        .rows_affected();
    Ok(deleted == 1)
}
