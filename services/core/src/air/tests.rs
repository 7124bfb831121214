//! Air tasking over a small world around a district of Ulytau and Astana: every exclusion
//! reason, the plan of one option leg by leg, and the ranking order of each urgency.

use chrono::DateTime;

use super::*;
use crate::calendar::{ClockTime, Period, parse_date};
use crate::eligibility::{self, Certificate, ContractState};
use crate::geo::LatLon;
use crate::local_time::{MINUTE, Micros};
use crate::region_code::RegionCode;

/// An Almaty (UTC+5) wall-clock time as µs since the epoch.
fn almaty(local: &str) -> Micros {
    DateTime::parse_from_rfc3339(&format!("{local}+05:00")).unwrap().timestamp_micros()
}

fn at(lat: f64, lon: f64) -> LatLon {
    LatLon::parse(lat, lon).unwrap()
}

fn period(first: &str, last: &str) -> Period {
    Period::new(parse_date(first).unwrap(), parse_date(last).unwrap()).unwrap()
}

fn airfield(code: &str, kind: AirfieldKind, position: LatLon, runway: u32, lit: bool, hours: (&str, &str)) -> Airfield {
    let surface = match kind {
        AirfieldKind::Helipad => None,
        AirfieldKind::Airstrip => Some(Surface::Unpaved),
        AirfieldKind::Airport => Some(Surface::Paved),
    };
    Airfield {
        code: code.into(),
        name: format!("{code} field"),
        kind,
        position,
        runway_length_m: runway,
        surface,
        night_lighting: lit,
        hours: OpeningHours { opens: ClockTime::parse(hours.0).unwrap(), closes: ClockTime::parse(hours.1).unwrap() },
    }
}

/// Astana airport and a hospital helipad, Karaganda, Zhezkazgan, and the Ulytau airstrip.
fn airfields() -> Vec<Airfield> {
    use AirfieldKind::*;
    vec![
        airfield("UACC", Airport, at(51.02, 71.47), 3500, true, ("00:00", "00:00")),
        airfield("KZ-H014", Helipad, at(51.1553, 71.4636), 0, true, ("00:00", "00:00")),
        airfield("UAKK", Airport, at(49.67, 73.33), 3300, true, ("00:00", "00:00")),
        airfield("UAKD", Airport, at(47.71, 67.73), 2600, true, ("07:00", "22:00")),
        airfield("KZ-ULTU", Airstrip, at(48.63, 67.03), 800, false, ("07:00", "19:00")),
    ]
}

fn airline(code: &str) -> eligibility::Airline {
    eligibility::Airline {
        code: code.into(),
        active: true,
        certificate: Some(Certificate {
            number: format!("KZ-MA-{code}"),
            validity: period("2025-01-01", "2027-12-31"),
        }),
    }
}

/// A plane that takes Ulytau's strip: L-410 figures, intensive care, night-capable.
fn plane(registration: &str, base: &str) -> Aircraft {
    Aircraft {
        registration: registration.into(),
        airline_code: "AIR".into(),
        kind: AircraftKind::Plane,
        cruise_speed_kmh: 300,
        range_km: 1400,
        min_runway_m: 700,
        surfaces: vec![Surface::Paved, Surface::Unpaved],
        helipad_capable: false,
        night_capable: true,
        pressurised: false,
        medical_module: MedicalModule::IntensiveCare,
        stretchers: 2,
        seats: 4,
        status: AircraftStatus::Available,
        base_airfield_code: base.into(),
    }
}

/// An H145: 240 km/h, 650 km, day only unless said otherwise.
fn helicopter(registration: &str, base: &str) -> Aircraft {
    Aircraft {
        kind: AircraftKind::Helicopter,
        cruise_speed_kmh: 240,
        range_km: 650,
        min_runway_m: 0,
        helipad_capable: true,
        night_capable: false,
        stretchers: 1,
        seats: 2,
        ..plane(registration, base)
    }
}

fn contract(number: &str, aircraft: &[&str], tariff_kzt_per_hour: i64) -> Contract {
    Contract {
        terms: eligibility::Contract {
            number: number.into(),
            period: period("2026-01-01", "2027-12-31"),
            state: ContractState::Active,
        },
        airline_code: "AIR".into(),
        aircraft: aircraft.iter().map(|r| r.to_string()).collect(),
        tariff_kzt_per_hour,
        readiness: 60 * MINUTE,
    }
}

