//! Brigades, hospitals, airfields, airlines, aircraft and contracts: create, get, update and
//! list, with validation (one violation per bad field, references that must exist, unique
//! codes and BINs) and reads by role and scope.

use jedel_api::common::v1::{LatLon, Money};
use jedel_api::registry::v1 as pb;
use jedel_platform::Role;
use tonic::Code;

use crate::{App, admin, as_, caller, on_each_backend, violated_fields};

on_each_backend!(
    a_brigade_is_created_once_read_by_call_sign_and_moves_with_its_station,
    every_bad_field_of_a_brigade_and_its_missing_station_are_reported_at_once,
    hospitals_and_brigades_are_read_within_the_callers_regions,
    airline_operators_read_only_their_own_airline_aircraft_and_contracts,
    an_airline_needs_a_valid_unique_bin_and_ordered_certificate_dates,
    aircraft_and_contracts_reference_what_exists_and_belongs_together,
    lists_filter_and_page,
);

fn brigade(call_sign: &str, station: &str) -> pb::Brigade {
    pb::Brigade {
        call_sign: call_sign.into(),
        kind: jedel_api::common::v1::TeamKind::Feldsher.into(),
        capabilities: vec![pb::BrigadeCapability::Defibrillator.into()],
        station_code: station.into(),
        vehicle_plate: "777KZT01".into(),
        vehicle_type: pb::VehicleType::ClassB.into(),
        shift_pattern: pb::ShiftPattern::ShiftPattern24h.into(),
        in_service: true,
        ..Default::default()
    }
}

fn airline(code: &str, bin: &str) -> pb::Airline {
    let date = |year, month, day| Some(pb::Date { year, month, day });
    pb::Airline {
        code: code.into(),
        name: "Test Air LLP".into(),
        bin: bin.into(),
        certificate: Some(pb::MedicalAviationCertificate {
            number: "KZ-MA-9001".into(),
            issued: date(2026, 1, 1),
            expires: date(2026, 12, 31),
        }),
        status: pb::AirlineStatus::Active.into(),
        ..Default::default()
    }
}

fn helicopter(registration: &str, airline: &str) -> pb::Aircraft {
    pb::Aircraft {
        registration: registration.into(),
        airline_code: airline.into(),
        kind: pb::AircraftKind::Helicopter.into(),
        model: "H145".into(),
        cruise_speed_kmh: 240,
        range_km: 650,
        min_runway_m: 0,
        surfaces: vec![pb::RunwaySurface::Paved.into()],
        helipad_capable: true,
        night_capable: true,
        medical_module: pb::MedicalModule::IntensiveCare.into(),
        stretchers: 1,
        seats: 2,
        tracker_installed: true,
        year_built: 2020,
        base_airfield_code: "UACC".into(),
        status: pb::AircraftStatus::Available.into(),
        ..Default::default()
    }
}

fn contract(number: &str, airline: &str, aircraft: &[&str]) -> pb::Contract {
    pb::Contract {
        number: number.into(),
        airline_code: airline.into(),
        starts: Some(pb::Date { year: 2026, month: 1, day: 1 }),
        ends: Some(pb::Date { year: 2026, month: 12, day: 31 }),
        aircraft: aircraft.iter().map(|a| a.to_string()).collect(),
        tariff_per_hour: Some(Money { currency: "KZT".into(), minor_units: 100_000_000 }),
        readiness_minutes: 60,
        status: pb::ContractStatus::Active.into(),
        ..Default::default()
    }
}

