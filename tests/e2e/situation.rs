//! The situation centre over gRPC on both backends: after a scripted set of calls, GetMetrics
//! equals the figures counted from the script; WatchMetrics sends a snapshot, then changes at
//! most once a second, and resumes after a sequence; GetIndicators and GetReport over the
//! period; and the figures rebuilt by replaying the events table after a restart equal the
//! live ones.

use std::time::{Duration, Instant};

use chrono::Datelike as _;
use futures::StreamExt as _;
use jedel_api::common::v1::Money;
use jedel_api::common::v1::{LatLon, TimeRange};
use jedel_api::intake::v1::call_intake_client::CallIntakeClient;
use jedel_api::intake::v1::{CreateCallRequest, Location, OverrideCategoryRequest, TriageAnswer};
use jedel_api::registry::v1::registry_client::RegistryClient;
use jedel_api::registry::v1::{
    ContractStatus, Date, GetAircraftRequest, GetAirlineRequest, ListContractsRequest, ListExpiringRequest,
    UpdateAirlineRequest, get_aircraft_request, get_airline_request,
};
use jedel_api::situation::v1::situation_centre_client::SituationCentreClient;
use jedel_api::situation::v1::{
    AircraftKindCount, AirlineFlights, CallStatus, DocumentKind, GetIndicatorsRequest, GetMetricsRequest,
    GetReportRequest, Indicator, Level, Metrics, ReportKind, Scope, WatchMetricsRequest, report,
};
use jedel_platform::Role;
use tonic::Code;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

use crate::support::{Bearer, Server};
use crate::{medevac, on_each_backend};

type Situation = SituationCentreClient<InterceptedService<Channel, Bearer>>;

async fn situation(server: &Server, role: Role, regions: &[&str]) -> Situation {
    SituationCentreClient::new(server.authed(&server.token(role, regions, None)).await)
}

/// A call received now in `region`: category 1 by the protocol, or `category` by override.
async fn new_call(server: &Server, key: &str, region: &str, position: (f64, f64), category: i32) -> String {
    let mut calls = CallIntakeClient::new(server.authed(&server.token(Role::CallTaker, &[region], None)).await);
    let answers = if category == 1 {
        vec![TriageAnswer { question_id: "breathing".into(), answer_id: "not_breathing".into() }]
    } else {
        Vec::new()
    };
    let call = calls
        .create_call(CreateCallRequest {
            request_id: key.to_string(),
            region_code: region.into(),
            caller: Some(jedel_api::intake::v1::Caller { phone: "+77015550101".into(), name: String::new() }),
            location: Some(Location {
                position: Some(LatLon { lat: position.0, lon: position.1 }),
                address: "Kabanbay Batyr 10".into(),
            }),
            patient: None,
            complaint: String::new(),
            triage_answers: answers,
            received_at: None,
        })
        .await
        .unwrap_or_else(|s| panic!("create call: {s:?}"))
        .into_inner()
        .call
        .unwrap();
    if category > 1 {
        calls
            .override_category(OverrideCategoryRequest {
                id: call.id.clone(),
                expected_version: 0,
                category,
                reason: "scripted".into(),
            })
            .await
            .unwrap();
    }
    call.id
}

fn nation_scope() -> Scope {
    Scope { level: Level::Nation as i32, ..Default::default() }
}

fn region(code: &str) -> Scope {
    Scope { level: Level::Region as i32, region_code: code.into(), station_id: String::new() }
}

fn count(counts: &[jedel_api::situation::v1::CategoryCount], category: i32) -> i64 {
    counts.iter().filter(|c| c.category == category).map(|c| c.count).sum()
}

fn total(counts: &[jedel_api::situation::v1::CategoryCount]) -> i64 {
    counts.iter().map(|c| c.count).sum()
}

