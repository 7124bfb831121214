//! Call numbers people read over the radio: the region's two digits, the local date of
//! reception (YYMMDD) and the day's sequence in the region, e.g. `71-261122-0042`. The
//! sequence itself is allocated by storage, per region and local day; this module names the
//! day and writes the number.

use chrono::NaiveDate;

use crate::local_time::{Micros, local_date_time};
use crate::region_code::RegionCode;

/// The local calendar day a call received at `received_at` belongs to, in a region
/// `utc_offset_minutes` east of UTC: the key its sequence is counted under.
pub fn local_day(received_at: Micros, utc_offset_minutes: i32) -> NaiveDate {
    local_date_time(received_at, utc_offset_minutes).date()
}

/// The number of the `sequence`-th call (from 1) of `region` on local day `day`. Four digits
/// at least; a day with more than 9999 calls gets five.
pub fn call_number(region: &RegionCode, day: NaiveDate, sequence: u32) -> String {
    let digits = &region.as_str()[3..];
    format!("{digits}-{}-{sequence:04}", day.format("%y%m%d"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_region_date_and_sequence() {
        let astana = RegionCode::parse("KZ-71").unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(call_number(&astana, day, 42), "71-261122-0042");
        assert_eq!(call_number(&RegionCode::parse("KZ-10").unwrap(), day, 1), "10-261122-0001");
        assert_eq!(call_number(&astana, day, 12_345), "71-261122-12345");
    }

    #[test]
    fn the_day_changes_at_local_midnight() {
        let utc = |text: &str| chrono::DateTime::parse_from_rfc3339(text).unwrap().timestamp_micros();
        // 18:59:59 UTC is 23:59:59 in Almaty; 19:00 UTC is already the next day there.
        assert_eq!(local_day(utc("2026-11-21T18:59:59Z"), 300), NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
        assert_eq!(local_day(utc("2026-11-21T19:00:00Z"), 300), NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
    }
}
