//! The reference resources a scenario runs on, read from a reference data directory in the
//! Registry's file format (`data/reference/kazakhstan/`, see `docs/reference-data.md`):
//! regions with their population, EMS stations, brigades as engine [`UnitSpec`]s with their
//! shift pattern, and hospitals. Brigades the Registry has out of service are left out.

use std::path::Path;

use jedel_core::dispatch::{AreaType, EquipmentSet, Hospital, HospitalId, UnitId, UnitSpec};
use jedel_core::{HospitalProfile, LatLon, RegionCode, TeamKind};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::SimError;

/// When a brigade is on shift (local time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shift {
    /// Round the clock.
    #[serde(rename = "24h")]
    Always,
    /// Every day 08:00–20:00.
    #[serde(rename = "day_08_20")]
    Day,
    /// Every day 20:00–08:00.
    #[serde(rename = "night_20_08")]
    Night,
    /// Monday to Friday 08:00–20:00.
    #[serde(rename = "weekday_08_20")]
    Weekday,
}

impl Shift {
    /// Whether the brigade works at local `hour` (0..24) of a day that is a weekday (Mon–Fri).
    pub fn on_duty(self, hour: u32, weekday: bool) -> bool {
        let day = (8..20).contains(&hour);
        match self {
            Shift::Always => true,
            Shift::Day => day,
            Shift::Night => !day,
            Shift::Weekday => day && weekday,
        }
    }
}

/// A region with its population.
#[derive(Debug, Clone)]
pub struct Region {
    /// ISO 3166-2:KZ code.
    pub code: RegionCode,
    /// English name.
    pub name: String,
    /// Residents.
    pub population: f64,
    /// Share living in towns.
    pub urban_share: f64,
    /// UTC offset, minutes.
    pub utc_offset_minutes: i32,
}

/// An EMS station (PHC organisations are not stations calls are drawn around).
#[derive(Debug, Clone)]
pub struct Station {
    /// Registry code, e.g. `AST-01`.
    pub code: String,
    /// Index into [`Reference::regions`].
    pub region: usize,
    /// Where it is.
    pub position: LatLon,
    /// City or rural.
    pub area: AreaType,
    /// EMS brigades based there (PHC teams excluded).
    pub brigades: usize,
}

/// A brigade ready for the engine.
#[derive(Debug, Clone)]
pub struct Brigade {
    /// The engine's static part of the unit (its id is the call sign).
    pub spec: UnitSpec,
    /// When it works.
    pub shift: Shift,
    /// Index into [`Reference::regions`].
    pub region: usize,
}

/// Everything a simulation runs on.
#[derive(Debug, Clone)]
pub struct Reference {
    /// Regions, in file order.
    pub regions: Vec<Region>,
    /// EMS stations.
    pub stations: Vec<Station>,
    /// Brigades in service.
    pub brigades: Vec<Brigade>,
    /// Hospitals.
    pub hospitals: Vec<Hospital>,
}

#[derive(Deserialize)]
struct RegionRow {
    code: String,
    name_en: String,
    population: f64,
    urban_share: f64,
    utc_offset_minutes: i32,
}

#[derive(Deserialize)]
struct StationRow {
    code: String,
    kind: String,
    region_code: String,
    lat: f64,
    lon: f64,
    area_type: String,
}

#[derive(Deserialize)]
struct BrigadeRow {
    call_sign: String,
    kind: String,
    capabilities: EquipmentSet,
    station_code: String,
    shift_pattern: Shift,
    in_service: bool,
}

#[derive(Deserialize)]
struct HospitalRow {
    code: String,
    name: String,
    region_code: String,
    lat: f64,
    lon: f64,
    profiles: Vec<HospitalProfile>,
    trauma_level: u8,
    perinatal_level: u8,
}

fn read<T: DeserializeOwned>(dir: &Path, file: &str) -> Result<Vec<T>, SimError> {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).map_err(|source| SimError::Io { path: path.clone(), source })?;
    serde_json::from_str(&text).map_err(|e| SimError::data(path.display().to_string(), e.to_string()))
}

