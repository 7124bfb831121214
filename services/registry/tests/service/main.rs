//! The registry's RPCs over gRPC on a real socket, through the real harness and authenticator,
//! against a real database seeded from the test fixture, once on SQLite and once on PostgreSQL: access by role and scope, validation,
//! idempotent creates, optimistic concurrency, paging (regions and stations here; the other
//! records, data files and eligibility in the modules below). The end-to-end tests over gRPC
//! live in the workspace's `tests/`.

mod aviation;
mod files;
mod records;

use std::path::Path;
use std::sync::Arc;

use jedel_api::common::v1::{LatLon, LocalizedText};
use jedel_api::registry::v1 as pb;
use jedel_api::registry::v1::registry_client::RegistryClient;
use jedel_api::registry::v1::registry_server::RegistryServer;
use jedel_platform::bus::InProcessBus;
use jedel_platform::metrics::Metrics;
use jedel_platform::server::Services;
use jedel_platform::testing::{self, TestDb};
use jedel_platform::{Caller, Context, Role, events};
use jedel_registry::{ReferenceData, RegistryService, seed_reference};
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;
use tonic::{Code, Request, Status};
use tonic_types::StatusExt as _;

/// Runs each named test of the module once per backend: `sqlite::name` and `postgres::name`
/// (skipped outside CI when PostgreSQL is unreachable).
#[macro_export]
macro_rules! on_each_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test]
            async fn $name() {
                super::$name($crate::App::new(jedel_platform::testing::TestDb::sqlite().await).await).await;
            })*
        }
        mod postgres {
            $(#[tokio::test]
            async fn $name() {
                let Some(db) = jedel_platform::testing::TestDb::postgres().await else { return };
                super::$name($crate::App::new(db).await).await;
            })*
        }
    };
}

on_each_backend!(
    a_region_is_created_once_per_request_id_and_read_back_by_id_or_code,
    every_bad_field_of_a_region_is_reported_at_once,
    only_admins_write,
    updates_bump_the_version_and_refuse_stale_copies_and_new_codes,
    a_station_needs_an_existing_region_reported_with_its_other_problems,
    stations_are_read_within_the_callers_regions,
    lists_page_by_code_until_the_token_is_empty,
);

pub struct App {
    /// The service itself, for what is not an RPC (the expiry gauge).
    service: RegistryService,
    client: RegistryClient<Channel>,
    ctx: Context,
    _db: TestDb,
}

impl App {
    /// The service over `db`, seeded from the fixture (3 regions, 5 stations, 3 airfields,
    /// 3 hospitals, 4 brigades, 3 airlines, 4 aircraft, 2 contracts).
    async fn new(db: TestDb) -> App {
        let ctx = Context { db: db.db.clone(), bus: Arc::new(InProcessBus::new(16)), metrics: Metrics::new(&[]) };
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reference");
        seed_reference(&ctx, &ReferenceData::Dir(fixture)).await.unwrap();
        let service = RegistryService::new(ctx.clone());
        let mut services = Services::default();
        services.add(InterceptedService::new(RegistryServer::new(service.clone()), testing::authenticator()));
        let client = RegistryClient::connect(testing::serve(services).await).await.unwrap();
        App { service, client, ctx, _db: db }
    }

    /// A client of the served registry.
    fn client(&self) -> RegistryClient<Channel> {
        self.client.clone()
    }
}

pub fn caller(role: Role, regions: &[&str]) -> Caller {
    Caller {
        subject: format!("test-{}", role.as_str()),
        role,
        regions: regions.iter().map(|r| r.to_string()).collect(),
        airline: (role == Role::Airline).then(|| "KAZAVIASPAS".to_string()),
    }
}

pub fn admin() -> Caller {
    caller(Role::Admin, &[])
}

pub fn as_<T>(caller: &Caller, message: T) -> Request<T> {
    testing::request_as(caller, message)
}

pub fn violated_fields(status: &Status) -> Vec<String> {
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    status.get_error_details().bad_request().unwrap().field_violations.iter().map(|v| v.field.clone()).collect()
}

