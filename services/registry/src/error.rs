//! What can go wrong in the registry, and how each failure reads to a caller: every variant
//! converts into the API's [`ApiError`] (and so into a `tonic::Status` with the richer error
//! model). Storage failures are logged here with their cause and reach the caller only as a
//! bare `Internal` or `Unavailable`.

use jedel_api::ApiError;
use jedel_platform::db::DbError;
use tonic::Status;

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
        /// The request field holding the code, e.g. `region.code`.
        field: &'static str,
        /// The stored code.
        from: String,
        /// The code sent.
        to: String,
    },
    /// A record references another by a code that does not exist.
    #[error("{entity} {code} does not exist")]
    MissingReference {
        /// The request field holding the reference, e.g. `station.region_code`.
        field: &'static str,
        /// What kind of record is referenced.
        entity: &'static str,
        /// The code referenced.
        code: String,
    },
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
            e @ (RegistryError::CodeChanged { field, .. } | RegistryError::MissingReference { field, .. }) => {
                ApiError::invalid(field, e.to_string())
            }
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
                RegistryError::MissingReference {
                    field: "station.region_code",
                    entity: "region",
                    code: "KZ-99".into(),
                },
                Code::InvalidArgument,
                "invalid argument: station.region_code: region KZ-99 does not exist",
            ),
            (
                RegistryError::CodeChanged { field: "region.code", from: "KZ-71".into(), to: "KZ-75".into() },
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