fn bad(file: &str, code: &str, message: impl std::fmt::Display) -> SimError {
    SimError::data(file, format!("{code}: {message}"))
}

fn position(file: &str, code: &str, lat: f64, lon: f64) -> Result<LatLon, SimError> {
    LatLon::parse(lat, lon).map_err(|e| bad(file, code, e))
}

impl Reference {
    /// Reads `regions.json`, `stations.json`, `brigades.json` and `hospitals.json` from `dir`.
    pub fn load(dir: &Path) -> Result<Reference, SimError> {
        let regions = read::<RegionRow>(dir, "regions.json")?
            .into_iter()
            .map(|r| {
                Ok(Region {
                    code: RegionCode::parse(&r.code).map_err(|e| bad("regions.json", &r.code, e))?,
                    name: r.name_en,
                    population: r.population,
                    urban_share: r.urban_share.clamp(0.0, 1.0),
                    utc_offset_minutes: r.utc_offset_minutes,
                })
            })
            .collect::<Result<Vec<_>, SimError>>()?;
        let region_of = |file: &str, code: &str, region: &str| {
            regions.iter().position(|r| r.code.as_str() == region).ok_or_else(|| bad(file, code, "unknown region"))
        };
        let mut stations = Vec::new();
        for s in read::<StationRow>(dir, "stations.json")? {
            if s.kind == "phc_organisation" {
                continue;
            }
            stations.push(Station {
                region: region_of("stations.json", &s.code, &s.region_code)?,
                position: position("stations.json", &s.code, s.lat, s.lon)?,
                area: if s.area_type == "rural" { AreaType::Rural } else { AreaType::City },
                code: s.code,
                brigades: 0,
            });
        }
        let all_stations = read::<StationRow>(dir, "stations.json")?;
        let mut brigades = Vec::new();
        for b in read::<BrigadeRow>(dir, "brigades.json")? {
            if !b.in_service {
                continue;
            }
            let station = all_stations
                .iter()
                .find(|s| s.code == b.station_code)
                .ok_or_else(|| bad("brigades.json", &b.call_sign, format!("unknown station {}", b.station_code)))?;
            let kind = TeamKind::parse(&b.kind).ok_or_else(|| bad("brigades.json", &b.call_sign, "unknown kind"))?;
            if kind != TeamKind::PhcMobile
                && let Some(ems) = stations.iter_mut().find(|s| s.code == station.code)
            {
                ems.brigades += 1;
            }
            let region = region_of("brigades.json", &b.call_sign, &station.region_code)?;
            let spec = UnitSpec {
                id: UnitId::parse(&b.call_sign).map_err(|e| bad("brigades.json", &b.call_sign, e))?,
                call_sign: b.call_sign.clone(),
                kind,
                equipment: b.capabilities,
                station_id: station.code.clone(),
                region: regions[region].code.clone(),
                home: position("stations.json", &station.code, station.lat, station.lon)?,
            };
            brigades.push(Brigade { spec, shift: b.shift_pattern, region });
        }
        let hospitals = read::<HospitalRow>(dir, "hospitals.json")?
            .into_iter()
            .map(|h| {
                Ok(Hospital {
                    id: HospitalId::parse(&h.code).map_err(|e| bad("hospitals.json", &h.code, e))?,
                    region: regions[region_of("hospitals.json", &h.code, &h.region_code)?].code.clone(),
                    position: position("hospitals.json", &h.code, h.lat, h.lon)?,
                    name: h.name,
                    profiles: h.profiles,
                    trauma_level: h.trauma_level,
                    perinatal_level: h.perinatal_level,
                })
            })
            .collect::<Result<Vec<_>, SimError>>()?;
        if regions.is_empty() || stations.is_empty() || brigades.is_empty() || hospitals.is_empty() {
            return Err(SimError::data(dir.display().to_string(), "needs regions, stations, brigades and hospitals"));
        }
        Ok(Reference { regions, stations, brigades, hospitals })
    }
}
