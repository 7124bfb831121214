//! The registry's storage: one module per record type, each with its SQL (portable across
//! PostgreSQL and SQLite through sqlx's `Any` driver, static strings only), and here the one
//! write path every record type shares through [`Table`]: create (idempotent by request id),
//! update (optimistic concurrency, codes never change) and the per-row write that import and
//! seed use, each checking first that what the record references exists. Every write runs in
//! one [`jedel_platform::Tx`] that also records the change's events and audit row; reads go to
//! the read pool.

pub mod aircraft;
pub mod airfields;
pub mod airlines;
pub mod brigades;
pub mod contracts;
pub mod hospitals;
pub mod regions;
pub mod stations;

use std::collections::HashMap;

use jedel_platform::db::{Change, DbError};
use jedel_platform::time::{Micros, now_micros};
use jedel_platform::{Caller, Db};
use serde::Serialize;
use sqlx::{AnyConnection, Row as _};

use crate::domain::{Problems, Reference};
use crate::error::RegistryError;
use crate::events;

pub use aircraft::{AircraftFilter, AircraftRow};
pub use airfields::{AirfieldFilter, AirfieldRow};
pub use airlines::{AirlineFilter, AirlineRow};
pub use brigades::{BrigadeFilter, BrigadeRow};
pub use contracts::{ContractFilter, ContractRow};
pub use hospitals::{HospitalFilter, HospitalRow};
pub use regions::RegionRow;
pub use stations::{StationFilter, StationRow};

/// A record type as stored: its row (also the payload of its events), how it is read and
/// written, and the names its writes are audited under.
#[async_trait::async_trait]
pub trait Table: Serialize + Clone + Send + Sync + Sized + 'static {
    /// The checked writable fields a row is made from.
    type Fields: Send + Sync;
    /// What the record is called in errors, events and the audit log; also the request field
    /// that carries it (`brigade`).
    const ENTITY: &'static str;
    /// The data-file column of its code (`call_sign`).
    const CODE_COLUMN: &'static str;
    /// The audit name of the create RPC, also the scope of its request ids.
    const CREATE_RPC: &'static str;
    /// The audit name of the update RPC.
    const UPDATE_RPC: &'static str;
    /// The kind of the event of a new record (`brigade.created`).
    const CREATED_EVENT: &'static str;
    /// The kind of the event of a changed record (`brigade.updated`).
    const UPDATED_EVENT: &'static str;

    /// The row for `fields` at `version`, stamped with its times. Derived columns (a
    /// brigade's region) are filled in when the written row is read back.
    fn new(id: String, fields: &Self::Fields, version: i64, created_at: Micros, updated_at: Micros) -> Self;
    /// The code `fields` give the record.
    fn code_of(fields: &Self::Fields) -> &str;
    /// UUIDv7.
    fn id(&self) -> &str;
    /// The code.
    fn code(&self) -> &str;
    /// 1 on create, +1 on each change.
    fn version(&self) -> i64;
    /// Created, µs since the epoch.
    fn created_at(&self) -> Micros;

    /// The record with this id.
    async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<Self>, DbError>;
    /// The record with this code.
    async fn by_code(conn: &mut AnyConnection, code: &str) -> Result<Option<Self>, DbError>;
    /// Writes a new row; a taken code is a unique violation.
    async fn insert(conn: &mut AnyConnection, row: &Self) -> Result<(), DbError>;
    /// Replaces the writable columns of the row stored at `current_version`; false when the
    /// stored row is no longer at that version.
    async fn replace(conn: &mut AnyConnection, row: &Self, current_version: i64) -> Result<bool, DbError>;
    /// Another record that `row` would clash with beyond its code (an airline's BIN), as the
    /// column at fault and what is wrong.
    async fn conflict(_conn: &mut AnyConnection, _row: &Self) -> Result<Option<(&'static str, String)>, DbError> {
        Ok(None)
    }
    /// Why `current` may not become `row`, if it may not (an aircraft cannot change airline
    /// while a contract of its airline lists it).
    async fn blocked(_conn: &mut AnyConnection, _current: &Self, _row: &Self) -> Result<Option<String>, DbError> {
        Ok(None)
    }
}

