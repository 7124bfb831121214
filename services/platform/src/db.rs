//! Storage: one code path over PostgreSQL (the system of record) and SQLite (the embedded
//! default), chosen by the URL. Every state change goes through a [`Tx`], whose only way to
//! commit also writes the change's events and its audit row, so no change is ever unrecorded.
//!
//! On SQLite, changes are group-committed: each [`Tx`] is a savepoint inside a batch
//! transaction on the one writer connection, and the batch commits (one fsync) once the changes
//! queued behind it have joined. A commit returns only after its batch is durable.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::AnyConnection;
use sqlx::any::AnyPoolOptions;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Connection as _, Executor as _, Row as _, Transaction};
use tokio::sync::{Mutex, Notify, OwnedMutexGuard, watch};

use crate::audit;
use crate::auth::Caller;
use crate::events::{self, NewEvent};
use crate::time::{Micros, now_micros};

/// Which database engine a [`Db`] talks to; used only where the SQL dialects differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// PostgreSQL: the system of record for distributed deployments.
    Postgres,
    /// SQLite: the embedded default.
    Sqlite,
}

/// Why a storage call failed.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The URL names no supported database.
    #[error("unsupported database url '{0}': use postgres://… or sqlite://…")]
    UnsupportedUrl(String),
    /// The database answered with an error or could not be reached.
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    /// A migration could not be applied.
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A commit was attempted without any event; every change must say what happened.
    #[error("a change must carry at least one event")]
    NoEvents,
    /// The SQLite batch this change joined did not commit, so the change did not either.
    #[error("the batch commit failed: {0}")]
    Batch(String),
}

impl DbError {
    /// True when the database refused a row because a unique key already exists.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, DbError::Sqlx(sqlx::Error::Database(e)) if e.is_unique_violation())
    }

    /// True when the database refused a row because a referenced row does not exist.
    pub fn is_foreign_key_violation(&self) -> bool {
        matches!(self, DbError::Sqlx(sqlx::Error::Database(e)) if e.is_foreign_key_violation())
    }
}

/// A handle on the database: a read pool, a write pool, and a signal raised after each commit
/// so the relay publishes without polling delay.
#[derive(Clone)]
pub struct Db {
    reader: AnyPool,
    writer: AnyPool,
    backend: Backend,
    committed: Arc<Notify>,
    batches: Arc<Batches>,
}

/// SQLite's group commit: the batch transaction open on the writer connection, if any. The
/// mutex is the single-writer queue (tokio's is FIFO), so everyone waiting when a batch commits
/// has already joined it.
#[derive(Default)]
struct Batches {
    open: Arc<Mutex<Option<Batch>>>,
    next_id: AtomicU64,
}

/// One batch transaction and the changes released into it.
struct Batch {
    id: u64,
    conn: PoolConnection<Any>,
    /// Changes released into the batch (their savepoints are part of it).
    changes: usize,
    /// A change was dropped inside its savepoint; roll it back before the next statement.
    rollback_pending: bool,
    /// Rolling a dropped change back failed: the batch cannot commit.
    poisoned: Option<String>,
    /// `Some` once the batch has committed or failed.
    outcome: watch::Sender<Option<Result<(), String>>>,
}

/// The savepoint every SQLite change runs in.
const SAVEPOINT: &str = "SAVEPOINT jedel_change";
const RELEASE: &str = "RELEASE jedel_change";
const ROLLBACK_TO: &str = "ROLLBACK TO jedel_change; RELEASE jedel_change";

impl Batch {
    /// Undoes a dropped change's savepoint, if one is pending.
    async fn settle(&mut self) {
        if self.rollback_pending && self.poisoned.is_none() {
            self.rollback_pending = false;
            if let Err(e) = self.conn.execute(ROLLBACK_TO).await {
                self.poisoned = Some(format!("cannot roll back a dropped change: {e}"));
            }
        }
    }

