//! Logging: readable lines on a terminal, JSON otherwise; level from `RUST_LOG` (default
//! `info`). Patient identifiers are never passed to a log macro: handlers log ids, not people.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Installs the global subscriber. Safe to call more than once (later calls do nothing).
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let json = match format {
        LogFormat::Json => true,
        LogFormat::Text => false,
        LogFormat::Auto => !std::io::stderr().is_terminal(),
    };
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ =
        if json { builder.json().flatten_event(true).with_current_span(true).try_init() } else { builder.try_init() };
}
