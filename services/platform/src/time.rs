//! Time as the system stores it: microseconds since the Unix epoch, UTC, in a plain `i64`,
//! which both PostgreSQL and SQLite keep exactly and sort natively.

use chrono::{DateTime, Utc};

/// Microseconds since the Unix epoch (UTC).
pub type Micros = i64;

/// The current wall-clock time. Only the edges of the system read the clock; domain code
/// takes the time as an argument.
pub fn now_micros() -> Micros {
    Utc::now().timestamp_micros()
}

/// Converts stored microseconds to a protobuf timestamp.
pub fn to_timestamp(micros: Micros) -> prost_types::Timestamp {
    prost_types::Timestamp {
        seconds: micros.div_euclid(1_000_000),
        nanos: (micros.rem_euclid(1_000_000) * 1_000) as i32,
    }
}

/// Converts a protobuf timestamp to microseconds, or `None` when it is out of range.
pub fn from_timestamp(ts: &prost_types::Timestamp) -> Option<Micros> {
    if !(0..1_000_000_000).contains(&ts.nanos) {
        return None;
    }
    ts.seconds.checked_mul(1_000_000)?.checked_add(i64::from(ts.nanos / 1_000))
}

/// Converts stored microseconds to a `chrono` UTC time.
pub fn to_datetime(micros: Micros) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(micros).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip_including_before_the_epoch() {
        for micros in [0, 1, -1, 1_764_000_000_123_456, -86_400_000_001] {
            assert_eq!(from_timestamp(&to_timestamp(micros)), Some(micros));
        }
    }

    #[test]
    fn invalid_nanos_are_refused() {
        let ts = prost_types::Timestamp { seconds: 1, nanos: 1_000_000_000 };
        assert_eq!(from_timestamp(&ts), None);
    }
}
