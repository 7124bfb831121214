//! Sunrise and sunset at a place on a local date, by NOAA's sunrise equation (the form
//! published with NOAA's solar calculator: mean anomaly, equation of the centre, ecliptic
//! longitude, the equation of time folded into the transit, declination, and the hour angle
//! at which the sun's upper limb touches the horizon with standard refraction, −0.833°).
//! Accurate to about a minute at Kazakhstan's latitudes, which is what the night rule needs.
//! Pure: no clock, no time-zone database; the local date is read at a fixed UTC offset.

use chrono::NaiveDate;

use crate::geo::LatLon;
use crate::local_time::{Micros, local_date_time};

/// Julian date of the J2000.0 epoch, 2000-01-01 12:00 UTC.
const J2000: f64 = 2_451_545.0;
/// Julian date of the Unix epoch, 1970-01-01 00:00 UTC.
const UNIX_EPOCH_JD: f64 = 2_440_587.5;
/// Microseconds in a day.
const DAY_MICROS: f64 = 86_400_000_000.0;
/// The sun's altitude at sunrise and sunset: refraction and the solar semi-diameter.
const HORIZON_DEG: f64 = -0.833;
/// The obliquity of the ecliptic.
const OBLIQUITY_DEG: f64 = 23.4397;

/// The sun's day at a place on one local date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SolarDay {
    /// The sun rises and sets: daylight from `sunrise` to `sunset` (µs since the epoch, UTC).
    Rises {
        /// Sunrise, µs since the epoch.
        sunrise: Micros,
        /// Sunset, µs since the epoch.
        sunset: Micros,
    },
    /// The sun stays up all day (polar day; never in Kazakhstan).
    AlwaysUp,
    /// The sun stays down all day (polar night; never in Kazakhstan).
    AlwaysDown,
}

impl SolarDay {
    /// Whether the sun is up at `at`.
    pub fn is_daylight(&self, at: Micros) -> bool {
        match *self {
            SolarDay::Rises { sunrise, sunset } => (sunrise..sunset).contains(&at),
            SolarDay::AlwaysUp => true,
            SolarDay::AlwaysDown => false,
        }
    }
}

/// Sunrise and sunset at `place` on the local calendar `date` (the sun's transit nearest
/// local noon).
pub fn solar_day(place: LatLon, date: NaiveDate) -> SolarDay {
    let epoch = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    let n = (date - epoch).num_days() as f64;
    let (lat, lon) = (place.lat(), place.lon());
    // Mean solar noon at this longitude, in days since J2000.0 (east is earlier).
    let mean_noon = n - lon / 360.0;
    let anomaly = (357.5291 + 0.985_600_28 * mean_noon).rem_euclid(360.0).to_radians();
    let centre = 1.9148 * anomaly.sin() + 0.0200 * (2.0 * anomaly).sin() + 0.0003 * (3.0 * anomaly).sin();
    let ecliptic = (anomaly.to_degrees() + centre + 180.0 + 102.9372).rem_euclid(360.0).to_radians();
    let transit = J2000 + mean_noon + 0.0053 * anomaly.sin() - 0.0069 * (2.0 * ecliptic).sin();
    let declination = (ecliptic.sin() * OBLIQUITY_DEG.to_radians().sin()).asin();
    let latitude = lat.to_radians();
    let cos_hour_angle =
        (HORIZON_DEG.to_radians().sin() - latitude.sin() * declination.sin()) / (latitude.cos() * declination.cos());
    if cos_hour_angle > 1.0 {
        return SolarDay::AlwaysDown;
    }
    if cos_hour_angle < -1.0 {
        return SolarDay::AlwaysUp;
    }
    let half_day = cos_hour_angle.acos().to_degrees() / 360.0;
    let micros = |julian: f64| ((julian - UNIX_EPOCH_JD) * DAY_MICROS).round() as Micros;
    SolarDay::Rises { sunrise: micros(transit - half_day), sunset: micros(transit + half_day) }
}

/// The sun's day at `place` on the local date of `at`, the date read at `utc_offset_minutes`.
pub fn solar_day_at(place: LatLon, at: Micros, utc_offset_minutes: i32) -> SolarDay {
    solar_day(place, local_date_time(at, utc_offset_minutes).date())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::parse_date;
    use chrono::DateTime;

    /// An Almaty (UTC+5) wall-clock time as µs since the epoch.
    fn almaty(local: &str) -> Micros {
        DateTime::parse_from_rfc3339(&format!("{local}+05:00")).unwrap().timestamp_micros()
    }

    fn close(actual: Micros, expected: &str) {
        let expected = almaty(expected);
        let off_s = (actual - expected).abs() / 1_000_000;
        assert!(off_s <= 120, "{} is {off_s} s away from {}", actual, expected);
    }

    /// Reference times for Astana and Almaty (UTC+5) at the solstices, an equinox and a winter
    /// day, from an independent implementation of NOAA's solar calculator (Python's `astral`
    /// 3.2, to the second), matched within two minutes.
    #[test]
    fn astana_and_almaty_match_the_published_times() {
        let astana = LatLon::parse(51.17, 71.45).unwrap();
        let almaty_city = LatLon::parse(43.24, 76.89).unwrap();
        let cases = [
            (astana, "2026-06-21", "03:59", "20:33"),
            (astana, "2026-12-21", "08:16", "16:08"),
            (astana, "2026-03-20", "06:18", "18:27"),
            (astana, "2026-11-22", "07:42", "16:18"),
            (almaty_city, "2026-06-21", "04:13", "19:36"),
            (almaty_city, "2026-12-21", "07:21", "16:19"),
            (almaty_city, "2026-09-23", "05:41", "17:48"),
        ];
        for (place, date, rise, set) in cases {
            let SolarDay::Rises { sunrise, sunset } = solar_day(place, parse_date(date).unwrap()) else {
                panic!("the sun rises in Kazakhstan");
            };
            close(sunrise, &format!("{date}T{rise}:00"));
            close(sunset, &format!("{date}T{set}:00"));
        }
    }

    #[test]
    fn daylight_is_between_sunrise_and_sunset_of_the_local_date() {
        let zhezkazgan = LatLon::parse(47.71, 67.73).unwrap();
        // 2026-11-22 at Zhezkazgan: sunrise about 07:45, sunset about 16:45 (UTC+5).
        let day = |local: &str| solar_day_at(zhezkazgan, almaty(local), 300).is_daylight(almaty(local));
        assert!(!day("2026-11-22T07:30:00"));
        assert!(day("2026-11-22T08:00:00"));
        assert!(day("2026-11-22T16:30:00"));
        assert!(!day("2026-11-22T17:00:00"));
        assert!(!day("2026-11-22T00:10:00"));
    }
}
