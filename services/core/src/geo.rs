//! [`LatLon`]: a WGS-84 position that lies inside Kazakhstan's bounding box (with a margin
//! for border crossings and neighbouring airfields), the only kind of position Jedel stores.

use std::fmt;
use std::ops::RangeInclusive;

/// Latitudes Jedel accepts, in decimal degrees: Kazakhstan spans about 40.6°N–55.4°N.
pub const KAZAKHSTAN_LAT: RangeInclusive<f64> = 40.5..=55.5;
/// Longitudes Jedel accepts, in decimal degrees: Kazakhstan spans about 46.5°E–87.3°E.
pub const KAZAKHSTAN_LON: RangeInclusive<f64> = 46.4..=87.4;

/// A position inside Kazakhstan, in decimal degrees. Both coordinates are finite and
/// inside [`KAZAKHSTAN_LAT`] and [`KAZAKHSTAN_LON`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLon {
    lat: f64,
    lon: f64,
}

/// One of the two coordinates, so an error can name the field at fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// Latitude, north positive.
    Lat,
    /// Longitude, east positive.
    Lon,
}

impl Axis {
    fn name(self) -> &'static str {
        match self {
            Axis::Lat => "latitude",
            Axis::Lon => "longitude",
        }
    }

    fn bounds(self) -> &'static RangeInclusive<f64> {
        match self {
            Axis::Lat => &KAZAKHSTAN_LAT,
            Axis::Lon => &KAZAKHSTAN_LON,
        }
    }
}

/// Why one coordinate is refused.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum CoordinateError {
    /// NaN or infinite.
    #[error("{} is not a finite number", .0.name())]
    NotFinite(Axis),
    /// A number, but outside Kazakhstan.
    #[error("{} {value} is outside Kazakhstan ({}..={})", axis.name(), axis.bounds().start(), axis.bounds().end())]
    OutsideKazakhstan {
        /// Which coordinate.
        axis: Axis,
        /// The value given.
        value: f64,
    },
}

impl CoordinateError {
    /// The coordinate at fault.
    pub fn axis(&self) -> Axis {
        match self {
            CoordinateError::NotFinite(axis) | CoordinateError::OutsideKazakhstan { axis, .. } => *axis,
        }
    }
}

/// Why a position is refused: whichever of its coordinates are bad, each on its own so a
/// caller can report one violation per field.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct LatLonError {
    /// What is wrong with the latitude, if anything.
    pub lat: Option<CoordinateError>,
    /// What is wrong with the longitude, if anything.
    pub lon: Option<CoordinateError>,
}

impl LatLonError {
    fn describe(&self) -> String {
        [self.lat, self.lon].iter().flatten().map(ToString::to_string).collect::<Vec<_>>().join("; ")
    }
}

/// Checks one coordinate against Kazakhstan's bounds.
pub fn check_coordinate(axis: Axis, value: f64) -> Result<f64, CoordinateError> {
    if !value.is_finite() {
        return Err(CoordinateError::NotFinite(axis));
    }
    if !axis.bounds().contains(&value) {
        return Err(CoordinateError::OutsideKazakhstan { axis, value });
    }
    Ok(value)
}

impl LatLon {
    /// A position from decimal degrees, refused unless both coordinates are inside Kazakhstan.
    pub fn parse(lat: f64, lon: f64) -> Result<LatLon, LatLonError> {
        match (check_coordinate(Axis::Lat, lat), check_coordinate(Axis::Lon, lon)) {
            (Ok(lat), Ok(lon)) => Ok(LatLon { lat, lon }),
            (lat, lon) => Err(LatLonError { lat: lat.err(), lon: lon.err() }),
        }
    }

    /// Latitude in decimal degrees, north positive.
    pub fn lat(&self) -> f64 {
        self.lat
    }

    /// Longitude in decimal degrees, east positive.
    pub fn lon(&self) -> f64 {
        self.lon
    }
}

impl fmt::Display for LatLon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.5}, {:.5}", self.lat, self.lon)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn regional_centres_are_inside() {
        for (lat, lon) in
            [(51.17, 71.45), (43.24, 76.89), (42.34, 69.59), (54.87, 69.15), (47.12, 51.88), (49.95, 82.62)]
        {
            let p = LatLon::parse(lat, lon).unwrap();
            assert_eq!((p.lat(), p.lon()), (lat, lon));
        }
    }

    #[test]
    fn the_bounds_are_inclusive() {
        assert!(LatLon::parse(40.5, 46.4).is_ok());
        assert!(LatLon::parse(55.5, 87.4).is_ok());
    }

    #[test]
    fn errors_name_the_bad_coordinate() {
        let moscow = LatLon::parse(55.75, 37.62).unwrap_err();
        assert_eq!(moscow.lat.unwrap().to_string(), "latitude 55.75 is outside Kazakhstan (40.5..=55.5)");
        assert_eq!(moscow.lon.unwrap().to_string(), "longitude 37.62 is outside Kazakhstan (46.4..=87.4)");
        let unset = LatLon::parse(0.0, 71.45).unwrap_err();
        assert_eq!(unset.lat.map(|e| e.axis()), Some(Axis::Lat));
        assert_eq!(unset.lon, None);
        assert_eq!(unset.to_string(), "latitude 0 is outside Kazakhstan (40.5..=55.5)");
        let nan = LatLon::parse(51.0, f64::NAN).unwrap_err();
        assert_eq!(nan.lon, Some(CoordinateError::NotFinite(Axis::Lon)));
        assert_eq!(nan.to_string(), "longitude is not a finite number");
    }

    proptest! {
        #[test]
        fn every_point_in_the_box_is_accepted(lat in 40.5f64..=55.5, lon in 46.4f64..=87.4) {
            let p = LatLon::parse(lat, lon).unwrap();
            prop_assert_eq!((p.lat(), p.lon()), (lat, lon));
        }

        #[test]
        fn acceptance_is_exactly_the_box(lat in proptest::num::f64::ANY, lon in proptest::num::f64::ANY) {
            let inside = (40.5..=55.5).contains(&lat) && (46.4..=87.4).contains(&lon);
            let result = LatLon::parse(lat, lon);
            prop_assert_eq!(result.is_ok(), inside);
            if let Err(e) = result {
                prop_assert_eq!(e.lat.is_some(), !(40.5..=55.5).contains(&lat));
                prop_assert_eq!(e.lon.is_some(), !(46.4..=87.4).contains(&lon));
            }
        }

        #[test]
        fn points_outside_are_refused(lat in -90f64..40.5, lon in 87.41f64..180.0) {
            let e = LatLon::parse(lat, lon).unwrap_err();
            prop_assert!(e.lat.is_some() && e.lon.is_some());
        }
    }
}