fn place(name: &str, position: LatLon, region: &str) -> Place {
    Place { name: name.into(), position, region: RegionCode::parse(region).unwrap() }
}

/// A patient at Ulytau's district hospital to Astana's emergency hospital, on a November
/// morning (sunrise about 07:45 at Ulytau, sunset about 16:20 at Astana).
fn mission(urgency: Urgency, start: &str) -> Mission {
    Mission {
        kind: MissionKind::PatientTransport,
        origin: place("Ulytau Central District Hospital", at(48.6467, 66.9943), "KZ-62"),
        destination: place("Astana City Emergency Hospital", at(51.1553, 71.4628), "KZ-71"),
        needs: Needs { module: Some(MedicalModule::Basic), stretcher: true, ..Needs::default() },
        urgency,
        start_at: almaty(start),
    }
}

/// The aircraft, airlines and contracts of one test.
struct World {
    aircraft: Vec<Aircraft>,
    airlines: Vec<eligibility::Airline>,
    contracts: Vec<Contract>,
    airfields: Vec<Airfield>,
}

impl World {
    fn new(aircraft: Vec<Aircraft>, contracts: Vec<Contract>) -> World {
        World { aircraft, airlines: vec![airline("AIR")], contracts, airfields: airfields() }
    }

    /// One aircraft under one contract at 1,000,000 tenge an hour.
    fn one(aircraft: Aircraft) -> World {
        let registration = aircraft.registration.clone();
        World::new(vec![aircraft], vec![contract("1/2026", &[&registration], 1_000_000)])
    }

    fn fleet(&self) -> Fleet<'_> {
        Fleet {
            aircraft: &self.aircraft,
            airlines: &self.airlines,
            contracts: &self.contracts,
            airfields: &self.airfields,
        }
    }

    fn rank(&self, mission: &Mission, rules: &AirRules) -> AirRanking {
        rank(&self.fleet(), mission, rules)
    }

    /// The only aircraft's exclusion.
    fn exclusion(&self, mission: &Mission, rules: &AirRules) -> Exclusion {
        let ranking = self.rank(mission, rules);
        assert!(ranking.options.is_empty(), "{:?}", ranking.options);
        ranking.excluded[0].exclusion.clone()
    }

    fn order(&self, ranking: &AirRanking) -> Vec<&str> {
        ranking.options.iter().map(|o| self.aircraft[o.aircraft].registration.as_str()).collect()
    }
}

fn rules() -> AirRules {
    AirRules::kazakhstan()
}

/// Rules whose catchment holds only the Ulytau strip near the origin.
fn near_rules() -> AirRules {
    AirRules { catchment_m: 60_000.0, ..AirRules::kazakhstan() }
}

const MORNING: &str = "2026-11-22T09:00:00";

#[test]
fn the_registry_rule_excludes_suspended_airlines_lapsed_certificates_and_contracts() {
    let emergency = mission(Urgency::Emergency, MORNING);

    let mut world = World::one(plane("UP-L4108", "UAKD"));
    world.airlines[0].active = false;
    let e = world.exclusion(&emergency, &rules());
    assert_eq!((e.reason, e.detail.as_str()), (ExclusionReason::AirlineSuspended, "airline AIR is suspended"));

    let mut world = World::one(plane("UP-L4108", "UAKD"));
    world.airlines[0].certificate =
        Some(Certificate { number: "KZ-MA-2381".into(), validity: period("2023-11-06", "2026-11-05") });
    let e = world.exclusion(&emergency, &rules());
    assert_eq!(e.reason, ExclusionReason::CertificateNotInForce);
    assert_eq!(e.detail, "certificate KZ-MA-2381 of airline AIR expired 2026-11-05");

    let mut world = World::one(plane("UP-MI805", "UAKD"));
    world.contracts[0].terms = eligibility::Contract {
        number: "17/2026".into(),
        period: period("2026-02-01", "2026-10-01"),
        state: ContractState::Active,
    };
    let e = world.exclusion(&emergency, &rules());
    assert_eq!(
        (e.reason, e.detail.as_str()),
        (ExclusionReason::ContractNotInForce, "contract 17/2026 expired 2026-10-01")
    );

    let world = World::new(vec![plane("UP-A2002", "UAKD")], vec![]);
    let e = world.exclusion(&emergency, &rules());
    assert_eq!(
        (e.reason, e.detail.as_str()),
        (ExclusionReason::ContractNotInForce, "no contract lists aircraft UP-A2002")
    );
}

