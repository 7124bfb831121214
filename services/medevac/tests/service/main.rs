//! The medevac RPCs over gRPC on a real socket, through the real harness and authenticator,
//! against a real database seeded with the Kazakhstan reference data (so real aircraft,
//! airlines and contracts are judged), once on SQLite and once on PostgreSQL. The modules:
//! the workflow with its three roles and scope (`workflow`), documents (`documents`), the
//! airline channel (`airline`), and flight following under a controlled clock (`following`).
//! The end-to-end tests over the real binary live in the workspace's `tests/`.

mod airline;
mod documents;
mod following;
mod workflow;

use std::sync::Arc;

use futures::StreamExt as _;

use jedel_api::common::v1::{LatLon, Sex, TimeRange};
use jedel_api::medevac::v1 as pb;
use jedel_api::medevac::v1::medevac_client::MedevacClient;
use jedel_api::medevac::v1::medevac_server::MedevacServer;
use jedel_medevac::{MedevacService, Settings};
use jedel_platform::bus::InProcessBus;
use jedel_platform::metrics::Metrics;
use jedel_platform::server::Services;
use jedel_platform::testing::{self, TestDb};
use jedel_platform::time::{now_micros, to_timestamp};
use jedel_platform::{Caller, Context, Role};
use jedel_registry::{ReferenceData, seed_reference};
use sqlx::Row as _;
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

/// Where the [`transfer`] patient is picked up: Pavlodar Regional Multidisciplinary Hospital,
/// by airports open and lit day and night at both ends, so the air rules offer aircraft of
/// several airlines whatever the hour the tests run.
pub const ORIGIN: LatLon = LatLon { lat: 52.2619, lon: 76.9552 };

/// A valid IIN: born 1990-01-01, male.
pub const IIN: &str = "900101300017";

pub struct App {
    /// The service itself, for what is not an RPC (following flights at a chosen moment).
    pub service: MedevacService,
    client: MedevacClient<Channel>,
    pub ctx: Context,
    /// Registry id of Astana City Emergency Hospital (AST-H01).
    pub astana_hospital_id: String,
    _db: TestDb,
}

impl App {
    /// The service over `db`, seeded with the Kazakhstan reference data.
    async fn new(db: TestDb) -> App {
        let ctx = Context { db: db.db.clone(), bus: Arc::new(InProcessBus::new(1024)), metrics: Metrics::new(&[]) };
        seed_reference(&ctx, &ReferenceData::kazakhstan()).await.unwrap();
        // Watches follow the bus once they have caught up with the table: publish to it.
        let relay = jedel_platform::relay::Relay::new(ctx.db.clone(), ctx.bus.clone());
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            let _running = stop_tx;
            relay.run(stop_rx).await;
        });
        let service = MedevacService::with_settings(ctx.clone(), Settings::default());
        let mut services = Services::default();
        services.add(InterceptedService::new(MedevacServer::new(service.clone()), testing::authenticator()));
        let client = MedevacClient::connect(testing::serve(services).await).await.unwrap();
        let astana_hospital_id = sqlx::query("SELECT id FROM hospitals WHERE code = 'AST-H01'")
            .fetch_one(ctx.db.reader())
            .await
            .unwrap()
            .try_get(0)
            .unwrap();
        App { service, client, ctx, astana_hospital_id, _db: db }
    }

    /// A client of the served service.
    pub fn client(&self) -> MedevacClient<Channel> {
        self.client.clone()
    }

    /// Rows of `sql` (a `SELECT COUNT(*)`).
    pub async fn count(&self, sql: &'static str) -> i64 {
        sqlx::query(sql).fetch_one(self.ctx.db.reader()).await.unwrap().try_get(0).unwrap()
    }
}

pub fn caller(role: Role, regions: &[&str], airline: Option<&str>) -> Caller {
    Caller {
        subject: format!("test-{}", role.as_str()),
        role,
        regions: regions.iter().map(|r| r.to_string()).collect(),
        airline: airline.map(Into::into),
    }
}

/// The coordinating doctor of Akmola region.
pub fn coordinator() -> Caller {
    caller(Role::Coordinator, &["KZ-11"], None)
}

/// A national medevac dispatcher.
pub fn nccem() -> Caller {
    caller(Role::MedevacDispatcher, &[], None)
}

/// An operator of `airline`.
pub fn airline(code: &str) -> Caller {
    caller(Role::Airline, &[], Some(code))
}

pub fn as_<T>(caller: &Caller, message: T) -> Request<T> {
    testing::request_as(caller, message)
}

pub fn violated_fields(status: &Status) -> Vec<String> {
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    status.get_error_details().bad_request().unwrap().field_violations.iter().map(|v| v.field.clone()).collect()
}

pub fn minutes_from_now(minutes: i64) -> prost_types::Timestamp {
    to_timestamp(now_micros() + minutes * 60_000_000)
}

