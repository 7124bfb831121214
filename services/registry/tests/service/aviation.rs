//! Medevac eligibility at boundary instants (the first and last day of a contract and of a
//! certificate, at 00:00 and 23:59:59 Almaty time, UTC+5), one aircraft or many, by role;
//! ListExpiring; and the expiry gauge.

use chrono::{DateTime, Duration, Utc};
use jedel_api::registry::v1 as pb;
use jedel_platform::Role;
use jedel_registry::eligibility::ExpiryKind;
use tonic::Code;

use crate::{App, admin, as_, caller, on_each_backend, violated_fields};

on_each_backend!(
    eligibility_turns_at_local_midnight_on_the_first_and_last_day,
    every_reason_is_given_and_many_aircraft_are_judged_at_once,
    eligibility_is_asked_within_the_callers_scope,
    expiring_certificates_and_contracts_are_listed_soonest_first,
    the_gauge_counts_what_ends_within_thirty_days,
);

/// The instant of an Almaty wall-clock time, `YYYY-MM-DDTHH:MM:SS`.
fn almaty(local: &str) -> prost_types::Timestamp {
    let at = DateTime::parse_from_rfc3339(&format!("{local}+05:00")).unwrap();
    prost_types::Timestamp { seconds: at.timestamp(), nanos: 0 }
}

async fn check(app: &App, registration: &str, local: &str) -> pb::CheckEligibilityResponse {
    let request = pb::CheckEligibilityRequest {
        key: Some(pb::check_eligibility_request::Key::Registration(registration.into())),
        at: Some(almaty(local)),
    };
    app.client().check_eligibility(as_(&admin(), request)).await.unwrap().into_inner()
}

fn messages(response: &pb::CheckEligibilityResponse) -> Vec<&str> {
    response.reasons.iter().map(|r| r.message.as_str()).collect()
}

async fn eligibility_turns_at_local_midnight_on_the_first_and_last_day(app: App) {
    // Contract 17/2026 covers UP-MI805 from 2026-02-01 to 2026-10-01.
    let before = check(&app, "UP-MI805", "2026-01-31T23:59:59").await;
    assert_eq!(messages(&before), ["contract 17/2026 starts 2026-02-01"]);
    assert_eq!(before.reasons[0].kind(), pb::IneligibilityKind::ContractNotStarted);
    for inside in ["2026-02-01T00:00:00", "2026-02-01T23:59:59", "2026-10-01T00:00:00", "2026-10-01T23:59:59"] {
        let response = check(&app, "UP-MI805", inside).await;
        assert!(response.eligible, "{inside}: {:?}", response.reasons);
        let contract = response.contract.unwrap();
        assert_eq!((contract.number.as_str(), contract.readiness_minutes), ("17/2026", 120));
    }
    let after = check(&app, "UP-MI805", "2026-10-02T00:00:00").await;
    assert!(!after.eligible);
    assert_eq!(messages(&after), ["contract 17/2026 expired 2026-10-01"]);
    assert_eq!(
        (after.reasons[0].kind(), after.reasons[0].record_code.as_str()),
        (pb::IneligibilityKind::ContractExpired, "17/2026")
    );
    assert_eq!((after.registration.as_str(), after.airline_code.as_str()), ("UP-MI805", "ORLAN_2000"));
    assert_eq!(after.at, Some(almaty("2026-10-02T00:00:00")));
    assert_eq!(after.contract, None);

    // Orlan's certificate KZ-MA-2532 runs from 2025-04-20.
    let early = check(&app, "UP-MI805", "2025-04-19T23:59:59").await;
    assert_eq!(
        messages(&early),
        ["certificate KZ-MA-2532 of airline ORLAN_2000 is valid from 2025-04-20", "contract 17/2026 starts 2026-02-01"]
    );
    // DAP Aeroservice's certificate KZ-MA-2381 ends 2026-11-05; UP-ANS02 is under no contract.
    let last_day = check(&app, "UP-ANS02", "2026-11-05T23:59:59").await;
    assert_eq!(messages(&last_day), ["no contract lists aircraft UP-ANS02"]);
    let expired = check(&app, "UP-ANS02", "2026-11-06T00:00:00").await;
    assert_eq!(
        messages(&expired),
        ["certificate KZ-MA-2381 of airline DAP_AEROSERVICE expired 2026-11-05", "no contract lists aircraft UP-ANS02"]
    );
    assert_eq!(
        expired.reasons.iter().map(|r| r.kind()).collect::<Vec<_>>(),
        [pb::IneligibilityKind::CertificateExpired, pb::IneligibilityKind::NoContract]
    );
}

