//! ImportRecords and ExportRecords: all or nothing with a per-row report, dry runs, replacing
//! existing records, idempotent retries, and what export writes import reads back, in JSON
//! and CSV.

use jedel_api::registry::v1 as pb;
use jedel_platform::Role;
use tonic::Code;

use crate::{App, admin, as_, caller, on_each_backend, violated_fields};

on_each_backend!(
    an_import_with_one_bad_row_writes_nothing_and_reports_every_problem,
    a_dry_run_checks_everything_and_writes_nothing,
    a_good_import_commits_once_per_request_id,
    replace_existing_updates_and_duplicates_in_the_file_are_refused,
    export_then_import_round_trips_in_json_and_csv,
    import_and_export_are_refused_to_the_wrong_roles_and_bad_requests,
);

const BRIGADES_CSV: &str = "\
call_sign,kind,capabilities,station_code,vehicle_plate,vehicle_type,shift_pattern,in_service
AST-02-01,feldsher,defibrillator;ecg_transmission,AST-02,501AAA01,class_b,24h,true
AST-02-02,physician,,AST-02,502AAA01,class_c,night_20_08,false
AKM-ZER-01,feldsher,defibrillator,AKM-ZER,601BBB03,class_b,24h,true
";

fn import(entity: pb::EntityType, format: pb::RecordFormat, content: &str) -> pb::ImportRecordsRequest {
    pb::ImportRecordsRequest {
        request_id: format!("import-{}", content.len()),
        entity_type: entity.into(),
        format: format.into(),
        content: content.as_bytes().to_vec(),
        dry_run: false,
        replace_existing: false,
    }
}

async fn brigade_count(app: &App) -> usize {
    let request = pb::ListBrigadesRequest { page_size: 1000, ..Default::default() };
    app.client().list_brigades(as_(&admin(), request)).await.unwrap().into_inner().brigades.len()
}

async fn an_import_with_one_bad_row_writes_nothing_and_reports_every_problem(app: App) {
    let events_before = jedel_platform::events::last_seq(app.ctx.db.reader()).await.unwrap();
    let bad = BRIGADES_CSV.replace("AKM-ZER,601BBB03,class_b,24h,true", "NOPE-01,601BBB03,class_x,24h,maybe");
    let response = app
        .client()
        .import_records(as_(&admin(), import(pb::EntityType::Brigade, pb::RecordFormat::Csv, &bad)))
        .await
        .unwrap()
        .into_inner();
    assert!(!response.committed);
    assert_eq!((response.row_count, response.failed_row_count, response.created_count), (3, 1, 2));
    let errors: Vec<_> = response.errors.iter().map(|e| (e.row, e.field.as_str(), e.record_code.as_str())).collect();
    assert_eq!(
        errors,
        [(3, "station_code", "AKM-ZER-01"), (3, "vehicle_type", "AKM-ZER-01"), (3, "in_service", "AKM-ZER-01")]
    );
    assert_eq!(response.errors[0].message, "station NOPE-01 does not exist");
    assert_eq!(response.errors[2].message, "\"maybe\" is not true or false");
    assert_eq!(brigade_count(&app).await, 4, "nothing was written");
    assert_eq!(jedel_platform::events::last_seq(app.ctx.db.reader()).await.unwrap(), events_before);

    let not_json = app
        .client()
        .import_records(as_(&admin(), import(pb::EntityType::Brigade, pb::RecordFormat::Json, "[{")))
        .await
        .unwrap()
        .into_inner();
    assert_eq!((not_json.committed, not_json.errors[0].row), (false, 0));
    let no_column = app
        .client()
        .import_records(as_(&admin(), import(pb::EntityType::Brigade, pb::RecordFormat::Csv, "call_sign\nAST-02-01\n")))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(no_column.errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>()[..2], ["kind", "capabilities"]);
}