/// A complete patient-transport request: a STEMI patient from Pavlodar to Astana City
/// Emergency Hospital (named by its registry id).
pub fn transfer(app: &App) -> pb::RequestDetails {
    pb::RequestDetails {
        mission_type: pb::MissionType::PatientTransport.into(),
        urgency: pb::Urgency::Emergency.into(),
        coordinating_doctor: Some(pb::Clinician {
            full_name: "Saule Nurpeisova".into(),
            title: "regional coordinating doctor".into(),
            phone: "8 701 555 12 34".into(),
        }),
        patient: Some(pb::Patient {
            iin: IIN.into(),
            family_name: "Abenov".into(),
            given_name: "Nurlan".into(),
            sex: Sex::Male.into(),
            weight_kg: 82.0,
            icd10_code: "I21.0".into(),
            diagnosis: "acute anterior STEMI".into(),
            severity: pb::Severity::Severe.into(),
            vital_signs: Some(pb::VitalSigns {
                heart_rate_bpm: Some(110),
                systolic_mmhg: Some(90),
                diastolic_mmhg: Some(60),
                spo2_percent: Some(91),
                measured_at: Some(minutes_from_now(-10)),
                ..Default::default()
            }),
            needs: vec![pb::PatientNeed::Stretcher.into(), pb::PatientNeed::Oxygen.into()],
            ..Default::default()
        }),
        accompanying_persons: vec![pb::AccompanyingPerson {
            full_name: "Aigerim Abenova".into(),
            relation: "wife".into(),
            weight_kg: 60.0,
        }],
        origin: Some(pb::Facility {
            name: "Pavlodar Regional Multidisciplinary Hospital".into(),
            department: "ICU".into(),
            position: Some(ORIGIN),
            ..Default::default()
        }),
        destination: Some(pb::Facility {
            hospital_id: app.astana_hospital_id.clone(),
            department: "cardiology".into(),
            ..Default::default()
        }),
        receiving_consent: Some(pb::ReceivingConsent {
            doctor: Some(pb::Clinician {
                full_name: "Yerlan Sadykov".into(),
                title: "head of cardiology".into(),
                phone: "+77015550000".into(),
            }),
            given_at: Some(minutes_from_now(-5)),
        }),
        wanted_window: Some(TimeRange { from: Some(minutes_from_now(0)), to: Some(minutes_from_now(180)) }),
        notes: "patient lives alone; wife accompanies".into(),
    }
}

/// Creates `details` as the Akmola coordinator.
pub async fn create(app: &App, request_id: &str, details: pb::RequestDetails) -> pb::MedevacRequest {
    app.client()
        .create_request(as_(
            &coordinator(),
            pb::CreateRequestRequest {
                request_id: request_id.into(),
                region_code: "KZ-11".into(),
                details: Some(details),
            },
        ))
        .await
        .unwrap_or_else(|s| panic!("create: {s:?}"))
        .into_inner()
}

/// A complete request, submitted, reviewed and approved.
pub async fn approved(app: &App, request_id: &str) -> pb::MedevacRequest {
    let created = create(app, request_id, transfer(app)).await;
    let mut client = app.client();
    let id = created.id.clone();
    client.submit_request(as_(&coordinator(), pb::SubmitRequestRequest { id: id.clone() })).await.unwrap();
    client.start_review(as_(&nccem(), pb::StartReviewRequest { id: id.clone() })).await.unwrap();
    client.approve_request(as_(&nccem(), pb::ApproveRequestRequest { id })).await.unwrap().into_inner()
}

/// The Dispatcher's air tasking for the [`transfer`] mission now, as ChooseAircraft asks it:
/// each option's registration, airline code and rank, best first, and each excluded
/// aircraft's registration with the detail.
pub async fn ranking(app: &App) -> (Vec<(String, String, i32)>, Vec<(String, String)>) {
    use jedel_api::dispatch::v1 as air;
    let question = air::RankAircraftRequest {
        mission_type: air::MissionType::PatientTransport.into(),
        origin: Some(air::Place { position: Some(ORIGIN), ..Default::default() }),
        destination: Some(air::Place { hospital_id: app.astana_hospital_id.clone(), ..Default::default() }),
        needs: Some(air::PatientNeeds {
            medical_module: air::MedicalModule::Basic.into(),
            stretcher: true,
            seats: 1,
            ..Default::default()
        }),
        urgency: air::AirUrgency::Emergency.into(),
        limit: 50,
        ..Default::default()
    };
    let answer = jedel_dispatch::air::rank_aircraft(&app.ctx, &nccem(), question).await.unwrap();
    let mut options = Vec::new();
    for option in answer.options {
        let row = sqlx::query("SELECT airline_code FROM aircraft WHERE registration = $1")
            .bind(&option.registration)
            .fetch_one(app.ctx.db.reader())
            .await
            .unwrap();
        options.push((option.registration, row.try_get(0).unwrap(), option.rank));
    }
    (options, answer.excluded.into_iter().map(|e| (e.registration, e.detail)).collect())
}

/// Chooses the best-ranked option of the Dispatcher's air tasking whose airline is not in
/// `not`, sending `rank` as the client's rank with `reason`; returns the request after the
/// choice.
pub async fn choose_eligible(app: &App, id: &str, not: &[&str], rank: i32, reason: &str) -> pb::MedevacRequest {
    let (options, excluded) = ranking(app).await;
    let Some((registration, _, _)) = options.iter().find(|(_, airline, _)| !not.contains(&airline.as_str())) else {
        panic!("no aircraft may fly the mission now: {excluded:#?}");
    };
    let choice = pb::ChooseAircraftRequest {
        id: id.into(),
        aircraft_registration: registration.clone(),
        option_rank: rank,
        reason: reason.into(),
    };
    match app.client().choose_aircraft(as_(&nccem(), choice)).await {
        Ok(response) => response.into_inner(),
        Err(status) => panic!("choose {registration}: {status:?}"),
    }
}

/// The next message of a server stream, within 10 seconds.
pub async fn next<T>(stream: &mut tonic::Streaming<T>) -> T {
    tokio::time::timeout(std::time::Duration::from_secs(10), stream.next())
        .await
        .expect("a message within 10 s")
        .expect("the stream goes on")
        .expect("a message, not an error")
}
