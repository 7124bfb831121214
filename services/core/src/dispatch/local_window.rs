//! Local wall-clock rules: [`Weekday`], [`LocalTimeWindow`] ("weekdays 08:00–20:00") and
//! [`LocalMoment`], the day and minute of an instant at a region's UTC offset, computed with
//! integer arithmetic so ranking never calls into a calendar library.

use serde::{Deserialize, Serialize};

use crate::local_time::{MINUTE, Micros};

const DAY: Micros = 24 * 60 * MINUTE;

/// Day of the week, ISO numbering (Monday 1 … Sunday 7), as in the API's `Weekday`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    /// Monday.
    Monday,
    /// Tuesday.
    Tuesday,
    /// Wednesday.
    Wednesday,
    /// Thursday.
    Thursday,
    /// Friday.
    Friday,
    /// Saturday.
    Saturday,
    /// Sunday.
    Sunday,
}

impl Weekday {
    /// Monday to Sunday.
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    /// ISO number, 1 (Monday) to 7 (Sunday).
    pub fn number(self) -> u8 {
        self as u8 + 1
    }

    /// The day with this ISO number.
    pub fn from_number(number: u8) -> Option<Weekday> {
        Weekday::ALL.get(usize::from(number).wrapping_sub(1)).copied()
    }

    fn previous(self) -> Weekday {
        Weekday::ALL[(self as usize + 6) % 7]
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// An instant read as local wall-clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalMoment {
    /// Day of the week.
    pub weekday: Weekday,
    /// Minutes after local midnight, 0..1440.
    pub minute: u16,
}

impl LocalMoment {
    /// `at` at `utc_offset_minutes` east of UTC.
    pub fn of(at: Micros, utc_offset_minutes: i32) -> LocalMoment {
        let local = at.saturating_add(Micros::from(utc_offset_minutes) * MINUTE);
        let days = local.div_euclid(DAY);
        let minute = (local.rem_euclid(DAY) / MINUTE) as u16;
        // 1970-01-01 was a Thursday.
        let weekday = Weekday::ALL[(days + 3).rem_euclid(7) as usize];
        LocalMoment { weekday, minute }
    }

    /// The local hour, 0..24.
    pub fn hour(&self) -> u8 {
        (self.minute / 60) as u8
    }
}

/// A recurring weekly window in local time, e.g. weekdays 08:00–20:00. A window whose end is
/// before its start runs past midnight into the next day, and belongs to the day it opens on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalTimeWindow {
    /// Days the window opens on; empty means every day.
    #[serde(default)]
    pub weekdays: Vec<Weekday>,
    /// Opening, minutes after local midnight, 0..=1439.
    pub start_minute: u16,
    /// Closing (exclusive), minutes after local midnight, 1..=1440.
    pub end_minute: u16,
}

/// Why a window is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    /// start_minute is not 0..=1439.
    #[error("start_minute {0} is not 0..=1439")]
    Start(u16),
    /// end_minute is not 1..=1440.
    #[error("end_minute {0} is not 1..=1440")]
    End(u16),
    /// Opening and closing at the same minute.
    #[error("start_minute and end_minute are both {0}; use no window for always")]
    Empty(u16),
}

impl LocalTimeWindow {
    /// Checks the minutes.
    pub fn validate(&self) -> Result<(), WindowError> {
        if self.start_minute > 1439 {
            return Err(WindowError::Start(self.start_minute));
        }
        if self.end_minute == 0 || self.end_minute > 1440 {
            return Err(WindowError::End(self.end_minute));
        }
        if self.start_minute == self.end_minute {
            return Err(WindowError::Empty(self.start_minute));
        }
        Ok(())
    }

    fn opens_on(&self, day: Weekday) -> bool {
        self.weekdays.is_empty() || self.weekdays.iter().any(|d| d.bit() == day.bit())
    }

    /// Whether the window contains the local moment.
    pub fn contains(&self, at: LocalMoment) -> bool {
        let (start, end, m) = (self.start_minute, self.end_minute, at.minute);
        if start < end {
            self.opens_on(at.weekday) && start <= m && m < end
        } else {
            (self.opens_on(at.weekday) && m >= start) || (self.opens_on(at.weekday.previous()) && m < end)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn at(rfc3339: &str) -> Micros {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().timestamp_micros()
    }

    #[test]
    fn local_moments_follow_the_offset() {
        // 2025-11-21 19:30 UTC is Saturday 00:30 in Almaty.
        let m = LocalMoment::of(at("2025-11-21T19:30:00Z"), 300);
        assert_eq!((m.weekday, m.minute, m.hour()), (Weekday::Saturday, 30, 0));
        assert_eq!(LocalMoment::of(at("1969-12-31T23:59:00Z"), 0).weekday, Weekday::Wednesday);
    }

    #[test]
    fn the_phc_window_is_weekdays_eight_to_eight() {
        let phc = LocalTimeWindow { weekdays: Weekday::ALL[..5].to_vec(), start_minute: 8 * 60, end_minute: 20 * 60 };
        phc.validate().unwrap();
        // Friday 2025-11-21, local = UTC+5.
        assert!(phc.contains(LocalMoment::of(at("2025-11-21T03:00:00Z"), 300))); // 08:00
        assert!(!phc.contains(LocalMoment::of(at("2025-11-21T02:59:00Z"), 300))); // 07:59
        assert!(phc.contains(LocalMoment::of(at("2025-11-21T14:59:00Z"), 300))); // 19:59
        assert!(!phc.contains(LocalMoment::of(at("2025-11-21T15:00:00Z"), 300))); // 20:00
        assert!(!phc.contains(LocalMoment::of(at("2025-11-22T05:00:00Z"), 300))); // Saturday 10:00
    }

    #[test]
    fn night_windows_run_past_midnight() {
        let night = LocalTimeWindow { weekdays: vec![Weekday::Friday], start_minute: 20 * 60, end_minute: 8 * 60 };
        night.validate().unwrap();
        assert!(night.contains(LocalMoment { weekday: Weekday::Friday, minute: 23 * 60 }));
        assert!(night.contains(LocalMoment { weekday: Weekday::Saturday, minute: 7 * 60 }));
        assert!(!night.contains(LocalMoment { weekday: Weekday::Friday, minute: 7 * 60 }));
        assert_eq!(
            LocalTimeWindow { weekdays: vec![], start_minute: 5, end_minute: 5 }.validate(),
            Err(WindowError::Empty(5))
        );
    }
}
