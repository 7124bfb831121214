//! What can go wrong in the medevac service and how each failure reads to a caller. Every
//! variant becomes an [`ApiError`]: an illegal step of the workflow or of the flight's
//! milestones is `FailedPrecondition` (or `InvalidArgument` when the input is at fault, e.g. a
//! missing reason), a stale `expected_version` is `FailedPrecondition` as the medevac API
//! documents. Storage failures are logged here with their cause and reach the caller only as
//! a bare `Internal` or `Unavailable`.

use jedel_api::ApiError;
use jedel_core::medevac::WorkflowError;
use jedel_core::medevac::flight::ScheduleError;
use jedel_platform::db::DbError;
use tonic::Status;

/// A failed medevac operation.
#[derive(Debug, thiserror::Error)]
pub enum MedevacError {
    /// Refused before anything was changed: bad input, missing role or scope.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The record named does not exist (or is not visible to the caller).
    #[error("{entity} {id} does not exist")]
    NotFound {
        /// What kind of record.
        entity: &'static str,
        /// How it was named.
        id: String,
    },
    /// The client's copy is stale, or another change came first.
    #[error("request {id} is at version {current}, not {expected}; re-read it and retry")]
    VersionMismatch {
        /// The request.
        id: String,
        /// The version the client sent (or read).
        expected: i64,
        /// The version stored.
        current: i64,
    },
    /// The workflow does not allow the step.
    #[error(transparent)]
    Workflow(#[from] WorkflowError),
    /// The flight's milestones do not allow the report.
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
    /// Another illegal-in-this-state condition, e.g. an aircraft that may not fly now.
    #[error("{0}")]
    Precondition(String),
    /// A stored record could not be read back (a bug or a hand-edited row).
    #[error("stored {entity} {id} is unreadable: {reason}")]
    Corrupt {
        /// What kind of record.
        entity: &'static str,
        /// Its id.
        id: String,
        /// What failed.
        reason: String,
    },
    /// The database failed.
    #[error("storage: {0}")]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for MedevacError {
    fn from(error: sqlx::Error) -> Self {
        MedevacError::Db(DbError::from(error))
    }
}

impl From<MedevacError> for ApiError {
    fn from(error: MedevacError) -> ApiError {
        match error {
            MedevacError::Api(e) => e,
            e @ MedevacError::NotFound { .. } => ApiError::NotFound(e.to_string()),
            e @ MedevacError::VersionMismatch { .. } => ApiError::FailedPrecondition(e.to_string()),
            MedevacError::Workflow(e) => match e.bad_field() {
                Some(field) => ApiError::invalid(field, e.to_string()),
                None => ApiError::FailedPrecondition(e.to_string()),
            },
            MedevacError::Schedule(e) => match e.bad_field() {
                Some(field) => ApiError::invalid(field, e.to_string()),
                None => ApiError::FailedPrecondition(e.to_string()),
            },
            MedevacError::Precondition(message) => ApiError::FailedPrecondition(message),
            e @ MedevacError::Corrupt { .. } => {
                tracing::error!(error = %e, "medevac read failure");
                ApiError::Internal("internal storage error".into())
            }
            MedevacError::Db(e) => {
                tracing::error!(error = %e, "medevac storage failure");
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

impl From<MedevacError> for Status {
    fn from(error: MedevacError) -> Status {
        ApiError::from(error).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jedel_core::medevac::{RequestStatus, Step};
    use tonic::Code;

    #[test]
    fn each_failure_has_its_code() {
        let cases = [
            (
                MedevacError::NotFound { entity: "request", id: "r1".into() },
                Code::NotFound,
                "request r1 does not exist",
            ),
            (
                MedevacError::VersionMismatch { id: "r1".into(), expected: 1, current: 2 },
                Code::FailedPrecondition,
                "request r1 is at version 2, not 1; re-read it and retry",
            ),
            (
                MedevacError::Workflow(WorkflowError::Illegal { step: Step::Approve, from: RequestStatus::Draft }),
                Code::FailedPrecondition,
                "cannot approve a request that is draft",
            ),
            (
                MedevacError::Workflow(WorkflowError::ReasonRequired(Step::Reject)),
                Code::InvalidArgument,
                "invalid argument: reason: is required to reject a request",
            ),
            (MedevacError::Db(DbError::NoEvents), Code::Internal, "internal storage error"),
        ];
        for (error, code, message) in cases {
            let status = Status::from(error);
            assert_eq!((status.code(), status.message()), (code, message));
        }
    }
}