async fn a_brigade_is_created_once_read_by_call_sign_and_moves_with_its_station(app: App) {
    let create = pb::CreateBrigadeRequest { request_id: "b-1".into(), brigade: Some(brigade("AST-02-01", "AST-02")) };
    let created = app.client().create_brigade(as_(&admin(), create.clone())).await.unwrap().into_inner();
    assert_eq!((created.region_code.as_str(), created.version, created.in_service), ("KZ-71", 1, true));
    assert_eq!(app.client().create_brigade(as_(&admin(), create)).await.unwrap().into_inner(), created);
    let twin = pb::CreateBrigadeRequest { request_id: "b-2".into(), brigade: Some(brigade("AST-02-01", "AST-01")) };
    let status = app.client().create_brigade(as_(&admin(), twin)).await.unwrap_err();
    assert_eq!((status.code(), status.message()), (Code::AlreadyExists, "brigade AST-02-01 already exists"));

    let by_call_sign = pb::GetBrigadeRequest { key: Some(pb::get_brigade_request::Key::CallSign("AST-02-01".into())) };
    assert_eq!(app.client().get_brigade(as_(&admin(), by_call_sign)).await.unwrap().into_inner(), created);

    let withdrawn = pb::UpdateBrigadeRequest {
        id: created.id.clone(),
        expected_version: 1,
        brigade: Some(pb::Brigade { in_service: false, ..brigade("AST-02-01", "AKM-01") }),
    };
    let updated = app.client().update_brigade(as_(&admin(), withdrawn.clone())).await.unwrap().into_inner();
    assert_eq!((updated.version, updated.in_service, updated.region_code.as_str()), (2, false, "KZ-11"));
    let stale = app.client().update_brigade(as_(&admin(), withdrawn)).await.unwrap_err();
    assert_eq!(stale.code(), Code::FailedPrecondition);
    let renamed = pb::UpdateBrigadeRequest {
        id: created.id.clone(),
        expected_version: 0,
        brigade: Some(brigade("AST-02-09", "AST-02")),
    };
    assert_eq!(
        violated_fields(&app.client().update_brigade(as_(&admin(), renamed)).await.unwrap_err()),
        ["brigade.call_sign"]
    );

    // A station that moves takes its brigades with it.
    let get = pb::GetStationRequest { key: Some(pb::get_station_request::Key::Code("AKM-01".into())) };
    let station = app.client().get_station(as_(&admin(), get)).await.unwrap().into_inner();
    let moved = pb::UpdateStationRequest {
        id: station.id.clone(),
        expected_version: 0,
        station: Some(pb::Station { region_code: "KZ-23".into(), ..station }),
    };
    app.client().update_station(as_(&admin(), moved)).await.unwrap();
    let get = pb::GetBrigadeRequest { key: Some(pb::get_brigade_request::Key::Id(created.id)) };
    assert_eq!(app.client().get_brigade(as_(&admin(), get)).await.unwrap().into_inner().region_code, "KZ-23");
}

async fn every_bad_field_of_a_brigade_and_its_missing_station_are_reported_at_once(app: App) {
    let bad = pb::Brigade {
        kind: 0,
        capabilities: vec![1, 1],
        vehicle_plate: String::new(),
        vehicle_type: 42,
        ..brigade("ast 1", "NOPE-01")
    };
    let request = pb::CreateBrigadeRequest { request_id: String::new(), brigade: Some(bad) };
    let status = app.client().create_brigade(as_(&admin(), request)).await.unwrap_err();
    assert_eq!(
        violated_fields(&status),
        [
            "request_id",
            "brigade.call_sign",
            "brigade.kind",
            "brigade.capabilities",
            "brigade.vehicle_plate",
            "brigade.vehicle_type",
            "brigade.station_code",
        ]
    );
    assert!(status.message().contains("brigade.station_code: station NOPE-01 does not exist"), "{}", status.message());
    assert!(status.message().contains("defibrillator is listed twice"), "{}", status.message());

    let hospital = pb::Hospital {
        code: "AST-H09".into(),
        name: "Clinic".into(),
        region_code: "KZ-71".into(),
        position: Some(LatLon { lat: 60.0, lon: 71.4 }),
        profiles: vec![jedel_api::common::v1::HospitalProfile::Trauma.into()],
        trauma_level: 0,
        beds: 10,
        nearest_airfield_code: "UXXX".into(),
        ..Default::default()
    };
    let status = app
        .client()
        .create_hospital(as_(&admin(), pb::CreateHospitalRequest { request_id: "h".into(), hospital: Some(hospital) }))
        .await
        .unwrap_err();
    assert_eq!(
        violated_fields(&status),
        ["hospital.position.lat", "hospital.trauma_level", "hospital.nearest_airfield_code"]
    );
    assert!(status.message().contains("airfield UXXX does not exist"), "{}", status.message());
}

