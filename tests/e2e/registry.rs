//! The registry over gRPC on both backends: the whole Kazakhstan reference data set loaded at
//! first start, medevac eligibility of real aircraft, import and export of data files, the
//! expiry gauge, and `jedel ctl registry`.

use jedel_api::registry::v1::registry_client::RegistryClient;
use jedel_api::registry::v1::{
    BatchCheckEligibilityRequest, CheckEligibilityRequest, EntityType, ExpiryKind, ExportRecordsRequest,
    ImportRecordsRequest, IneligibilityKind, ListAirfieldsRequest, ListExpiringRequest, ListHospitalsRequest,
    RecordFormat, check_eligibility_request,
};
use jedel_platform::Role;
use tonic::Code;

use crate::on_each_backend;
use crate::support::{Server, http_get};

/// An Almaty wall-clock time as a timestamp.
fn almaty(local: &str) -> prost_types::Timestamp {
    let at = chrono::DateTime::parse_from_rfc3339(&format!("{local}+05:00")).unwrap();
    prost_types::Timestamp { seconds: at.timestamp(), nanos: 0 }
}

fn export(entity: EntityType, format: RecordFormat) -> ExportRecordsRequest {
    ExportRecordsRequest { entity_type: entity.into(), format: format.into(), region_code: String::new() }
}

