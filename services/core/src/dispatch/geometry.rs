//! Great-circle geometry on unit vectors. A position becomes a point on the unit sphere; the
//! straight-line (chord) distance between two such points grows strictly with the great-circle
//! distance, so an R-tree over these 3-D points finds nearest neighbours in exact great-circle
//! order, with no projection error anywhere in Kazakhstan.

use crate::geo::LatLon;

/// Mean Earth radius in metres (IUGG).
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A position as a point on the unit sphere.
pub type UnitVector = [f64; 3];

/// The unit vector of a position.
pub fn unit_vector(p: LatLon) -> UnitVector {
    let (lat, lon) = (p.lat().to_radians(), p.lon().to_radians());
    let (sin_lat, cos_lat) = lat.sin_cos();
    let (sin_lon, cos_lon) = lon.sin_cos();
    [cos_lat * cos_lon, cos_lat * sin_lon, sin_lat]
}

/// Squared chord between two unit vectors.
pub fn chord_squared(a: &UnitVector, b: &UnitVector) -> f64 {
    let (dx, dy, dz) = (a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    dx * dx + dy * dy + dz * dz
}

/// Great-circle distance in metres for a squared chord.
pub fn arc_m(chord_squared: f64) -> f64 {
    2.0 * EARTH_RADIUS_M * (chord_squared.sqrt() / 2.0).min(1.0).asin()
}

/// Great-circle distance in metres between two unit vectors: the one distance the ranking and
/// any check of it use.
pub fn distance_m(a: &UnitVector, b: &UnitVector) -> f64 {
    arc_m(chord_squared(a, b))
}

/// Great-circle distance in metres between two positions.
pub fn great_circle_m(a: LatLon, b: LatLon) -> f64 {
    distance_m(&unit_vector(a), &unit_vector(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn astana_to_almaty_is_about_970_km() {
        let d = great_circle_m(LatLon::parse(51.17, 71.45).unwrap(), LatLon::parse(43.24, 76.89).unwrap());
        assert!((d - 971_000.0).abs() < 5_000.0, "{d}");
    }

    proptest! {
        #[test]
        fn chord_order_is_distance_order(
            a in (40.5f64..55.5, 46.4f64..87.4), b in (40.5f64..55.5, 46.4f64..87.4), c in (40.5f64..55.5, 46.4f64..87.4)
        ) {
            let (a_ll, b_ll) = (a, b);
            let [a, b, c] = [a, b, c].map(|(lat, lon)| unit_vector(LatLon::parse(lat, lon).unwrap()));
            let (ab, ac) = (chord_squared(&a, &b), chord_squared(&a, &c));
            if ab < ac { prop_assert!(arc_m(ab) <= arc_m(ac)); }
            let (p, q) = (LatLon::parse(a_ll.0, a_ll.1).unwrap(), LatLon::parse(b_ll.0, b_ll.1).unwrap());
            let (dlat, dlon) = ((q.lat() - p.lat()).to_radians(), (q.lon() - p.lon()).to_radians());
            let h = (dlat / 2.0).sin().powi(2) + p.lat().to_radians().cos() * q.lat().to_radians().cos() * (dlon / 2.0).sin().powi(2);
            let haversine = 2.0 * EARTH_RADIUS_M * h.sqrt().asin();
            prop_assert!((great_circle_m(p, q) - haversine).abs() < 1e-3, "haversine agrees to a millimetre");
        }
    }
}
