//! [`TimeZone`]: the IANA time zones of Kazakhstan and their UTC offset, for local-time
//! rules (category-4 routing windows, opening hours) without a time-zone database.
//!
//! Since 1 March 2024 the whole country keeps UTC+5: Asia/Almaty and Asia/Qostanay moved
//! from UTC+6, the western zones were already at UTC+5. None observes summer time.

use std::fmt;

use crate::text::quote;

/// Kazakhstan's IANA zones and their UTC offset in minutes since 2024-03-01.
const ZONES: [(&str, i32); 7] = [
    ("Asia/Almaty", 300),
    ("Asia/Aqtau", 300),
    ("Asia/Aqtobe", 300),
    ("Asia/Atyrau", 300),
    ("Asia/Oral", 300),
    ("Asia/Qostanay", 300),
    ("Asia/Qyzylorda", 300),
];

/// One of Kazakhstan's IANA time zones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeZone {
    name: &'static str,
    utc_offset_minutes: i32,
}

/// Why a string is not a time zone Jedel knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeZoneError {
    /// Nothing was given.
    #[error("is required")]
    Empty,
    /// Not one of Kazakhstan's IANA zones.
    #[error("{} is not a time zone of Kazakhstan (e.g. Asia/Almaty)", quote(.0))]
    Unknown(String),
}

impl TimeZone {
    /// Accepts the exact IANA name of one of Kazakhstan's zones, e.g. `Asia/Almaty`.
    pub fn parse(name: &str) -> Result<TimeZone, TimeZoneError> {
        if name.is_empty() {
            return Err(TimeZoneError::Empty);
        }
        ZONES
            .iter()
            .find(|(zone, _)| *zone == name)
            .map(|&(name, utc_offset_minutes)| TimeZone { name, utc_offset_minutes })
            .ok_or_else(|| TimeZoneError::Unknown(name.to_string()))
    }

    /// The IANA name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The zone's current offset from UTC in minutes (east positive).
    pub fn utc_offset_minutes(&self) -> i32 {
        self.utc_offset_minutes
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kazakhstan_keeps_utc_plus_five() {
        for (name, _) in ZONES {
            let zone = TimeZone::parse(name).unwrap();
            assert_eq!((zone.name(), zone.utc_offset_minutes()), (name, 300));
        }
    }

    #[test]
    fn other_zones_are_refused() {
        assert_eq!(TimeZone::parse(""), Err(TimeZoneError::Empty));
        assert_eq!(
            TimeZone::parse("Europe/Moscow").unwrap_err().to_string(),
            "\"Europe/Moscow\" is not a time zone of Kazakhstan (e.g. Asia/Almaty)"
        );
        assert!(TimeZone::parse("asia/almaty").is_err());
    }
}