#[test]
fn the_first_reason_in_the_api_order_is_given() {
    // Suspended airline, expired contract and maintenance at once: the airline comes first.
    let mut world = World::one(Aircraft { status: AircraftStatus::Maintenance, ..plane("UP-L4108", "UAKD") });
    world.airlines[0].active = false;
    world.contracts[0].terms.period = period("2026-02-01", "2026-10-01");
    let e = world.exclusion(&mission(Urgency::Emergency, MORNING), &rules());
    assert_eq!(e.reason, ExclusionReason::AirlineSuspended);
    // Contract and maintenance: the contract.
    world.airlines[0].active = true;
    assert_eq!(
        world.exclusion(&mission(Urgency::Emergency, MORNING), &rules()).reason,
        ExclusionReason::ContractNotInForce
    );
}

#[test]
fn maintenance_and_another_mission_exclude() {
    let emergency = mission(Urgency::Emergency, MORNING);
    let world = World::one(Aircraft { status: AircraftStatus::Maintenance, ..plane("UP-C2804", "UAKD") });
    let e = world.exclusion(&emergency, &rules());
    assert_eq!((e.reason, e.detail.as_str()), (ExclusionReason::Maintenance, "aircraft UP-C2804 is in maintenance"));
    let world = World::one(Aircraft { status: AircraftStatus::OnMission, ..plane("UP-P1201", "UAKD") });
    let e = world.exclusion(&emergency, &rules());
    assert_eq!(
        (e.reason, e.detail.as_str()),
        (ExclusionReason::OnMission, "aircraft UP-P1201 is flying another mission")
    );
}

#[test]
fn the_medical_module_must_meet_the_need() {
    let mut intensive = mission(Urgency::Emergency, MORNING);
    intensive.needs.module = Some(MedicalModule::IntensiveCare);
    let world = World::one(Aircraft { medical_module: MedicalModule::Basic, ..plane("UP-L4107", "UAKD") });
    let e = world.exclusion(&intensive, &rules());
    assert_eq!(
        (e.reason, e.detail.as_str()),
        (ExclusionReason::NoMedicalModule, "UP-L4107 has a basic module, the patient needs an intensive-care module")
    );
    let world = World::one(Aircraft { medical_module: MedicalModule::None, ..plane("UP-L4103", "UAKD") });
    let e = world.exclusion(&mission(Urgency::Emergency, MORNING), &rules());
    assert_eq!(e.detail, "UP-L4103 has no medical module, the patient needs a basic module");

    // An incubator needs the neonatal module, whatever else is installed.
    let mut newborn = mission(Urgency::Emergency, MORNING);
    newborn.needs = Needs { incubator: true, ..Needs::default() };
    let world = World::one(plane("UP-L4108", "UAKD"));
    let e = world.exclusion(&newborn, &rules());
    assert_eq!(
        (e.reason, e.detail.as_str()),
        (
            ExclusionReason::NoMedicalModule,
            "UP-L4108 has an intensive-care module, an incubator needs a neonatal module"
        )
    );
    let world = World::one(Aircraft { medical_module: MedicalModule::Neonatal, ..plane("UP-P1202", "UAKD") });
    assert_eq!(world.rank(&newborn, &rules()).options.len(), 1);
}

#[test]
fn pressurisation_and_capacity_exclude() {
    let mut high = mission(Urgency::Emergency, MORNING);
    high.needs.pressurised = true;
    let world = World::one(plane("UP-L4108", "UAKD"));
    let e = world.exclusion(&high, &rules());
    assert_eq!(
        (e.reason, e.detail.as_str()),
        (ExclusionReason::NotPressurised, "UP-L4108 has no pressurised cabin, the patient needs one")
    );

    let world = World::one(Aircraft { stretchers: 0, ..plane("UP-C2802", "UAKD") });
    let e = world.exclusion(&mission(Urgency::Emergency, MORNING), &rules());
    assert_eq!(
        (e.reason, e.detail.as_str()),
        (ExclusionReason::InsufficientCapacity, "UP-C2802 has 0 stretcher places, needs 1")
    );

    let mut escorted = mission(Urgency::Emergency, MORNING);
    escorted.needs.seats = 3;
    let world = World::one(helicopter("UP-B4002", "UAKD"));
    let e = world.exclusion(&escorted, &rules());
    assert_eq!((e.reason, e.detail.as_str()), (ExclusionReason::InsufficientCapacity, "UP-B4002 has 2 seats, needs 3"));
}

