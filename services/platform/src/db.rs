//! Storage: one code path over PostgreSQL (the system of record) and SQLite (the embedded
//! default), chosen by the URL. Every state change goes through a [`Tx`], whose only way to
//! commit also writes the change's events and its audit row, so no change is ever unrecorded.

use std::sync::Arc;

use sqlx::AnyConnection;
use sqlx::any::AnyPoolOptions;
use sqlx::{Any, AnyPool, Connection as _, Executor as _, Row as _, Transaction};
use tokio::sync::Notify;

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
        Ok(Db { reader, writer, backend, committed: Arc::new(Notify::new()) })
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
    /// position). State changes go through [`Db::begin`].
    pub(crate) fn writer(&self) -> &AnyPool {
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
        Ok(Tx { inner: self.writer.begin().await?, db: self.clone() })
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
    inner: Transaction<'static, Any>,
    db: Db,
}

impl Tx {
    /// The connection, for the state queries of the change.
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.inner
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
        .execute(&mut *self.inner)
        .await?
        .rows_affected();
        if inserted == 1 {
            return Ok(None);
        }
        let row = sqlx::query("SELECT resource_id FROM idempotency_keys WHERE scope = $1 AND request_id = $2")
            .bind(scope)
            .bind(request_id)
            .fetch_one(&mut *self.inner)
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
        .fetch_one(&mut *self.inner)
        .await?;
        Ok(row.try_get::<i64, _>(0)? as u32)
    }

    /// Appends the change's events and its audit row, then commits everything at once.
    pub async fn commit(mut self, change: Change) -> Result<Receipt, DbError> {
        if change.events.is_empty() {
            return Err(DbError::NoEvents);
        }
        if self.db.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(APPEND_LOCK_KEY).execute(&mut *self.inner).await?;
        }
        let at = now_micros();
        let written = events::append(&mut self.inner, &change.actor, at, &change.events).await?;
        audit::append(&mut self.inner, &change, at, &written).await?;
        self.inner.commit().await?;
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
