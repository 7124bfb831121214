//! [`DispatchError`]: why the engine refused a command, with an [`ErrorKind`] the service maps
//! to a gRPC code and, for bad input, the field at fault. A refused command changes nothing.

/// The class of an error, as the API's status codes see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The request is wrong in itself (`InvalidArgument`).
    InvalidArgument,
    /// Something named does not exist (`NotFound`).
    NotFound,
    /// It exists already (`AlreadyExists`).
    AlreadyExists,
    /// Not allowed in the current state (`FailedPrecondition`).
    FailedPrecondition,
}

/// Why a command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DispatchError {
    /// A field of the request is invalid.
    #[error("{field}: {message}")]
    Invalid {
        /// The field at fault, as the API names it.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// No such record.
    #[error("{what} {id} not found")]
    NotFound {
        /// unit, call, assignment, recommendation.
        what: &'static str,
        /// The id given.
        id: String,
    },
    /// A record with this id exists.
    #[error("{what} {id} already exists")]
    AlreadyExists {
        /// unit, call.
        what: &'static str,
        /// The id given.
        id: String,
    },
    /// Not allowed in the current state.
    #[error("{0}")]
    Precondition(String),
}

impl DispatchError {
    /// The class of the error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            DispatchError::Invalid { .. } => ErrorKind::InvalidArgument,
            DispatchError::NotFound { .. } => ErrorKind::NotFound,
            DispatchError::AlreadyExists { .. } => ErrorKind::AlreadyExists,
            DispatchError::Precondition(_) => ErrorKind::FailedPrecondition,
        }
    }

    /// The field at fault, for invalid input.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            DispatchError::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> DispatchError {
        DispatchError::Invalid { field, message: message.into() }
    }

    pub(crate) fn not_found(what: &'static str, id: impl ToString) -> DispatchError {
        DispatchError::NotFound { what, id: id.to_string() }
    }

    pub(crate) fn precondition(message: impl Into<String>) -> DispatchError {
        DispatchError::Precondition(message.into())
    }
}