#[test]
fn a_leg_beyond_the_range_less_the_reserve_excludes() {
    // A Mi-8 from Astana: 500 km range, 385 km with the reserve; Ulytau's strip is ~430 km away.
    let mi8 = Aircraft { cruise_speed_kmh: 230, range_km: 500, night_capable: true, ..helicopter("UP-MI801", "UACC") };
    let e = World::one(mi8).exclusion(&mission(Urgency::Emergency, MORNING), &rules());
    assert_eq!(e.reason, ExclusionReason::OutOfRange, "{e:?}");
    assert!(e.detail.starts_with("positioning flight UACC → KZ-ULTU is 4"), "{}", e.detail);
    assert!(e.detail.ends_with("km, UP-MI801 may fly 385 km with a 30 min reserve (range 500 km)"), "{}", e.detail);
}

#[test]
fn runways_too_short_or_of_the_wrong_surface_exclude() {
    // Near the origin only the 800 m unpaved strip.
    let king_air = Aircraft { min_runway_m: 1000, surfaces: vec![Surface::Paved], ..plane("UP-B3501", "UACC") };
    let e = World::one(king_air.clone()).exclusion(&mission(Urgency::Emergency, MORNING), &near_rules());
    assert_eq!(
        (e.reason, e.detail.as_str()),
        (
            ExclusionReason::RunwayTooShort,
            "runway at KZ-ULTU is 800 m, UP-B3501 needs 1000 m (longest within 60 km of Ulytau Central District Hospital)"
        )
    );
    // With Zhezkazgan's paved runway within reach it lands there and drives the rest.
    let ranking = World::one(king_air).rank(&mission(Urgency::Emergency, MORNING), &rules());
    let legs = &ranking.options[0].legs;
    let ground = legs.iter().find(|l| l.kind == LegKind::GroundToAirfield).unwrap();
    assert_eq!(ground.to, Stop::Airfield(3), "UAKD");
    assert!(ground.distance_m > 100_000.0);

    let paved_only = Aircraft { surfaces: vec![Surface::Paved], ..plane("UP-Y4001", "UACC") };
    let e = World::one(paved_only).exclusion(&mission(Urgency::Emergency, MORNING), &near_rules());
    assert_eq!(
        (e.reason, e.detail.as_str()),
        (
            ExclusionReason::UnsuitableSurface,
            "runway at KZ-ULTU is unpaved, UP-Y4001 needs paved (nearest long enough within 60 km of Ulytau Central District Hospital)"
        )
    );
}

#[test]
fn nowhere_to_land_near_an_end_excludes() {
    let mut steppe = mission(Urgency::Emergency, MORNING);
    steppe.origin = place("a camp in the steppe", at(46.0, 69.0), "KZ-62");
    let e = World::one(helicopter("UP-H4502", "UAKD")).exclusion(&steppe, &near_rules());
    assert_eq!(
        (e.reason, e.detail.as_str()),
        (ExclusionReason::NoHelipad, "no helipad or airfield within 60 km of a camp in the steppe")
    );
    let e = World::one(plane("UP-L4108", "UAKD")).exclusion(&steppe, &near_rules());
    assert_eq!(
        (e.reason, e.detail.as_str()),
        (ExclusionReason::RunwayTooShort, "no runway within 60 km of a camp in the steppe")
    );
}

#[test]
fn a_helicopter_may_not_fly_after_sunset() {
    // Tasked at 13:00: ready at 14:00, at Ulytau about 14:35, in Astana after 16:30, past sunset.
    let h145 = helicopter("UP-H4503", "UAKD");
    let e = World::one(h145.clone()).exclusion(&mission(Urgency::Emergency, "2026-11-22T13:00:00"), &rules());
    assert_eq!(e.reason, ExclusionReason::NightRule, "{e:?}");
    assert!(e.detail.starts_with("landing at KZ-H014 at 1"), "{}", e.detail);
    assert!(
        e.detail.contains("is after sunset (16:1") && e.detail.ends_with(", UP-H4503 may not fly at night"),
        "{}",
        e.detail
    );
    // In the morning it flies, and lands on the hospital's own pad: no ground leg at the end.
    let ranking = World::one(h145).rank(&mission(Urgency::Emergency, MORNING), &rules());
    let kinds: Vec<LegKind> = ranking.options[0].legs.iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        [LegKind::PositioningFlight, LegKind::GroundToAirfield, LegKind::PatientFlight, LegKind::ReturnFlight]
    );
}