fn pavlodar() -> pb::Region {
    pb::Region {
        code: "KZ-55".into(),
        name: Some(LocalizedText {
            kk: "Павлодар облысы".into(),
            ru: "Павлодарская область".into(),
            en: "Pavlodar Region".into(),
        }),
        centre_name: "Pavlodar".into(),
        position: Some(LatLon { lat: 52.28, lon: 76.97 }),
        population: 750_000,
        urban_share: 0.72,
        time_zone: "Asia/Almaty".into(),
        utc_offset_minutes: 300,
        ..Default::default()
    }
}

fn substation(code: &str, region_code: &str) -> pb::Station {
    pb::Station {
        code: code.into(),
        name: "Substation".into(),
        kind: pb::StationKind::CitySubstation.into(),
        region_code: region_code.into(),
        position: Some(LatLon { lat: 51.15, lon: 71.43 }),
        address: "Astana".into(),
        area_type: pb::AreaType::City.into(),
        ..Default::default()
    }
}

async fn list_codes(app: &App, who: &Caller, request: pb::ListStationsRequest) -> Result<Vec<String>, Status> {
    let page = app.client().list_stations(as_(who, request)).await?.into_inner();
    Ok(page.stations.into_iter().map(|s| s.code).collect())
}

async fn a_region_is_created_once_per_request_id_and_read_back_by_id_or_code(app: App) {
    let create = pb::CreateRegionRequest { request_id: "r-1".into(), region: Some(pavlodar()) };
    let created = app.client().create_region(as_(&admin(), create.clone())).await.unwrap().into_inner();
    assert_eq!((created.code.as_str(), created.version), ("KZ-55", 1));
    assert!(created.created_at.is_some() && created.created_at == created.updated_at);

    let retried = app.client().create_region(as_(&admin(), create)).await.unwrap().into_inner();
    assert_eq!(retried, created);
    let twin = pb::CreateRegionRequest { request_id: "r-2".into(), region: Some(pavlodar()) };
    let status = app.client().create_region(as_(&admin(), twin)).await.unwrap_err();
    assert_eq!((status.code(), status.message()), (Code::AlreadyExists, "region KZ-55 already exists"));

    for key in [pb::get_region_request::Key::Id(created.id.clone()), pb::get_region_request::Key::Code("KZ-55".into())]
    {
        let dispatcher_elsewhere = caller(Role::Dispatcher, &["KZ-71"]);
        let got = app.client().get_region(as_(&dispatcher_elsewhere, pb::GetRegionRequest { key: Some(key) })).await;
        assert_eq!(got.unwrap().into_inner(), created);
    }
    let missing = pb::GetRegionRequest { key: Some(pb::get_region_request::Key::Code("KZ-99".into())) };
    assert_eq!(app.client().get_region(as_(&admin(), missing)).await.unwrap_err().code(), Code::NotFound);

    let created_events = events::read_after(app.ctx.db.reader(), 0, 1000).await.unwrap();
    let pavlodar_events: Vec<_> = created_events.iter().filter(|e| e.aggregate_id == created.id).collect();
    assert_eq!(pavlodar_events.len(), 1);
    assert_eq!(
        (pavlodar_events[0].kind.as_str(), pavlodar_events[0].actor_subject.as_str()),
        ("region.created", "test-admin")
    );
}

async fn every_bad_field_of_a_region_is_reported_at_once(app: App) {
    let region = pb::Region {
        code: "KZ55".into(),
        name: Some(LocalizedText { kk: String::new(), ru: "x".into(), en: "x".into() }),
        position: Some(LatLon { lat: 60.0, lon: 37.0 }),
        population: -5,
        urban_share: 2.0,
        time_zone: "Europe/Moscow".into(),
        ..pavlodar()
    };
    let status = app
        .client()
        .create_region(as_(&admin(), pb::CreateRegionRequest { request_id: String::new(), region: Some(region) }))
        .await
        .unwrap_err();
    assert_eq!(
        violated_fields(&status),
        [
            "request_id",
            "region.code",
            "region.name.kk",
            "region.position.lat",
            "region.position.lon",
            "region.population",
            "region.urban_share",
            "region.time_zone",
        ]
    );
    assert!(status.message().contains("latitude 60 is outside Kazakhstan (40.5..=55.5)"), "{}", status.message());
}