async fn a_dry_run_checks_everything_and_writes_nothing(app: App) {
    let request = pb::ImportRecordsRequest {
        dry_run: true,
        ..import(pb::EntityType::Brigade, pb::RecordFormat::Csv, BRIGADES_CSV)
    };
    let response = app.client().import_records(as_(&admin(), request)).await.unwrap().into_inner();
    assert_eq!((response.committed, response.created_count, response.failed_row_count), (false, 3, 0));
    assert!(response.errors.is_empty());
    assert_eq!(brigade_count(&app).await, 4);
}

async fn a_good_import_commits_once_per_request_id(app: App) {
    let request = import(pb::EntityType::Brigade, pb::RecordFormat::Csv, BRIGADES_CSV);
    let first = app.client().import_records(as_(&admin(), request.clone())).await.unwrap().into_inner();
    assert_eq!((first.committed, first.row_count, first.created_count, first.updated_count), (true, 3, 3, 0));
    assert_eq!(brigade_count(&app).await, 7);
    let retried = app.client().import_records(as_(&admin(), request)).await.unwrap().into_inner();
    assert_eq!(retried, first);
    assert_eq!(brigade_count(&app).await, 7);

    let get = pb::GetBrigadeRequest { key: Some(pb::get_brigade_request::Key::CallSign("AST-02-01".into())) };
    let imported = app.client().get_brigade(as_(&admin(), get)).await.unwrap().into_inner();
    assert_eq!((imported.capabilities.len(), imported.region_code.as_str()), (2, "KZ-71"));
    let written = jedel_platform::events::read_after(app.ctx.db.reader(), 0, 1000).await.unwrap();
    assert_eq!(written.iter().filter(|e| e.kind == "brigade.created").count(), 4 + 3);
}