async fn hospitals_and_brigades_are_read_within_the_callers_regions(app: App) {
    let dispatcher = caller(Role::Dispatcher, &["KZ-71"]);
    let brigades = app.client().list_brigades(as_(&dispatcher, Default::default())).await.unwrap().into_inner();
    let call_signs: Vec<_> = brigades.brigades.iter().map(|b| b.call_sign.as_str()).collect();
    assert_eq!(call_signs, ["AST-01-01", "AST-01-02"]);
    let hospitals = app.client().list_hospitals(as_(&dispatcher, Default::default())).await.unwrap().into_inner();
    assert_eq!(hospitals.hospitals.iter().map(|h| h.code.as_str()).collect::<Vec<_>>(), ["AST-H01", "AST-H02"]);

    let elsewhere = pb::GetHospitalRequest { key: Some(pb::get_hospital_request::Key::Code("ATY-H01".into())) };
    let status = app.client().get_hospital(as_(&dispatcher, elsewhere)).await.unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied);
    let other_region = pb::ListBrigadesRequest { region_code: "KZ-23".into(), ..Default::default() };
    assert_eq!(
        app.client().list_brigades(as_(&dispatcher, other_region)).await.unwrap_err().code(),
        Code::PermissionDenied
    );

    let situation = caller(Role::Situation, &[]);
    let all = app.client().list_brigades(as_(&situation, Default::default())).await.unwrap().into_inner();
    assert_eq!(all.brigades.len(), 4);

    let airline = caller(Role::Airline, &[]);
    for status in [
        app.client().list_brigades(as_(&airline, Default::default())).await.unwrap_err(),
        app.client().list_hospitals(as_(&airline, Default::default())).await.unwrap_err(),
    ] {
        assert_eq!(status.code(), Code::PermissionDenied);
    }
    // Airfields are everyone's.
    let airfields = app.client().list_airfields(as_(&airline, Default::default())).await.unwrap().into_inner();
    assert_eq!(airfields.airfields.len(), 3);
}

async fn airline_operators_read_only_their_own_airline_aircraft_and_contracts(app: App) {
    let operator = caller(Role::Airline, &[]);
    let airlines = app.client().list_airlines(as_(&operator, Default::default())).await.unwrap().into_inner();
    assert_eq!(airlines.airlines.iter().map(|a| a.code.as_str()).collect::<Vec<_>>(), ["KAZAVIASPAS"]);
    let aircraft = app.client().list_aircraft(as_(&operator, Default::default())).await.unwrap().into_inner();
    assert_eq!(aircraft.aircraft.iter().map(|a| a.registration.as_str()).collect::<Vec<_>>(), ["UP-L4101", "UP-MI801"]);
    let contracts = app.client().list_contracts(as_(&operator, Default::default())).await.unwrap().into_inner();
    assert_eq!(contracts.contracts.iter().map(|c| c.number.as_str()).collect::<Vec<_>>(), ["1/2026"]);
    assert_eq!(contracts.contracts[0].tariff_per_hour.as_ref().unwrap().minor_units, 145_000_000);

    let others = pb::ListAircraftRequest { airline_code: "ORLAN_2000".into(), ..Default::default() };
    assert_eq!(app.client().list_aircraft(as_(&operator, others)).await.unwrap_err().code(), Code::PermissionDenied);
    let orlan_mi8 =
        pb::GetAircraftRequest { key: Some(pb::get_aircraft_request::Key::Registration("UP-MI805".into())) };
    assert_eq!(
        app.client().get_aircraft(as_(&operator, orlan_mi8.clone())).await.unwrap_err().code(),
        Code::PermissionDenied
    );
    let contract_17 = pb::GetContractRequest { key: Some(pb::get_contract_request::Key::Number("17/2026".into())) };
    assert_eq!(
        app.client().get_contract(as_(&operator, contract_17.clone())).await.unwrap_err().code(),
        Code::PermissionDenied
    );

    // Regional roles see the fleets but not the contracts (tariffs).
    let coordinator = caller(Role::Coordinator, &["KZ-23"]);
    assert_eq!(app.client().get_aircraft(as_(&coordinator, orlan_mi8)).await.unwrap().into_inner().model, "Mi-8");
    assert_eq!(
        app.client().get_contract(as_(&coordinator, contract_17.clone())).await.unwrap_err().code(),
        Code::PermissionDenied
    );
    let nccem = caller(Role::MedevacDispatcher, &[]);
    let seventeen = app.client().get_contract(as_(&nccem, contract_17)).await.unwrap().into_inner();
    assert_eq!(
        (seventeen.aircraft, seventeen.ends),
        (vec!["UP-MI805".to_string()], Some(pb::Date { year: 2026, month: 10, day: 1 }))
    );
}