/// Checks that what records reference exists, remembering answers, so an import of thousands
/// of rows asks the database once per distinct code.
#[derive(Debug, Default)]
pub struct ReferenceCheck {
    answers: HashMap<Reference, Option<String>>,
}

impl ReferenceCheck {
    /// No answers yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem for each reference that does not hold, one per column (several
    /// problems with one column, e.g. two unknown aircraft of a contract, are joined).
    pub async fn check(
        &mut self,
        conn: &mut AnyConnection,
        references: &[(&'static str, Reference)],
        problems: &mut Problems,
    ) -> Result<(), DbError> {
        let mut found: Vec<(&'static str, Vec<String>)> = Vec::new();
        for (column, reference) in references {
            let answer = match self.answers.get(reference) {
                Some(answer) => answer.clone(),
                None => {
                    let answer = lookup(conn, reference).await?;
                    self.answers.insert(reference.clone(), answer.clone());
                    answer
                }
            };
            if let Some(problem) = answer {
                match found.iter_mut().find(|(c, _)| c == column) {
                    Some((_, messages)) => messages.push(problem),
                    None => found.push((column, vec![problem])),
                }
            }
        }
        for (column, messages) in found {
            problems.add(column, messages.join("; "));
        }
        Ok(())
    }
}

/// What is wrong with one reference, or `None` when it holds.
async fn lookup(conn: &mut AnyConnection, reference: &Reference) -> Result<Option<String>, DbError> {
    let (sql, code, entity) = match reference {
        Reference::Region(code) => ("SELECT 1 FROM regions WHERE code = $1", code, "region"),
        Reference::Station(code) => ("SELECT 1 FROM stations WHERE code = $1", code, "station"),
        Reference::Airfield(code) => ("SELECT 1 FROM airfields WHERE code = $1", code, "airfield"),
        Reference::Airline(code) => ("SELECT 1 FROM airlines WHERE code = $1", code, "airline"),
        Reference::AircraftOf { registration, airline } => {
            let row = sqlx::query("SELECT airline_code FROM aircraft WHERE registration = $1")
                .bind(registration)
                .fetch_optional(&mut *conn)
                .await?;
            let owner: Option<String> = row.map(|r| r.try_get(0)).transpose()?;
            return Ok(match owner {
                None => Some(format!("aircraft {registration} does not exist")),
                Some(owner) if &owner != airline => {
                    Some(format!("aircraft {registration} belongs to airline {owner}, not {airline}"))
                }
                Some(_) => None,
            });
        }
    };
    let exists = sqlx::query(sql).bind(code).fetch_optional(&mut *conn).await?.is_some();
    Ok((!exists).then(|| format!("{entity} {code} does not exist")))
}

/// Refuses a write whose references do not hold, naming each bad field.
async fn require_references<T: Table>(
    conn: &mut AnyConnection,
    references: &[(&'static str, Reference)],
) -> Result<(), RegistryError> {
    let mut problems = Problems::new();
    ReferenceCheck::new().check(conn, references, &mut problems).await?;
    if problems.is_empty() { Ok(()) } else { Err(RegistryError::Rejected { entity: T::ENTITY, problems }) }
}

/// Writes a new record inside a transaction and reads it back as stored.
pub async fn write_new<T: Table>(
    conn: &mut AnyConnection,
    id: String,
    fields: &T::Fields,
    now: Micros,
) -> Result<T, RegistryError> {
    let row = T::new(id, fields, 1, now, now);
    if let Some((column, message)) = T::conflict(conn, &row).await? {
        return Err(RegistryError::Conflict { column, message });
    }
    match T::insert(conn, &row).await {
        Err(e) if e.is_unique_violation() => {
            return Err(RegistryError::AlreadyExists { entity: T::ENTITY, code: row.code().to_string() });
        }
        result => result?,
    }
    read_back::<T>(conn, row.id()).await
}

/// Replaces a stored record's fields inside a transaction (version + 1) and reads it back.
pub async fn write_over<T: Table>(
    conn: &mut AnyConnection,
    current: &T,
    fields: &T::Fields,
    now: Micros,
) -> Result<T, RegistryError> {
    let row = T::new(current.id().to_string(), fields, current.version() + 1, current.created_at(), now);
    if let Some(reason) = T::blocked(conn, current, &row).await? {
        return Err(RegistryError::Blocked(reason));
    }
    if let Some((column, message)) = T::conflict(conn, &row).await? {
        return Err(RegistryError::Conflict { column, message });
    }
    if !T::replace(conn, &row, current.version()).await? {
        // Changed by a concurrent writer between our read and our write.
        let now_at = T::by_id(conn, row.id()).await?.map_or(current.version(), |r| r.version());
        return Err(RegistryError::VersionMismatch {
            entity: T::ENTITY,
            id: row.id().to_string(),
            expected: current.version(),
            current: now_at,
        });
    }
    read_back::<T>(conn, row.id()).await
}

async fn read_back<T: Table>(conn: &mut AnyConnection, id: &str) -> Result<T, RegistryError> {
    T::by_id(conn, id).await?.ok_or_else(|| RegistryError::NotFound { entity: T::ENTITY, key: id.to_string() })
}

/// Creates a record, or returns the one an earlier call with the same `request_id` created.
/// `references` (from the input the fields were parsed from) must all exist.
pub async fn create<T: Table>(
    db: &Db,
    actor: &Caller,
    request_id: &str,
    fields: &T::Fields,
    references: &[(&'static str, Reference)],
) -> Result<T, RegistryError> {
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = db.begin().await?;
    if let Some(existing) = tx.claim_request_id(T::CREATE_RPC, request_id, &id).await? {
        return read_back::<T>(tx.conn(), &existing).await;
    }
    require_references::<T>(tx.conn(), references).await?;
    let row = write_new::<T>(tx.conn(), id, fields, now_micros()).await?;
    tx.commit(Change {
        actor: actor.clone(),
        rpc: T::CREATE_RPC,
        entity_type: T::ENTITY,
        entity_id: row.id().to_string(),
        events: vec![events::created(&row)],
    })
    .await?;
    Ok(row)
}

/// Replaces a record's writable fields. `expected_version` 0 skips the version check; the
/// code can never change; `references` must all exist.
pub async fn update<T: Table>(
    db: &Db,
    actor: &Caller,
    id: &str,
    expected_version: i64,
    fields: &T::Fields,
    references: &[(&'static str, Reference)],
) -> Result<T, RegistryError> {
    let mut tx = db.begin().await?;
    let current = read_back::<T>(tx.conn(), id).await?;
    if expected_version != 0 && expected_version != current.version() {
        return Err(RegistryError::VersionMismatch {
            entity: T::ENTITY,
            id: id.to_string(),
            expected: expected_version,
            current: current.version(),
        });
    }
    if current.code() != T::code_of(fields) {
        return Err(RegistryError::CodeChanged {
            entity: T::ENTITY,
            column: T::CODE_COLUMN,
            from: current.code().to_string(),
            to: T::code_of(fields).to_string(),
        });
    }
    require_references::<T>(tx.conn(), references).await?;
    let row = write_over::<T>(tx.conn(), &current, fields, now_micros()).await?;
    tx.commit(Change {
        actor: actor.clone(),
        rpc: T::UPDATE_RPC,
        entity_type: T::ENTITY,
        entity_id: row.id().to_string(),
        events: vec![events::updated(&row)],
    })
    .await?;
    Ok(row)
}

/// Reads a JSON list column (`["defibrillator","ventilator"]`).
pub(crate) fn json_list(text: &str) -> Result<Vec<String>, DbError> {
    serde_json::from_str(text).map_err(|e| DbError::Sqlx(sqlx::Error::Decode(Box::new(e))))
}

/// Writes a JSON list column.
pub(crate) fn to_json_list(values: &[String]) -> String {
    serde_json::to_string(values).unwrap_or_else(|_| "[]".into())
}

/// Reads a boolean stored as BIGINT 0/1.
pub(crate) fn flag(row: &sqlx::any::AnyRow, column: &str) -> Result<bool, DbError> {
    Ok(row.try_get::<i64, _>(column)? != 0)
}
