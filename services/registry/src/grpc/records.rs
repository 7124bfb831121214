//! Create, get and update, written once for every record type that implements
//! [`Readable`]: the request checked whole (the message's fields and, best effort before the
//! write transaction checks again, that what it references exists), the shared write path
//! called, and the stored row converted back.

use jedel_api::{ApiError, Violations};
use jedel_platform::Caller;
use jedel_platform::db::DbError;
use tonic::Status;
use tracing::info;

use super::access::{Readable, check_read};
use super::{RegistryService, WRITERS, expected_version, finish, record_id, request_id};
use crate::convert::{Resource, add_problems};
use crate::domain::{Problems, Reference};
use crate::error::RegistryError;
use crate::store::{self, ReferenceCheck, Table};

/// How a Get request names its record.
pub(super) enum Lookup {
    /// By UUIDv7.
    Id(String),
    /// By code (call sign, registration, number).
    Code(String),
}

/// A checked message: its fields and what they reference.
type Checked<T> = (<T as Table>::Fields, Vec<(&'static str, Reference)>);

impl RegistryService {
    /// Checks a record message, recording every problem as a violation under `T::ENTITY`.
    async fn check_message<T: Resource>(
        &self,
        message: Option<&T::Message>,
        violations: &mut Violations,
    ) -> Result<Option<Checked<T>>, RegistryError> {
        let Some(message) = message else {
            violations.add(T::ENTITY, "is required");
            return Ok(None);
        };
        let mut problems = Problems::new();
        let (fields, references) = T::check(message, &mut problems);
        let mut conn = self.context.db.reader().acquire().await.map_err(DbError::from)?;
        ReferenceCheck::new().check(&mut conn, &references, &mut problems).await?;
        add_problems(T::ENTITY, problems, violations);
        Ok(fields.map(|fields| (fields, references)))
    }

    /// CreateX: admins only, idempotent by request id.
    pub(super) async fn create_record<T: Readable>(
        &self,
        caller: &Caller,
        request_id_text: &str,
        message: Option<&T::Message>,
    ) -> Result<T::Message, Status> {
        caller.require_role(WRITERS)?;
        let mut violations = Violations::new();
        let request_id = violations.check("request_id", request_id(request_id_text));
        let checked = self.check_message::<T>(message, &mut violations).await?;
        let (request_id, (fields, references)) = finish(violations, request_id.zip(checked))?;
        let row = store::create::<T>(&self.context.db, caller, &request_id, &fields, &references).await?;
        info!(entity = T::ENTITY, code = row.code(), id = row.id(), "record created");
        self.after_write(T::ENTITY).await;
        Ok(row.to_proto())
    }

    /// UpdateX: admins only, optimistic concurrency, the code never changes.
    pub(super) async fn update_record<T: Readable>(
        &self,
        caller: &Caller,
        id: &str,
        version: i64,
        message: Option<&T::Message>,
    ) -> Result<T::Message, Status> {
        caller.require_role(WRITERS)?;
        let mut violations = Violations::new();
        let id = violations.check("id", record_id(id));
        let version = violations.check("expected_version", expected_version(version));
        let checked = self.check_message::<T>(message, &mut violations).await?;
        let ((id, version), (fields, references)) = finish(violations, id.zip(version).zip(checked))?;
        let row = store::update::<T>(&self.context.db, caller, &id, version, &fields, &references).await?;
        info!(entity = T::ENTITY, code = row.code(), version = row.version(), "record updated");
        self.after_write(T::ENTITY).await;
        Ok(row.to_proto())
    }

    /// GetX by id or code, within the caller's scope. `code_field` names the request's code
    /// field (`call_sign`, `registration`, …) in errors.
    pub(super) async fn get_record<T: Readable>(
        &self,
        caller: &Caller,
        lookup: Option<Lookup>,
        code_field: &str,
    ) -> Result<T::Message, Status> {
        caller.require_role(T::READERS)?;
        let mut conn = self.context.db.reader().acquire().await.map_err(|e| RegistryError::from(DbError::from(e)))?;
        let row = match lookup {
            Some(Lookup::Id(id)) => {
                let id = record_id(&id).map_err(|e| ApiError::invalid("id", e))?;
                let found = T::by_id(&mut conn, &id).await.map_err(RegistryError::from)?;
                found.ok_or(RegistryError::NotFound { entity: T::ENTITY, key: id })?
            }
            Some(Lookup::Code(code)) => {
                if code.is_empty() {
                    return Err(ApiError::invalid(code_field, "is required").into());
                }
                let found = T::by_code(&mut conn, &code).await.map_err(RegistryError::from)?;
                found.ok_or(RegistryError::NotFound { entity: T::ENTITY, key: code })?
            }
            None => return Err(ApiError::invalid("key", format!("id or {code_field} is required")).into()),
        };
        check_read(caller, &row)?;
        Ok(row.to_proto())
    }
}
