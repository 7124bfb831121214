//! Calendar dates, validity periods and clock times as records state them: certificates and
//! contracts are valid between two dates (`YYYY-MM-DD`, both days included, read in the
//! deployment's local time), airfields open and close at `HH:MM` local time.
//!
//! Instants cross in as microseconds since the Unix epoch (UTC); the local date of an instant
//! is taken at a fixed UTC offset (Kazakhstan keeps UTC+5 all year).

use std::cmp::Ordering;
use std::fmt;

use chrono::NaiveDate;

use crate::local_time::local_date_time;
use crate::text::quote;

/// Why a text is not a date or a clock time, or two dates are not a period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// Nothing was given.
    #[error("is required")]
    Empty,
    /// Not `YYYY-MM-DD` with a year from 0001 to 9999.
    #[error("{} is not a date: expected YYYY-MM-DD, e.g. 2026-10-01", quote(.0))]
    MalformedDate(String),
    /// The shape is right but the day does not exist (e.g. 2026-02-30).
    #[error("{} is not a day of the calendar", quote(.0))]
    NoSuchDay(String),
    /// Not `HH:MM` from 00:00 to 23:59.
    #[error("{} is not a clock time: expected HH:MM from 00:00 to 23:59", quote(.0))]
    MalformedTime(String),
    /// The last day of a period is before its first.
    #[error("{last} is before {first}")]
    Reversed {
        /// First day.
        first: NaiveDate,
        /// Last day.
        last: NaiveDate,
    },
}

/// Reads a date written `YYYY-MM-DD`: exactly four, two and two ASCII digits, a real day.
pub fn parse_date(text: &str) -> Result<NaiveDate, CalendarError> {
    if text.is_empty() {
        return Err(CalendarError::Empty);
    }
    let malformed = || CalendarError::MalformedDate(text.to_string());
    let bytes = text.as_bytes();
    let digits_at = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    let shaped = bytes.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-';
    if !shaped || !digits_at(0..4) || !digits_at(5..7) || !digits_at(8..10) {
        return Err(malformed());
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().map_err(|_| malformed());
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    if year == 0 {
        return Err(malformed());
    }
    date_from_parts(year as i32, month, day).ok_or_else(|| CalendarError::NoSuchDay(text.to_string()))
}

/// The date of a year, month and day, or `None` when no such day exists or the year is
/// outside 1..=9999.
pub fn date_from_parts(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    if !(1..=9999).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// A date written `YYYY-MM-DD`.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// The local calendar date of the instant `at` (µs since the epoch, UTC) at
/// `utc_offset_minutes` east of UTC. Instants outside chrono's range read as the epoch.
pub fn local_date(at: i64, utc_offset_minutes: i32) -> NaiveDate {
    local_date_time(at, utc_offset_minutes).date()
}

/// Where a day falls relative to a [`Period`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodState {
    /// Before the first day.
    NotStarted,
    /// On the first day, the last day, or between them.
    InForce,
    /// After the last day.
    Ended,
}

/// A validity period of whole days, both ends included: in force from 00:00 of `first` to
/// 24:00 of `last`, local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    first: NaiveDate,
    last: NaiveDate,
}

impl Period {
    /// The period from `first` to `last`; refused when `last` is before `first`.
    pub fn new(first: NaiveDate, last: NaiveDate) -> Result<Period, CalendarError> {
        if last < first {
            return Err(CalendarError::Reversed { first, last });
        }
        Ok(Period { first, last })
    }

    /// First day in force.
    pub fn first(&self) -> NaiveDate {
        self.first
    }

    /// Last day in force.
    pub fn last(&self) -> NaiveDate {
        self.last
    }

    /// Whether `day` is before, inside or after the period.
    pub fn state_on(&self, day: NaiveDate) -> PeriodState {
        match (day.cmp(&self.first), day.cmp(&self.last)) {
            (Ordering::Less, _) => PeriodState::NotStarted,
            (_, Ordering::Greater) => PeriodState::Ended,
            _ => PeriodState::InForce,
        }
    }

    /// Whole days from `day` to the last day: 0 on the last day, negative once ended.
    pub fn days_left(&self, day: NaiveDate) -> i64 {
        (self.last - day).num_days()
    }
}

/// A wall-clock time of day, minutes after local midnight (0..1440), written `HH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime(u16);

impl ClockTime {
    /// Reads `HH:MM`: two digits, a colon, two digits, from 00:00 to 23:59.
    pub fn parse(text: &str) -> Result<ClockTime, CalendarError> {
        if text.is_empty() {
            return Err(CalendarError::Empty);
        }
        let malformed = || CalendarError::MalformedTime(text.to_string());
        let bytes = text.as_bytes();
        if bytes.len() != 5 || bytes[2] != b':' || ![0, 1, 3, 4].iter().all(|&i| bytes[i].is_ascii_digit()) {
            return Err(malformed());
        }
        let hours = u16::from(bytes[0] - b'0') * 10 + u16::from(bytes[1] - b'0');
        let minutes = u16::from(bytes[3] - b'0') * 10 + u16::from(bytes[4] - b'0');
        if hours > 23 || minutes > 59 {
            return Err(malformed());
        }
        Ok(ClockTime(hours * 60 + minutes))
    }

