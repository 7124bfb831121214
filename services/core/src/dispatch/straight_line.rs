//! [`StraightLineModel`]: time proportional to great-circle distance, with no mobilisation,
//! circuity, area or hour. An engine over it ranks units by straight-line distance (ties by
//! id), which is the "closest by straight line" policy the simulator compares against.

use super::travel::{Start, TravelTimeModel, TripQuery};
use crate::geo::LatLon;
use crate::local_time::Micros;

/// Great-circle distance at a constant speed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StraightLineModel {
    speed_kmh: f64,
}

impl StraightLineModel {
    /// A model at `speed_kmh`; `None` unless finite and positive.
    pub fn new(speed_kmh: f64) -> Option<StraightLineModel> {
        (speed_kmh.is_finite() && speed_kmh > 0.0).then_some(StraightLineModel { speed_kmh })
    }

    fn micros(&self, distance_m: f64) -> f64 {
        distance_m * 3.6 / self.speed_kmh * 1e6
    }
}

impl TravelTimeModel for StraightLineModel {
    type Prepared = ();

    fn prepare(&self, _query: &TripQuery<'_>) {}

    fn mobilisation(&self, _trip: &(), _start: Start) -> Micros {
        0
    }

    /// Whole microseconds, rounded up.
    fn travel_time(&self, _trip: &(), _from: LatLon, _to: LatLon, distance_m: f64) -> Micros {
        self.micros(distance_m).ceil() as Micros
    }

    fn lower_bound(&self, _trip: &(), _start: Start, distance_m: f64) -> Micros {
        (self.micros((distance_m * (1.0 - 1e-9) - 1e-3).max(0.0)).floor() as Micros - 1).max(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bound_never_exceeds_the_time() {
        assert!(StraightLineModel::new(0.0).is_none() && StraightLineModel::new(f64::NAN).is_none());
        let model = StraightLineModel::new(60.0).unwrap();
        let p = LatLon::parse(51.0, 71.0).unwrap();
        assert_eq!(model.travel_time(&(), p, p, 1000.0), 60_000_000);
        for d in (0..1000).map(|i| f64::from(i) * 97.3) {
            assert!(model.lower_bound(&(), Start::AtStation, d) <= model.travel_time(&(), p, p, d));
        }
    }
}