    /// Commits the batch (or rolls it back when nothing was released into it, or it is
    /// poisoned), tells its members, and gives the connection back to the pool.
    async fn finish(mut self) {
        self.settle().await;
        let result = match self.poisoned.take() {
            Some(reason) => Err(reason),
            None if self.changes == 0 => self.conn.execute("ROLLBACK").await.map(drop).map_err(|e| e.to_string()),
            None => self.conn.execute("COMMIT").await.map(drop).map_err(|e| e.to_string()),
        };
        if result.is_err() {
            // The connection's transaction state is unknown: do not reuse it.
            let _ = self.conn.execute("ROLLBACK").await;
            self.conn.close_on_drop();
        }
        self.outcome.send_replace(Some(result));
    }
}

/// Commits batch `id` if it is still open once the caller gets the writer: everyone queued
/// before has joined it by then.
async fn flush(open: Arc<Mutex<Option<Batch>>>, id: u64) {
    let mut slot = open.lock().await;
    if slot.as_ref().is_some_and(|b| b.id == id)
        && let Some(batch) = slot.take()
    {
        batch.finish().await;
    }
}

static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");
static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");

/// The advisory lock every writing PostgreSQL transaction takes before it appends its events
/// and audit row. It makes commit order equal sequence order (the relay never skips an event
/// committed late) and keeps the audit hash chain linear.
const APPEND_LOCK_KEY: i64 = 0x6a65_6465_6c00;

impl Db {
    /// Connects to the database the URL names. SQLite gets a single writer connection (SQLite
    /// has one writer at a time; queueing in the pool beats `database is locked` retries).
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(DbError::UnsupportedUrl(redact(url)));
        };
        let (reader, writer) = match backend {
            Backend::Postgres => {
                let pool = AnyPoolOptions::new().max_connections(16).connect(url).await?;
                (pool.clone(), pool)
            }
            Backend::Sqlite => {
                if let Some(dir) = sqlite_parent_dir(url) {
                    std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
                }
                let options = || {
                    AnyPoolOptions::new().after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; \
                                 PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                };
                let writer = options().max_connections(1).connect(url).await?;
                let reader = options().max_connections(8).connect(url).await?;
                (reader, writer)
            }
        };
        Ok(Db { reader, writer, backend, committed: Arc::new(Notify::new()), batches: Arc::default() })
    }

    /// Applies the migrations of this backend that are not applied yet.
    pub async fn migrate(&self) -> Result<(), DbError> {
        let migrator = match self.backend {
            Backend::Postgres => &POSTGRES_MIGRATIONS,
            Backend::Sqlite => &SQLITE_MIGRATIONS,
        };
        migrator.run(&self.writer).await?;
        Ok(())
    }

    /// The engine behind this handle.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool for reads.
    pub fn reader(&self) -> &AnyPool {
        &self.reader
    }

    /// The pool for writes that are bookkeeping rather than state changes (the relay's
    /// position, the Dispatcher's latest unit positions). State changes go through
    /// [`Db::begin`]. On SQLite this is the one writer connection, so these writes queue for it
    /// instead of contending for SQLite's write lock (whose busy handler sleeps).
    pub fn writer(&self) -> &AnyPool {
        &self.writer
    }

    /// Raised after every commit; the relay waits on it.
    pub fn committed(&self) -> &Arc<Notify> {
        &self.committed
    }

    /// Answers when the database answers.
    pub async fn ping(&self) -> Result<(), DbError> {
        self.reader.acquire().await?.ping().await?;
        Ok(())
    }

    /// Opens a writing transaction.
    pub async fn begin(&self) -> Result<Tx, DbError> {
        let inner = match self.backend {
            Backend::Postgres => Inner::Postgres(self.writer.begin().await?),
            Backend::Sqlite => {
                // In a task of its own, so a caller cancelled half-way never leaves the writer
                // connection inside a transaction nobody owns: an unwanted savepoint is dropped
                // like any other and rolled back.
                let (batches, writer) = (self.batches.clone(), self.writer.clone());
                let joined = tokio::spawn(async move {
                    let open = batches.open.clone();
                    let mut slot = open.clone().lock_owned().await;
                    if let Some(batch) = slot.as_mut() {
                        batch.settle().await;
                        if batch.poisoned.is_some()
                            && let Some(batch) = slot.take()
                        {
                            batch.finish().await;
                        }
                    }
                    if slot.is_none() {
                        let mut conn = writer.acquire().await?;
                        conn.execute("BEGIN IMMEDIATE").await?;
                        let id = batches.next_id.fetch_add(1, Ordering::Relaxed);
                        let outcome = watch::Sender::new(None);
                        *slot = Some(Batch { id, conn, changes: 0, rollback_pending: false, poisoned: None, outcome });
                    }
                    let batch = slot.as_mut().expect("a batch is open");
                    let id = batch.id;
                    let mut change = Savepoint { slot: Some(slot), open, batch_id: id, started: false };
                    change.conn().execute(SAVEPOINT).await?;
                    change.started = true;
                    Ok::<_, DbError>(change)
                });
                Inner::Sqlite(joined.await.map_err(|e| DbError::Batch(format!("writer task failed: {e}")))??)
            }
        };
        Ok(Tx { inner, db: self.clone() })
    }

    /// Closes both pools.
    pub async fn close(&self) {
        self.writer.close().await;
        self.reader.close().await;
    }
}

