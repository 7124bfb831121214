//! What can go wrong in intake and how each failure reads to a caller. Most variants become
//! an [`ApiError`]; a stale `expected_version` becomes `Aborted` (re-read and retry), as the
//! intake API documents. Storage failures are logged here with their cause and reach the
//! caller only as a bare `Internal` or `Unavailable`.

use jedel_api::ApiError;
use jedel_core::call::TransitionError;
use jedel_platform::db::DbError;
use tonic::Status;

/// A failed intake operation.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    /// Refused before anything was looked up: bad input, missing role or scope.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The call named does not exist.
    #[error("call {0} does not exist")]
    NotFound(String),
    /// The client's copy is stale.
    #[error("call {id} is at version {current}, not {expected}; re-read it and retry")]
    VersionMismatch {
        /// The call.
        id: String,
        /// The version the client sent.
        expected: i64,
        /// The version stored.
        current: i64,
    },
    /// The call's state does not allow the change (or the request is wrong for it).
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// Another illegal-in-this-state condition, e.g. linking to a closed call.
    #[error("{0}")]
    Precondition(String),
    /// A stored record could not be read back (a bug or a hand-edited row).
    #[error("stored call {id} is unreadable: {reason}")]
    Corrupt {
        /// The call.
        id: String,
        /// What failed.
        reason: String,
    },
    /// The database failed.
    #[error("storage: {0}")]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for IntakeError {
    fn from(error: sqlx::Error) -> Self {
        IntakeError::Db(DbError::from(error))
    }
}

impl From<IntakeError> for Status {
    fn from(error: IntakeError) -> Status {
        match error {
            IntakeError::Api(e) => e.into(),
            e @ IntakeError::VersionMismatch { .. } => Status::aborted(e.to_string()),
            e @ IntakeError::NotFound(_) => ApiError::NotFound(e.to_string()).into(),
            IntakeError::Transition(e) => match e.bad_field() {
                Some(field) => ApiError::invalid(field, e.to_string()).into(),
                None => ApiError::FailedPrecondition(e.to_string()).into(),
            },
            IntakeError::Precondition(message) => ApiError::FailedPrecondition(message).into(),
            e @ IntakeError::Corrupt { .. } => {
                tracing::error!(error = %e, "intake read failure");
                ApiError::Internal("internal storage error".into()).into()
            }
            IntakeError::Db(e) => {
                tracing::error!(error = %e, "intake storage failure");
                match e {
                    DbError::Sqlx(sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)) => {
                        ApiError::Unavailable("the database is unavailable; retry later".into()).into()
                    }
                    _ => ApiError::Internal("internal storage error".into()).into(),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jedel_core::CallStatus;
    use tonic::Code;

    #[test]
    fn each_failure_has_its_code() {
        let cases = [
            (IntakeError::NotFound("c1".into()), Code::NotFound, "call c1 does not exist"),
            (
                IntakeError::VersionMismatch { id: "c1".into(), expected: 1, current: 2 },
                Code::Aborted,
                "call c1 is at version 2, not 1; re-read it and retry",
            ),
            (
                IntakeError::Transition(TransitionError::Terminal(CallStatus::Closed)),
                Code::FailedPrecondition,
                "the call is closed; it can no longer change",
            ),
            (
                IntakeError::Transition(TransitionError::InFuture),
                Code::InvalidArgument,
                "invalid argument: occurred_at: is in the future",
            ),
            (IntakeError::Db(DbError::NoEvents), Code::Internal, "internal storage error"),
        ];
        for (error, code, message) in cases {
            let status = Status::from(error);
            assert_eq!((status.code(), status.message()), (code, message));
        }
    }
}
