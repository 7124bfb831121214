//! What can go wrong in the registry, and how each failure reads to a caller: every variant
//! converts into the API's [`ApiError`] (and so into a `tonic::Status` with the richer error
//! model). Storage failures are logged here with their cause and reach the caller only as a
//! bare `Internal` or `Unavailable`.

use jedel_api::{ApiError, Violations};
use jedel_platform::db::DbError;
use tonic::Status;

use crate::convert::field_path;
use crate::domain::Problems;

fn describe(problems: &Problems) -> String {
    problems.iter().map(|(column, message)| format!("{column}: {message}")).collect::<Vec<_>>().join("; ")
}

/// A failed registry operation.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The request was refused before anything was looked up: bad input, missing role or
    /// scope, no credentials.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The record named does not exist.
    #[error("{entity} {key} does not exist")]
    NotFound {
        /// What kind of record, e.g. `region`.
        entity: &'static str,
        /// How it was named: an id or a code.
        key: String,
    },
    /// A record with the same code exists.
    #[error("{entity} {code} already exists")]
    AlreadyExists {
        /// What kind of record.
        entity: &'static str,
        /// The code taken.
        code: String,
    },
    /// The client's copy is stale: the record changed since it was read.
    #[error("{entity} {id} is at version {current}, not {expected}")]
    VersionMismatch {
        /// What kind of record.
        entity: &'static str,
        /// The record's id.
        id: String,
        /// The version the client sent.
        expected: i64,
        /// The version stored.
        current: i64,
    },
    /// An update tried to change a record's code, which other records reference it by.
    #[error("cannot change from {from} to {to}; codes never change")]
    CodeChanged {
        /// What kind of record, also the request field holding it, e.g. `region`.
        entity: &'static str,
        /// The data-file column of the code, e.g. `code`.
        column: &'static str,
        /// The stored code.
        from: String,
        /// The code sent.
        to: String,
    },
    /// The record was refused once checked against the database: each problem names its
    /// data-file column (e.g. a reference to a code that does not exist).
    #[error("{entity} refused: {}", describe(problems))]
    Rejected {
        /// What kind of record, also the request field holding it, e.g. `station`.
        entity: &'static str,
        /// What is wrong, by column.
        problems: Problems,
    },
    /// Another record holds a unique value this one needs beyond its code (an airline's BIN).
    #[error("{message}")]
    Conflict {
        /// The data-file column at fault.
        column: &'static str,
        /// What clashes, e.g. "bin 081140707705 belongs to airline KAZAVIASPAS".
        message: String,
    },
    /// The change is not allowed in the record's present state.
    #[error("{0}")]
    Blocked(String),
    /// The database failed.
    #[error("storage: {0}")]
    Db(#[from] DbError),
}

impl From<RegistryError> for ApiError {
    fn from(error: RegistryError) -> ApiError {
        match error {
            RegistryError::Api(e) => e,
            e @ RegistryError::NotFound { .. } => ApiError::NotFound(e.to_string()),
            e @ RegistryError::AlreadyExists { .. } => ApiError::AlreadyExists(e.to_string()),
            e @ RegistryError::VersionMismatch { .. } => ApiError::FailedPrecondition(e.to_string()),
            e @ RegistryError::CodeChanged { entity, column, .. } => {
                ApiError::invalid(field_path(entity, column), e.to_string())
            }
            RegistryError::Rejected { entity, problems } => {
                let mut violations = Violations::new();
                for (column, message) in problems.iter() {
                    violations.add(field_path(entity, column), message.clone());
                }
                violations.finish().err().unwrap_or_else(|| ApiError::Internal("a refusal without a reason".into()))
            }
            e @ RegistryError::Conflict { .. } => ApiError::AlreadyExists(e.to_string()),
            e @ RegistryError::Blocked(_) => ApiError::FailedPrecondition(e.to_string()),
            RegistryError::Db(e) => {
                tracing::error!(error = %e, "registry storage failure");
                match e {
                    DbError::Sqlx(sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)) => {
                        ApiError::Unavailable("the database is unavailable; retry later".into())
                    }
                    _ => ApiError::Internal("internal storage error".into()),
                }
            }
        }
    }
}

impl From<RegistryError> for Status {
    fn from(error: RegistryError) -> Status {
        ApiError::from(error).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tonic::Code;

    #[test]
    fn each_failure_has_its_code_and_a_plain_message() {
        let mut missing_region = Problems::new();
        missing_region.add("region_code", "region KZ-99 does not exist");
        let mut late_tariff = Problems::new();
        late_tariff.add("aircraft", "aircraft UP-X1234 does not exist");
        late_tariff.add("tariff_kzt_per_hour", "must be positive");
        let cases = [
            (
                RegistryError::NotFound { entity: "region", key: "KZ-99".into() },
                Code::NotFound,
                "region KZ-99 does not exist",
            ),
            (
                RegistryError::AlreadyExists { entity: "station", code: "AST-01".into() },
                Code::AlreadyExists,
                "station AST-01 already exists",
            ),
            (
                RegistryError::VersionMismatch { entity: "region", id: "r1".into(), expected: 1, current: 2 },
                Code::FailedPrecondition,
                "region r1 is at version 2, not 1",
            ),
            (
                RegistryError::Rejected { entity: "station", problems: missing_region },
                Code::InvalidArgument,
                "invalid argument: station.region_code: region KZ-99 does not exist",
            ),
            (
                RegistryError::Rejected { entity: "contract", problems: late_tariff },
                Code::InvalidArgument,
                "invalid argument: contract.aircraft: aircraft UP-X1234 does not exist; \
                 contract.tariff_per_hour: must be positive",
            ),
            (
                RegistryError::Conflict { column: "bin", message: "bin 081140707705 belongs to airline K".into() },
                Code::AlreadyExists,
                "bin 081140707705 belongs to airline K",
            ),
            (
                RegistryError::Blocked("contract 1/2026 lists it".into()),
                Code::FailedPrecondition,
                "contract 1/2026 lists it",
            ),
            (
                RegistryError::CodeChanged {
                    entity: "region",
                    column: "code",
                    from: "KZ-71".into(),
                    to: "KZ-75".into(),
                },
                Code::InvalidArgument,
                "invalid argument: region.code: cannot change from KZ-71 to KZ-75; codes never change",
            ),
            (RegistryError::Db(DbError::NoEvents), Code::Internal, "internal storage error"),
            (
                RegistryError::Db(DbError::Sqlx(sqlx::Error::PoolTimedOut)),
                Code::Unavailable,
                "the database is unavailable; retry later",
            ),
        ];
        for (error, code, message) in cases {
            let status = Status::from(error);
            assert_eq!((status.code(), status.message()), (code, message));
        }
    }
}