/// What a change was: who made it through which RPC, on which entity, and the events it
/// emits. Committing a [`Tx`] requires one.
#[derive(Debug)]
pub struct Change {
    /// Who made the change.
    pub actor: Caller,
    /// The RPC (or command) that made it, e.g. `Registry/CreateStation`.
    pub rpc: &'static str,
    /// Type of the main entity changed, e.g. `station`.
    pub entity_type: &'static str,
    /// Id of the main entity changed.
    pub entity_id: String,
    /// What happened, in order; at least one.
    pub events: Vec<NewEvent>,
}

/// What a commit wrote.
#[derive(Debug, Clone, Copy)]
pub struct Receipt {
    /// Sequence of the last event written.
    pub last_seq: u64,
    /// Commit time, µs since the epoch.
    pub at: Micros,
}

/// A writing transaction. It can only be committed together with its [`Change`]; dropping it
/// rolls back.
pub struct Tx {
    inner: Inner,
    db: Db,
}

enum Inner {
    Postgres(Transaction<'static, Any>),
    Sqlite(Savepoint),
}

/// A change inside the open SQLite batch: it holds the writer until it is released or dropped.
struct Savepoint {
    /// The writer, held; `None` once released.
    slot: Option<OwnedMutexGuard<Option<Batch>>>,
    open: Arc<Mutex<Option<Batch>>>,
    batch_id: u64,
    /// The `SAVEPOINT` ran, so dropping must roll it back.
    started: bool,
}

impl Savepoint {
    fn batch(&mut self) -> &mut Batch {
        self.slot.as_mut().and_then(|slot| slot.as_mut()).expect("a held savepoint has its batch")
    }

    fn conn(&mut self) -> &mut AnyConnection {
        &mut self.batch().conn
    }

    /// Releases the savepoint into the batch and waits until the batch is durable.
    async fn commit(mut self) -> Result<(), DbError> {
        self.conn().execute(RELEASE).await?;
        let batch = self.batch();
        batch.changes += 1;
        let mut outcome = batch.outcome.subscribe();
        self.started = false;
        self.slot = None;
        // Spawned, so the batch commits even if this caller is cancelled while waiting.
        tokio::spawn(flush(self.open.clone(), self.batch_id));
        let outcome = outcome.wait_for(Option::is_some).await.map_err(|_| DbError::Batch("batch dropped".into()))?;
        match outcome.as_ref() {
            Some(Ok(())) => Ok(()),
            Some(Err(reason)) => Err(DbError::Batch(reason.clone())),
            None => unreachable!("waited for an outcome"),
        }
    }
}

impl Drop for Savepoint {
    fn drop(&mut self) {
        let Some(mut slot) = self.slot.take() else { return };
        if let Some(batch) = slot.as_mut() {
            batch.rollback_pending |= self.started;
        }
        drop(slot);
        // Whoever joins next settles the rollback; if nobody does, this closes the batch.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(flush(self.open.clone(), self.batch_id));
        }
    }
}

