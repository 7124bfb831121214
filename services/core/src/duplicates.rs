//! Finding the open calls a new call may belong to: a duplicate is another caller reporting
//! the same incident (scenes close in space and time); a repeat is the same caller again
//! about their open call (same phone number). This module holds the geometry and the rule;
//! storage supplies the open calls.

use crate::geo::LatLon;
use crate::local_time::{MINUTE, Micros};

/// Mean Earth radius (IUGG), metres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle distance between two positions, in metres (haversine on a sphere; within
/// 0.5 % of the ellipsoid, which is far below what a caller's position is worth).
pub fn distance_m(a: LatLon, b: LatLon) -> f64 {
    let (lat1, lat2) = (a.lat().to_radians(), b.lat().to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.lon() - a.lon()).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// A latitude/longitude box that contains every point within `radius_m` of `center`, for a
/// cheap pre-filter before [`distance_m`] decides.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    /// Southern bound, degrees.
    pub min_lat: f64,
    /// Northern bound, degrees.
    pub max_lat: f64,
    /// Western bound, degrees.
    pub min_lon: f64,
    /// Eastern bound, degrees.
    pub max_lon: f64,
}

impl BoundingBox {
    /// The box around `center` with half-width `radius_m` (with a 1 % margin).
    pub fn around(center: LatLon, radius_m: f64) -> BoundingBox {
        let dlat = (radius_m * 1.01 / EARTH_RADIUS_M).to_degrees();
        // Kazakhstan lies below 56°N, so cos(lat) stays well above zero.
        let dlon = dlat / center.lat().to_radians().cos().max(0.01);
        BoundingBox {
            min_lat: center.lat() - dlat,
            max_lat: center.lat() + dlat,
            min_lon: center.lon() - dlon,
            max_lon: center.lon() + dlon,
        }
    }

    /// Whether `p` is inside the box.
    pub fn contains(&self, p: LatLon) -> bool {
        (self.min_lat..=self.max_lat).contains(&p.lat()) && (self.min_lon..=self.max_lon).contains(&p.lon())
    }
}

/// When two calls are offered as duplicates: scenes within `radius_m` and receptions within
/// `window` of each other.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DuplicateRule {
    /// Largest distance between the scenes, metres.
    pub radius_m: f64,
    /// Largest time between the receptions, µs.
    pub window: Micros,
}

impl Default for DuplicateRule {
    /// 300 m and 30 minutes.
    fn default() -> Self {
        DuplicateRule { radius_m: 300.0, window: 30 * MINUTE }
    }
}

impl DuplicateRule {
    /// The distance between the scenes when the two calls are close enough in space and time
    /// to be the same incident; `None` otherwise.
    pub fn matches(&self, a: (LatLon, Micros), b: (LatLon, Micros)) -> Option<f64> {
        if (a.1 - b.1).abs() > self.window {
            return None;
        }
        let distance = distance_m(a.0, b.0);
        (distance <= self.radius_m).then_some(distance)
    }

    /// Candidates (id, scene, received) that match a new call at `scene` received at
    /// `received`, nearest first (then earliest received), with their distances.
    pub fn candidates<Id>(
        &self,
        scene: LatLon,
        received: Micros,
        open_calls: impl IntoIterator<Item = (Id, LatLon, Micros)>,
    ) -> Vec<(Id, f64)> {
        let mut found: Vec<(Id, f64, Micros)> = open_calls
            .into_iter()
            .filter_map(|(id, at, when)| self.matches((scene, received), (at, when)).map(|d| (id, d, when)))
            .collect();
        found.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.2.cmp(&b.2)));
        found.into_iter().map(|(id, d, _)| (id, d)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(lat: f64, lon: f64) -> LatLon {
        LatLon::parse(lat, lon).unwrap()
    }

    #[test]
    fn known_distances() {
        // Astana to Almaty: about 970 km.
        let d = distance_m(p(51.1694, 71.4491), p(43.2389, 76.8897));
        assert!((d - 970_000.0).abs() < 10_000.0, "{d}");
        // 0.001° of latitude is about 111 m.
        let d = distance_m(p(51.0, 71.0), p(51.001, 71.0));
        assert!((d - 111.2).abs() < 0.5, "{d}");
        assert_eq!(distance_m(p(51.0, 71.0), p(51.0, 71.0)), 0.0);
    }

    #[test]
    fn the_rule_needs_both_space_and_time() {
        let rule = DuplicateRule::default();
        let here = p(51.1280, 71.4305);
        let near = p(51.1300, 71.4305); // ~222 m north
        let far = p(51.1320, 71.4305); // ~445 m north
        assert!(rule.matches((here, 0), (near, 29 * MINUTE)).is_some());
        assert!(rule.matches((here, 0), (near, 30 * MINUTE)).is_some());
        assert!(rule.matches((here, 0), (near, 30 * MINUTE + 1)).is_none());
        assert!(rule.matches((here, 31 * MINUTE), (near, 0)).is_none(), "either order");
        assert!(rule.matches((here, 0), (far, 0)).is_none());
        let found = rule.candidates(here, 0, [("far", far, 0), ("near", near, MINUTE), ("same", here, 2 * MINUTE)]);
        let ids: Vec<&str> = found.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, ["same", "near"]);
        assert!((found[1].1 - 222.4).abs() < 1.0, "{}", found[1].1);
    }

    proptest! {
        #[test]
        fn the_box_contains_every_point_within_the_radius(
            lat in 40.6f64..55.4, lon in 46.5f64..87.3, bearing in 0f64..360.0, frac in 0f64..=1.0, radius in 10f64..5_000.0,
        ) {
            let center = p(lat, lon);
            // A point at distance frac·radius along the bearing (small-distance approximation).
            let d = frac * radius;
            let dlat = (d * bearing.to_radians().cos() / EARTH_RADIUS_M).to_degrees();
            let dlon = (d * bearing.to_radians().sin() / EARTH_RADIUS_M).to_degrees() / lat.to_radians().cos();
            let Ok(point) = LatLon::parse(lat + dlat, lon + dlon) else { return Ok(()) };
            if distance_m(center, point) <= radius {
                prop_assert!(BoundingBox::around(center, radius).contains(point));
            }
        }

        #[test]
        fn distance_is_symmetric_and_obeys_the_triangle_inequality(
            a in (40.6f64..55.4, 46.5f64..87.3), b in (40.6f64..55.4, 46.5f64..87.3), c in (40.6f64..55.4, 46.5f64..87.3),
        ) {
            let (a, b, c) = (p(a.0, a.1), p(b.0, b.1), p(c.0, c.1));
            prop_assert!((distance_m(a, b) - distance_m(b, a)).abs() < 1e-6);
            prop_assert!(distance_m(a, c) <= distance_m(a, b) + distance_m(b, c) + 1e-6);
        }
    }
}
