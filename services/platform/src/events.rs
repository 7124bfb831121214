//! The append-only `events` table: the system's history and its outbox. Sequences are global,
//! contiguous and in commit order (see the append lock in `db`), so a reader that has seen
//! sequence N knows exactly what it has not seen.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;
use sqlx::{AnyPool, Row as _};

use crate::auth::Caller;
use crate::db::DbError;
use crate::time::Micros;

/// An event about to be written, as a change describes it.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// The kind of aggregate, e.g. `call`, `station`.
    pub aggregate_type: &'static str,
    /// The aggregate's id.
    pub aggregate_id: String,
    /// What happened, e.g. `call.created`.
    pub kind: &'static str,
    /// Facts of the event as JSON. Consumers read them; logs never do.
    pub payload: serde_json::Value,
}

/// An event as stored and published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Global sequence, from 1, without gaps.
    pub seq: u64,
    /// The kind of aggregate.
    pub aggregate_type: String,
    /// The aggregate's id.
    pub aggregate_id: String,
    /// What happened.
    pub kind: String,
    /// Facts of the event, JSON text.
    pub payload: String,
    /// Token subject of whoever caused it.
    pub actor_subject: String,
    /// Role of whoever caused it.
    pub actor_role: String,
    /// Commit time, µs since the epoch.
    pub occurred_at: Micros,
}

impl Event {
    /// Feeds the event's canonical form into a hash, for the audit log's events digest.
    pub(crate) fn hash_into(&self, hasher: &mut Sha256) {
        for part in [
            self.seq.to_string().as_str(),
            &self.aggregate_type,
            &self.aggregate_id,
            &self.kind,
            &self.payload,
            &self.actor_subject,
            &self.actor_role,
            &self.occurred_at.to_string(),
        ] {
            hasher.update(part.as_bytes());
            hasher.update([0x1f]);
        }
        hasher.update([0x1e]);
    }
}

/// Appends events after the current last sequence. Callers hold the append lock.
pub(crate) async fn append(
    conn: &mut AnyConnection,
    actor: &Caller,
    at: Micros,
    new: &[NewEvent],
) -> Result<Vec<Event>, DbError> {
    let last: i64 = sqlx::query("SELECT COALESCE(MAX(seq), 0) FROM events").fetch_one(&mut *conn).await?.try_get(0)?;
    let mut written = Vec::with_capacity(new.len());
    for (offset, event) in new.iter().enumerate() {
        let event = Event {
            seq: (last as u64) + 1 + offset as u64,
            aggregate_type: event.aggregate_type.to_string(),
            aggregate_id: event.aggregate_id.clone(),
            kind: event.kind.to_string(),
            payload: event.payload.to_string(),
            actor_subject: actor.subject.clone(),
            actor_role: actor.role.as_str().to_string(),
            occurred_at: at,
        };
        sqlx::query(
            "INSERT INTO events (seq, aggregate_type, aggregate_id, kind, payload, actor_subject, actor_role, occurred_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(event.seq as i64)
        .bind(&event.aggregate_type)
        .bind(&event.aggregate_id)
        .bind(&event.kind)
        .bind(&event.payload)
        .bind(&event.actor_subject)
        .bind(&event.actor_role)
        .bind(event.occurred_at)
        .execute(&mut *conn)
        .await?;
        written.push(event);
    }
    Ok(written)
}

/// The columns of an event, in the order [`event_from_row`] reads them.
macro_rules! select_events {
    ($where:literal) => {
        concat!(
            "SELECT seq, aggregate_type, aggregate_id, kind, payload, actor_subject, actor_role, occurred_at FROM events ",
            $where
        )
    };
}

/// Events with a sequence above `after`, oldest first, at most `limit`.
pub async fn read_after(pool: &AnyPool, after: u64, limit: u32) -> Result<Vec<Event>, DbError> {
    let rows = sqlx::query(select_events!("WHERE seq > $1 ORDER BY seq LIMIT $2"))
        .bind(after as i64)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
    rows.iter().map(event_from_row).collect()
}

/// Events with sequences in `first..=last`, oldest first.
pub(crate) async fn read_range(pool: &AnyPool, first: u64, last: u64) -> Result<Vec<Event>, DbError> {
    let rows = sqlx::query(select_events!("WHERE seq >= $1 AND seq <= $2 ORDER BY seq"))
        .bind(first as i64)
        .bind(last as i64)
        .fetch_all(pool)
        .await?;
    rows.iter().map(event_from_row).collect()
}

/// The last sequence written, 0 when there is none.
pub async fn last_seq(pool: &AnyPool) -> Result<u64, DbError> {
    let last: i64 = sqlx::query("SELECT COALESCE(MAX(seq), 0) FROM events").fetch_one(pool).await?.try_get(0)?;
    Ok(last as u64)
}

fn event_from_row(row: &sqlx::any::AnyRow) -> Result<Event, DbError> {
    Ok(Event {
        seq: row.try_get::<i64, _>(0)? as u64,
        aggregate_type: row.try_get(1)?,
        aggregate_id: row.try_get(2)?,
        kind: row.try_get(3)?,
        payload: row.try_get(4)?,
        actor_subject: row.try_get(5)?,
        actor_role: row.try_get(6)?,
        occurred_at: row.try_get(7)?,
    })
}