async fn every_reason_is_given_and_many_aircraft_are_judged_at_once(app: App) {
    // Suspend Kazaviaspas: its aircraft lose eligibility, with the maintenance reason too.
    let get = pb::GetAirlineRequest { key: Some(pb::get_airline_request::Key::Code("KAZAVIASPAS".into())) };
    let airline = app.client().get_airline(as_(&admin(), get)).await.unwrap().into_inner();
    let suspended = pb::UpdateAirlineRequest {
        id: airline.id.clone(),
        expected_version: 0,
        airline: Some(pb::Airline { status: pb::AirlineStatus::Suspended.into(), ..airline }),
    };
    app.client().update_airline(as_(&admin(), suspended)).await.unwrap();

    let request = pb::BatchCheckEligibilityRequest {
        registrations: vec!["UP-L4101".into(), "UP-MI805".into(), "UP-MI801".into()],
        at: Some(almaty("2026-11-22T12:00:00")),
    };
    let batch = app.client().batch_check_eligibility(as_(&admin(), request)).await.unwrap().into_inner();
    let answers: Vec<_> = batch.results.iter().map(|r| (r.registration.as_str(), r.eligible)).collect();
    assert_eq!(answers, [("UP-L4101", false), ("UP-MI805", false), ("UP-MI801", false)]);
    assert_eq!(
        messages(&batch.results[0]),
        ["aircraft UP-L4101 is in maintenance", "airline KAZAVIASPAS is suspended"]
    );
    assert_eq!(messages(&batch.results[1]), ["contract 17/2026 expired 2026-10-01"]);
    assert_eq!(messages(&batch.results[2]), ["airline KAZAVIASPAS is suspended"]);
    assert_eq!(batch.results[2].contract.as_ref().unwrap().number, "1/2026", "the contract is still in force");

    let missing =
        pb::BatchCheckEligibilityRequest { registrations: vec!["UP-MI801".into(), "UP-NONE1".into()], at: None };
    let status = app.client().batch_check_eligibility(as_(&admin(), missing)).await.unwrap_err();
    assert_eq!((status.code(), status.message()), (Code::NotFound, "aircraft UP-NONE1 does not exist"));
    let empty = pb::BatchCheckEligibilityRequest { registrations: vec![], at: None };
    assert_eq!(
        violated_fields(&app.client().batch_check_eligibility(as_(&admin(), empty)).await.unwrap_err()),
        ["registrations"]
    );
}

async fn eligibility_is_asked_within_the_callers_scope(app: App) {
    let request = |registration: &str| pb::CheckEligibilityRequest {
        key: Some(pb::check_eligibility_request::Key::Registration(registration.into())),
        at: None,
    };
    let operator = caller(Role::Airline, &[]);
    let own = app.client().check_eligibility(as_(&operator, request("UP-MI801"))).await.unwrap().into_inner();
    assert_eq!(own.airline_code, "KAZAVIASPAS");
    let other = app.client().check_eligibility(as_(&operator, request("UP-MI805"))).await.unwrap_err();
    assert_eq!(other.code(), Code::PermissionDenied);
    let dispatcher = caller(Role::Dispatcher, &["KZ-71"]);
    let status = app.client().check_eligibility(as_(&dispatcher, request("UP-MI801"))).await.unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied);
    let nccem = caller(Role::MedevacDispatcher, &[]);
    let by_id = pb::CheckEligibilityRequest {
        key: Some(pb::check_eligibility_request::Key::AircraftId(own.aircraft_id.clone())),
        at: None,
    };
    assert_eq!(app.client().check_eligibility(as_(&nccem, by_id)).await.unwrap().into_inner().registration, "UP-MI801");
    let missing = app.client().check_eligibility(as_(&nccem, request("UP-NONE1"))).await.unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);
}

