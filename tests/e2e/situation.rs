//! The situation centre over gRPC on both backends: after a scripted set of calls, GetMetrics
//! equals the figures counted from the script; WatchMetrics sends a snapshot, then changes at
//! most once a second, and resumes after a sequence; GetIndicators and GetReport over the
//! period; and the figures rebuilt by replaying the events table after a restart equal the
//! live ones.

use std::time::{Duration, Instant};

use futures::StreamExt as _;
use jedel_api::common::v1::{LatLon, TimeRange};
use jedel_api::intake::v1::call_intake_client::CallIntakeClient;
use jedel_api::intake::v1::{CreateCallRequest, Location, OverrideCategoryRequest, TriageAnswer};
use jedel_api::situation::v1::situation_centre_client::SituationCentreClient;
use jedel_api::situation::v1::{
    CallStatus, GetIndicatorsRequest, GetMetricsRequest, GetReportRequest, Indicator, Level, Metrics, ReportKind,
    Scope, WatchMetricsRequest, report,
};
use jedel_platform::Role;
use tonic::Code;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

use crate::on_each_backend;
use crate::support::{Bearer, Server};

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
