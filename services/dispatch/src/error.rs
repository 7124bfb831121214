//! What can go wrong in the Dispatcher and how each failure reads to a caller. The engine's
//! refusals keep their class ([`ErrorKind`] → `InvalidArgument` with the field, `NotFound`,
//! `AlreadyExists`, `FailedPrecondition`); intake's refusals of a timeline step read as intake
//! words them; storage failures are logged here with their cause and reach the caller only as
//! a bare `Internal` or `Unavailable`.

use jedel_api::ApiError;
use jedel_core::dispatch::{DispatchError, ErrorKind};
use jedel_intake::IntakeError;
use jedel_platform::db::DbError;
use tonic::Status;

/// A failed Dispatcher operation.
#[derive(Debug, thiserror::Error)]
pub enum DispatchServiceError {
    /// Refused before the engine ran: bad input, missing role or scope.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The engine refused the command; it changed nothing.
    #[error(transparent)]
    Engine(#[from] DispatchError),
    /// Intake refused to move the call's timeline; nothing was written.
    #[error(transparent)]
    Intake(#[from] IntakeError),
    /// A stored record could not be read back (a bug or a hand-edited row).
    #[error("stored {what} {id} is unreadable: {reason}")]
    Corrupt {
        /// unit, call, assignment, policy.
        what: &'static str,
        /// Its id.
        id: String,
        /// What failed.
        reason: String,
    },
    /// The database failed.
    #[error("storage: {0}")]
    Db(#[from] DbError),
    /// Redis (live positions) failed.
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    /// The engine task is gone (the process is stopping).
    #[error("the dispatch engine is not running")]
    Stopped,
}

impl From<sqlx::Error> for DispatchServiceError {
    fn from(error: sqlx::Error) -> Self {
        DispatchServiceError::Db(DbError::from(error))
    }
}

impl DispatchServiceError {
    /// A corrupt-record error.
    pub fn corrupt(what: &'static str, id: impl Into<String>, reason: impl ToString) -> Self {
        DispatchServiceError::Corrupt { what, id: id.into(), reason: reason.to_string() }
    }
}

/// The API error of an engine refusal.
pub fn engine_error(error: &DispatchError) -> ApiError {
    let message = error.to_string();
    match error.kind() {
        ErrorKind::InvalidArgument => {
            let field = error.field().unwrap_or("request");
            let description = message.strip_prefix(&format!("{field}: ")).unwrap_or(&message).to_string();
            ApiError::invalid(field, description)
        }
        ErrorKind::NotFound => ApiError::NotFound(message),
        ErrorKind::AlreadyExists => ApiError::AlreadyExists(message),
        ErrorKind::FailedPrecondition => ApiError::FailedPrecondition(message),
    }
}

impl From<DispatchServiceError> for Status {
    fn from(error: DispatchServiceError) -> Status {
        match error {
            DispatchServiceError::Api(e) => e.into(),
            DispatchServiceError::Engine(e) => engine_error(&e).into(),
            // A stale version inside dispatch's own transaction means intake changed the call
            // meanwhile: the dispatcher's step is refused as a conflict, not a lost update.
            DispatchServiceError::Intake(e @ IntakeError::VersionMismatch { .. }) => Status::aborted(e.to_string()),
            DispatchServiceError::Intake(e) => e.into(),
            e @ DispatchServiceError::Corrupt { .. } => {
                tracing::error!(error = %e, "dispatch read failure");
                ApiError::Internal("internal storage error".into()).into()
            }
            DispatchServiceError::Db(e) => {
                tracing::error!(error = %e, "dispatch storage failure");
                match e {
                    DbError::Sqlx(sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)) => {
                        ApiError::Unavailable("the database is unavailable; retry later".into()).into()
                    }
                    _ => ApiError::Internal("internal storage error".into()).into(),
                }
            }
            DispatchServiceError::Redis(e) => {
                tracing::error!(error = %e, "dispatch redis failure");
                ApiError::Unavailable("live positions are unavailable; retry later".into()).into()
            }
            DispatchServiceError::Stopped => ApiError::Unavailable("the dispatcher is stopping; retry".into()).into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tonic::Code;

    #[test]
    fn engine_refusals_keep_their_class_and_field() {
        let status = Status::from(DispatchServiceError::Engine(DispatchError::Invalid {
            field: "reason",
            message: "is required when the unit is not the top recommendation".into(),
        }));
        assert_eq!(status.code(), Code::InvalidArgument);
        assert_eq!(
            status.message(),
            "invalid argument: reason: is required when the unit is not the top recommendation"
        );
        let status =
            Status::from(DispatchServiceError::Engine(DispatchError::Precondition("unit u is on_scene".into())));
        assert_eq!((status.code(), status.message()), (Code::FailedPrecondition, "unit u is on_scene"));
        let status =
            Status::from(DispatchServiceError::Engine(DispatchError::NotFound { what: "unit", id: "u".into() }));
        assert_eq!((status.code(), status.message()), (Code::NotFound, "unit u not found"));
        let status = Status::from(DispatchServiceError::Db(DbError::NoEvents));
        assert_eq!((status.code(), status.message()), (Code::Internal, "internal storage error"));
    }
}