async fn an_airline_needs_a_valid_unique_bin_and_ordered_certificate_dates(app: App) {
    let mut bad = airline("test air", "081140707706");
    bad.certificate.as_mut().unwrap().expires = Some(pb::Date { year: 2025, month: 12, day: 31 });
    bad.certificate.as_mut().unwrap().issued = Some(pb::Date { year: 2026, month: 2, day: 30 });
    let request = pb::CreateAirlineRequest { request_id: "a-1".into(), airline: Some(bad) };
    let status = app.client().create_airline(as_(&admin(), request)).await.unwrap_err();
    assert_eq!(violated_fields(&status), ["airline.code", "airline.bin", "airline.certificate.issued"]);
    assert!(status.message().contains("bin checksum does not match"), "{}", status.message());

    let mut reversed = airline("TEST_AIR", "123456789013");
    reversed.certificate.as_mut().unwrap().issued = Some(pb::Date { year: 2027, month: 1, day: 1 });
    let request = pb::CreateAirlineRequest { request_id: "a-2".into(), airline: Some(reversed) };
    let status = app.client().create_airline(as_(&admin(), request)).await.unwrap_err();
    assert_eq!(violated_fields(&status), ["airline.certificate.expires"]);

    // Kazaviaspas holds 081140707705 already.
    let taken =
        pb::CreateAirlineRequest { request_id: "a-3".into(), airline: Some(airline("TEST_AIR", "081140707705")) };
    let status = app.client().create_airline(as_(&admin(), taken)).await.unwrap_err();
    assert_eq!(
        (status.code(), status.message()),
        (Code::AlreadyExists, "bin 081140707705 belongs to airline KAZAVIASPAS")
    );

    let request =
        pb::CreateAirlineRequest { request_id: "a-4".into(), airline: Some(airline("TEST_AIR", "123456789013")) };
    let created = app.client().create_airline(as_(&admin(), request)).await.unwrap().into_inner();
    assert_eq!(created.certificate.unwrap().expires, Some(pb::Date { year: 2026, month: 12, day: 31 }));
    let without = pb::UpdateAirlineRequest {
        id: created.id,
        expected_version: 1,
        airline: Some(pb::Airline { certificate: None, ..airline("TEST_AIR", "123456789013") }),
    };
    let updated = app.client().update_airline(as_(&admin(), without)).await.unwrap().into_inner();
    assert_eq!((updated.version, updated.certificate), (2, None));
}

async fn aircraft_and_contracts_reference_what_exists_and_belongs_together(app: App) {
    let bad = pb::Aircraft { cruise_speed_kmh: 0, range_km: -1, ..helicopter("UP-12", "NOBODY") };
    let request = pb::CreateAircraftRequest { request_id: "x-1".into(), aircraft: Some(bad) };
    let status = app.client().create_aircraft(as_(&admin(), request)).await.unwrap_err();
    assert_eq!(
        violated_fields(&status),
        ["aircraft.registration", "aircraft.cruise_speed_kmh", "aircraft.range_km", "aircraft.airline_code"]
    );

    let request =
        pb::CreateAircraftRequest { request_id: "x-2".into(), aircraft: Some(helicopter("UP-H4599", "ORLAN_2000")) };
    let created = app.client().create_aircraft(as_(&admin(), request)).await.unwrap().into_inner();

    let wrong_airline = contract("99/2026", "KAZAVIASPAS", &["UP-H4599", "UP-MI801", "UP-ZZZ99"]);
    let request = pb::CreateContractRequest { request_id: "c-1".into(), contract: Some(wrong_airline) };
    let status = app.client().create_contract(as_(&admin(), request)).await.unwrap_err();
    assert_eq!(violated_fields(&status), ["contract.aircraft"]);
    assert!(
        status.message().contains(
            "aircraft UP-H4599 belongs to airline ORLAN_2000, not KAZAVIASPAS; aircraft UP-ZZZ99 does not exist"
        ),
        "{}",
        status.message()
    );

    let reversed = pb::Contract {
        ends: Some(pb::Date { year: 2025, month: 1, day: 1 }),
        ..contract("99/2026", "ORLAN_2000", &["UP-H4599"])
    };
    let request = pb::CreateContractRequest { request_id: "c-2".into(), contract: Some(reversed) };
    assert_eq!(
        violated_fields(&app.client().create_contract(as_(&admin(), request)).await.unwrap_err()),
        ["contract.ends"]
    );

    let good = contract("99/2026", "ORLAN_2000", &["UP-H4599", "UP-MI805"]);
    let request = pb::CreateContractRequest { request_id: "c-3".into(), contract: Some(good) };
    let signed = app.client().create_contract(as_(&admin(), request)).await.unwrap().into_inner();
    assert_eq!(signed.aircraft, ["UP-H4599", "UP-MI805"]);

    // Listed by an Orlan contract, the helicopter cannot move to another airline.
    let moved = pb::UpdateAircraftRequest {
        id: created.id,
        expected_version: 0,
        aircraft: Some(helicopter("UP-H4599", "KAZAVIASPAS")),
    };
    let status = app.client().update_aircraft(as_(&admin(), moved)).await.unwrap_err();
    assert_eq!(status.code(), Code::FailedPrecondition, "{status:?}");
    assert_eq!(
        status.message(),
        "aircraft UP-H4599 cannot move to airline KAZAVIASPAS: contract 99/2026 of airline ORLAN_2000 lists it"
    );

    let covering = pb::ListContractsRequest { aircraft_registration: "UP-MI805".into(), ..Default::default() };
    let page = app.client().list_contracts(as_(&admin(), covering)).await.unwrap().into_inner();
    assert_eq!(page.contracts.iter().map(|c| c.number.as_str()).collect::<Vec<_>>(), ["17/2026", "99/2026"]);
}

