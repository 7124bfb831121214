//! The ranking is exact: for random units and calls it equals a brute-force sort of every
//! eligible unit by (preferred-and-meets-norm, ETA, available-before-diverted, id), with the
//! same cross-border and redispatch passes.

use proptest::prelude::*;

use super::fixtures::*;
use crate::category::{Category, TeamKind};
use crate::dispatch::geometry::great_circle_m;
use crate::dispatch::*;
use crate::local_time::Micros;

type Key = (u8, Micros, bool, UnitId);

/// Every unit scored by hand, in the documented passes.
fn brute_force(
    engine: &Engine,
    call: &CallSpec,
    now: Micros,
    options: RankOptions,
) -> Vec<(UnitId, Micros, bool, bool, bool)> {
    let rules = engine.policy(&call.region).rules;
    let offset = engine.utc_offset(&call.region);
    let rule = rules.rule_for(call.category, call.received_at, offset).clone();
    let model = engine.model();
    let hour = LocalMoment::of(now, offset).hour();
    let trip = model.prepare(&TripQuery { region: &call.region, area: call.area, local_hour: hour });
    let budget = call.deadline_at - now;
    let score = |unit: &Unit, diverted: bool| -> (Key, bool, bool) {
        let position = unit.ranking_position();
        let distance = great_circle_m(position, call.position);
        let eta = model.mobilisation(&trip, unit.status.start())
            + model.travel_time(&trip, position, call.position, distance);
        let preferred = rule.preferred_kinds.contains(&unit.spec.kind);
        let meets = eta <= budget;
        ((if preferred && meets { 0 } else { 1 }, eta, diverted, unit.spec.id.clone()), meets, preferred)
    };
    let admits = |unit: &Unit, foreign: bool| {
        rule.permits(unit.spec.kind)
            && unit.spec.equipment.covers(call.equipment)
            && if foreign {
                unit.spec.region != call.region
                    && great_circle_m(unit.ranking_position(), call.position) <= rules.cross_border_max_km * 1000.0
            } else {
                unit.spec.region == call.region
            }
    };
    let divertible = |unit: &Unit| {
        unit.status.is_heading_to_call()
            && unit
                .call
                .as_ref()
                .and_then(|c| engine.call(c))
                .is_some_and(|c| rules.redispatch.allows(c.spec.category, call.category))
    };
    let mut scored: Vec<(Key, bool, bool)> = Vec::new();
    let best_meets = |scored: &Vec<(Key, bool, bool)>| scored.iter().min_by(|a, b| a.0.cmp(&b.0)).is_some_and(|s| s.1);
    scored.extend(engine.units().filter(|u| u.status.is_available() && admits(u, false)).map(|u| score(u, false)));
    let cross = options.include_cross_border || (rules.cross_border_help && !best_meets(&scored));
    if cross {
        scored.extend(engine.units().filter(|u| u.status.is_available() && admits(u, true)).map(|u| score(u, false)));
    }
    if rules.redispatch.enabled && rules.redispatch.to_categories.contains(&call.category) && !best_meets(&scored) {
        scored.extend(engine.units().filter(|u| divertible(u) && admits(u, false)).map(|u| score(u, true)));
        if cross {
            scored.extend(engine.units().filter(|u| divertible(u) && admits(u, true)).map(|u| score(u, true)));
        }
    }
    scored.sort_by(|a, b| a.0.cmp(&b.0));
    scored.truncate(options.limit);
    scored.into_iter().map(|((_, eta, diverted, id), meets, preferred)| (id, eta, meets, preferred, diverted)).collect()
}

fn engine_ranking(
    engine: &Engine,
    call: &CallSpec,
    now: Micros,
    options: RankOptions,
) -> Vec<(UnitId, Micros, bool, bool, bool)> {
    engine
        .rank(call, now, options)
        .units
        .into_iter()
        .map(|u| (u.unit, u.eta, u.meets_norm, u.fit == CapabilityFit::Preferred, u.redispatch_from.is_some()))
        .collect()
}

const REGIONS: [&str; 3] = ["KZ-71", "KZ-11", "KZ-75"];
const KINDS: [TeamKind; 5] =
    [TeamKind::Physician, TeamKind::Feldsher, TeamKind::Resuscitation, TeamKind::Paediatric, TeamKind::PhcMobile];

#[derive(Debug, Clone)]
struct RandomUnit {
    home: (f64, f64),
    fix: (f64, f64),
    kind: usize,
    region: usize,
    status: usize,
    equipment: u8,
}

/// Stations many units share, so co-located units (one index entry) are exercised.
const STATIONS: [(f64, f64); 6] =
    [(51.17, 71.45), (51.2, 71.5), (51.1, 71.3), (51.4, 71.9), (51.0, 71.1), (51.3, 71.6)];

fn point() -> impl Strategy<Value = (f64, f64)> {
    prop_oneof![(50.9f64..51.5, 71.0f64..72.0), (0usize..STATIONS.len()).prop_map(|i| STATIONS[i])]
}

fn random_unit() -> impl Strategy<Value = RandomUnit> {
    (point(), point(), 0usize..5, 0usize..3, 0usize..5, 0u8..4).prop_map(
        |(home, fix, kind, region, status, equipment)| RandomUnit { home, fix, kind, region, status, equipment },
    )
}

