//! The default travel-time model: great-circle distance × circuity ÷ speed, by area type and
//! local hour, plus a mobilisation delay. The first `approach_km` of a trip are driven at the
//! scene's area speed, the rest at highway speed. Parameters are data per region
//! ([`TravelTimeTable`], `data/dispatch/travel-time.json`); a region without its own entry
//! uses the table's default.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::travel::{AreaType, Start, TravelTimeModel, TripQuery};
use crate::geo::LatLon;
use crate::local_time::Micros;
use crate::region_code::RegionCode;

/// The shipped table for Kazakhstan.
pub const KAZAKHSTAN_TRAVEL_TIME: &str = include_str!("../../../../data/dispatch/travel-time.json");

const SECOND: Micros = 1_000_000;

/// Circuity and speed for one area type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaSpeed {
    /// Road distance ÷ great-circle distance, at least 1.
    pub circuity: f64,
    /// Typical ambulance speed with lights and siren, km/h.
    pub speed_kmh: f64,
    /// Multiplier of `speed_kmh` per local hour 0..23 (rush hours below 1, nights above).
    #[serde(default = "flat_day")]
    pub hourly_factor: [f64; 24],
}

fn flat_day() -> [f64; 24] {
    [1.0; 24]
}

/// One region's parameters. Every field has the Kazakhstan default, so a region's entry in the
/// data file names only what differs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TravelParams {
    /// Delay before a crew at its station drives off, seconds.
    pub mobilisation_at_station_s: f64,
    /// Delay before a crew already in its vehicle turns towards the call, seconds.
    pub mobilisation_on_move_s: f64,
    /// Great-circle kilometres driven at the scene's area speed; beyond, highway speed.
    pub approach_km: f64,
    /// Town and city streets.
    pub city: AreaSpeed,
    /// Country roads.
    pub rural: AreaSpeed,
    /// Trunk roads.
    pub highway: AreaSpeed,
}

impl Default for TravelParams {
    /// The Kazakhstan defaults, the same as the `default` entry of the shipped data file.
    fn default() -> Self {
        TravelParams {
            mobilisation_at_station_s: 120.0,
            mobilisation_on_move_s: 30.0,
            approach_km: 10.0,
            city: AreaSpeed {
                circuity: 1.35,
                speed_kmh: 35.0,
                hourly_factor: [
                    1.25, 1.25, 1.25, 1.25, 1.25, 1.25, 1.1, 0.9, 0.75, 0.75, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.9,
                    0.75, 0.75, 0.8, 0.95, 1.05, 1.15, 1.2,
                ],
            },
            rural: AreaSpeed {
                circuity: 1.3,
                speed_kmh: 60.0,
                hourly_factor: [
                    0.9, 0.9, 0.9, 0.9, 0.9, 0.95, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
                    1.0, 0.95, 0.95, 0.9, 0.9,
                ],
            },
            highway: AreaSpeed {
                circuity: 1.15,
                speed_kmh: 90.0,
                hourly_factor: [
                    0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
                    1.0, 1.0, 1.0, 1.0, 0.95, 0.95,
                ],
            },
        }
    }
}

/// Why a parameter set is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct TravelParamsError {
    /// Where, e.g. `regions.KZ-75.city.speed_kmh`.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl TravelParams {
    /// Checks every number is finite and in range.
    pub fn validate(&self, at: &str) -> Result<(), TravelParamsError> {
        let bad =
            |field: &str, message: &str| TravelParamsError { field: format!("{at}.{field}"), message: message.into() };
        for (name, value) in [
            ("mobilisation_at_station_s", self.mobilisation_at_station_s),
            ("mobilisation_on_move_s", self.mobilisation_on_move_s),
            ("approach_km", self.approach_km),
        ] {
            if !value.is_finite() || value < 0.0 {
                return Err(bad(name, "must be a finite number ≥ 0"));
            }
        }
        for (name, area) in [("city", &self.city), ("rural", &self.rural), ("highway", &self.highway)] {
            if !area.circuity.is_finite() || area.circuity < 1.0 {
                return Err(bad(&format!("{name}.circuity"), "must be a finite number ≥ 1"));
            }
            if !area.speed_kmh.is_finite() || area.speed_kmh <= 0.0 {
                return Err(bad(&format!("{name}.speed_kmh"), "must be a finite number > 0"));
            }
            if area.hourly_factor.iter().any(|f| !f.is_finite() || *f <= 0.0) {
                return Err(bad(&format!("{name}.hourly_factor"), "every factor must be a finite number > 0"));
            }
        }
        Ok(())
    }

    fn area(&self, area: AreaType) -> &AreaSpeed {
        match area {
            AreaType::City => &self.city,
            AreaType::Rural => &self.rural,
            AreaType::Highway => &self.highway,
        }
    }
}