#[test]
fn an_unlit_strip_is_closed_to_night_landings_even_for_a_night_capable_plane() {
    // At 06:00 the L-410 from Zhezkazgan would land at Ulytau before sunrise (about 07:45).
    let mut world = World::one(plane("UP-L4108", "UAKD"));
    world.contracts[0].readiness = 0;
    world.airfields[3].hours =
        OpeningHours { opens: ClockTime::parse("00:00").unwrap(), closes: ClockTime::parse("00:00").unwrap() };
    let e = world.exclusion(&mission(Urgency::Emergency, "2026-11-22T06:00:00"), &near_rules());
    assert_eq!(e.reason, ExclusionReason::NightRule, "{e:?}");
    assert!(e.detail.starts_with("landing at KZ-ULTU at 06:"), "{}", e.detail);
    assert!(
        e.detail.contains("is before sunrise (07:") && e.detail.ends_with(", KZ-ULTU has no night lighting"),
        "{}",
        e.detail
    );
}

#[test]
fn a_closed_airfield_excludes() {
    // Zhezkazgan opens at 07:00; a night-capable L-410 based there, ready at once at 05:00.
    let mut world = World::one(plane("UP-L4108", "UAKD"));
    world.contracts[0].readiness = 0;
    let mut early = mission(Urgency::Emergency, "2026-11-22T05:00:00");
    early.origin = place("Zhezkazgan Regional Multidisciplinary Hospital", at(47.7901, 67.6904), "KZ-62");
    early.destination = place("Karaganda Regional Hospital", at(49.7799, 73.1024), "KZ-35");
    let e = world.exclusion(&early, &near_rules());
    assert_eq!(e.reason, ExclusionReason::AirfieldClosed, "{e:?}");
    // The ambulance from the hospital arrives about 05:15, then 15 minutes' boarding.
    assert!(e.detail.starts_with("take-off from UAKD at 05:"), "{}", e.detail);
    assert!(e.detail.ends_with(" is outside its opening hours 07:00–22:00"), "{}", e.detail);
}

/// Three planes that each win one urgency: a nearby L-410 reaches the patient first, a fast
/// jet from Astana reaches Astana first, and a slow An-2 on a low tariff costs least.
fn three_planes() -> World {
    let l410 = plane("UP-L4108", "UAKD");
    let jet = Aircraft { cruise_speed_kmh: 780, range_km: 3300, min_runway_m: 800, ..plane("UP-PC241", "UACC") };
    let an2 = Aircraft { cruise_speed_kmh: 180, range_km: 900, min_runway_m: 400, ..plane("UP-A2009", "UAKK") };
    World::new(
        vec![an2, jet, l410],
        vec![
            contract("20/2025", &["UP-A2009"], 300_000),
            contract("5/2025", &["UP-PC241"], 3_500_000),
            contract("10/2026", &["UP-L4108"], 700_000),
        ],
    )
}

#[test]
fn emergencies_rank_by_time_to_patient() {
    let world = three_planes();
    let ranking = world.rank(&mission(Urgency::Emergency, MORNING), &rules());
    assert_eq!(world.order(&ranking), ["UP-L4108", "UP-PC241", "UP-A2009"]);
    assert!(ranking.options.windows(2).all(|w| w[0].time_to_patient <= w[1].time_to_patient));
    assert!(ranking.excluded.is_empty());
}

#[test]
fn urgent_missions_rank_by_time_to_destination() {
    let world = three_planes();
    let ranking = world.rank(&mission(Urgency::Urgent, MORNING), &rules());
    assert_eq!(world.order(&ranking), ["UP-PC241", "UP-L4108", "UP-A2009"]);
    assert!(ranking.options.windows(2).all(|w| w[0].time_to_destination <= w[1].time_to_destination));
}

#[test]
fn planned_missions_rank_by_cost() {
    let world = three_planes();
    let ranking = world.rank(&mission(Urgency::Planned, MORNING), &rules());
    assert_eq!(world.order(&ranking), ["UP-A2009", "UP-L4108", "UP-PC241"]);
    assert!(ranking.options.windows(2).all(|w| w[0].cost_tiyn <= w[1].cost_tiyn));
}

