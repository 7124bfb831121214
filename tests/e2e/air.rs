//! Air tasking over gRPC on both backends, on the built-in Kazakhstan reference data: an
//! emergency from a district of Ulytau (KZ-62) to Astana ranks the eligible aircraft with
//! their plans and costs beside a ground-only transfer, and lists every other aircraft with
//! its reason (contract 17/2026's Mi-8s, the aircraft of an airline whose certificate
//! lapsed); bad requests are refused whole; roles and regions are checked.

use jedel_api::common::v1::LatLon;
use jedel_api::dispatch::v1::dispatcher_client::DispatcherClient;
use jedel_api::dispatch::v1::{
    AirUrgency, ExclusionReason, LegKind, MedicalModule, MissionType, PatientNeeds, Place, RankAircraftRequest,
    TravelMode,
};
use jedel_api::registry::v1::ListHospitalsRequest;
use jedel_api::registry::v1::registry_client::RegistryClient;
use jedel_platform::Role;
use tonic::Code;
use tonic_types::StatusExt as _;

use crate::on_each_backend;
use crate::support::Server;

/// An Almaty wall-clock time as a timestamp.
fn almaty(local: &str) -> prost_types::Timestamp {
    let at = chrono::DateTime::parse_from_rfc3339(&format!("{local}+05:00")).unwrap();
    prost_types::Timestamp { seconds: at.timestamp(), nanos: 0 }
}

fn seconds(ts: &prost_types::Timestamp) -> i64 {
    ts.seconds
}

