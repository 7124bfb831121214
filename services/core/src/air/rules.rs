//! The parameters of air tasking (reserve, allowances, how far a landing site may be from an
//! end), and the ground-leg estimate: the dispatch engine's road model
//! ([`TableTravelModel`], `data/dispatch/travel-time.json`) driven by an ambulance from a
//! standing start, the first kilometres on country roads and the rest on highways.

use crate::dispatch::{AreaType, Start, TableTravelModel, TravelTimeModel as _, TripQuery};
use crate::geo::LatLon;
use crate::local_time::{MINUTE, Micros, local_date_time};
use crate::region_code::RegionCode;

use chrono::Timelike as _;

/// How plans are built and judged. [`AirRules::kazakhstan`] holds the defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct AirRules {
    /// Flight time kept in reserve on every leg: a leg may be at most the range less this
    /// much flying at cruise speed.
    pub reserve: Micros,
    /// Added to every flight leg for start-up, taxi, climb and approach.
    pub leg_allowance: Micros,
    /// From aircraft and patient (or team) both at the pick-up site to take-off.
    pub boarding: Micros,
    /// From landing to the ambulance leaving for the destination.
    pub handover: Micros,
    /// From landing to take-off of the return flight.
    pub turnaround: Micros,
    /// The farthest a landing site may be from an end (great circle), m.
    pub catchment_m: f64,
    /// A landing site this close to an end is at it: no ground leg, m.
    pub at_place_m: f64,
    /// How many usable landing sites per end are tried, nearest first.
    pub sites_per_end: usize,
    /// The local time of opening hours, dates and the night rule, minutes east of UTC.
    pub utc_offset_minutes: i32,
    /// The road model of the ground legs.
    pub road: TableTravelModel,
}

impl AirRules {
    /// The defaults for Kazakhstan: a 30-minute reserve, 10 minutes per leg, 15 to board,
    /// 10 to hand over, 30 to turn round, landing sites within 150 km, UTC+5, and the shipped
    /// road model.
    pub fn kazakhstan() -> AirRules {
        AirRules {
            reserve: 30 * MINUTE,
            leg_allowance: 10 * MINUTE,
            boarding: 15 * MINUTE,
            handover: 10 * MINUTE,
            turnaround: 30 * MINUTE,
            catchment_m: 150_000.0,
            at_place_m: 1_000.0,
            sites_per_end: 3,
            utc_offset_minutes: 300,
            road: TableTravelModel::kazakhstan(),
        }
    }

    /// The flight time of `distance_m` at `cruise_speed_kmh`, allowance included, whole
    /// seconds rounded up.
    pub fn flight_time(&self, distance_m: f64, cruise_speed_kmh: u32) -> Micros {
        let seconds = (distance_m * 3.6 / f64::from(cruise_speed_kmh.max(1))).ceil() as Micros;
        self.leg_allowance + seconds * 1_000_000
    }

    /// The longest leg an aircraft may fly: its range less the reserve at cruise speed, m.
    pub fn longest_leg_m(&self, range_km: u32, cruise_speed_kmh: u32) -> f64 {
        let reserve_m = f64::from(cruise_speed_kmh) / 3.6 * (self.reserve as f64 / 1e6);
        (f64::from(range_km) * 1000.0 - reserve_m).max(0.0)
    }

    /// An ambulance drive from `from` to `to` leaving at `depart_at`, with the road
    /// parameters of `region`.
    pub fn drive(&self, region: &RegionCode, from: LatLon, to: LatLon, depart_at: Micros) -> Drive {
        let straight_m = crate::dispatch::geometry::great_circle_m(from, to);
        let local_hour = local_date_time(depart_at, self.utc_offset_minutes).hour() as u8;
        let trip = self.road.prepare(&TripQuery { region, area: AreaType::Rural, local_hour });
        let params = self.road.table().params(region);
        let near_m = straight_m.min(params.approach_km * 1000.0);
        let road_m = near_m * params.rural.circuity + (straight_m - near_m) * params.highway.circuity;
        Drive {
            distance_m: road_m,
            mobilisation: self.road.mobilisation(&trip, Start::AtStation),
            duration: self.road.travel_time(&trip, from, to, straight_m),
        }
    }
}

impl Default for AirRules {
    fn default() -> Self {
        AirRules::kazakhstan()
    }
}

/// A ground leg's estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Drive {
    /// Road distance: great circle × the region's circuity, m.
    pub distance_m: f64,
    /// From the call to the ambulance moving; added before a leg that starts the mission.
    pub mobilisation: Micros,
    /// Driving time.
    pub duration: Micros,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leg_keeps_half_an_hour_in_reserve() {
        let rules = AirRules::kazakhstan();
        // Mi-8: 500 km at 230 km/h, 115 km kept in reserve.
        assert!((rules.longest_leg_m(500, 230) - 385_000.0).abs() < 1.0);
        // 240 km at 240 km/h: an hour, plus the allowance.
        assert_eq!(rules.flight_time(240_000.0, 240), 70 * MINUTE);
    }

    #[test]
    fn a_drive_uses_the_road_model_of_the_region() {
        let rules = AirRules::kazakhstan();
        let region = RegionCode::parse("KZ-62").unwrap();
        let (from, to) = (LatLon::parse(48.6467, 66.9943).unwrap(), LatLon::parse(47.71, 67.73).unwrap());
        let noon = chrono::DateTime::parse_from_rfc3339("2026-11-22T12:00:00+05:00").unwrap().timestamp_micros();
        let drive = rules.drive(&region, from, to, noon);
        let straight = crate::dispatch::geometry::great_circle_m(from, to);
        assert!(drive.distance_m > straight * 1.15 && drive.distance_m < straight * 1.3);
        // About 117 km: between an hour and two by road.
        assert!(drive.duration > 60 * MINUTE && drive.duration < 120 * MINUTE, "{}", drive.duration / MINUTE);
        assert_eq!(drive.mobilisation, 2 * MINUTE);
    }
}