async fn only_admins_write(app: App) {
    for role in
        [Role::CallTaker, Role::Dispatcher, Role::Coordinator, Role::MedevacDispatcher, Role::Situation, Role::Airline]
    {
        let who = caller(role, &["KZ-71"]);
        let region = pb::CreateRegionRequest { request_id: "x".into(), region: Some(pavlodar()) };
        assert_eq!(app.client().create_region(as_(&who, region)).await.unwrap_err().code(), Code::PermissionDenied);
        let station = pb::CreateStationRequest { request_id: "x".into(), station: Some(substation("AST-09", "KZ-71")) };
        assert_eq!(app.client().create_station(as_(&who, station)).await.unwrap_err().code(), Code::PermissionDenied);
    }
    let anonymous = app.client().list_regions(Request::new(pb::ListRegionsRequest::default())).await.unwrap_err();
    assert_eq!(anonymous.code(), Code::Unauthenticated);
}

async fn updates_bump_the_version_and_refuse_stale_copies_and_new_codes(app: App) {
    let get = pb::GetRegionRequest { key: Some(pb::get_region_request::Key::Code("KZ-11".into())) };
    let akmola = app.client().get_region(as_(&admin(), get)).await.unwrap().into_inner();

    let mut changed = akmola.clone();
    changed.population = 800_000;
    let update = pb::UpdateRegionRequest { id: akmola.id.clone(), expected_version: 1, region: Some(changed.clone()) };
    let updated = app.client().update_region(as_(&admin(), update.clone())).await.unwrap().into_inner();
    assert_eq!((updated.version, updated.population, updated.created_at), (2, 800_000, akmola.created_at));

    let stale = app.client().update_region(as_(&admin(), update)).await.unwrap_err();
    assert_eq!(stale.code(), Code::FailedPrecondition);
    assert!(stale.message().contains("is at version 2, not 1"), "{}", stale.message());

    let unchecked =
        pb::UpdateRegionRequest { id: akmola.id.clone(), expected_version: 0, region: Some(changed.clone()) };
    assert_eq!(app.client().update_region(as_(&admin(), unchecked)).await.unwrap().into_inner().version, 3);

    let renamed = pb::UpdateRegionRequest {
        id: akmola.id.clone(),
        expected_version: 0,
        region: Some(pb::Region { code: "KZ-12".into(), ..changed }),
    };
    assert_eq!(
        violated_fields(&app.client().update_region(as_(&admin(), renamed)).await.unwrap_err()),
        ["region.code"]
    );

    let nobody =
        pb::UpdateRegionRequest { id: uuid::Uuid::now_v7().to_string(), expected_version: 0, region: Some(pavlodar()) };
    assert_eq!(app.client().update_region(as_(&admin(), nobody)).await.unwrap_err().code(), Code::NotFound);
}

async fn a_station_needs_an_existing_region_reported_with_its_other_problems(app: App) {
    let station = pb::Station { name: String::new(), ..substation("AST-09", "KZ-99") };
    let request = pb::CreateStationRequest { request_id: "s-1".into(), station: Some(station) };
    let status = app.client().create_station(as_(&admin(), request)).await.unwrap_err();
    assert_eq!(violated_fields(&status), ["station.name", "station.region_code"]);
    assert!(status.message().contains("station.region_code: region KZ-99 does not exist"), "{}", status.message());

    let request = pb::CreateStationRequest { request_id: "s-2".into(), station: Some(substation("AST-09", "KZ-71")) };
    let created = app.client().create_station(as_(&admin(), request)).await.unwrap().into_inner();
    assert_eq!(
        (created.kind(), created.area_type(), created.version),
        (pb::StationKind::CitySubstation, pb::AreaType::City, 1)
    );

    let moved = pb::UpdateStationRequest {
        id: created.id.clone(),
        expected_version: 1,
        station: Some(pb::Station { position: Some(LatLon { lat: 53.3, lon: 69.4 }), ..substation("AST-09", "KZ-11") }),
    };
    let moved = app.client().update_station(as_(&admin(), moved)).await.unwrap().into_inner();
    assert_eq!((moved.region_code.as_str(), moved.version), ("KZ-11", 2));

    let taken = pb::CreateStationRequest { request_id: "s-3".into(), station: Some(substation("AST-01", "KZ-71")) };
    assert_eq!(app.client().create_station(as_(&admin(), taken)).await.unwrap_err().code(), Code::AlreadyExists);
}

