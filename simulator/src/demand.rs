//! Demand: calls and medevac requests in time order, drawn from the scenario with a seed.
//! Calls arrive as a Poisson process whose rate follows the hourly, weekly and monthly profiles
//! (drawn by thinning); each goes to a region in proportion to its population, to a town or the
//! countryside by the region's urban share, near an EMS station weighted by the brigades it
//! has, with the national category mix. Medevac requests arrive at a constant rate, by
//! population too.

use chrono::{Datelike as _, Timelike as _};
use jedel_core::category::Category;
use jedel_core::dispatch::AreaType;
use jedel_core::geo::{KAZAKHSTAN_LAT, KAZAKHSTAN_LON, LatLon};
use jedel_core::local_time::Micros;

use crate::random::{Rng, Weighted};
use crate::reference::Reference;
use crate::scenario::Scenario;

/// Microseconds in an hour.
pub const HOUR: Micros = 3_600_000_000;

/// One call for help.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    /// 0, 1, 2, … in time order; seeds the call's own random stream.
    pub seq: u64,
    /// When the call reached 103.
    pub at: Micros,
    /// Index into the reference regions.
    pub region: usize,
    /// Urgency.
    pub category: Category,
    /// The EMS station it was drawn around (index into the reference stations).
    pub station: usize,
    /// Where the patient is.
    pub position: LatLon,
    /// City or rural.
    pub area: AreaType,
}

/// What arrives next.
#[derive(Debug, Clone, PartialEq)]
pub enum Arrival {
    /// A 103 call.
    Call(Incident),
    /// A medical-aviation request from a region.
    Medevac {
        /// When it is filed.
        at: Micros,
        /// Index into the reference regions.
        region: usize,
    },
}

impl Arrival {
    /// When it arrives.
    pub fn at(&self) -> Micros {
        match self {
            Arrival::Call(incident) => incident.at,
            Arrival::Medevac { at, .. } => *at,
        }
    }
}

/// Normalised relative weights (mean 1).
fn normalised(values: &[f64]) -> Vec<f64> {
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    values.iter().map(|v| v / mean).collect()
}

/// Per region, the stations of each area type and their weights.
struct RegionPlaces {
    city: Option<(Vec<usize>, Weighted)>,
    rural: Option<(Vec<usize>, Weighted)>,
    urban_share: f64,
}

/// The arrival stream of a scenario from `start` to `end`.
pub struct Demand<'a> {
    reference: &'a Reference,
    calls_rng: Rng,
    medevac_rng: Rng,
    end: Micros,
    utc_offset_us: Micros,
    per_hour: f64,
    max_factor: f64,
    hourly: Vec<f64>,
    weekday: Vec<f64>,
    monthly: Vec<f64>,
    regions: Weighted,
    places: Vec<RegionPlaces>,
    categories: Weighted,
    radius_km: (f64, f64),
    medevac_mean_gap_h: f64,
    next_call_t: f64,
    next_call: Option<Incident>,
    next_medevac: Option<Arrival>,
    cached_hour: (i64, f64),
    seq: u64,
    start: Micros,
}

impl std::fmt::Debug for Demand<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Demand").field("seq", &self.seq).field("end", &self.end).finish()
    }
}