async fn replace_existing_updates_and_duplicates_in_the_file_are_refused(app: App) {
    let json = r#"[
      {"code": "UACC", "name": "Nursultan Nazarbayev International", "kind": "airport", "region_code": "KZ-71", "lat": 51.02, "lon": 71.47, "runway_length_m": 3500, "surface": "paved", "night_lighting": true, "opens_local": "00:00", "closes_local": "00:00"},
      {"code": "UAAA", "name": "Almaty International Airport", "kind": "airport", "region_code": "KZ-71", "lat": 43.35, "lon": 77.04, "runway_length_m": 4400, "surface": "paved", "night_lighting": true, "opens_local": "00:00", "closes_local": "00:00"}
    ]"#;
    let refused = app
        .client()
        .import_records(as_(&admin(), import(pb::EntityType::Airfield, pb::RecordFormat::Json, json)))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(refused.errors.iter().map(|e| (e.row, e.field.as_str())).collect::<Vec<_>>(), [(1, "code")]);
    assert_eq!(refused.errors[0].message, "airfield UACC already exists");

    let replace = pb::ImportRecordsRequest {
        replace_existing: true,
        ..import(pb::EntityType::Airfield, pb::RecordFormat::Json, json)
    };
    let response = app.client().import_records(as_(&admin(), replace)).await.unwrap().into_inner();
    assert_eq!((response.committed, response.created_count, response.updated_count), (true, 1, 1));
    let get = pb::GetAirfieldRequest { key: Some(pb::get_airfield_request::Key::Code("UACC".into())) };
    let uacc = app.client().get_airfield(as_(&admin(), get)).await.unwrap().into_inner();
    assert_eq!((uacc.name.as_str(), uacc.version), ("Nursultan Nazarbayev International", 2));

    let twice = format!("[{0}, {0}]", r#"{"registration": "UP-TEST1"}"#);
    let response = app
        .client()
        .import_records(as_(
            &admin(),
            pb::ImportRecordsRequest {
                replace_existing: true,
                ..import(pb::EntityType::Aircraft, pb::RecordFormat::Json, &twice)
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert!(!response.committed);
    assert_eq!(response.failed_row_count, 2);
    let second = response.errors.iter().find(|e| e.row == 2).unwrap();
    assert_eq!(
        (second.field.as_str(), second.message.as_str()),
        ("registration", "aircraft UP-TEST1 is also in row 1")
    );
}

async fn export_then_import_round_trips_in_json_and_csv(app: App) {
    let entities = [
        pb::EntityType::Region,
        pb::EntityType::Station,
        pb::EntityType::Brigade,
        pb::EntityType::Airfield,
        pb::EntityType::Hospital,
        pb::EntityType::Airline,
        pb::EntityType::Aircraft,
        pb::EntityType::Contract,
    ];
    let counts = [3, 5, 4, 3, 3, 3, 4, 2];
    for format in [pb::RecordFormat::Json, pb::RecordFormat::Csv] {
        for (entity, count) in entities.iter().zip(counts) {
            let export = pb::ExportRecordsRequest {
                entity_type: (*entity).into(),
                format: format.into(),
                region_code: String::new(),
            };
            let exported = app.client().export_records(as_(&admin(), export.clone())).await.unwrap().into_inner();
            assert_eq!(exported.row_count, count, "{entity:?} {format:?}");
            let back = pb::ImportRecordsRequest {
                request_id: format!("round-trip-{entity:?}-{format:?}"),
                entity_type: (*entity).into(),
                format: format.into(),
                content: exported.content.clone(),
                dry_run: false,
                replace_existing: true,
            };
            let response = app.client().import_records(as_(&admin(), back)).await.unwrap().into_inner();
            assert!(response.errors.is_empty(), "{entity:?} {format:?}: {:?}", response.errors);
            assert_eq!((response.committed, response.updated_count, response.created_count), (true, count, 0));
            let again = app.client().export_records(as_(&admin(), export)).await.unwrap().into_inner();
            assert_eq!(again.content, exported.content, "{entity:?} {format:?}: the same file again");
        }
    }

    let astana = pb::ExportRecordsRequest {
        entity_type: pb::EntityType::Brigade.into(),
        format: pb::RecordFormat::Csv.into(),
        region_code: "KZ-71".into(),
    };
    let exported = app.client().export_records(as_(&admin(), astana)).await.unwrap().into_inner();
    let text = String::from_utf8(exported.content).unwrap();
    assert_eq!(exported.row_count, 2);
    assert!(text.starts_with("call_sign,kind,capabilities,station_code,"), "{text}");
    assert!(text.contains("AST-01-01,physician,defibrillator;ventilator,AST-01,101AAA01,class_c,24h,true"), "{text}");
}

async fn import_and_export_are_refused_to_the_wrong_roles_and_bad_requests(app: App) {
    let nccem = caller(Role::MedevacDispatcher, &[]);
    let request = import(pb::EntityType::Brigade, pb::RecordFormat::Csv, BRIGADES_CSV);
    assert_eq!(app.client().import_records(as_(&nccem, request)).await.unwrap_err().code(), Code::PermissionDenied);
    let export = pb::ExportRecordsRequest {
        entity_type: pb::EntityType::Airline.into(),
        format: pb::RecordFormat::Json.into(),
        region_code: String::new(),
    };
    assert!(app.client().export_records(as_(&nccem, export.clone())).await.is_ok());
    let dispatcher = caller(Role::Dispatcher, &["KZ-71"]);
    assert_eq!(
        app.client().export_records(as_(&dispatcher, export.clone())).await.unwrap_err().code(),
        Code::PermissionDenied
    );
    let regional_airlines = pb::ExportRecordsRequest { region_code: "KZ-71".into(), ..export };
    let status = app.client().export_records(as_(&admin(), regional_airlines)).await.unwrap_err();
    assert_eq!(violated_fields(&status), ["region_code"]);

    let unspecified =
        pb::ImportRecordsRequest { request_id: String::new(), entity_type: 0, format: 7, ..Default::default() };
    let status = app.client().import_records(as_(&admin(), unspecified)).await.unwrap_err();
    assert_eq!(violated_fields(&status), ["request_id", "entity_type", "format"]);
}