async fn stations_are_read_within_the_callers_regions(app: App) {
    let all = ["AKM-01", "AKM-ZER", "AST-01", "AST-02", "ATY-01"];
    for role in [Role::Admin, Role::Situation, Role::MedevacDispatcher] {
        assert_eq!(list_codes(&app, &caller(role, &[]), Default::default()).await.unwrap(), all);
    }

    let dispatcher = caller(Role::Dispatcher, &["KZ-71"]);
    assert_eq!(list_codes(&app, &dispatcher, Default::default()).await.unwrap(), ["AST-01", "AST-02"]);
    let own = pb::ListStationsRequest { region_code: "KZ-71".into(), ..Default::default() };
    assert_eq!(list_codes(&app, &dispatcher, own).await.unwrap(), ["AST-01", "AST-02"]);
    let other = pb::ListStationsRequest { region_code: "KZ-11".into(), ..Default::default() };
    assert_eq!(list_codes(&app, &dispatcher, other).await.unwrap_err().code(), Code::PermissionDenied);

    let get = |code: &str| pb::GetStationRequest { key: Some(pb::get_station_request::Key::Code(code.into())) };
    assert_eq!(app.client().get_station(as_(&dispatcher, get("AST-02"))).await.unwrap().into_inner().code, "AST-02");
    assert_eq!(
        app.client().get_station(as_(&dispatcher, get("AKM-01"))).await.unwrap_err().code(),
        Code::PermissionDenied
    );
    assert_eq!(app.client().get_station(as_(&dispatcher, get("AST-77"))).await.unwrap_err().code(), Code::NotFound);

    let coordinator = caller(Role::Coordinator, &["KZ-23", "KZ-11"]);
    assert_eq!(list_codes(&app, &coordinator, Default::default()).await.unwrap(), ["AKM-01", "AKM-ZER", "ATY-01"]);
    let district = pb::ListStationsRequest { kind: pb::StationKind::DistrictDepartment.into(), ..Default::default() };
    assert_eq!(list_codes(&app, &coordinator, district).await.unwrap(), ["AKM-ZER"]);

    let airline = caller(Role::Airline, &[]);
    assert_eq!(list_codes(&app, &airline, Default::default()).await.unwrap_err().code(), Code::PermissionDenied);
    assert_eq!(
        app.client().get_station(as_(&airline, get("AST-01"))).await.unwrap_err().code(),
        Code::PermissionDenied
    );
    let regions = app.client().list_regions(as_(&airline, Default::default())).await.unwrap().into_inner();
    assert_eq!(regions.regions.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["KZ-11", "KZ-23", "KZ-71"]);
}

async fn lists_page_by_code_until_the_token_is_empty(app: App) {
    let coordinator = caller(Role::Coordinator, &["KZ-11", "KZ-23", "KZ-71"]);
    let mut seen = Vec::new();
    let mut token = String::new();
    loop {
        let request = pb::ListStationsRequest { page_size: 2, page_token: token.clone(), ..Default::default() };
        let page = app.client().list_stations(as_(&coordinator, request)).await.unwrap().into_inner();
        assert!(page.stations.len() <= 2);
        seen.extend(page.stations.into_iter().map(|s| s.code));
        if page.next_page_token.is_empty() {
            break;
        }
        token = page.next_page_token;
    }
    assert_eq!(seen, ["AKM-01", "AKM-ZER", "AST-01", "AST-02", "ATY-01"]);

    let request = pb::ListRegionsRequest { page_size: 2, page_token: String::new() };
    let first = app.client().list_regions(as_(&admin(), request)).await.unwrap().into_inner();
    assert_eq!(first.regions.len(), 2);
    let request = pb::ListRegionsRequest { page_size: 2, page_token: first.next_page_token };
    let last = app.client().list_regions(as_(&admin(), request)).await.unwrap().into_inner();
    assert_eq!((last.regions[0].code.as_str(), last.next_page_token.as_str()), ("KZ-71", ""));

    let bad =
        pb::ListStationsRequest { page_size: -1, page_token: "not-a-token".into(), region_code: "71".into(), kind: 42 };
    let status = app.client().list_stations(as_(&admin(), bad)).await.unwrap_err();
    assert_eq!(violated_fields(&status), ["page_size", "page_token", "region_code", "kind"]);
}