impl<'a> Demand<'a> {
    /// Arrivals of `scenario` over `reference` between `start` and `end`, from `seed`.
    pub fn new(scenario: &Scenario, reference: &'a Reference, seed: u64, start: Micros, end: Micros) -> Demand<'a> {
        let hourly = normalised(&scenario.hourly_profile);
        let weekday = normalised(&scenario.weekday_profile);
        let monthly = normalised(&scenario.monthly_profile);
        let max = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
        let max_factor = max(&hourly) * max(&weekday) * max(&monthly);
        let places = (0..reference.regions.len())
            .map(|r| {
                let of = |area: AreaType| {
                    let ids: Vec<usize> = (0..reference.stations.len())
                        .filter(|&s| reference.stations[s].region == r && reference.stations[s].area == area)
                        .collect();
                    let weights = Weighted::new(ids.iter().map(|&s| reference.stations[s].brigades.max(1) as f64))?;
                    Some((ids, weights))
                };
                RegionPlaces {
                    city: of(AreaType::City),
                    rural: of(AreaType::Rural),
                    urban_share: reference.regions[r].urban_share,
                }
            })
            .collect();
        let population: f64 = reference.regions.iter().map(|r| r.population).sum();
        let medevac_per_hour = scenario.medevac_requests_per_year / (365.0 * 24.0);
        let mut demand = Demand {
            reference,
            calls_rng: Rng::new(seed, u64::MAX),
            medevac_rng: Rng::new(seed, u64::MAX - 1),
            end,
            utc_offset_us: Micros::from(reference.regions[0].utc_offset_minutes) * 60_000_000,
            per_hour: scenario.calls_per_year / (365.0 * 24.0),
            max_factor,
            hourly,
            weekday,
            monthly,
            regions: Weighted::new(reference.regions.iter().map(|r| r.population / population))
                .expect("regions have people"),
            places,
            categories: Weighted::new(scenario.category_mix).expect("validated mix"),
            radius_km: (scenario.scene_radius_km.city, scenario.scene_radius_km.rural),
            medevac_mean_gap_h: if medevac_per_hour > 0.0 { 1.0 / medevac_per_hour } else { f64::INFINITY },
            next_call_t: 0.0,
            next_call: None,
            next_medevac: None,
            cached_hour: (i64::MIN, 0.0),
            seq: 0,
            start,
        };
        demand.next_medevac = demand.draw_medevac(0.0);
        demand.next_call = demand.draw_call();
        demand
    }

    fn micros(&self, hours: f64) -> Micros {
        self.start + (hours * HOUR as f64) as Micros
    }

    /// The demand factor of the hour containing `at`.
    fn factor(&mut self, at: Micros) -> f64 {
        let hour = at.div_euclid(HOUR);
        if self.cached_hour.0 != hour {
            let local = chrono::DateTime::from_timestamp_micros(at + self.utc_offset_us).unwrap_or_default();
            let f = self.hourly[local.hour() as usize]
                * self.weekday[local.weekday().num_days_from_monday() as usize]
                * self.monthly[local.month0() as usize];
            self.cached_hour = (hour, f);
        }
        self.cached_hour.1
    }

    fn draw_medevac(&mut self, after_h: f64) -> Option<Arrival> {
        let t = after_h + self.medevac_rng.exponential(self.medevac_mean_gap_h);
        let at = if t.is_finite() { self.micros(t) } else { Micros::MAX };
        (at < self.end).then(|| Arrival::Medevac { at, region: self.regions.draw(&mut self.medevac_rng) })
    }

    fn draw_call(&mut self) -> Option<Incident> {
        let max_rate = self.per_hour * self.max_factor;
        loop {
            self.next_call_t += self.calls_rng.exponential(1.0 / max_rate);
            let at = self.micros(self.next_call_t);
            if at >= self.end {
                return None;
            }
            if self.calls_rng.unit() * self.max_factor < self.factor(at) {
                return Some(self.place(at));
            }
        }
    }

    fn place(&mut self, at: Micros) -> Incident {
        let rng = &mut self.calls_rng;
        let region = self.regions.draw(rng);
        let places = &self.places[region];
        let urban = rng.chance(places.urban_share);
        let (ids, weights) = match (urban, &places.city, &places.rural) {
            (true, Some(city), _) | (false, None, Some(city)) => city,
            (_, _, Some(rural)) => rural,
            (_, Some(city), None) => city,
            (_, None, None) => unreachable!("every region has an EMS station"),
        };
        let station = ids[weights.draw(rng)];
        let place = &self.reference.stations[station];
        let radius = if place.area == AreaType::City { self.radius_km.0 } else { self.radius_km.1 };
        let position = around(rng, place.position, radius);
        let category = Category::ALL[self.categories.draw(rng)];
        self.seq += 1;
        Incident { seq: self.seq - 1, at, region, category, station, position, area: place.area }
    }
}

impl Iterator for Demand<'_> {
    type Item = Arrival;

    fn next(&mut self) -> Option<Arrival> {
        let medevac_first = match (&self.next_medevac, &self.next_call) {
            (Some(medevac), Some(call)) => medevac.at() <= call.at,
            (medevac, _) => medevac.is_some(),
        };
        if medevac_first {
            let this = self.next_medevac.take()?;
            let after = (this.at() - self.start) as f64 / HOUR as f64;
            self.next_medevac = self.draw_medevac(after);
            return Some(this);
        }
        let call = self.next_call.take()?;
        self.next_call = self.draw_call();
        Some(Arrival::Call(call))
    }
}

/// A point uniformly within `km` of `centre`, kept inside the country's box.
pub fn around(rng: &mut Rng, centre: LatLon, km: f64) -> LatLon {
    let (r, angle) = (km * rng.unit().sqrt(), rng.unit() * std::f64::consts::TAU);
    let lat = (centre.lat() + r * angle.cos() / 111.2).clamp(*KAZAKHSTAN_LAT.start(), *KAZAKHSTAN_LAT.end());
    let lon = (centre.lon() + r * angle.sin() / (111.2 * lat.to_radians().cos()))
        .clamp(*KAZAKHSTAN_LON.start(), *KAZAKHSTAN_LON.end());
    LatLon::parse(lat, lon).unwrap_or(centre)
}
