//! Units and calls spread over Kazakhstan like the reference data: regions by population
//! (`data/reference/kazakhstan/regions.json`), units at the stations of their region
//! (`stations.json`; PHC teams at PHC organisations), calls around the stations.
//!
//! Shared by the benches that need it, each with
//! `#[path = "…/support/kazakhstan.rs"] mod kazakhstan;` (core's `dispatch`, and the dispatch
//! service's `geo_compare`), so both measure the same units and the same calls.

use jedel_core::category::{Category, TeamKind};
use jedel_core::dispatch::*;
use jedel_core::geo::{KAZAKHSTAN_LAT, KAZAKHSTAN_LON, LatLon};
use jedel_core::region_code::RegionCode;
use serde::Deserialize;

/// Friday 2025-11-21 10:00 in Almaty.
pub const T0: i64 = 1_763_701_200_000_000;
pub const MINUTE: i64 = 60_000_000;

#[derive(Deserialize)]
pub struct Region {
    pub code: String,
    pub population: f64,
}

#[derive(Deserialize)]
pub struct Station {
    pub code: String,
    pub kind: String,
    pub region_code: String,
    pub lat: f64,
    pub lon: f64,
    pub area_type: String,
}

/// splitmix64: reproducible and dependency-free.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n
    }

    /// An index drawn with probability proportional to `weights`.
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

pub struct Kazakhstan {
    pub regions: Vec<Region>,
    /// Per region: EMS stations and PHC organisations.
    pub ems: Vec<Vec<Station>>,
    pub phc: Vec<Vec<Station>>,
}

pub fn load() -> Kazakhstan {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/reference/kazakhstan/");
    let read = |name: &str| std::fs::read_to_string(format!("{dir}{name}")).expect("reference data");
    let regions: Vec<Region> = serde_json::from_str(&read("regions.json")).unwrap();
    let stations: Vec<Station> = serde_json::from_str(&read("stations.json")).unwrap();
    let mut ems: Vec<Vec<Station>> = regions.iter().map(|_| Vec::new()).collect();
    let mut phc: Vec<Vec<Station>> = regions.iter().map(|_| Vec::new()).collect();
    for station in stations {
        let r = regions.iter().position(|r| r.code == station.region_code).expect("known region");
        if station.kind == "phc_organisation" { phc[r].push(station) } else { ems[r].push(station) }
    }
    Kazakhstan { regions, ems, phc }
}

/// A position `km` at most from (lat, lon), kept inside the country's box.
pub fn jitter(rng: &mut Rng, lat: f64, lon: f64, km: f64) -> LatLon {
    let (r, angle) = (km * rng.unit().sqrt(), rng.unit() * std::f64::consts::TAU);
    let lat = (lat + r * angle.cos() / 111.2).clamp(*KAZAKHSTAN_LAT.start(), *KAZAKHSTAN_LAT.end());
    let lon = (lon + r * angle.sin() / (111.2 * lat.to_radians().cos()))
        .clamp(*KAZAKHSTAN_LON.start(), *KAZAKHSTAN_LON.end());
    LatLon::parse(lat, lon).unwrap()
}

/// The reference brigade mix: 258 physician, 1,360 feldsher, 46 resuscitation, 29 paediatric,
/// 647 PHC mobile.
pub const KIND_WEIGHTS: [f64; 5] = [258.0, 1360.0, 46.0, 29.0, 647.0];
pub const KINDS: [TeamKind; 5] =
    [TeamKind::Physician, TeamKind::Feldsher, TeamKind::Resuscitation, TeamKind::Paediatric, TeamKind::PhcMobile];

/// An engine with `n` units: 70 % available at their station, 20 % available on the move
/// within 10 km of it, 10 % off shift.
pub fn engine_with(kz: &Kazakhstan, n: usize, rng: &mut Rng) -> (Engine, Vec<UnitId>) {
    let mut engine = Engine::new(TableTravelModel::kazakhstan(), EngineConfig::default());
    let population: Vec<f64> = kz.regions.iter().map(|r| r.population).collect();
    let mut out = Vec::new();
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let r = rng.weighted(&population);
        let kind = KINDS[rng.weighted(&KIND_WEIGHTS)];
        let stations = if kind == TeamKind::PhcMobile && !kz.phc[r].is_empty() { &kz.phc[r] } else { &kz.ems[r] };
        let station = &stations[rng.below(stations.len())];
        let id = UnitId::parse(&format!("{}-{i:05}", station.code)).unwrap();
        let spec = UnitSpec {
            id: id.clone(),
            call_sign: id.to_string(),
            kind,
            equipment: EquipmentSet::EMPTY,
            station_id: station.code.clone(),
            region: RegionCode::parse(&kz.regions[r].code).unwrap(),
            home: LatLon::parse(station.lat, station.lon).unwrap(),
        };
        let roll = rng.unit();
        let initial = if roll < 0.1 { UnitStatus::OffShift } else { UnitStatus::AvailableAtStation };
        engine.upsert_unit(T0, spec, initial, &mut out).unwrap();
        if (0.1..0.3).contains(&roll) {
            let fix = Fix {
                position: jitter(rng, station.lat, station.lon, 10.0),
                recorded_at: T0,
                speed_kmh: None,
                heading_deg: None,
            };
            engine.ingest_position(T0, &PositionReport { unit: id.clone(), fix }, &mut out).unwrap();
            engine.set_status(T0, StatusChange::new(id.clone(), UnitStatus::AvailableOnMove), &mut out).unwrap();
        }
        ids.push(id);
        out.clear();
    }
    (engine, ids)
}

/// Calls by population, around a station of the region (8 km in towns, 30 km in the country),
/// with the national category mix, over a week so that the hour and the PHC window vary.
pub fn calls(kz: &Kazakhstan, n: usize, rng: &mut Rng) -> Vec<(i64, CallSpec)> {
    let population: Vec<f64> = kz.regions.iter().map(|r| r.population).collect();
    (0..n)
        .map(|i| {
            let r = rng.weighted(&population);
            let station = &kz.ems[r][rng.below(kz.ems[r].len())];
            let city = station.area_type == "city";
            let category = Category::ALL[rng.weighted(&[5.0, 29.0, 27.0, 39.0])];
            let norm = [10, 15, 30, 60][category.number() as usize - 1] * MINUTE;
            let received = T0 + (rng.unit() * 7.0 * 24.0 * 60.0) as i64 * MINUTE;
            let call = CallSpec {
                id: CallId::parse(&format!("call-{i:06}")).unwrap(),
                number: format!("{i}"),
                region: RegionCode::parse(&kz.regions[r].code).unwrap(),
                category,
                position: jitter(rng, station.lat, station.lon, if city { 8.0 } else { 30.0 }),
                area: if city { AreaType::City } else { AreaType::Rural },
                received_at: received,
                deadline_at: received + norm,
                equipment: EquipmentSet::EMPTY,
            };
            (received + rng.below(120) as i64 * 1_000_000, call)
        })
        .collect()
}
