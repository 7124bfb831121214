//! Where the latest position of each unit is kept between restarts. Positions are not state
//! changes: no event, no audit row. The engine task keeps every accepted fix in memory and hands
//! the latest one per unit to a writer task every few seconds (throttled write-through):
//! - to Redis when the deployment has one: `GEOADD <prefix>:dispatch:positions lon lat unit` for
//!   nearby searches by other tools, and the whole fix as JSON in the hash
//!   `<prefix>:dispatch:fixes`;
//! - otherwise to the `dispatch_unit_positions` table. These bookkeeping upserts go through
//!   the platform's writer pool (on SQLite the one writer connection, so they queue with the
//!   audited changes instead of fighting them for the write lock), as multi-row upserts of a
//!   few hundred fixes, so a change waits for one chunk at most.

use std::collections::HashMap;
use std::time::Duration;

use jedel_core::LatLon;
use jedel_core::dispatch::{Fix, UnitId};
use jedel_platform::Db;
use jedel_platform::time::now_micros;
use redis::aio::ConnectionManager;
use sqlx::Row as _;
use tokio::sync::mpsc;
use tracing::warn;

use crate::error::DispatchServiceError;

/// How often the latest fixes are written (and streamed to WatchUnits with positions).
pub const FLUSH_EVERY: Duration = Duration::from_secs(2);

/// Fixes upserted per statement (and transaction) in the table.
const SQL_CHUNK: usize = 250;

/// Where positions are kept.
#[derive(Clone)]
pub enum PositionStore {
    /// The `dispatch_unit_positions` table.
    Sql(Db),
    /// Redis: a geo set and a hash of fixes under the deployment's prefix.
    Redis {
        /// The connection (reconnects by itself).
        conn: ConnectionManager,
        /// `<prefix>:dispatch:positions`.
        geo_key: String,
        /// `<prefix>:dispatch:fixes`.
        fixes_key: String,
    },
}

impl PositionStore {
    /// The Redis store when a URL is given, else the table.
    pub async fn connect(db: Db, redis: Option<(&str, &str)>) -> Result<PositionStore, DispatchServiceError> {
        let Some((url, prefix)) = redis else { return Ok(PositionStore::Sql(db)) };
        let conn = redis::Client::open(url)?.get_connection_manager().await?;
        Ok(PositionStore::Redis {
            conn,
            geo_key: format!("{prefix}:dispatch:positions"),
            fixes_key: format!("{prefix}:dispatch:fixes"),
        })
    }

    /// The latest stored fix of every unit that has one.
    pub async fn load(&self) -> Result<HashMap<UnitId, Fix>, DispatchServiceError> {
        let mut fixes = HashMap::new();
        match self {
            PositionStore::Sql(db) => {
                let rows = sqlx::query(
                    "SELECT unit_id, lat, lon, recorded_at, speed_kmh, heading_deg FROM dispatch_unit_positions",
                )
                .fetch_all(db.reader())
                .await?;
                for row in rows {
                    let id: String = row.try_get(0)?;
                    let (Ok(unit), Ok(position)) =
                        (UnitId::parse(&id), LatLon::parse(row.try_get(1)?, row.try_get(2)?))
                    else {
                        continue;
                    };
                    let fix = Fix {
                        position,
                        recorded_at: row.try_get(3)?,
                        speed_kmh: row.try_get(4)?,
                        heading_deg: row.try_get(5)?,
                    };
                    fixes.insert(unit, fix);
                }
            }
            PositionStore::Redis { conn, fixes_key, .. } => {
                let mut conn = conn.clone();
                let all: HashMap<String, String> = redis::cmd("HGETALL").arg(fixes_key).query_async(&mut conn).await?;
                for (id, json) in all {
                    if let (Ok(unit), Ok(fix)) = (UnitId::parse(&id), serde_json::from_str::<Fix>(&json)) {
                        fixes.insert(unit, fix);
                    }
                }
            }
        }
        Ok(fixes)
    }

    /// Writes the latest fix of each unit given.
    pub async fn write(&self, fixes: &[(UnitId, Fix)]) -> Result<(), DispatchServiceError> {
        if fixes.is_empty() {
            return Ok(());
        }
        match self {
            PositionStore::Sql(db) => {
                let now = now_micros();
                for chunk in fixes.chunks(SQL_CHUNK) {
                    // One multi-row upsert per chunk: a statement is a round trip to the writer.
                    let rows: Vec<String> = (0..chunk.len())
                        .map(|i| {
                            format!("({})", (1..=7).map(|k| format!("${}", i * 7 + k)).collect::<Vec<_>>().join(", "))
                        })
                        .collect();
                    let sql = format!(
                        "INSERT INTO dispatch_unit_positions (unit_id, lat, lon, recorded_at, speed_kmh, heading_deg, \
                         written_at) VALUES {} \
                         ON CONFLICT (unit_id) DO UPDATE SET lat = excluded.lat, lon = excluded.lon, \
                         recorded_at = excluded.recorded_at, speed_kmh = excluded.speed_kmh, \
                         heading_deg = excluded.heading_deg, written_at = excluded.written_at",
                        rows.join(", ")
                    );
                    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for (unit, fix) in chunk {
                        query = query
                            .bind(unit.as_str())
                            .bind(fix.position.lat())
                            .bind(fix.position.lon())
                            .bind(fix.recorded_at)
                            .bind(fix.speed_kmh)
                            .bind(fix.heading_deg)
                            .bind(now);
                    }
                    query.execute(db.writer()).await?;
                }
            }
            PositionStore::Redis { conn, geo_key, fixes_key } => {
                let mut pipe = redis::pipe();
                for (unit, fix) in fixes {
                    pipe.cmd("GEOADD").arg(geo_key).arg(fix.position.lon()).arg(fix.position.lat()).arg(unit.as_str());
                    pipe.ignore();
                    let json = serde_json::to_string(fix).unwrap_or_default();
                    pipe.cmd("HSET").arg(fixes_key).arg(unit.as_str()).arg(json);
                    pipe.ignore();
                }
                let mut conn = conn.clone();
                pipe.query_async::<()>(&mut conn).await?;
            }
        }
        Ok(())
    }
}

/// Writes each batch of latest fixes it receives, in order; a failed write is logged and the
/// next batch carries on (the fixes stay in memory, and newer ones follow).
pub fn spawn_writer(store: PositionStore) -> mpsc::Sender<Vec<(UnitId, Fix)>> {
    let (tx, mut rx) = mpsc::channel::<Vec<(UnitId, Fix)>>(4);
    tokio::spawn(async move {
        while let Some(batch) = rx.recv().await {
            if let Err(e) = store.write(&batch).await {
                warn!(error = %e, fixes = batch.len(), "cannot write unit positions; keeping them in memory");
            }
        }
    });
    tx
}