#[test]
fn ties_fall_to_cost_then_registration() {
    let twins = World::new(
        vec![plane("UP-L4109", "UAKD"), plane("UP-L4107", "UAKD"), plane("UP-L4108", "UAKD")],
        vec![contract("1/2026", &["UP-L4109", "UP-L4107"], 700_000), contract("2/2026", &["UP-L4108"], 650_000)],
    );
    let ranking = twins.rank(&mission(Urgency::Emergency, MORNING), &rules());
    assert_eq!(twins.order(&ranking), ["UP-L4108", "UP-L4107", "UP-L4109"]);
}

#[test]
fn the_plan_is_spelled_out_leg_by_leg() {
    let world = World::one(plane("UP-L4108", "UAKD"));
    let m = mission(Urgency::Emergency, MORNING);
    let ranking = world.rank(&m, &rules());
    let option = &ranking.options[0];
    let kinds: Vec<(LegKind, TravelMode)> = option.legs.iter().map(|l| (l.kind, l.mode)).collect();
    assert_eq!(
        kinds,
        [
            (LegKind::PositioningFlight, TravelMode::Plane),
            (LegKind::GroundToAirfield, TravelMode::Ground),
            (LegKind::PatientFlight, TravelMode::Plane),
            (LegKind::GroundToHospital, TravelMode::Ground),
            (LegKind::ReturnFlight, TravelMode::Plane),
        ]
    );
    let [positioning, to_airfield, patient, to_hospital, back] = option.legs[..] else { panic!() };
    // UAKD → KZ-ULTU → UACC → back to UAKD.
    assert_eq!((positioning.from, positioning.to), (Stop::Airfield(3), Stop::Airfield(4)));
    assert_eq!((to_airfield.from, to_airfield.to), (Stop::Origin, Stop::Airfield(4)));
    assert_eq!((patient.from, patient.to), (Stop::Airfield(4), Stop::Airfield(0)));
    assert_eq!((to_hospital.from, to_hospital.to), (Stop::Airfield(0), Stop::Destination));
    assert_eq!((back.from, back.to), (Stop::Airfield(0), Stop::Airfield(3)));
    // Readiness, then the flight; the ambulance arrives with the aircraft; boarding; handover.
    assert_eq!(positioning.departs_at, m.start_at + 60 * MINUTE);
    assert_eq!(to_airfield.arrives_at, positioning.arrives_at);
    assert_eq!(patient.departs_at, positioning.arrives_at + 15 * MINUTE);
    assert_eq!(to_hospital.departs_at, patient.arrives_at + 10 * MINUTE);
    assert_eq!(back.departs_at, patient.arrives_at + 30 * MINUTE);
    assert_eq!(option.time_to_patient, positioning.arrives_at - m.start_at);
    assert_eq!(option.time_to_destination, to_hospital.arrives_at - m.start_at);
    // Every flight hour is billed, the return included: 1,000,000 tenge an hour.
    let flown = positioning.duration() + patient.duration() + back.duration();
    assert_eq!(option.flight_time, flown);
    assert_eq!(option.cost_tiyn, cost_tiyn(flown, 1_000_000));
    assert!(flown > 3 * 60 * MINUTE && flown < 5 * 60 * MINUTE, "{} min", flown / MINUTE);
    // The road all the way takes far longer than the air plan.
    let road = ranking.ground_transfer;
    assert_eq!(
        (road.kind, road.mode, road.from, road.to),
        (LegKind::GroundTransfer, TravelMode::Ground, Stop::Origin, Stop::Destination)
    );
    assert!(road.distance_m > 450_000.0 && road.arrives_at - m.start_at > option.time_to_destination);
}

#[test]
fn a_specialist_reaches_the_patient_at_the_destination() {
    let world = World::one(plane("UP-L4108", "UAKD"));
    let mut delivery = mission(Urgency::Emergency, MORNING);
    delivery.kind = MissionKind::SpecialistDelivery;
    delivery.needs = Needs::default();
    let option = &world.rank(&delivery, &rules()).options[0];
    assert_eq!(option.time_to_patient, option.time_to_destination);
}

#[test]
fn the_same_answer_every_time() {
    let world = three_planes();
    let m = mission(Urgency::Urgent, MORNING);
    assert_eq!(world.rank(&m, &rules()), world.rank(&m, &rules()));
}