/// Parameters for every region: a default and per-region entries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TravelTimeTable {
    /// For regions without their own entry.
    #[serde(default)]
    pub default: TravelParams,
    /// Per region, keyed by region code (`KZ-75`), complete after merging.
    #[serde(default)]
    pub regions: BTreeMap<String, TravelParams>,
}

impl TravelTimeTable {
    /// Parses and checks a table in the data-file format. The `default` entry is laid over the
    /// built-in defaults and each region's entry over `default`, field by field, so an entry
    /// names only what differs.
    pub fn from_json(text: &str) -> Result<TravelTimeTable, TravelParamsError> {
        let bad = |field: &str, message: String| TravelParamsError { field: field.into(), message };
        let raw: RawTable = serde_json::from_str(text).map_err(|e| bad("travel-time table", e.to_string()))?;
        let builtin = serde_json::to_value(TravelParams::default()).map_err(|e| bad("default", e.to_string()))?;
        let default_value = merge(builtin, raw.default);
        let default: TravelParams =
            serde_json::from_value(default_value.clone()).map_err(|e| bad("default", e.to_string()))?;
        default.validate("default")?;
        let mut regions = BTreeMap::new();
        for (code, entry) in raw.regions {
            let at = format!("regions.{code}");
            RegionCode::parse(&code).map_err(|e| bad(&at, e.to_string()))?;
            let params: TravelParams =
                serde_json::from_value(merge(default_value.clone(), entry)).map_err(|e| bad(&at, e.to_string()))?;
            params.validate(&at)?;
            regions.insert(code, params);
        }
        Ok(TravelTimeTable { default, regions })
    }

    /// The shipped Kazakhstan table.
    pub fn kazakhstan() -> TravelTimeTable {
        TravelTimeTable::from_json(KAZAKHSTAN_TRAVEL_TIME).expect("the shipped travel-time table is valid")
    }

    /// The parameters that apply in a region.
    pub fn params(&self, region: &RegionCode) -> &TravelParams {
        self.regions.get(region.as_str()).unwrap_or(&self.default)
    }
}

/// The data file as written: entries that may name only some fields.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    #[serde(default)]
    default: serde_json::Value,
    #[serde(default)]
    regions: BTreeMap<String, serde_json::Value>,
}

/// `over` laid onto `base`: objects merge key by key, anything else replaces.
fn merge(base: serde_json::Value, over: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match (base, over) {
        (Value::Object(mut base), Value::Object(over)) => {
            for (key, value) in over {
                let merged = match base.remove(&key) {
                    Some(old) => merge(old, value),
                    None => value,
                };
                base.insert(key, merged);
            }
            Value::Object(base)
        }
        (base, Value::Null) => base,
        (_, over) => over,
    }
}

/// The default model over a [`TravelTimeTable`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableTravelModel {
    table: TravelTimeTable,
}

/// A trip context of [`TableTravelModel`]: seconds per great-circle metre on each part.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PreparedTrip {
    mobilisation_at_station: Micros,
    mobilisation_on_move: Micros,
    approach_m: f64,
    approach_s_per_m: f64,
    onward_s_per_m: f64,
}

impl PreparedTrip {
    fn seconds(&self, distance_m: f64) -> f64 {
        let near = distance_m.min(self.approach_m);
        let far = (distance_m - self.approach_m).max(0.0);
        near * self.approach_s_per_m + far * self.onward_s_per_m
    }
}

impl TableTravelModel {
    /// A model over a checked table.
    pub fn new(table: TravelTimeTable) -> TableTravelModel {
        TableTravelModel { table }
    }

    /// The model with the shipped Kazakhstan table.
    pub fn kazakhstan() -> TableTravelModel {
        TableTravelModel::new(TravelTimeTable::kazakhstan())
    }

    /// The table in use.
    pub fn table(&self) -> &TravelTimeTable {
        &self.table
    }
}

fn seconds_per_m(area: &AreaSpeed, hour: u8) -> f64 {
    let kmh = area.speed_kmh * area.hourly_factor[usize::from(hour % 24)];
    area.circuity * 3.6 / kmh
}

impl TravelTimeModel for TableTravelModel {
    type Prepared = PreparedTrip;