impl Tx {
    /// The connection, for the state queries of the change.
    pub fn conn(&mut self) -> &mut AnyConnection {
        match &mut self.inner {
            Inner::Postgres(tx) => tx,
            Inner::Sqlite(savepoint) => savepoint.conn(),
        }
    }

    /// The engine behind this transaction.
    pub fn backend(&self) -> Backend {
        self.db.backend
    }

    /// Records that `request_id` created `resource_id` in `scope` (e.g. an RPC name). If the
    /// key was used before, returns the resource it created then, and the caller must return
    /// that resource instead of creating a twin.
    pub async fn claim_request_id(
        &mut self,
        scope: &str,
        request_id: &str,
        resource_id: &str,
    ) -> Result<Option<String>, DbError> {
        let inserted = sqlx::query(
            "INSERT INTO idempotency_keys (scope, request_id, resource_id, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (scope, request_id) DO NOTHING",
        )
        .bind(scope)
        .bind(request_id)
        .bind(resource_id)
        .bind(now_micros())
        .execute(self.conn())
        .await?
        .rows_affected();
        if inserted == 1 {
            return Ok(None);
        }
        let row = sqlx::query("SELECT resource_id FROM idempotency_keys WHERE scope = $1 AND request_id = $2")
            .bind(scope)
            .bind(request_id)
            .fetch_one(self.conn())
            .await?;
        Ok(Some(row.try_get(0)?))
    }

    /// The next human number (from 1) of `counter` (e.g. `call`) in `region` on local day
    /// `day`, for numbers people read over the radio. Allocated inside the transaction, so
    /// concurrent writers never share a number and a rolled-back change frees its number.
    pub async fn next_daily_number(&mut self, counter: &str, region: &str, day: &str) -> Result<u32, DbError> {
        let row = sqlx::query(
            "INSERT INTO daily_numbers (counter, region_code, local_day, last_value) VALUES ($1, $2, $3, 1) \
             ON CONFLICT (counter, region_code, local_day) DO UPDATE SET last_value = daily_numbers.last_value + 1 \
             RETURNING last_value",
        )
        .bind(counter)
        .bind(region)
        .bind(day)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get::<i64, _>(0)? as u32)
    }

    /// Appends the change's events and its audit row, then commits everything at once.
    pub async fn commit(mut self, change: Change) -> Result<Receipt, DbError> {
        if change.events.is_empty() {
            return Err(DbError::NoEvents);
        }
        if self.db.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(APPEND_LOCK_KEY).execute(self.conn()).await?;
        }
        let at = now_micros();
        let written = events::append(self.conn(), &change.actor, at, &change.events).await?;
        audit::append(self.conn(), &change, at, &written).await?;
        match self.inner {
            Inner::Postgres(tx) => tx.commit().await?,
            Inner::Sqlite(savepoint) => savepoint.commit().await?,
        }
        self.db.committed.notify_one();
        Ok(Receipt { last_seq: written.last().map_or(0, |e| e.seq), at })
    }
}

/// The directory of a `sqlite://path?…` URL, so it can be created before connecting.
fn sqlite_parent_dir(url: &str) -> Option<std::path::PathBuf> {
    let path = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = path.split('?').next()?;
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    std::path::Path::new(path).parent().map(|p| p.to_path_buf()).filter(|p| !p.as_os_str().is_empty())
}

/// A URL with any password replaced, fit for an error message.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}://***{}", &url[..scheme], &url[at..]),
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_directory_is_found_in_the_url() {
        assert_eq!(
            sqlite_parent_dir("sqlite://./jedel-data/jedel.db?mode=rwc"),
            Some(std::path::PathBuf::from("./jedel-data"))
        );
        assert_eq!(sqlite_parent_dir("sqlite::memory:"), None);
    }

    #[test]
    fn passwords_never_reach_error_messages() {
        assert_eq!(redact("mysql://u:secret@host/db"), "mysql://***@host/db");
    }
}
