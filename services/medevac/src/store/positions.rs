//! Flight positions, by request and tasking, ordered by the time they were measured.

use jedel_core::local_time::Micros;
use jedel_core::medevac::PositionSource;
use jedel_platform::db::DbError;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, Row as _};

use crate::error::MedevacError;
use crate::model::{Point, Position};

/// The most positions one track returns.
pub const MAX_TRACK: i64 = 20_000;

/// `SELECT` of the columns a position is read from, followed by the given clause.
macro_rules! select_positions {
    ($rest:literal) => {
        concat!(
            "SELECT id, medevac_request_id, tasking_id, aircraft_registration, lat, lon, altitude_m, ",
            "ground_speed_kmh, recorded_at, source FROM medevac_positions ",
            $rest
        )
    };
}

fn position_from_row(row: &AnyRow) -> Result<Position, MedevacError> {
    let source: String = row.try_get("source")?;
    let id: String = row.try_get("id")?;
    Ok(Position {
        aircraft_registration: row.try_get("aircraft_registration")?,
        medevac_request_id: row.try_get("medevac_request_id")?,
        tasking_id: row.try_get("tasking_id")?,
        point: Point { lat: row.try_get("lat")?, lon: row.try_get("lon")? },
        altitude_m: row.try_get("altitude_m")?,
        ground_speed_kmh: row.try_get("ground_speed_kmh")?,
        recorded_at: row.try_get("recorded_at")?,
        source: PositionSource::parse(&source).ok_or_else(|| MedevacError::Corrupt {
            entity: "position",
            id,
            reason: format!("unknown source {source}"),
        })?,
    })
}

/// Writes a position received at `received_at`.
pub async fn insert(conn: &mut AnyConnection, position: &Position, received_at: Micros) -> Result<(), MedevacError> {
    sqlx::query(
        "INSERT INTO medevac_positions (id, medevac_request_id, tasking_id, aircraft_registration, lat, lon, \
         altitude_m, ground_speed_kmh, recorded_at, source, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&position.medevac_request_id)
    .bind(&position.tasking_id)
    .bind(&position.aircraft_registration)
    .bind(position.point.lat)
    .bind(position.point.lon)
    .bind(position.altitude_m)
    .bind(position.ground_speed_kmh)
    .bind(position.recorded_at)
    .bind(position.source.as_str())
    .bind(received_at)
    .execute(conn)
    .await
    .map_err(DbError::from)?;
    Ok(())
}

/// The positions recorded for a request (only `airline`'s aircraft when given), by
/// measurement time, at most [`MAX_TRACK`] (the latest ones).
pub async fn track<'e>(
    db: impl Executor<'e, Database = Any>,
    request_id: &str,
    taskings: Option<&[String]>,
) -> Result<Vec<Position>, MedevacError> {
    let rows = sqlx::query(select_positions!(
        "WHERE medevac_request_id = $1 AND ($2 = '*' OR $2 LIKE ('%,' || tasking_id || ',%')) \
         ORDER BY recorded_at DESC, id DESC LIMIT $3"
    ))
    .bind(request_id)
    .bind(super::list_param(taskings))
    .bind(MAX_TRACK)
    .fetch_all(db)
    .await?;
    let mut positions: Vec<Position> = rows.iter().map(position_from_row).collect::<Result<_, _>>()?;
    positions.reverse();
    Ok(positions)
}

/// The latest position of a tasking, by measurement time.
pub async fn last_of_tasking<'e>(
    db: impl Executor<'e, Database = Any>,
    tasking_id: &str,
) -> Result<Option<Position>, MedevacError> {
    let row = sqlx::query(select_positions!("WHERE tasking_id = $1 ORDER BY recorded_at DESC, id DESC LIMIT 1"))
        .bind(tasking_id)
        .fetch_optional(db)
        .await?;
    row.as_ref().map(position_from_row).transpose()
}