    fn prepare(&self, query: &TripQuery<'_>) -> PreparedTrip {
        let p = self.table.params(query.region);
        let approach = seconds_per_m(p.area(query.area), query.local_hour);
        let onward =
            if query.area == AreaType::Highway { approach } else { seconds_per_m(&p.highway, query.local_hour) };
        PreparedTrip {
            mobilisation_at_station: (p.mobilisation_at_station_s * SECOND as f64).round() as Micros,
            mobilisation_on_move: (p.mobilisation_on_move_s * SECOND as f64).round() as Micros,
            approach_m: p.approach_km * 1000.0,
            approach_s_per_m: approach,
            onward_s_per_m: onward,
        }
    }

    fn mobilisation(&self, trip: &PreparedTrip, start: Start) -> Micros {
        match start {
            Start::AtStation => trip.mobilisation_at_station,
            Start::OnTheMove => trip.mobilisation_on_move,
        }
    }

    /// Whole seconds, rounded up.
    fn travel_time(&self, trip: &PreparedTrip, _from: LatLon, _to: LatLon, distance_m: f64) -> Micros {
        trip.seconds(distance_m).ceil() as Micros * SECOND
    }

    fn lower_bound(&self, trip: &PreparedTrip, start: Start, distance_m: f64) -> Micros {
        // The slack absorbs float differences between the R-tree's distance and the exact one.
        let seconds = trip.seconds((distance_m * (1.0 - 1e-9) - 1e-3).max(0.0));
        self.mobilisation(trip, start) + seconds.floor() as Micros * SECOND
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(code: &str) -> RegionCode {
        RegionCode::parse(code).unwrap()
    }

    #[test]
    fn the_shipped_table_loads_and_regions_inherit_the_default() {
        let table = TravelTimeTable::kazakhstan();
        assert_eq!(table.default, TravelParams::default(), "the built-in defaults match the data file");
        assert_eq!(table.params(&region("KZ-39")), &table.default);
        let atyrau = table.params(&region("KZ-23"));
        assert_eq!((atyrau.rural.circuity, atyrau.rural.speed_kmh), (1.45, 55.0));
        assert_eq!(atyrau.rural.hourly_factor, table.default.rural.hourly_factor);
        assert_eq!(atyrau.city, table.default.city);
    }

    #[test]
    fn ten_km_in_a_city_at_noon() {
        let model = TableTravelModel::new(TravelTimeTable::default());
        let kz = region("KZ-71");
        let trip = model.prepare(&TripQuery { region: &kz, area: AreaType::City, local_hour: 12 });
        let p = LatLon::parse(51.0, 71.0).unwrap();
        // 10 km × 1.35 at 35 km/h × 0.95 (noon) = 1461.65 s → 1462 s.
        assert_eq!(model.travel_time(&trip, p, p, 10_000.0), 1462 * SECOND);
        assert_eq!(model.mobilisation(&trip, Start::AtStation), 120 * SECOND);
        // Rush hour is slower; beyond the approach the highway takes over.
        let rush = model.prepare(&TripQuery { region: &kz, area: AreaType::City, local_hour: 18 });
        assert!(model.travel_time(&rush, p, p, 10_000.0) > 1462 * SECOND);
        let far = model.travel_time(&trip, p, p, 110_000.0);
        let expected: f64 = 10_000.0 * 1.35 * 3.6 / (35.0 * 0.95) + 100_000.0 * 1.15 * 3.6 / 90.0;
        assert_eq!(far, expected.ceil() as Micros * SECOND);
    }

    #[test]
    fn the_lower_bound_is_admissible_and_monotone() {
        let model = TableTravelModel::kazakhstan();
        let p = LatLon::parse(51.0, 71.0).unwrap();
        for code in ["KZ-71", "KZ-75", "KZ-39"] {
            let kz = region(code);
            for area in [AreaType::City, AreaType::Rural, AreaType::Highway] {
                for hour in 0..24 {
                    let trip = model.prepare(&TripQuery { region: &kz, area, local_hour: hour });
                    for start in [Start::AtStation, Start::OnTheMove] {
                        let mut last = 0;
                        for d in (0..400).map(|i| f64::from(i) * 777.7) {
                            let bound = model.lower_bound(&trip, start, d);
                            let eta = model.mobilisation(&trip, start) + model.travel_time(&trip, p, p, d);
                            assert!(bound <= eta && bound >= last && eta - bound <= 2 * SECOND);
                            last = bound;
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn bad_parameters_are_refused_with_their_place() {
        let err = TravelTimeTable::from_json(r#"{"regions": {"KZ-75": {"city": {"circuity": 0.9, "speed_kmh": 30}}}}"#)
            .unwrap_err();
        assert_eq!(err.to_string(), "regions.KZ-75.city.circuity: must be a finite number ≥ 1");
        assert!(TravelTimeTable::from_json(r#"{"default": {"speed": 3}}"#).is_err());
    }
}
