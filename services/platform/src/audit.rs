//! The audit log: one row per change (actor, role, RPC, entity, time), each carrying the hash
//! of the row before it and a digest of the events the change wrote. Editing, deleting or
//! reordering any row or event breaks the chain, and [`verify`] names the first broken link.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;
use sqlx::{AnyPool, Row as _};

use crate::db::{Change, DbError};
use crate::events::{self, Event};
use crate::time::Micros;

/// The hash the first row links to.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit row as stored.
#[derive(Debug, Clone)]
struct AuditRow {
    seq: i64,
    at: Micros,
    actor_subject: String,
    actor_role: String,
    rpc: String,
    entity_type: String,
    entity_id: String,
    first_event_seq: i64,
    last_event_seq: i64,
    events_digest: String,
    prev_hash: String,
    hash: String,
}

impl AuditRow {
    fn compute_hash(&self) -> String {
        let mut hasher = Sha256::new();
        for part in [
            self.prev_hash.as_str(),
            &self.seq.to_string(),
            &self.at.to_string(),
            &self.actor_subject,
            &self.actor_role,
            &self.rpc,
            &self.entity_type,
            &self.entity_id,
            &self.first_event_seq.to_string(),
            &self.last_event_seq.to_string(),
            &self.events_digest,
        ] {
            hasher.update(part.as_bytes());
            hasher.update([0x1f]);
        }
        hex::encode(hasher.finalize())
    }
}

fn events_digest(events: &[Event]) -> String {
    let mut hasher = Sha256::new();
    for event in events {
        event.hash_into(&mut hasher);
    }
    hex::encode(hasher.finalize())
}

/// Appends the audit row of a change whose events were just written. Callers hold the append
/// lock, so the chain stays linear.
pub(crate) async fn append(
    conn: &mut AnyConnection,
    change: &Change,
    at: Micros,
    written: &[Event],
) -> Result<(), DbError> {
    let previous =
        sqlx::query("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetch_optional(&mut *conn).await?;
    let (seq, prev_hash) = match previous {
        Some(row) => (row.try_get::<i64, _>(0)? + 1, row.try_get::<String, _>(1)?),
        None => (1, GENESIS.to_string()),
    };
    let mut row = AuditRow {
        seq,
        at,
        actor_subject: change.actor.subject.clone(),
        actor_role: change.actor.role.as_str().to_string(),
        rpc: change.rpc.to_string(),
        entity_type: change.entity_type.to_string(),
        entity_id: change.entity_id.clone(),
        first_event_seq: written.first().map_or(0, |e| e.seq as i64),
        last_event_seq: written.last().map_or(0, |e| e.seq as i64),
        events_digest: events_digest(written),
        prev_hash,
        hash: String::new(),
    };
    row.hash = row.compute_hash();
    sqlx::query(
        "INSERT INTO audit (seq, at, actor_subject, actor_role, rpc, entity_type, entity_id, \
         first_event_seq, last_event_seq, events_digest, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(row.seq)
    .bind(row.at)
    .bind(&row.actor_subject)
    .bind(&row.actor_role)
    .bind(&row.rpc)
    .bind(&row.entity_type)
    .bind(&row.entity_id)
    .bind(row.first_event_seq)
    .bind(row.last_event_seq)
    .bind(&row.events_digest)
    .bind(&row.prev_hash)
    .bind(&row.hash)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The outcome of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verification {
    /// Rows checked.
    pub rows: u64,
    /// The first row that does not verify, if any.
    pub first_broken: Option<BrokenLink>,
}

/// A row that does not verify, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BrokenLink {
    /// The row's sequence (or the sequence expected where a row is missing).
    pub seq: i64,
    /// What is wrong with it.
    pub reason: String,
}

/// Walks the chain from the first row and reports the first broken link.
pub async fn verify(pool: &AnyPool) -> Result<Verification, DbError> {
    const PAGE: i64 = 1_000;
    let mut expected_prev = GENESIS.to_string();
    let mut expected_seq = 1_i64;
    let mut next_event_seq = 1_i64;
    loop {
        let rows = sqlx::query(
            "SELECT seq, at, actor_subject, actor_role, rpc, entity_type, entity_id, first_event_seq, \
             last_event_seq, events_digest, prev_hash, hash FROM audit WHERE seq >= $1 ORDER BY seq LIMIT $2",
        )
        .bind(expected_seq)
        .bind(PAGE)
        .fetch_all(pool)
        .await?;
        if rows.is_empty() {
            let total_events = events::last_seq(pool).await? as i64;
            let first_broken = (total_events >= next_event_seq).then(|| BrokenLink {
                seq: expected_seq,
                reason: format!("events {next_event_seq}..={total_events} have no audit row"),
            });
            return Ok(Verification { rows: (expected_seq - 1) as u64, first_broken });
        }
        for row in &rows {
            let row = AuditRow {
                seq: row.try_get(0)?,
                at: row.try_get(1)?,
                actor_subject: row.try_get(2)?,
                actor_role: row.try_get(3)?,
                rpc: row.try_get(4)?,
                entity_type: row.try_get(5)?,
                entity_id: row.try_get(6)?,
                first_event_seq: row.try_get(7)?,
                last_event_seq: row.try_get(8)?,
                events_digest: row.try_get(9)?,
                prev_hash: row.try_get(10)?,
                hash: row.try_get(11)?,
            };
            let verified = (expected_seq - 1) as u64;
            let broken = |reason: String| {
                Ok(Verification { rows: verified, first_broken: Some(BrokenLink { seq: row.seq, reason }) })
            };
            if row.seq != expected_seq {
                return broken(format!("row {expected_seq} is missing"));
            }
            if row.prev_hash != expected_prev {
                return broken("its previous-hash does not match the row before it".into());
            }
            if row.compute_hash() != row.hash {
                return broken("its contents do not match its hash".into());
            }
            if row.first_event_seq != next_event_seq {
                return broken(format!("events from {next_event_seq} on are not covered"));
            }
            let written = events::read_range(pool, row.first_event_seq as u64, row.last_event_seq as u64).await?;
            if events_digest(&written) != row.events_digest {
                return broken(format!(
                    "events {}..={} do not match their digest",
                    row.first_event_seq, row.last_event_seq
                ));
            }
            expected_prev = row.hash.clone();
            expected_seq += 1;
            next_event_seq = row.last_event_seq + 1;
        }
    }
}