/// Builds an engine with the units: available at station or on the move, off shift, or
/// heading to a call of category 2, 3 or 4 (assigned or en route), so every pool is exercised.
fn build(units: &[RandomUnit], max_km: f64, cross_border_help: bool) -> Engine {
    let mut config = EngineConfig::default();
    config.default_rules.cross_border_max_km = max_km;
    config.default_rules.cross_border_help = cross_border_help;
    let mut engine = Engine::new(TableTravelModel::kazakhstan(), config);
    let mut permissive = PolicyRules::kazakhstan();
    for rule in &mut permissive.capability_rules {
        rule.window = None;
        rule.preferred_kinds.clear();
        rule.allowed_kinds = KINDS.to_vec();
    }
    let mut out = Vec::new();
    engine.set_policy(T0, DispatchPolicy { region: region("KZ-99"), rules: permissive }, &mut out).unwrap();
    for (i, u) in units.iter().enumerate() {
        let id = format!("u{i:03}");
        let mut unit = spec(&id, KINDS[u.kind], REGIONS[u.region], at(u.home.0, u.home.1));
        unit.equipment = match u.equipment {
            0 => EquipmentSet::EMPTY,
            1 => [Equipment::Defibrillator].into_iter().collect(),
            2 => [Equipment::Ventilator].into_iter().collect(),
            _ => [Equipment::Defibrillator, Equipment::Ventilator].into_iter().collect(),
        };
        let initial = if u.status == 2 { UnitStatus::OffShift } else { UnitStatus::AvailableAtStation };
        engine.upsert_unit(T0, unit, initial, &mut out).unwrap();
        let fix = Fix { position: at(u.fix.0, u.fix.1), recorded_at: T0, speed_kmh: None, heading_deg: None };
        engine.ingest_position(T0, &PositionReport { unit: unit_id(&id), fix }, &mut out).unwrap();
        match u.status {
            1 => {
                engine.set_status(T0, StatusChange::new(unit_id(&id), UnitStatus::AvailableOnMove), &mut out).unwrap();
            }
            3 | 4 => {
                let category = [Category::Two, Category::Three, Category::Four][i % 3];
                let busy = call(&format!("busy{i}"), "KZ-99", category, at(u.fix.0, u.fix.1), T0);
                engine.open_call(T0, busy, &mut out).unwrap();
                assign(&mut engine, T0, &format!("busy{i}"), &id, Some("test")).unwrap();
                if u.status == 4 {
                    engine.set_status(T0, StatusChange::new(unit_id(&id), UnitStatus::EnRoute), &mut out).unwrap();
                }
            }
            _ => {}
        }
    }
    engine
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_ranking_equals_brute_force(
        units in proptest::collection::vec(random_unit(), 0..60),
        scene in (50.9f64..51.5, 71.0f64..72.0),
        call_region in 0usize..3,
        category in 1u8..=4,
        area in 0usize..3,
        received_after in 0i64..(7 * 24 * 60),
        waited in 0i64..25,
        limit in 1usize..12,
        include_cross_border in any::<bool>(),
        cross_border_help in any::<bool>(),
        max_km in 5.0f64..80.0,
        equipment in 0u8..3,
    ) {
        let engine = build(&units, max_km, cross_border_help);
        let category = Category::try_from(category).unwrap();
        let received = T0 + received_after * MINUTE;
        let mut scene_call = call("scene", REGIONS[call_region], category, at(scene.0, scene.1), received);
        scene_call.area = [AreaType::City, AreaType::Rural, AreaType::Highway][area];
        scene_call.equipment = match equipment {
            1 => [Equipment::Defibrillator].into_iter().collect(),
            2 => [Equipment::Ventilator].into_iter().collect(),
            _ => EquipmentSet::EMPTY,
        };
        let now = received + waited * MINUTE;
        let options = RankOptions { limit, include_cross_border, include_air: false };
        let expected = brute_force(&engine, &scene_call, now, options);
        let actual = engine_ranking(&engine, &scene_call, now, options);
        prop_assert_eq!(actual, expected);
    }
}

/// A deterministic generator, so a large case needs no extra dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[test]
fn thousands_of_units_over_a_wide_area_rank_exactly() {
    let mut rng = Lcg(7);
    let units: Vec<RandomUnit> = (0..3000)
        .map(|i| RandomUnit {
            home: if i % 3 == 0 {
                STATIONS[i % STATIONS.len()]
            } else {
                (49.5 + 3.0 * rng.next(), 69.0 + 5.0 * rng.next())
            },
            fix: (49.5 + 3.0 * rng.next(), 69.0 + 5.0 * rng.next()),
            kind: (rng.next() * 5.0) as usize,
            region: (rng.next() * 3.0) as usize,
            status: (rng.next() * 5.0) as usize,
            equipment: (rng.next() * 4.0) as u8,
        })
        .collect();
    let engine = build(&units, 60.0, true);
    for i in 0..300 {
        let category = Category::ALL[i % 4];
        let received = T0 + (rng.next() * 7.0 * 24.0 * 60.0) as i64 * MINUTE;
        let mut scene_call =
            call("scene", REGIONS[i % 3], category, at(49.5 + 3.0 * rng.next(), 69.0 + 5.0 * rng.next()), received);
        scene_call.area = [AreaType::City, AreaType::Rural, AreaType::Highway][i % 3];
        let options = RankOptions { limit: 1 + i % 10, include_cross_border: i % 5 == 0, include_air: false };
        assert_eq!(
            engine_ranking(&engine, &scene_call, received + 3 * MINUTE, options),
            brute_force(&engine, &scene_call, received + 3 * MINUTE, options),
            "call {i}"
        );
    }
}