/// The figures of `scope` once `ready` holds (the fold follows the events asynchronously).
async fn metrics_when(client: &mut Situation, scope: Scope, ready: impl Fn(&Metrics) -> bool) -> Metrics {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let metrics = client.get_metrics(GetMetricsRequest { scope: Some(scope.clone()) }).await.unwrap().into_inner();
        if ready(&metrics) || Instant::now() > deadline {
            return metrics;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Metrics without the fields that move with the clock.
fn stable(metrics: &Metrics) -> Metrics {
    Metrics { computed_at: None, ..metrics.clone() }
}

const ASTANA: (f64, f64) = (51.1283, 71.4305);
const ALMATY: (f64, f64) = (43.2383, 76.9456);

/// Astana: two category-1 calls and one category-3; Almaty: one category-2.
async fn script(server: &Server) {
    new_call(server, "s-1", "KZ-71", ASTANA, 1).await;
    new_call(server, "s-2", "KZ-71", ASTANA, 1).await;
    new_call(server, "s-3", "KZ-71", ASTANA, 3).await;
    new_call(server, "s-4", "KZ-75", ALMATY, 2).await;
}

on_each_backend!(metrics_equal_the_script_and_survive_a_restart, async |mut server: Server| {
    script(&server).await;
    let mut client = situation(&server, Role::Situation, &[]).await;
    let nation = metrics_when(&mut client, nation_scope(), |m| total(&m.calls_today) == 4).await;
    assert_eq!(total(&nation.calls_today), 4);
    assert_eq!(
        (count(&nation.calls_today, 1), count(&nation.calls_today, 2), count(&nation.calls_today, 3)),
        (2, 1, 1)
    );
    assert_eq!(nation.calls_last_hour, nation.calls_today);
    // Every call is categorised and none has a unit: all waiting.
    let waiting: i64 =
        nation.open_calls.iter().filter(|c| c.status == CallStatus::Waiting as i32).map(|c| c.count).sum();
    assert_eq!(waiting, 4);
    assert_eq!(total(&nation.waiting_calls), 4);
    let norm = nation.served_within_norm.unwrap();
    let target = norm.target.unwrap();
    assert!((2026..=2029).contains(&target.year) == (target.value > 0.0));
    assert!(nation.sequence > 0);

    let astana = client.get_metrics(GetMetricsRequest { scope: Some(region("KZ-71")) }).await.unwrap().into_inner();
    assert_eq!(total(&astana.calls_today), 3);
    assert_eq!(total(&astana.waiting_calls), 3);

    // A dispatcher of Astana sees Astana only, and never the nation.
    let mut dispatcher = situation(&server, Role::Dispatcher, &["KZ-71"]).await;
    assert!(dispatcher.get_metrics(GetMetricsRequest { scope: Some(region("KZ-71")) }).await.is_ok());
    let refused = dispatcher.get_metrics(GetMetricsRequest { scope: Some(region("KZ-75")) }).await.unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    let refused = dispatcher.get_metrics(GetMetricsRequest { scope: Some(nation_scope()) }).await.unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    let mut taker = situation(&server, Role::CallTaker, &["KZ-71"]).await;
    assert_eq!(
        taker.get_metrics(GetMetricsRequest { scope: Some(nation_scope()) }).await.unwrap_err().code(),
        Code::PermissionDenied
    );

    // Indicators and the national statistics over the period.
    let period = Some(TimeRange {
        from: Some(prost_types::Timestamp { seconds: chrono::Utc::now().timestamp() - 3600, nanos: 0 }),
        to: None,
    });
    let indicators = client
        .get_indicators(GetIndicatorsRequest {
            indicators: vec![Indicator::ServedWithinNorm as i32],
            period,
            region_codes: vec![],
        })
        .await
        .unwrap()
        .into_inner();
    let regions: Vec<&str> = indicators.values.iter().map(|v| v.region_code.as_str()).collect();
    assert_eq!(regions, ["KZ-71", "KZ-75", ""]);
    let report = client
        .get_report(GetReportRequest {
            kind: ReportKind::NationalStatistics as i32,
            period,
            region_codes: vec!["KZ-71".into()],
        })
        .await
        .unwrap()
        .into_inner();
    let Some(report::Body::NationalStatistics(stats)) = report.body else { panic!("wrong body") };
    let rows: Vec<(&str, i64)> = stats.regions.iter().map(|r| (r.region_code.as_str(), total(&r.calls))).collect();
    assert_eq!(rows, [("KZ-71", 3), ("", 3)]);
    let unspecified = client.get_report(GetReportRequest { kind: 0, period, region_codes: vec![] }).await.unwrap_err();
    assert_eq!(unspecified.code(), Code::InvalidArgument);

    // CSV through ctl.
    let token = server.token(Role::Situation, &[], None);
    let (code, out) =
        server.jedel(&["ctl", "--token", &token, "report", "national-statistics", "--region", "KZ-75"]).await;
    assert_eq!(code, 0, "{out}");
    assert!(out.lines().next().unwrap().starts_with("region,calls,"), "{out}");
    assert!(out.contains("\nKZ-75,1,0,1,0,0,0,"), "{out}");

    // Replaying the events table after a restart gives the same figures.
    let before = metrics_when(&mut client, nation_scope(), |_| true).await;
    let astana_before =
        client.get_metrics(GetMetricsRequest { scope: Some(region("KZ-71")) }).await.unwrap().into_inner();
    server.restart().await;
    let mut client = situation(&server, Role::Situation, &[]).await;
    let after = metrics_when(&mut client, nation_scope(), |m| m.sequence >= before.sequence).await;
    assert_eq!(stable(&after), stable(&before));
    let astana_after =
        client.get_metrics(GetMetricsRequest { scope: Some(region("KZ-71")) }).await.unwrap().into_inner();
    assert_eq!(stable(&astana_after), stable(&astana_before));
});

on_each_backend!(watch_throttles_filters_and_resumes, async |server: Server| {
    new_call(&server, "w-1", "KZ-71", ASTANA, 1).await;
    let mut client = situation(&server, Role::Situation, &[]).await;
    metrics_when(&mut client, nation_scope(), |m| total(&m.calls_today) == 1).await;

    let request = WatchMetricsRequest { after_sequence: 0, region_codes: vec!["KZ-71".into()], levels: vec![] };
    let mut stream = client.watch_metrics(request).await.unwrap().into_inner();
    let first = stream.next().await.unwrap().unwrap();
    let first_at = Instant::now();
    // Region filter: no nation scope, only KZ-71.
    assert!(first.metrics.iter().all(|m| m.scope.as_ref().unwrap().region_code == "KZ-71"));
    assert!(first.metrics.iter().any(|m| m.scope.as_ref().unwrap().level == Level::Region as i32));
    assert_eq!(total(&first.metrics[0].calls_today), 1);

    // A burst of three calls: the next update comes a second or more after the first and
    // already holds all of them or part; within a few updates it shows four.
    for key in ["w-2", "w-3", "w-4"] {
        new_call(&server, key, "KZ-71", ASTANA, 1).await;
    }
    let mut last_at = first_at;
    let mut seen = 1;
    let mut last_sequence = first.sequence;
    while seen < 4 {
        let update = tokio::time::timeout(Duration::from_secs(10), stream.next()).await.unwrap().unwrap().unwrap();
        let now = Instant::now();
        assert!(now - last_at >= Duration::from_millis(900), "updates {:?} apart", now - last_at);
        last_at = now;
        assert!(update.sequence >= last_sequence);
        last_sequence = update.sequence;
        let region = update.metrics.iter().find(|m| m.scope.as_ref().unwrap().level == Level::Region as i32);
        if let Some(region) = region {
            seen = total(&region.calls_today);
        }
    }
    drop(stream);

    // Resume: figures never older than the sequence the client had.
    let resume =
        WatchMetricsRequest { after_sequence: last_sequence, region_codes: vec![], levels: vec![Level::Nation as i32] };
    let mut stream = client.watch_metrics(resume).await.unwrap().into_inner();
    let snapshot = stream.next().await.unwrap().unwrap();
    assert!(snapshot.sequence >= last_sequence);
    assert_eq!(snapshot.metrics.len(), 1);
    assert_eq!(snapshot.metrics[0].scope.as_ref().unwrap().level, Level::Nation as i32);
    assert_eq!(total(&snapshot.metrics[0].calls_today), 4);
});

/// Flies the medevac e2e's transfer for region KZ-11 with the top option, checking the live
/// flight figures at departure; returns the tasking as completed after `flight_secs`.
async fn fly(server: &Server, client: &mut Situation, flight_secs: i64) -> jedel_api::medevac::v1::Tasking {
    use jedel_api::medevac::v1 as pb;
    let (registration, airline, _) = medevac::eligible_aircraft(server).await.remove(0);
    let mut coordinator = medevac::client(server, Role::Coordinator, &["KZ-11"], None).await;
    let mut nccem = medevac::client(server, Role::MedevacDispatcher, &[], None).await;
    let mut operator = medevac::client(server, Role::Airline, &[], Some(&airline)).await;
    let request = pb::CreateRequestRequest {
        request_id: "situation-flight".into(),
        region_code: "KZ-11".into(),
        details: Some(medevac::transfer()),
    };
    let id = coordinator.create_request(request).await.unwrap().into_inner().id;
    coordinator.submit_request(pb::SubmitRequestRequest { id: id.clone() }).await.unwrap();
    nccem.start_review(pb::StartReviewRequest { id: id.clone() }).await.unwrap();
    nccem.approve_request(pb::ApproveRequestRequest { id: id.clone() }).await.unwrap();
    let choice = pb::ChooseAircraftRequest {
        id: id.clone(),
        aircraft_registration: registration.clone(),
        option_rank: 1,
        reason: String::new(),
    };
    let tasking = nccem.choose_aircraft(choice).await.unwrap().into_inner().current_tasking.unwrap();
    nccem.task_airline(pb::TaskAirlineRequest { id: id.clone() }).await.unwrap();
    let accept = pb::AcceptTaskingRequest { tasking_id: tasking.id.clone(), expected_departure_at: None };
    operator.accept_tasking(accept).await.unwrap();
    let crew = vec![pb::CrewMember {
        full_name: "Marat Ospanov".into(),
        role: pb::CrewRole::PilotInCommand.into(),
        phone: String::new(),
    }];
    operator.assign_crew(pb::AssignCrewRequest { tasking_id: tasking.id.clone(), crew }).await.unwrap();
    let reach = |milestone: pb::Milestone| pb::ReportMilestoneRequest {
        tasking_id: tasking.id.clone(),
        milestone: milestone.into(),
        ..Default::default()
    };
    operator.report_milestone(reach(pb::Milestone::Departed)).await.unwrap();

    // In the air: one flight in progress, of the aircraft's kind as the Registry has it.
    let token = server.token(Role::Admin, &[], None);
    let mut registry = RegistryClient::new(server.authed(&token).await);
    let key = Some(get_aircraft_request::Key::Registration(registration.clone()));
    let kind = registry.get_aircraft(GetAircraftRequest { key }).await.unwrap().into_inner().kind;
    let flying = |m: &Metrics| m.medevac.as_ref().is_some_and(|a| !a.flights_in_progress.is_empty());
    let region = metrics_when(client, region("KZ-11"), flying).await;
    let medevac_figures = region.medevac.unwrap();
    assert_eq!(medevac_figures.flights_in_progress, [AircraftKindCount { kind, count: 1 }]);
    assert_eq!(medevac_figures.flights_today, [AircraftKindCount { kind, count: 1 }]);

    for milestone in
        [pb::Milestone::AtOrigin, pb::Milestone::PatientOnBoard, pb::Milestone::Landed, pb::Milestone::HandedOver]
    {
        operator.report_milestone(reach(milestone)).await.unwrap();
    }
    let flight_time = Some(prost_types::Duration { seconds: flight_secs, nanos: 0 });
    nccem.complete_request(pb::CompleteRequestRequest { id, flight_time }).await.unwrap().into_inner();
    tasking
}

on_each_backend!(flights_by_kind_and_airline_and_expiring_documents, async |server: Server| {
    let mut client = situation(&server, Role::Situation, &[]).await;
    let tasking = fly(&server, &mut client, 9_000).await;

    // Completed: 2.5 h flown, priced at the contract's tariff as the Registry states it.
    let token = server.token(Role::Admin, &[], None);
    let mut registry = RegistryClient::new(server.authed(&token).await);
    let contracts = ListContractsRequest {
        airline_code: tasking.airline_code.clone(),
        aircraft_registration: tasking.aircraft_registration.clone(),
        status: ContractStatus::Active as i32,
        ..Default::default()
    };
    let contracts = registry.list_contracts(contracts).await.unwrap().into_inner().contracts;
    let [contract] = contracts.as_slice() else { panic!("one active contract covers the aircraft: {contracts:?}") };
    let tariff_tiyn = contract.tariff_per_hour.clone().unwrap().minor_units;
    let key = Some(get_airline_request::Key::Code(tasking.airline_code.clone()));
    let airline = registry.get_airline(GetAirlineRequest { key }).await.unwrap().into_inner();
    let expected = AirlineFlights {
        airline_id: airline.id.clone(),
        airline_name: airline.name.clone(),
        flights: 1,
        flight_time: Some(prost_types::Duration { seconds: 9_000, nanos: 0 }),
        cost: Some(Money { currency: "KZT".into(), minor_units: tariff_tiyn * 5 / 2 }),
    };
    let completed = |m: &Metrics| m.medevac.as_ref().is_some_and(|a| a.flights_in_progress.is_empty());
    let nation = metrics_when(&mut client, nation_scope(), completed).await;
    assert_eq!(nation.medevac.as_ref().unwrap().airlines_today, std::slice::from_ref(&expected));
    let period = Some(TimeRange {
        from: Some(prost_types::Timestamp { seconds: chrono::Utc::now().timestamp() - 3600, nanos: 0 }),
        to: None,
    });
    let report = GetReportRequest { kind: ReportKind::NationalStatistics as i32, period, region_codes: vec![] };
    let Some(report::Body::NationalStatistics(stats)) = client.get_report(report).await.unwrap().into_inner().body
    else {
        panic!("wrong body")
    };
    assert_eq!(stats.airlines, [expected]);
    let flights: Vec<(&str, i64)> =
        stats.regions.iter().map(|r| (r.region_code.as_str(), r.flights.iter().map(|f| f.count).sum())).collect();
    assert_eq!(flights, [("KZ-11", 1), ("", 1)]);

    // The airline's certificate now ends in ten days: the nation's figures list it, and the
    // documents listed are exactly the Registry's own 30-day expiry list.
    let today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(5 * 3600).unwrap()).date_naive();
    let last = today + chrono::Days::new(10);
    let mut changed = airline.clone();
    let certificate = changed.certificate.as_mut().unwrap();
    certificate.expires = Some(Date { year: last.year(), month: last.month() as i32, day: last.day() as i32 });
    let number = certificate.number.clone();
    let update = UpdateAirlineRequest { id: airline.id.clone(), expected_version: 0, airline: Some(changed) };
    registry.update_airline(update).await.unwrap();
    let listed = |m: &Metrics| m.expiring_documents.iter().any(|d| d.number == number);
    let nation = metrics_when(&mut client, nation_scope(), listed).await;
    let document = nation.expiring_documents.iter().find(|d| d.number == number).unwrap();
    assert_eq!(
        (document.kind, document.airline_id.as_str(), document.airline_name.as_str()),
        (DocumentKind::Certificate as i32, airline.id.as_str(), airline.name.as_str())
    );
    let expiring = registry
        .list_expiring(ListExpiringRequest { page_size: 1000, within_days: 30, ..Default::default() })
        .await
        .unwrap()
        .into_inner()
        .expiries;
    let mut from_registry: Vec<(i32, String)> = expiring.iter().map(|e| (e.kind, e.number.clone())).collect();
    let mut from_situation: Vec<(i32, String)> =
        nation.expiring_documents.iter().map(|d| (d.kind, d.number.clone())).collect();
    from_registry.sort();
    from_situation.sort();
    assert_eq!(from_situation, from_registry);
    assert!(
        client
            .get_metrics(GetMetricsRequest { scope: Some(region("KZ-11")) })
            .await
            .unwrap()
            .into_inner()
            .expiring_documents
            .is_empty()
    );
});