async fn lists_filter_and_page(app: App) {
    let out = pb::ListBrigadesRequest { in_service: Some(false), ..Default::default() };
    let page = app.client().list_brigades(as_(&admin(), out)).await.unwrap().into_inner();
    assert_eq!(page.brigades.iter().map(|b| b.call_sign.as_str()).collect::<Vec<_>>(), ["AST-01-02"]);
    let phc = pb::ListBrigadesRequest { kind: jedel_api::common::v1::TeamKind::PhcMobile.into(), ..Default::default() };
    let page = app.client().list_brigades(as_(&admin(), phc)).await.unwrap().into_inner();
    assert_eq!(page.brigades.iter().map(|b| b.call_sign.as_str()).collect::<Vec<_>>(), ["ATY-01-01"]);
    let station = pb::ListBrigadesRequest { station_code: "AST-01".into(), ..Default::default() };
    assert_eq!(app.client().list_brigades(as_(&admin(), station)).await.unwrap().into_inner().brigades.len(), 2);

    let stroke = pb::ListHospitalsRequest {
        profile: jedel_api::common::v1::HospitalProfile::Stroke.into(),
        ..Default::default()
    };
    let page = app.client().list_hospitals(as_(&admin(), stroke)).await.unwrap().into_inner();
    assert_eq!(page.hospitals.iter().map(|h| h.code.as_str()).collect::<Vec<_>>(), ["AST-H01", "ATY-H01"]);

    let helipads = pb::ListAirfieldsRequest { kind: pb::AirfieldKind::Helipad.into(), ..Default::default() };
    let page = app.client().list_airfields(as_(&admin(), helipads)).await.unwrap().into_inner();
    assert_eq!(page.airfields.iter().map(|a| a.code.as_str()).collect::<Vec<_>>(), ["KZ-H001"]);

    let maintenance = pb::ListAircraftRequest { status: pb::AircraftStatus::Maintenance.into(), ..Default::default() };
    let page = app.client().list_aircraft(as_(&admin(), maintenance)).await.unwrap().into_inner();
    assert_eq!(page.aircraft.iter().map(|a| a.registration.as_str()).collect::<Vec<_>>(), ["UP-L4101"]);

    let mut seen = Vec::new();
    let mut token = String::new();
    loop {
        let request = pb::ListAircraftRequest { page_size: 3, page_token: token.clone(), ..Default::default() };
        let page = app.client().list_aircraft(as_(&admin(), request)).await.unwrap().into_inner();
        seen.extend(page.aircraft.into_iter().map(|a| a.registration));
        if page.next_page_token.is_empty() {
            break;
        }
        token = page.next_page_token;
    }
    assert_eq!(seen, ["UP-ANS02", "UP-L4101", "UP-MI801", "UP-MI805"]);

    let bad = pb::ListContractsRequest {
        airline_code: "orlan".into(),
        status: 9,
        aircraft_registration: "MI805".into(),
        ..Default::default()
    };
    let status = app.client().list_contracts(as_(&admin(), bad)).await.unwrap_err();
    assert_eq!(violated_fields(&status), ["airline_code", "status", "aircraft_registration"]);
}