async fn expiring_certificates_and_contracts_are_listed_soonest_first(app: App) {
    let list = |within_days, include_expired, page_token: String| pb::ListExpiringRequest {
        page_size: 2,
        page_token,
        within_days,
        at: Some(almaty("2026-11-22T12:00:00")),
        kind: 0,
        airline_code: String::new(),
        include_expired,
    };
    let mut seen = Vec::new();
    let mut token = String::new();
    loop {
        let page =
            app.client().list_expiring(as_(&admin(), list(3650, true, token.clone()))).await.unwrap().into_inner();
        seen.extend(page.expiries.into_iter().map(|e| (e.number, e.days_left)));
        if page.next_page_token.is_empty() {
            break;
        }
        token = page.next_page_token;
    }
    assert_eq!(
        seen,
        [
            ("17/2026".to_string(), -52),
            ("KZ-MA-2381".to_string(), -17),
            ("KZ-MA-2411".to_string(), 112),
            ("1/2026".to_string(), 404),
            ("KZ-MA-2532".to_string(), 514),
        ]
    );

    let soon = app.client().list_expiring(as_(&admin(), list(120, false, String::new()))).await.unwrap().into_inner();
    assert_eq!(soon.expiries.len(), 1);
    let entry = &soon.expiries[0];
    assert_eq!(
        (entry.kind(), entry.airline_code.as_str(), entry.expires, entry.days_left),
        (pb::ExpiryKind::Certificate, "KAZAVIASPAS", Some(pb::Date { year: 2027, month: 3, day: 14 }), 112)
    );

    let operator = caller(Role::Airline, &[]);
    let own = app.client().list_expiring(as_(&operator, list(3650, true, String::new()))).await.unwrap().into_inner();
    assert!(own.expiries.iter().all(|e| e.airline_code == "KAZAVIASPAS"), "{own:?}");
    let contracts_only =
        pb::ListExpiringRequest { kind: pb::ExpiryKind::Contract.into(), ..list(3650, true, String::new()) };
    let page = app.client().list_expiring(as_(&admin(), contracts_only)).await.unwrap().into_inner();
    assert!(page.expiries.iter().all(|e| e.kind() == pb::ExpiryKind::Contract));

    let bad = pb::ListExpiringRequest { within_days: 4000, kind: 9, ..list(0, false, String::new()) };
    assert_eq!(
        violated_fields(&app.client().list_expiring(as_(&admin(), bad)).await.unwrap_err()),
        ["within_days", "kind"]
    );
}

async fn the_gauge_counts_what_ends_within_thirty_days(app: App) {
    let gauge = app.service.expiry_gauge();
    gauge.refresh(&app.ctx.db).await.unwrap();
    let certificates_before = gauge.get(ExpiryKind::Certificate);

    let today = Utc::now() + Duration::hours(5);
    let date = |d: chrono::DateTime<Utc>| {
        use chrono::Datelike as _;
        Some(pb::Date { year: d.year(), month: d.month() as i32, day: d.day() as i32 })
    };
    let airline = pb::Airline {
        code: "SOON_AIR".into(),
        name: "Soon Air LLP".into(),
        bin: "123456789013".into(),
        certificate: Some(pb::MedicalAviationCertificate {
            number: "KZ-MA-0001".into(),
            issued: date(today - Duration::days(300)),
            expires: date(today + Duration::days(10)),
        }),
        status: pb::AirlineStatus::Active.into(),
        ..Default::default()
    };
    let request = pb::CreateAirlineRequest { request_id: "soon".into(), airline: Some(airline) };
    app.client().create_airline(as_(&admin(), request)).await.unwrap();
    assert_eq!(gauge.get(ExpiryKind::Certificate), certificates_before + 1, "recounted after the write");
    let text = app.ctx.metrics.encode();
    assert!(
        text.contains(&format!(
            "jedel_registry_expiring_within_30_days{{kind=\"certificate\"}} {}",
            certificates_before + 1
        )),
        "{text}"
    );
    assert!(text.contains("jedel_registry_expiring_within_30_days{kind=\"contract\"}"), "{text}");
}
