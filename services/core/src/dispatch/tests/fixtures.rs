//! Builders shared by the engine tests: a Friday-morning clock, units, calls, engines.

use crate::call::Actor;
use crate::category::{Category, TeamKind};
use crate::dispatch::*;
use crate::geo::LatLon;
use crate::local_time::Micros;
use crate::region_code::RegionCode;

pub const SECOND: Micros = 1_000_000;
pub const MINUTE: Micros = 60 * SECOND;

/// Friday 2025-11-21 10:00 in Almaty (05:00 UTC): inside the PHC window.
pub const T0: Micros = 1_763_701_200_000_000;

pub fn region(code: &str) -> RegionCode {
    RegionCode::parse(code).unwrap()
}

pub fn at(lat: f64, lon: f64) -> LatLon {
    LatLon::parse(lat, lon).unwrap()
}

pub fn unit_id(id: &str) -> UnitId {
    UnitId::parse(id).unwrap()
}

pub fn call_id(id: &str) -> CallId {
    CallId::parse(id).unwrap()
}

pub fn spec(id: &str, kind: TeamKind, region_code: &str, home: LatLon) -> UnitSpec {
    UnitSpec {
        id: unit_id(id),
        call_sign: id.to_uppercase(),
        kind,
        equipment: EquipmentSet::EMPTY,
        station_id: format!("station-{id}"),
        region: region(region_code),
        home,
    }
}

/// The category's Kazakhstan norm.
pub fn norm(category: Category) -> Micros {
    match category {
        Category::One => 10 * MINUTE,
        Category::Two => 15 * MINUTE,
        Category::Three => 30 * MINUTE,
        Category::Four => 60 * MINUTE,
    }
}

pub fn call(id: &str, region_code: &str, category: Category, position: LatLon, received_at: Micros) -> CallSpec {
    CallSpec {
        id: call_id(id),
        number: format!("N-{id}"),
        region: region(region_code),
        category,
        position,
        area: AreaType::City,
        received_at,
        deadline_at: received_at + norm(category),
        equipment: EquipmentSet::EMPTY,
    }
}

pub fn dispatcher() -> Actor {
    Actor { subject: "dispatcher-1".into(), role: "dispatcher".into() }
}

pub fn engine() -> Engine {
    Engine::new(TableTravelModel::kazakhstan(), EngineConfig::default())
}

/// An engine whose regions all auto-assign every category.
pub fn auto_engine() -> Engine {
    let mut config = EngineConfig::default();
    config.default_rules.auto_assign_categories = Category::ALL.to_vec();
    Engine::new(TableTravelModel::kazakhstan(), config)
}

/// Adds units, all available at their station, at T0.
pub fn add_units(engine: &mut Engine, units: Vec<UnitSpec>) {
    let mut out = Vec::new();
    for unit in units {
        engine.upsert_unit(T0, unit, UnitStatus::AvailableAtStation, &mut out).unwrap();
    }
}

pub fn alerts(events: &[Event]) -> Vec<Alert> {
    events.iter().filter_map(|e| if let Event::Alert(a) = e { Some(a.clone()) } else { None }).collect()
}

pub fn assign(
    engine: &mut Engine,
    now: Micros,
    call: &str,
    unit: &str,
    reason: Option<&str>,
) -> Result<Assignment, DispatchError> {
    let request = AssignRequest {
        call: call_id(call),
        unit: unit_id(unit),
        recommendation: None,
        reason: reason.map(str::to_string),
        actor: dispatcher(),
    };
    engine.assign(now, request, &mut Vec::new())
}

/// A point `km` kilometres north of `from`.
pub fn north_of(from: LatLon, km: f64) -> LatLon {
    at(from.lat() + km / 111.195, from.lon())
}

pub const ASTANA: (f64, f64) = (51.17, 71.45);

pub fn astana() -> LatLon {
    at(ASTANA.0, ASTANA.1)
}