    /// Minutes after midnight, 0..1440.
    pub fn minutes(self) -> u16 {
        self.0
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, TimeDelta};
    use proptest::prelude::*;

    fn day(text: &str) -> NaiveDate {
        parse_date(text).unwrap()
    }

    fn micros(rfc3339: &str) -> i64 {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().timestamp_micros()
    }

    #[test]
    fn dates_are_read_strictly() {
        assert_eq!(day("2026-10-01"), NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
        assert_eq!(day("2028-02-29"), NaiveDate::from_ymd_opt(2028, 2, 29).unwrap());
        assert_eq!(parse_date(""), Err(CalendarError::Empty));
        for bad in
            ["2026-1-05", "26-01-05", "2026/01/05", "2026-01-05T00:00", " 2026-01-05", "0000-01-01", "２０２６-01-05"]
        {
            assert!(matches!(parse_date(bad), Err(CalendarError::MalformedDate(_))), "{bad}");
        }
        assert_eq!(parse_date("2026-02-30").unwrap_err().to_string(), "\"2026-02-30\" is not a day of the calendar");
    }

    #[test]
    fn almaty_midnight_is_seven_pm_utc_the_day_before() {
        assert_eq!(local_date(micros("2026-09-30T19:00:00Z"), 300), day("2026-10-01"));
        assert_eq!(local_date(micros("2026-09-30T18:59:59.999999Z"), 300), day("2026-09-30"));
        assert_eq!(local_date(micros("2026-10-01T18:59:59Z"), 300), day("2026-10-01"));
        assert_eq!(local_date(micros("2026-10-01T19:00:00Z"), 300), day("2026-10-02"));
    }

    #[test]
    fn a_period_includes_both_ends() {
        let period = Period::new(day("2026-02-01"), day("2026-10-01")).unwrap();
        assert_eq!(period.state_on(day("2026-01-31")), PeriodState::NotStarted);
        assert_eq!(period.state_on(day("2026-02-01")), PeriodState::InForce);
        assert_eq!(period.state_on(day("2026-10-01")), PeriodState::InForce);
        assert_eq!(period.state_on(day("2026-10-02")), PeriodState::Ended);
        assert_eq!(period.days_left(day("2026-10-01")), 0);
        assert_eq!(period.days_left(day("2026-11-22")), -52);
        assert!(Period::new(day("2026-01-01"), day("2026-01-01")).is_ok());
        assert_eq!(
            Period::new(day("2026-01-02"), day("2026-01-01")).unwrap_err().to_string(),
            "2026-01-01 is before 2026-01-02"
        );
    }

    #[test]
    fn clock_times_are_read_strictly() {
        assert_eq!(ClockTime::parse("00:00").unwrap().minutes(), 0);
        assert_eq!(ClockTime::parse("23:59").unwrap().minutes(), 1439);
        assert_eq!(ClockTime::parse("08:30").unwrap().to_string(), "08:30");
        for bad in ["24:00", "8:30", "08:60", "08-30", "08:30:00", "ab:cd"] {
            assert!(ClockTime::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn every_day_round_trips(days in 0i64..3_650_000) {
            let date = NaiveDate::from_ymd_opt(1, 1, 1).unwrap() + TimeDelta::days(days);
            prop_assume!(date.format("%Y").to_string().len() == 4);
            prop_assert_eq!(parse_date(&format_date(date)), Ok(date));
        }

        #[test]
        fn anything_not_a_date_is_refused(text in "\\PC{0,12}") {
            if let Ok(date) = parse_date(&text) {
                prop_assert_eq!(format_date(date), text);
            }
        }

        #[test]
        fn the_local_date_changes_at_local_midnight(at in 0i64..4_102_444_800_000_000, offset in -720i32..=840) {
            let local = local_date(at, offset);
            let shifted = DateTime::from_timestamp_micros(at + i64::from(offset) * 60_000_000).unwrap();
            prop_assert_eq!(local, shifted.date_naive());
        }

        #[test]
        fn a_period_contains_exactly_its_days(first in 0i64..20_000, length in 0i64..2_000, probe in -100i64..2_100) {
            let base = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
            let period = Period::new(base + TimeDelta::days(first), base + TimeDelta::days(first + length)).unwrap();
            let day = base + TimeDelta::days(first + probe);
            let expected = if probe < 0 {
                PeriodState::NotStarted
            } else if probe > length {
                PeriodState::Ended
            } else {
                PeriodState::InForce
            };
            prop_assert_eq!(period.state_on(day), expected);
            prop_assert_eq!(period.days_left(day), length - probe);
        }

        #[test]
        fn clock_times_round_trip(minutes in 0u16..1440) {
            let text = format!("{:02}:{:02}", minutes / 60, minutes % 60);
            let time = ClockTime::parse(&text).unwrap();
            prop_assert_eq!((time.minutes(), time.to_string()), (minutes, text));
        }

        #[test]
        fn anything_not_a_clock_time_is_refused(text in "\\PC{0,8}") {
            if let Ok(time) = ClockTime::parse(&text) {
                prop_assert_eq!(time.to_string(), text);
            }
        }
    }
}
