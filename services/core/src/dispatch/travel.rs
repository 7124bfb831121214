//! The travel-time model behind a trait, so a road-graph model can replace the default
//! (great-circle × circuity ÷ speed, [`super::travel_table`]) without touching the ranking.
//! A model answers for one prepared trip context (the scene's region, area type and local
//! hour) and must give an admissible lower bound, which is what keeps the R-tree search exact.

use serde::{Deserialize, Serialize};

use crate::geo::LatLon;
use crate::local_time::Micros;
use crate::region_code::RegionCode;

/// The kind of area a trip ends in; decides circuity and speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaType {
    /// Town or city streets.
    City,
    /// Villages and country roads.
    Rural,
    /// On or beside a trunk road.
    Highway,
}

impl AreaType {
    /// The snake_case name data files use.
    pub fn as_str(self) -> &'static str {
        match self {
            AreaType::City => "city",
            AreaType::Rural => "rural",
            AreaType::Highway => "highway",
        }
    }
}

/// How a unit sets off, which decides its mobilisation delay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Start {
    /// The crew is at its station and has to board and leave.
    AtStation,
    /// The crew is already in its vehicle.
    OnTheMove,
}

/// What a trip context depends on: where it ends (region, area) and when it starts.
#[derive(Debug, Clone, Copy)]
pub struct TripQuery<'a> {
    /// Region of the scene; its parameters apply.
    pub region: &'a RegionCode,
    /// Area type at the scene.
    pub area: AreaType,
    /// Local hour of departure, 0..24.
    pub local_hour: u8,
}

/// Estimates driving times. Deterministic: the same inputs give the same answer.
///
/// `lower_bound(start, d)` must never exceed `mobilisation(start) + travel_time(from, to, d')`
/// for any `from` at a great-circle distance `d' ≥ d` from `to`, and must not decrease as `d`
/// grows: the nearest-neighbour search stops on it. The tighter it is, the sooner it stops.
pub trait TravelTimeModel {
    /// Whatever the model precomputes for one trip context.
    type Prepared;

    /// Precomputes a trip context; called once per ranking, not once per unit.
    fn prepare(&self, query: &TripQuery<'_>) -> Self::Prepared;

    /// Time from the call reaching the crew to the vehicle moving.
    fn mobilisation(&self, trip: &Self::Prepared, start: Start) -> Micros;

    /// Driving time from `from` to `to`, `distance_m` apart on a great circle.
    fn travel_time(&self, trip: &Self::Prepared, from: LatLon, to: LatLon, distance_m: f64) -> Micros;

    /// An admissible bound on mobilisation plus travel from `distance_m` away (see the trait docs).
    fn lower_bound(&self, trip: &Self::Prepared, start: Start, distance_m: f64) -> Micros;
}