on_each_backend!(the_whole_reference_data_set_is_loaded_at_first_start, async |server: Server| {
    let admin = server.token(Role::Admin, &[], None);
    let mut registry = RegistryClient::new(server.authed(&admin).await);
    let expected = [
        (EntityType::Region, 20),
        (EntityType::Station, 465),
        (EntityType::Brigade, 2_340),
        (EntityType::Hospital, 299),
        (EntityType::Airfield, 62),
        (EntityType::Airline, 11),
        (EntityType::Aircraft, 53),
        (EntityType::Contract, 22),
    ];
    for (entity, count) in expected {
        let exported = registry.export_records(export(entity, RecordFormat::Json)).await.unwrap().into_inner();
        assert_eq!(exported.row_count, count, "{entity:?}");
    }
    let airfields = registry
        .list_airfields(ListAirfieldsRequest { page_size: 1000, ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!((airfields.airfields.len(), airfields.next_page_token.as_str()), (62, ""));

    // A dispatcher of Astana sees Astana's hospitals only.
    let dispatcher = server.token(Role::Dispatcher, &["KZ-71"], None);
    let mut registry = RegistryClient::new(server.authed(&dispatcher).await);
    let hospitals = registry
        .list_hospitals(ListHospitalsRequest { page_size: 1000, ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    assert!(!hospitals.hospitals.is_empty());
    assert!(hospitals.hospitals.iter().all(|h| h.region_code == "KZ-71"));
});

on_each_backend!(real_aircraft_are_judged_with_their_reasons, async |server: Server| {
    let nccem = server.token(Role::MedevacDispatcher, &[], None);
    let mut registry = RegistryClient::new(server.authed(&nccem).await);
    // Contract 17/2026 (Orlan-2000's three Mi-8) ended 2026-10-01: ineligible today.
    let orlan = registry
        .batch_check_eligibility(BatchCheckEligibilityRequest {
            registrations: vec!["UP-MI805".into(), "UP-MI806".into(), "UP-MI807".into()],
            at: None,
        })
        .await
        .unwrap()
        .into_inner();
    for result in &orlan.results {
        assert!(!result.eligible, "{result:?}");
        assert_eq!(result.reasons.len(), 1, "{result:?}");
        assert_eq!(result.reasons[0].kind(), IneligibilityKind::ContractExpired);
        assert_eq!(result.reasons[0].message, "contract 17/2026 expired 2026-10-01");
    }

    let on = |registration: &str, local: &str| CheckEligibilityRequest {
        key: Some(check_eligibility_request::Key::Registration(registration.into())),
        at: Some(almaty(local)),
    };
    let mi801 = registry.check_eligibility(on("UP-MI801", "2026-11-22T12:00:00")).await.unwrap().into_inner();
    assert!(mi801.eligible, "{mi801:?}");
    assert_eq!(mi801.contract.unwrap().number, "1/2026");
    let before_the_end = registry.check_eligibility(on("UP-MI805", "2026-10-01T23:59:59")).await.unwrap().into_inner();
    assert!(before_the_end.eligible, "{before_the_end:?}");
    let ansat = registry.check_eligibility(on("UP-ANS02", "2026-11-22T12:00:00")).await.unwrap().into_inner();
    let reasons: Vec<_> = ansat.reasons.iter().map(|r| r.message.as_str()).collect();
    assert_eq!(
        reasons,
        ["certificate KZ-MA-2381 of airline DAP_AEROSERVICE expired 2026-11-05", "no contract lists aircraft UP-ANS02"]
    );
    let in_maintenance = registry
        .list_aircraft(jedel_api::registry::v1::ListAircraftRequest {
            status: jedel_api::registry::v1::AircraftStatus::Maintenance.into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(in_maintenance.aircraft.len(), 4);

    // An airline operator asks about its own fleet only.
    let operator = server.token(Role::Airline, &[], Some("ORLAN_2000"));
    let mut registry = RegistryClient::new(server.authed(&operator).await);
    assert!(registry.check_eligibility(on("UP-MI805", "2026-11-22T12:00:00")).await.is_ok());
    let status = registry.check_eligibility(on("UP-MI801", "2026-11-22T12:00:00")).await.unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied);
});

on_each_backend!(imports_are_all_or_nothing_and_exports_read_back, async |server: Server| {
    let admin = server.token(Role::Admin, &[], None);
    let mut registry = RegistryClient::new(server.authed(&admin).await);
    let exported = registry.export_records(export(EntityType::Hospital, RecordFormat::Csv)).await.unwrap().into_inner();
    assert_eq!(exported.row_count, 299);
    let back = ImportRecordsRequest {
        request_id: "round-trip".into(),
        entity_type: EntityType::Hospital.into(),
        format: RecordFormat::Csv.into(),
        content: exported.content.clone(),
        dry_run: false,
        replace_existing: true,
    };
    let response = registry.import_records(back).await.unwrap().into_inner();
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    assert_eq!((response.committed, response.updated_count, response.created_count), (true, 299, 0));
    let again = registry.export_records(export(EntityType::Hospital, RecordFormat::Csv)).await.unwrap().into_inner();
    assert_eq!(again.content, exported.content);

    // One bad row among good ones: nothing is written.
    let text = String::from_utf8(exported.content).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[1] = lines[1].replacen("ABA-H01", "ABA-H99", 1);
    lines[2] = lines[2].replacen("ABA-H02", "ABA-H98", 1).replacen(",KZ-10,", ",KZ-99,", 1);
    let bad = ImportRecordsRequest {
        request_id: "bad".into(),
        entity_type: EntityType::Hospital.into(),
        format: RecordFormat::Csv.into(),
        content: lines[..3].join("\n").into_bytes(),
        dry_run: false,
        replace_existing: false,
    };
    let response = registry.import_records(bad).await.unwrap().into_inner();
    assert!(!response.committed);
    assert_eq!((response.row_count, response.failed_row_count), (2, 1));
    assert_eq!(
        response.errors.iter().map(|e| (e.row, e.field.as_str(), e.record_code.as_str())).collect::<Vec<_>>(),
        [(2, "region_code", "ABA-H98")]
    );
    let after = registry.export_records(export(EntityType::Hospital, RecordFormat::Json)).await.unwrap().into_inner();
    assert_eq!(after.row_count, 299, "the good row was not written either");
});

on_each_backend!(the_expiry_gauge_matches_list_expiring, async |server: Server| {
    let nccem = server.token(Role::MedevacDispatcher, &[], None);
    let mut registry = RegistryClient::new(server.authed(&nccem).await);
    let mut counts = [0usize; 2];
    for (i, kind) in [ExpiryKind::Certificate, ExpiryKind::Contract].into_iter().enumerate() {
        let page = registry
            .list_expiring(ListExpiringRequest { kind: kind.into(), within_days: 30, ..Default::default() })
            .await
            .unwrap()
            .into_inner();
        counts[i] = page.expiries.len();
    }
    let lines: Vec<String> = ["certificate", "contract"]
        .iter()
        .zip(counts)
        .map(|(kind, count)| format!("jedel_registry_expiring_within_30_days{{kind=\"{kind}\"}} {count}"))
        .collect();
    // The gauge's first count runs in the background after start; give it up to 10 s.
    let mut body = String::new();
    for _ in 0..100 {
        body = http_get(&server.metrics, "/metrics").await;
        if lines.iter().all(|line| body.contains(line)) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    for line in &lines {
        assert!(body.contains(line), "{line} in {body}");
    }
});

on_each_backend!(ctl_lists_imports_exports_and_answers_eligibility, async |server: Server| {
    let token = server.token(Role::Admin, &[], None);
    let ctl = async |args: &[&str]| {
        let mut full = vec!["ctl", "--token", token.as_str(), "registry"];
        full.extend_from_slice(args);
        server.jedel(&full).await
    };

    let (code, out) = ctl(&["aircraft", "list", "--airline", "ORLAN_2000", "--output", "json"]).await;
    assert_eq!(code, 0, "{out}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let registrations: Vec<_> = rows.iter().map(|r| r["registration"].as_str().unwrap()).collect();
    assert!(registrations.contains(&"UP-MI805") && rows.iter().all(|r| r["airline"] == "ORLAN_2000"), "{out}");

    let (code, out) = ctl(&["brigades", "list", "--station", "AST-01"]).await;
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("CALL_SIGN"), "{out}");
    assert!(out.contains("AST-01-01"), "{out}");

    let (code, out) = ctl(&["eligibility", "UP-MI805", "UP-MI801", "--at", "2026-11-22", "--output", "json"]).await;
    assert_eq!(code, 0, "{out}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(rows[0]["eligible"], false);
    assert_eq!(rows[0]["reasons"][0], "contract 17/2026 expired 2026-10-01");
    assert_eq!((rows[1]["eligible"].as_bool(), rows[1]["contract"].as_str()), (Some(true), Some("1/2026")));

    let (code, out) = ctl(&["export", "airlines", "--format", "csv"]).await;
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.lines().count(), 12, "a header and 11 airlines: {out}");
    assert!(out.starts_with("code,name,bin,certificate_number,certificate_issued,certificate_expires,status"));

    let file = server.data_dir.join("airlines.csv");
    std::fs::write(&file, &out).unwrap();
    let (code, out) = ctl(&["import", "airlines", file.to_str().unwrap(), "--dry-run", "--replace-existing"]).await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("dry run: would import: 11 rows, 0 created, 11 updated"), "{out}");
    let (code, out) = ctl(&["import", "airlines", file.to_str().unwrap()]).await;
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("airline KAZAVIASPAS already exists"), "{out}");
    assert!(out.contains("refused, nothing written"), "{out}");

    let (code, out) = ctl(&["expiring", "--within-days", "3650", "--at", "2026-11-22", "--include-expired"]).await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("17/2026"), "{out}");
});
