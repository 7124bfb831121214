//! [`SimError`]: everything that stops the simulator, each with a one-line message.

use std::path::PathBuf;

/// Why a simulator command failed.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The failure.
        source: std::io::Error,
    },
    /// A scenario or reference data file is malformed or inconsistent.
    #[error("{file}: {message}")]
    Data {
        /// The file (or data set) at fault.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A command-line value is unusable.
    #[error("{0}")]
    Usage(String),
    /// The dispatch engine refused a command the simulation gave it (a simulator bug).
    #[error("engine refused {action} at t={at}: {message}")]
    Engine {
        /// What the simulator tried.
        action: &'static str,
        /// Simulated time, µs since the epoch.
        at: i64,
        /// The engine's answer.
        message: String,
    },
    /// The server could not be reached or refused the session as a whole.
    #[error("{what}: {message}")]
    Remote {
        /// What was attempted.
        what: String,
        /// The failure.
        message: String,
    },
    /// `load` found acknowledged calls or medevac requests missing from the server.
    #[error("{missing} of {acknowledged} acknowledged {what} are missing from the server")]
    Lost {
        /// What went missing: `calls` or `medevac requests`.
        what: &'static str,
        /// Records the server acknowledged.
        acknowledged: usize,
        /// Of those, not found afterwards.
        missing: usize,
    },
}

impl SimError {
    /// A data error in `file`.
    pub fn data(file: impl Into<String>, message: impl Into<String>) -> SimError {
        SimError::Data { file: file.into(), message: message.into() }
    }

    /// A remote failure while doing `what`.
    pub fn remote(what: impl Into<String>, message: impl std::fmt::Display) -> SimError {
        SimError::Remote { what: what.into(), message: message.to_string() }
    }
}