/// The Registry id of the hospital with `code` in `region`.
async fn hospital(server: &Server, region: &str, code: &str) -> String {
    let admin = server.token(Role::Admin, &[], None);
    let mut registry = RegistryClient::new(server.authed(&admin).await);
    let page = registry
        .list_hospitals(ListHospitalsRequest { page_size: 1000, region_code: region.into(), ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    page.hospitals.into_iter().find(|h| h.code == code).unwrap_or_else(|| panic!("hospital {code}")).id
}

/// A lying patient needing a basic module, from Ulytau Central District Hospital to Astana
/// City Emergency Hospital, on 2026-11-22 at 10:00 (after DAP Aeroservice's certificate and
/// contract 17/2026 lapsed).
async fn ulytau_to_astana(server: &Server, urgency: AirUrgency) -> RankAircraftRequest {
    RankAircraftRequest {
        medevac_request_id: String::new(),
        mission_type: MissionType::PatientTransport.into(),
        origin: Some(Place { hospital_id: hospital(server, "KZ-62", "ULY-H07").await, ..Default::default() }),
        destination: Some(Place { hospital_id: hospital(server, "KZ-71", "AST-H01").await, ..Default::default() }),
        needs: Some(PatientNeeds {
            medical_module: MedicalModule::Basic.into(),
            stretcher: true,
            ..Default::default()
        }),
        urgency: urgency.into(),
        start_at: Some(almaty("2026-11-22T10:00:00")),
        limit: 50,
    }
}

fn fields(status: &tonic::Status) -> Vec<String> {
    status
        .get_error_details()
        .bad_request()
        .map(|b| b.field_violations.iter().map(|v| v.field.clone()).collect())
        .unwrap_or_default()
}

on_each_backend!(an_emergency_from_ulytau_ranks_aircraft_with_plans_and_exclusions, async |server: Server| {
    let request = ulytau_to_astana(&server, AirUrgency::Emergency).await;
    let nccem = server.token(Role::MedevacDispatcher, &[], None);
    let mut dispatcher = DispatcherClient::new(server.authed(&nccem).await);
    let response = dispatcher.rank_aircraft(request.clone()).await.unwrap().into_inner();
    let start = seconds(request.start_at.as_ref().unwrap());
    assert_eq!(response.start_at.as_ref().map(seconds), Some(start));

    // Options, best first by time to patient, each with its whole plan and its price.
    let options = &response.options;
    assert!(options.len() >= 3, "{options:#?}");
    let to_patient: Vec<i64> = options.iter().map(|o| o.time_to_patient.unwrap().seconds).collect();
    assert!(to_patient.windows(2).all(|w| w[0] <= w[1]), "{to_patient:?}");
    for (i, option) in options.iter().enumerate() {
        assert_eq!(option.rank, i as i32 + 1);
        assert!(!option.aircraft_id.is_empty() && !option.contract_id.is_empty() && !option.airline_name.is_empty());
        let kinds: Vec<LegKind> = option.legs.iter().map(|l| l.kind()).collect();
        assert_eq!(kinds.iter().filter(|k| **k == LegKind::PatientFlight).count(), 1, "{kinds:?}");
        let flights: i64 =
            option.legs.iter().filter(|l| l.mode() != TravelMode::Ground).map(|l| l.duration.unwrap().seconds).sum();
        assert_eq!(option.flight_time.unwrap().seconds, flights, "{}", option.registration);
        let cost = option.cost.as_ref().unwrap();
        assert_eq!(cost.currency, "KZT");
        assert!(cost.minor_units > 0);
        let patient_flight = option.legs.iter().find(|l| l.kind() == LegKind::PatientFlight).unwrap();
        assert!(!patient_flight.from.as_ref().unwrap().airfield_id.is_empty());
        assert!(option.time_to_destination.unwrap().seconds > option.time_to_patient.unwrap().seconds);
    }
    // The best is the Zhezkazgan-Air L-410 with an intensive-care module, based nearby: the
    // ambulance takes the patient to Zhezkazgan while it is readied, then on to Astana.
    let best = &options[0];
    assert!(["UP-L4107", "UP-L4108"].contains(&best.registration.as_str()), "{best:#?}");
    assert_eq!(best.model, "L-410 UVP-E20");
    let legs: Vec<(LegKind, &str, &str)> = best
        .legs
        .iter()
        .map(|l| (l.kind(), l.from.as_ref().unwrap().name.as_str(), l.to.as_ref().unwrap().name.as_str()))
        .collect();
    assert_eq!(
        legs,
        [
            (LegKind::GroundToAirfield, "Ulytau Central District Hospital", "UAKD Zhezkazgan Airport"),
            (LegKind::PatientFlight, "UAKD Zhezkazgan Airport", "UACC Astana International Airport"),
            (LegKind::GroundToHospital, "UACC Astana International Airport", "Astana City Emergency Hospital"),
            (LegKind::ReturnFlight, "UACC Astana International Airport", "UAKD Zhezkazgan Airport"),
        ]
    );
    // A helicopter from Astana lands on the receiving hospital's own pad.
    let h145 = options.iter().find(|o| o.registration == "UP-H4506").expect("the H145 from Astana is offered");
    let landing = h145.legs.iter().find(|l| l.kind() == LegKind::PatientFlight).unwrap();
    assert_eq!(landing.mode(), TravelMode::Helicopter);
    assert_eq!(landing.to.as_ref().unwrap().name, "KZ-H014 Helipad, Astana City Emergency Hospital");
    assert!(h145.legs.iter().all(|l| l.kind() != LegKind::GroundToHospital));

    // The road all the way, for comparison: some 490 km and later than the best air plan.
    let road = response.ground_transfer.as_ref().unwrap();
    assert_eq!((road.kind(), road.mode()), (LegKind::GroundTransfer, TravelMode::Ground));
    assert_eq!(road.from.as_ref().unwrap().name, "Ulytau Central District Hospital");
    assert!(road.distance_m > 400_000.0 && road.distance_m < 600_000.0, "{}", road.distance_m);
    let best_arrival = start + best.time_to_destination.unwrap().seconds;
    assert!(seconds(road.arrives_at.as_ref().unwrap()) > best_arrival);

    // Every aircraft is either offered or excluded, each exclusion with its reason.
    assert_eq!(options.len() + response.excluded.len(), 53);
    let excluded = |registration: &str| {
        response.excluded.iter().find(|e| e.registration == registration).unwrap_or_else(|| panic!("{registration}"))
    };
    for mi8 in ["UP-MI805", "UP-MI806", "UP-MI807"] {
        let e = excluded(mi8);
        assert_eq!(e.reason(), ExclusionReason::ContractNotInForce);
        assert_eq!(e.detail, "contract 17/2026 expired 2026-10-01");
        assert_eq!(e.airline_name, "Orlan-2000 Airline LLP");
    }
    for dap in ["UP-B3501", "UP-B3502", "UP-P1204", "UP-B4002", "UP-ANS02"] {
        let e = excluded(dap);
        assert_eq!(e.reason(), ExclusionReason::CertificateNotInForce, "{e:?}");
        assert_eq!(e.detail, "certificate KZ-MA-2381 of airline DAP_AEROSERVICE expired 2026-11-05");
    }
    assert_eq!(excluded("UP-H4501").reason(), ExclusionReason::OnMission);
    assert_eq!(excluded("UP-MI803").reason(), ExclusionReason::Maintenance);
    assert_eq!(excluded("UP-L4103").reason(), ExclusionReason::NoMedicalModule);
    let mi801 = excluded("UP-MI801");
    assert_eq!(mi801.reason(), ExclusionReason::OutOfRange);
    assert!(mi801.detail.starts_with("positioning flight UACC → KZ-ULTU is "), "{}", mi801.detail);
    assert_eq!(excluded("UP-A2001").reason(), ExclusionReason::NightRule);

    // A planned transfer of the same patient ranks by cost.
    let planned = RankAircraftRequest { urgency: AirUrgency::Planned.into(), limit: 0, ..request };
    let planned = dispatcher.rank_aircraft(planned).await.unwrap().into_inner();
    assert_eq!(planned.options.len(), 5, "the default limit");
    let costs: Vec<i64> = planned.options.iter().map(|o| o.cost.as_ref().unwrap().minor_units).collect();
    assert!(costs.windows(2).all(|w| w[0] <= w[1]), "{costs:?}");
});

on_each_backend!(bad_requests_roles_and_regions_are_refused, async |server: Server| {
    let request = ulytau_to_astana(&server, AirUrgency::Urgent).await;
    let nccem = server.token(Role::MedevacDispatcher, &[], None);
    let mut dispatcher = DispatcherClient::new(server.authed(&nccem).await);

    // Every bad field at once, nothing else.
    let bad = RankAircraftRequest {
        mission_type: 0,
        origin: Some(Place { position: Some(LatLon { lat: 0.0, lon: 71.4 }), ..Default::default() }),
        destination: None,
        needs: Some(PatientNeeds { medical_module: MedicalModule::Neonatal.into(), seats: -1, ..Default::default() }),
        urgency: 9,
        limit: 51,
        ..request.clone()
    };
    let status = dispatcher.rank_aircraft(bad).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(
        fields(&status),
        [
            "mission_type",
            "origin.position.lat",
            "destination",
            "needs.medical_module",
            "needs.seats",
            "urgency",
            "limit"
        ]
    );
    let both = RankAircraftRequest {
        origin: Some(Place {
            position: Some(LatLon { lat: 48.6467, lon: 66.9943 }),
            ..request.origin.clone().unwrap()
        }),
        ..request.clone()
    };
    assert_eq!(fields(&dispatcher.rank_aircraft(both).await.unwrap_err()), ["origin"]);
    let unknown = RankAircraftRequest {
        destination: Some(Place { hospital_id: "0195f5b2-7c3a-7000-8000-000000000001".into(), ..Default::default() }),
        ..request.clone()
    };
    assert_eq!(dispatcher.rank_aircraft(unknown).await.unwrap_err().code(), Code::NotFound);

    // A bare position works too, and its region is found from the nearest hospital.
    let scene = RankAircraftRequest {
        origin: Some(Place { position: Some(LatLon { lat: 48.65, lon: 67.0 }), ..Default::default() }),
        ..request.clone()
    };
    let answer = dispatcher.rank_aircraft(scene.clone()).await.unwrap().into_inner();
    assert!(!answer.options.is_empty());
    assert_eq!(answer.ground_transfer.unwrap().from.unwrap().name, "48.65000, 67.00000");

    // A station dispatcher may not ask; a coordinator only for missions touching their regions.
    for (role, regions, allowed) in [
        (Role::Dispatcher, vec!["KZ-62"], false),
        (Role::Airline, vec![], false),
        (Role::Coordinator, vec!["KZ-35"], false),
        (Role::Coordinator, vec!["KZ-62"], true),
        (Role::Coordinator, vec!["KZ-71"], true),
        (Role::Situation, vec![], true),
    ] {
        let airline = (role == Role::Airline).then_some("ORLAN_2000");
        let token = server.token(role, &regions, airline);
        let mut client = DispatcherClient::new(server.authed(&token).await);
        match client.rank_aircraft(scene.clone()).await {
            Ok(_) => assert!(allowed, "{role:?} {regions:?}"),
            Err(status) => {
                assert!(!allowed, "{role:?} {regions:?}: {status:?}");
                assert_eq!(status.code(), Code::PermissionDenied);
            }
        }
    }
});
