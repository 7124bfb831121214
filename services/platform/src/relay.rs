//! From the events table to the bus, and from both to watchers.
//!
//! The [`Relay`] publishes committed events in sequence order and records how far it got in
//! `relay_position`, in the same database, so after a crash it resumes where it stopped:
//! at worst it publishes some events twice, which consumers ignore by sequence. [`watch`]
//! gives a Watch RPC every event after a resume position, without gaps, reading the table
//! for history and for anything the bus skipped.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt as _;
use sqlx::Row as _;
use tokio::sync::watch as signal;
use tracing::{debug, warn};

use crate::bus::{EventBus, EventStream};

/// What [`watch`] yields: events in order, or why the feed broke.
pub type WatchStream = std::pin::Pin<Box<dyn futures::Stream<Item = Result<Event, RelayError>> + Send>>;
use crate::db::{Backend, Db, DbError};
use crate::events::{self, Event};

const BATCH: u32 = 1_000;
/// How often the relay looks for events committed by other processes (PostgreSQL) when no
/// local commit wakes it.
const POLL: Duration = Duration::from_millis(100);
/// Session lock that makes one relay the publisher among replicas sharing a PostgreSQL.
const RELAY_LOCK_KEY: i64 = 0x6a65_6465_6c01;

/// Publishes the outbox.
pub struct Relay {
    db: Db,
    bus: Arc<dyn EventBus>,
}

impl Relay {
    /// A relay from `db`'s events table to `bus`.
    pub fn new(db: Db, bus: Arc<dyn EventBus>) -> Self {
        Relay { db, bus }
    }

    /// Where publishing stands: every event up to this sequence has been published.
    pub async fn position(&self) -> Result<u64, DbError> {
        let row =
            sqlx::query("SELECT seq FROM relay_position WHERE name = 'bus'").fetch_optional(self.db.reader()).await?;
        Ok(row.map(|r| r.try_get::<i64, _>(0)).transpose()?.unwrap_or(0) as u64)
    }

    /// Publishes everything committed after the recorded position, once. Returns how many
    /// events were published.
    pub async fn publish_pending(&self) -> Result<usize, RelayError> {
        let mut position = self.position().await?;
        let mut total = 0;
        loop {
            let batch = events::read_after(self.db.reader(), position, BATCH).await?;
            let Some(last) = batch.last().map(|e| e.seq) else { return Ok(total) };
            self.bus.publish(&batch).await?;
            sqlx::query(
                "INSERT INTO relay_position (name, seq) VALUES ('bus', $1) \
                 ON CONFLICT (name) DO UPDATE SET seq = excluded.seq",
            )
            .bind(last as i64)
            .execute(self.db.writer())
            .await
            .map_err(DbError::from)?;
            position = last;
            total += batch.len();
        }
    }

    /// Runs until `shutdown` turns true: publishes on every local commit and polls for
    /// commits made by other processes. On PostgreSQL only the holder of the relay lock
    /// publishes; the others wait for it.
    pub async fn run(self, mut shutdown: signal::Receiver<bool>) {
        let _leader = match self.db.backend() {
            Backend::Postgres => match self.become_leader(&mut shutdown).await {
                Some(conn) => Some(conn),
                None => return,
            },
            Backend::Sqlite => None,
        };
        let committed = self.db.committed().clone();
        loop {
            if let Err(e) = self.publish_pending().await {
                warn!(error = %e, "relay could not publish; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            tokio::select! {
                _ = committed.notified() => {}
                _ = tokio::time::sleep(POLL) => {}
                _ = shutdown.changed() => {
                    let _ = self.publish_pending().await;
                    return;
                }
            }
        }
    }

    /// Waits for the relay lock; holds it as long as the returned connection lives.
    async fn become_leader(
        &self,
        shutdown: &mut signal::Receiver<bool>,
    ) -> Option<sqlx::pool::PoolConnection<sqlx::Any>> {
        loop {
            match self.try_lock().await {
                Ok(Some(conn)) => return Some(conn),
                Ok(None) => debug!("another relay publishes; standing by"),
                Err(e) => warn!(error = %e, "relay lock unavailable"),
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(2)) => {}
                _ = shutdown.changed() => return None,
            }
        }
    }

    async fn try_lock(&self) -> Result<Option<sqlx::pool::PoolConnection<sqlx::Any>>, DbError> {
        let mut conn = self.db.reader().acquire().await?;
        let locked: bool = sqlx::query("SELECT pg_try_advisory_lock($1)")
            .bind(RELAY_LOCK_KEY)
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
        // Detached, the connection keeps the session lock until it closes with the process.
        Ok(locked.then_some(conn))
    }
}

/// Why publishing failed.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    /// Reading the outbox or recording the position failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// The bus refused the events.
    #[error(transparent)]
    Bus(#[from] crate::bus::BusError),
}

/// Every event after `after`, in order and without gaps, then live ones as they are
/// committed. History comes from the events table; live events come from the bus, and a gap
/// in their sequences (a lagging subscriber, a trimmed stream) is filled from the table.
pub async fn watch(db: Db, bus: Arc<dyn EventBus>, after: u64) -> Result<WatchStream, RelayError> {
    let live = bus.subscribe(after).await?;
    struct State {
        db: Db,
        live: EventStream,
        last: u64,
        backlog: std::collections::VecDeque<Event>,
        caught_up: bool,
    }
    let state = State { db, live, last: after, backlog: Default::default(), caught_up: false };
    let stream = futures::stream::unfold(state, |mut s| async move {
        loop {
            if let Some(event) = s.backlog.pop_front() {
                if event.seq > s.last {
                    s.last = event.seq;
                    return Some((Ok(event), s));
                }
                continue;
            }
            if !s.caught_up {
                match events::read_after(s.db.reader(), s.last, BATCH).await {
                    Ok(batch) if batch.is_empty() => s.caught_up = true,
                    Ok(batch) => s.backlog.extend(batch),
                    Err(e) => return Some((Err(e.into()), s)),
                }
                continue;
            }
            match s.live.next().await {
                Some(Ok(event)) if event.seq <= s.last => continue,
                Some(Ok(event)) if event.seq == s.last + 1 => {
                    s.last = event.seq;
                    return Some((Ok(event), s));
                }
                // A gap: the table has everything committed; read up to and past it.
                Some(Ok(_)) => s.caught_up = false,
                Some(Err(e)) => return Some((Err(e.into()), s)),
                None => return None,
            }
        }
    });
    Ok(stream.boxed())
}
