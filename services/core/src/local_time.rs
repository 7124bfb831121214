//! Instants as the system stores them (microseconds since the Unix epoch, UTC) read as local
//! wall-clock time at a fixed UTC offset, for rules people state in local time: routing
//! windows ("weekdays 08:00–20:00 Asia/Almaty") and the date in a call number.

use chrono::{DateTime, NaiveDateTime, TimeDelta};

/// Microseconds since the Unix epoch, UTC: the one way instants cross into the domain.
pub type Micros = i64;

/// Microseconds in a minute.
pub const MINUTE: Micros = 60_000_000;

/// The local wall-clock time of `at` at `utc_offset_minutes` east of UTC. Instants outside
/// chrono's range (hundreds of thousands of years away) read as the epoch.
pub fn local_date_time(at: Micros, utc_offset_minutes: i32) -> NaiveDateTime {
    let utc = DateTime::from_timestamp_micros(at).unwrap_or_default().naive_utc();
    utc.checked_add_signed(TimeDelta::minutes(i64::from(utc_offset_minutes))).unwrap_or(utc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike as _, Timelike as _, Weekday};

    #[test]
    fn utc_plus_five_moves_the_evening_into_the_next_day() {
        // 2025-11-21 19:30 UTC is Saturday 00:30 in Almaty.
        let at = DateTime::parse_from_rfc3339("2025-11-21T19:30:00Z").unwrap().timestamp_micros();
        let local = local_date_time(at, 300);
        assert_eq!((local.weekday(), local.hour(), local.minute()), (Weekday::Sat, 0, 30));
        assert_eq!(local_date_time(at, 0).weekday(), Weekday::Fri);
    }
}
