//! The Dispatcher over gRPC on both backends: ranked recommendations of the call's region with
//! ETA, distance and reason; assigning (a non-top unit needs a reason), crews' statuses moving
//! the call's timeline in Intake, releasing; the queue's order; WatchAlerts and WatchUnits
//! resuming after a sequence; StreamPositions' accepted and rejected counts; state that
//! survives a restart; and `jedel ctl dispatch …`.

use std::time::Duration;

use futures::StreamExt as _;
use jedel_api::common::v1::{LatLon, UrgencyCategory};
use jedel_api::dispatch::v1::dispatcher_client::DispatcherClient;
use jedel_api::dispatch::v1::{
    Alert, AlertKind, AssignRequest, AssignmentState, GetDispatchPolicyRequest, GetQueueRequest, GetUnitRequest,
    ListUnitsRequest, PositionReport, RecommendRequest, RecommendResponse, RejectionReason, ReleaseRequest,
    SetDispatchPolicyRequest, StreamPositionsRequest, Unit, UnitEvent, UnitEventKind, UnitStatus,
    UpdateUnitStatusRequest, WatchAlertsRequest, WatchUnitsRequest,
};
use jedel_api::intake::v1::call_intake_client::CallIntakeClient;
use jedel_api::intake::v1::{
    Call, CallStatus, CancelCallRequest, CreateCallRequest, GetCallRequest, Location, Milestone,
    OverrideCategoryRequest, TriageAnswer,
};
use jedel_platform::Role;
use tonic::Code;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;
use tonic_types::StatusExt as _;

use crate::on_each_backend;
use crate::support::{Bearer, Server};

type Dispatch = DispatcherClient<InterceptedService<Channel, Bearer>>;
type Intake = CallIntakeClient<InterceptedService<Channel, Bearer>>;

/// Astana, near Baiterek.
const ASTANA: (f64, f64) = (51.1283, 71.4305);
const SECOND: i64 = 1_000_000;

async fn dispatch(server: &Server, role: Role, regions: &[&str]) -> Dispatch {
    DispatcherClient::new(server.authed(&server.token(role, regions, None)).await)
}

async fn intake(server: &Server, role: Role) -> Intake {
    CallIntakeClient::new(server.authed(&server.token(role, &["KZ-71"], None)).await)
}

fn fields(status: &tonic::Status) -> Vec<String> {
    status
        .get_error_details()
        .bad_request()
        .map(|b| b.field_violations.iter().map(|v| v.field.clone()).collect())
        .unwrap_or_default()
}

fn micros(d: &prost_types::Duration) -> i64 {
    d.seconds * SECOND + i64::from(d.nanos / 1_000)
}

fn timestamp_ago(seconds: i64) -> prost_types::Timestamp {
    prost_types::Timestamp { seconds: chrono::Utc::now().timestamp() - seconds, nanos: 0 }
}

/// A call in KZ-71 at `position`, received `ago` seconds back: a cardiac arrest (category 1)
/// when `category` is 1, otherwise registered and then set to `category` by override.
async fn new_call(server: &Server, key: &str, position: (f64, f64), category: i32, ago: i64) -> Call {
    let mut calls = intake(server, Role::CallTaker).await;
    let answers = if category == 1 {
        vec![TriageAnswer { question_id: "breathing".into(), answer_id: "not_breathing".into() }]
    } else {
        Vec::new()
    };
    let created = calls
        .create_call(CreateCallRequest {
            request_id: key.to_string(),
            region_code: "KZ-71".into(),
            caller: Some(jedel_api::intake::v1::Caller { phone: "+77015550101".into(), name: String::new() }),
            location: Some(Location {
                position: Some(LatLon { lat: position.0, lon: position.1 }),
                address: "Kabanbay Batyr 10".into(),
            }),
            patient: None,
            complaint: String::new(),
            triage_answers: answers,
            received_at: Some(timestamp_ago(ago)),
        })
        .await
        .unwrap_or_else(|s| panic!("create call: {s:?}"))
        .into_inner()
        .call
        .unwrap();
    if category == 1 {
        return created;
    }
    calls
        .override_category(OverrideCategoryRequest {
            id: created.id.clone(),
            expected_version: 0,
            category,
            reason: "dispatcher's judgement for the test".into(),
        })
        .await
        .unwrap()
        .into_inner()
}

async fn get_call(server: &Server, id: &str) -> Call {
    intake(server, Role::Dispatcher).await.get_call(GetCallRequest { id: id.to_string() }).await.unwrap().into_inner()
}

async fn recommend(client: &mut Dispatch, call: &str, limit: i32) -> RecommendResponse {
    client
        .recommend(RecommendRequest { call_id: call.to_string(), limit, ..Default::default() })
        .await
        .unwrap_or_else(|s| panic!("recommend: {s:?}"))
        .into_inner()
}

async fn set_status(
    client: &mut Dispatch,
    unit: &str,
    status: UnitStatus,
    reason: &str,
) -> Result<Unit, tonic::Status> {
    client
        .update_unit_status(UpdateUnitStatusRequest {
            id: unit.to_string(),
            status: status as i32,
            reason: reason.to_string(),
            ..Default::default()
        })
        .await
        .map(|r| r.into_inner())
}

async fn get_unit(client: &mut Dispatch, id: &str) -> Unit {
    client.get_unit(GetUnitRequest { id: id.to_string() }).await.unwrap().into_inner()
}

async fn queue_ids(client: &mut Dispatch, categories: Vec<i32>) -> Vec<String> {
    let queue =
        client.get_queue(GetQueueRequest { region_code: "KZ-71".into(), categories }).await.unwrap().into_inner();
    for (i, call) in queue.calls.iter().enumerate() {
        assert_eq!(call.position_in_queue, i as i32 + 1);
    }
    queue.calls.into_iter().map(|c| c.call_id).collect()
}

fn milestones(call: &Call) -> Vec<(i32, String)> {
    call.timeline.iter().map(|e| (e.milestone, e.unit_id.clone())).collect()
}

/// Waits for the next streamed item, failing after 15 s.
async fn next<T>(stream: &mut tonic::Streaming<T>) -> T {
    tokio::time::timeout(Duration::from_secs(15), stream.next())
        .await
        .expect("a message within 15 s")
        .expect("the stream stays open")
        .expect("no stream error")
}

on_each_backend!(recommend_assign_progress_and_release, |server: Server| async move {
    let mut desk = dispatch(&server, Role::Dispatcher, &["KZ-71"]).await;
    let call = new_call(&server, "arrest-1", ASTANA, 1, 0).await;

    // Ranked available units of KZ-71, each with ETA, distance and a reason.
    let ranking = recommend(&mut desk, &call.id, 5).await;
    assert_eq!(ranking.call_id, call.id);
    assert_eq!(ranking.category, UrgencyCategory::UrgencyCategory1 as i32);
    assert_eq!(ranking.recommendations.len(), 5);
    assert!(!ranking.no_unit_meets_norm, "{}", ranking.message);
    let mut previous_eta = 0;
    for (i, r) in ranking.recommendations.iter().enumerate() {
        let unit = r.unit.as_ref().unwrap();
        assert_eq!(r.rank, i as i32 + 1);
        assert_eq!(unit.region_code, "KZ-71");
        assert_eq!(unit.status, UnitStatus::AvailableAtStation as i32);
        assert!(!r.cross_border);
        let eta = micros(r.eta.as_ref().unwrap());
        assert!(eta > 0 && r.distance_m > 0.0 && r.distance_m < 50_000.0, "{r:?}");
        assert!(r.meets_norm && eta >= previous_eta, "preferred units meeting the norm, by ETA: {r:?}");
        assert!(r.reason.contains("min") && r.reason.contains("norm"), "{}", r.reason);
        previous_eta = eta;
    }
    let top = ranking.recommendations[0].unit.clone().unwrap();
    let second = ranking.recommendations[1].unit.clone().unwrap();

    // Call-takers may look; dispatchers of another region may not; only dispatchers assign.
    let mut taker = dispatch(&server, Role::CallTaker, &["KZ-71"]).await;
    let looked = taker.recommend(RecommendRequest { call_id: call.id.clone(), ..Default::default() }).await;
    assert!(looked.is_ok(), "{looked:?}");
    let mut stranger = dispatch(&server, Role::Dispatcher, &["KZ-75"]).await;
    let refused = stranger.recommend(RecommendRequest { call_id: call.id.clone(), ..Default::default() }).await;
    assert_eq!(refused.unwrap_err().code(), Code::PermissionDenied);
    let ranking = recommend(&mut desk, &call.id, 5).await;
    let assign = |unit: &str, key: &str, reason: &str| AssignRequest {
        request_id: key.to_string(),
        call_id: call.id.clone(),
        unit_id: unit.to_string(),
        recommendation_id: ranking.recommendation_id.clone(),
        reason: reason.to_string(),
    };
    let refused = taker.assign(assign(&top.id, "a-0", "")).await.unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);

    // A unit other than the top one needs a reason.
    let refused = desk.assign(assign(&second.id, "a-1", "")).await.unwrap_err();
    assert_eq!(refused.code(), Code::InvalidArgument, "{refused:?}");
    assert_eq!(fields(&refused), ["reason"]);
    let assignment = desk.assign(assign(&top.id, "a-2", "")).await.unwrap().into_inner();
    assert_eq!(assignment.state, AssignmentState::Active as i32);
    assert_eq!((assignment.recommendation_rank, assignment.unit_id.as_str()), (1, top.id.as_str()));
    assert!(micros(assignment.eta.as_ref().unwrap()) > 0);
    let retried = desk.assign(assign(&top.id, "a-2", "")).await.unwrap().into_inner();
    assert_eq!(retried.id, assignment.id, "a retry returns the first assignment");

    let unit = get_unit(&mut desk, &top.id).await;
    assert_eq!(unit.status, UnitStatus::Assigned as i32);
    assert_eq!((unit.call_id.as_str(), unit.assignment_id.as_str()), (call.id.as_str(), assignment.id.as_str()));
    let timeline = get_call(&server, &call.id).await;
    assert_eq!(timeline.status, CallStatus::Assigned as i32);
    let steps = milestones(&timeline);
    assert!(steps.contains(&(Milestone::Recommended as i32, String::new())), "{steps:?}");
    assert!(steps.contains(&(Milestone::Assigned as i32, top.id.clone())), "{steps:?}");

    // The crew's statuses move the call's timeline; an illegal jump is refused.
    let idle = ranking.recommendations[2].unit.clone().unwrap();
    let refused = set_status(&mut desk, &idle.id, UnitStatus::OnScene, "").await.unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition, "{refused:?}");
    for (status, call_status) in [
        (UnitStatus::EnRoute, CallStatus::EnRoute),
        (UnitStatus::OnScene, CallStatus::OnScene),
        (UnitStatus::Transporting, CallStatus::Transporting),
        (UnitStatus::AtHospital, CallStatus::AtHospital),
        (UnitStatus::AvailableOnMove, CallStatus::Handover),
    ] {
        let unit = set_status(&mut desk, &top.id, status, "").await.unwrap();
        assert_eq!(unit.status, status as i32);
        assert_eq!(get_call(&server, &call.id).await.status, call_status as i32, "after {status:?}");
    }
    let unit = get_unit(&mut desk, &top.id).await;
    assert!(unit.call_id.is_empty() && unit.assignment_id.is_empty(), "{unit:?}");

    // Release: the unit stands down and the call waits again.
    let other = new_call(&server, "arrest-2", (51.1605, 71.4704), 1, 0).await;
    let ranking = recommend(&mut desk, &other.id, 3).await;
    let unit_id = ranking.recommendations[0].unit.as_ref().unwrap().id.clone();
    let taken = desk
        .assign(AssignRequest {
            request_id: "b-1".into(),
            call_id: other.id.clone(),
            unit_id: unit_id.clone(),
            recommendation_id: String::new(),
            reason: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(!queue_ids(&mut desk, vec![]).await.contains(&other.id));
    let release = |reason: &str| ReleaseRequest {
        assignment_id: taken.id.clone(),
        expected_version: 0,
        reason: reason.to_string(),
    };
    let refused = desk.release(release("")).await.unwrap_err();
    assert_eq!(fields(&refused), ["reason"]);
    let ended = desk.release(release("crew needed for a closer call")).await.unwrap().into_inner();
    assert_eq!(ended.state, AssignmentState::Released as i32);
    assert_eq!(ended.end_reason, "crew needed for a closer call");
    assert_eq!(get_unit(&mut desk, &unit_id).await.status, UnitStatus::AvailableAtStation as i32);
    let back = get_call(&server, &other.id).await;
    assert_eq!(back.status, CallStatus::Categorised as i32);
    assert!(milestones(&back).contains(&(Milestone::UnitReleased as i32, unit_id.clone())));
    assert!(queue_ids(&mut desk, vec![]).await.contains(&other.id));
    let refused = desk.release(release("again")).await.unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition, "{refused:?}");
});

on_each_backend!(queue_order_and_alerts_resume, |server: Server| async move {
    let mut desk = dispatch(&server, Role::Dispatcher, &["KZ-71"]).await;
    let a = new_call(&server, "q-a", (51.10, 71.40), 3, 600).await;
    let b = new_call(&server, "q-b", (51.11, 71.41), 2, 300).await;
    let c = new_call(&server, "q-c", (51.12, 71.42), 3, 1_200).await;
    let d = new_call(&server, "q-d", (51.13, 71.43), 1, 0).await;
    let expected = vec![d.id.clone(), b.id.clone(), c.id.clone(), a.id.clone()];
    let mut order = Vec::new();
    for _ in 0..50 {
        order = queue_ids(&mut desk, vec![]).await;
        if order.len() == 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(order, expected, "category first, then age");
    assert_eq!(queue_ids(&mut desk, vec![3]).await, vec![c.id.clone(), a.id.clone()]);

    // A category-1 call received 15 minutes ago is past its 10-minute norm: breached at once.
    let late = new_call(&server, "late", (51.14, 71.44), 1, 900).await;
    let mut alerts =
        desk.watch_alerts(WatchAlertsRequest { after_sequence: 0, ..Default::default() }).await.unwrap().into_inner();
    let breached: Alert = loop {
        let alert = next(&mut alerts).await;
        if alert.call_id == late.id && alert.kind == AlertKind::Breached as i32 {
            break alert;
        }
    };
    assert_eq!((breached.call_number.as_str(), breached.region_code.as_str()), (late.number.as_str(), "KZ-71"));
    assert_eq!(breached.occurred_at, breached.deadline_at, "breached at the deadline itself");
    intake(&server, Role::CallTaker)
        .await
        .cancel_call(CancelCallRequest { id: late.id.clone(), expected_version: 0, reason: "caller hung up".into() })
        .await
        .unwrap();
    let cleared = loop {
        let alert = next(&mut alerts).await;
        if alert.call_id == late.id {
            break alert;
        }
    };
    assert_eq!(cleared.kind, AlertKind::Cleared as i32);
    assert!(cleared.sequence > breached.sequence);

    // Resuming after the breach gives the clearance, with the same sequence.
    let mut resumed = desk
        .watch_alerts(WatchAlertsRequest { after_sequence: breached.sequence, ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    let again = loop {
        let alert = next(&mut resumed).await;
        if alert.call_id == late.id {
            break alert;
        }
    };
    assert_eq!((again.kind, again.sequence), (AlertKind::Cleared as i32, cleared.sequence));
    // From 0, a cancelled call has no alert in force any more; another region sees nothing of KZ-71.
    let mut foreign = dispatch(&server, Role::Dispatcher, &["KZ-75"]).await;
    let refused = foreign.get_queue(GetQueueRequest { region_code: "KZ-71".into(), categories: vec![] }).await;
    assert_eq!(refused.unwrap_err().code(), Code::PermissionDenied);
});

on_each_backend!(units_watch_and_position_stream, |server: Server| async move {
    let mut desk = dispatch(&server, Role::Dispatcher, &["KZ-71"]).await;
    let units = desk
        .list_units(ListUnitsRequest { page_size: 1000, region_code: "KZ-71".into(), ..Default::default() })
        .await
        .unwrap()
        .into_inner()
        .units;
    assert!(units.len() > 100 && units.iter().all(|u| u.region_code == "KZ-71"));
    assert!(units.windows(2).all(|w| w[0].call_sign < w[1].call_sign), "ordered by call sign");
    let free: Vec<&Unit> = units.iter().filter(|u| u.status == UnitStatus::AvailableAtStation as i32).collect();
    let (u, v) = (free[0].id.clone(), free[1].id.clone());
    let mut admin = dispatch(&server, Role::Admin, &[]).await;
    let foreign = admin
        .list_units(ListUnitsRequest { page_size: 1, region_code: "KZ-75".into(), ..Default::default() })
        .await
        .unwrap()
        .into_inner()
        .units[0]
        .id
        .clone();

    let mut watch = desk
        .watch_units(WatchUnitsRequest {
            after_sequence: 0,
            region_code: "KZ-71".into(),
            include_positions: true,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let mut snapshot_seq = 0;
    for _ in 0..units.len() {
        let event: UnitEvent = next(&mut watch).await;
        assert_eq!(event.kind, UnitEventKind::Snapshot as i32);
        snapshot_seq = event.sequence;
    }

    // Reports: two taken, every other one counted by its reason.
    let now = chrono::Utc::now().timestamp();
    let report = |unit: &str, lat: f64, at: Option<i64>| PositionReport {
        unit_id: unit.to_string(),
        position: Some(LatLon { lat, lon: 71.43 }),
        recorded_at: at.map(|s| prost_types::Timestamp { seconds: s, nanos: 0 }),
        speed_kmh: Some(40.0),
        heading_deg: Some(90.0),
    };
    let batches = vec![
        StreamPositionsRequest {
            reports: vec![
                report(&u, 51.15, Some(now - 10)),
                report("no-such-unit", 51.15, Some(now - 10)),
                report(&u, 10.0, Some(now - 5)),
                report(&u, 51.15, Some(now + 3_600)),
                PositionReport { speed_kmh: Some(500.0), ..report(&u, 51.15, Some(now - 5)) },
                report(&foreign, 51.15, Some(now - 5)),
                report(&u, 51.15, None),
            ],
        },
        StreamPositionsRequest { reports: vec![report(&u, 51.16, Some(now - 20)), report(&v, 51.17, Some(now - 3))] },
    ];
    let summary = desk.stream_positions(futures::stream::iter(batches)).await.unwrap().into_inner();
    assert_eq!((summary.accepted, summary.rejected), (2, 7), "{summary:?}");
    let count =
        |reason: RejectionReason| summary.rejections.iter().find(|r| r.reason == reason as i32).map_or(0, |r| r.count);
    assert_eq!(count(RejectionReason::UnknownUnit), 1);
    assert_eq!(count(RejectionReason::NotPermitted), 1);
    assert_eq!(count(RejectionReason::OutOfBounds), 1);
    assert_eq!(count(RejectionReason::InvalidValue), 2);
    assert_eq!(count(RejectionReason::FutureTime), 1);
    assert_eq!(count(RejectionReason::Stale), 1);
    let moved = get_unit(&mut desk, &u).await;
    assert_eq!(moved.position.unwrap().lat, 51.15);
    assert_eq!(moved.version, 1, "positions do not bump the version");

    // A status change is an event; positions arrive every few seconds.
    let changed = set_status(&mut desk, &u, UnitStatus::OutOfService, "flat tyre").await.unwrap();
    assert_eq!(changed.status, UnitStatus::OutOfService as i32);
    let refused = set_status(&mut desk, &v, UnitStatus::OutOfService, "").await.unwrap_err();
    assert_eq!(fields(&refused), ["reason"]);
    let (mut status_event, mut saw_position) = (None, false);
    while status_event.is_none() || !saw_position {
        let event = next(&mut watch).await;
        let unit = event.unit.clone().unwrap();
        if event.kind == UnitEventKind::PositionChanged as i32 && (unit.id == u || unit.id == v) {
            saw_position = true;
        }
        if event.kind == UnitEventKind::StatusChanged as i32 && unit.id == u {
            assert!(event.sequence > snapshot_seq);
            status_event = Some(event);
        }
    }
    let status_event = status_event.unwrap();
    let mut resumed = desk
        .watch_units(WatchUnitsRequest {
            after_sequence: status_event.sequence - 1,
            region_code: "KZ-71".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let first = next(&mut resumed).await;
    assert_eq!((first.kind, first.sequence), (UnitEventKind::StatusChanged as i32, status_event.sequence));
    assert_eq!(first.unit.unwrap().status, UnitStatus::OutOfService as i32);
});

on_each_backend!(state_survives_a_restart, |mut server: Server| async move {
    let mut desk = dispatch(&server, Role::Dispatcher, &["KZ-71"]).await;
    let call = new_call(&server, "r-1", ASTANA, 1, 0).await;
    let ranking = recommend(&mut desk, &call.id, 3).await;
    let unit = ranking.recommendations[0].unit.clone().unwrap().id;
    let broken = ranking.recommendations[1].unit.clone().unwrap().id;
    let assignment = desk
        .assign(AssignRequest {
            request_id: "r-a".into(),
            call_id: call.id.clone(),
            unit_id: unit.clone(),
            recommendation_id: ranking.recommendation_id.clone(),
            reason: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    set_status(&mut desk, &unit, UnitStatus::EnRoute, "").await.unwrap();
    set_status(&mut desk, &broken, UnitStatus::OutOfService, "engine failure").await.unwrap();
    let waiting = new_call(&server, "r-2", (51.15, 71.45), 2, 60).await;
    let mut admin = dispatch(&server, Role::Admin, &[]).await;
    let mut policy =
        admin.get_dispatch_policy(GetDispatchPolicyRequest { region_code: "KZ-71".into() }).await.unwrap().into_inner();
    assert_eq!(policy.version, 1);
    assert!(policy.cross_border_help);
    policy.cross_border_help = false;
    let set = admin
        .set_dispatch_policy(SetDispatchPolicyRequest { policy: Some(policy.clone()), expected_version: 1 })
        .await
        .unwrap()
        .into_inner();
    assert_eq!((set.version, set.cross_border_help), (2, false));
    let refused =
        desk.set_dispatch_policy(SetDispatchPolicyRequest { policy: Some(policy.clone()), expected_version: 2 }).await;
    assert_eq!(refused.unwrap_err().code(), Code::PermissionDenied, "only administrators set policies");
    for _ in 0..50 {
        if queue_ids(&mut desk, vec![]).await.contains(&waiting.id) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    server.restart().await;
    let mut desk = dispatch(&server, Role::Dispatcher, &["KZ-71"]).await;
    let restored = get_unit(&mut desk, &unit).await;
    assert_eq!(restored.status, UnitStatus::EnRoute as i32);
    assert_eq!(
        (restored.call_id.as_str(), restored.assignment_id.as_str()),
        (call.id.as_str(), assignment.id.as_str())
    );
    assert_eq!(get_unit(&mut desk, &broken).await.status, UnitStatus::OutOfService as i32);
    let queue = queue_ids(&mut desk, vec![]).await;
    assert!(queue.contains(&waiting.id) && !queue.contains(&call.id), "{queue:?}");
    let mut admin = dispatch(&server, Role::Admin, &[]).await;
    let policy =
        admin.get_dispatch_policy(GetDispatchPolicyRequest { region_code: "KZ-71".into() }).await.unwrap().into_inner();
    assert_eq!((policy.version, policy.cross_border_help), (2, false));
    let stale = admin.set_dispatch_policy(SetDispatchPolicyRequest { policy: Some(policy), expected_version: 1 }).await;
    assert_eq!(stale.unwrap_err().code(), Code::FailedPrecondition);

    // The assignment is still active after the restart: it can be released.
    let ended = desk
        .release(ReleaseRequest {
            assignment_id: assignment.id.clone(),
            expected_version: assignment.version,
            reason: "stood down after the restart".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(ended.state, AssignmentState::Released as i32);
    assert_eq!(get_unit(&mut desk, &unit).await.status, UnitStatus::AvailableOnMove as i32);
    assert!(queue_ids(&mut desk, vec![]).await.contains(&call.id));
    assert_eq!(get_call(&server, &call.id).await.status, CallStatus::Categorised as i32);
});

on_each_backend!(ctl_recommends_assigns_and_watches, |server: Server| async move {
    let call = new_call(&server, "ctl-1", ASTANA, 1, 0).await;
    let token = server.token(Role::Dispatcher, &["KZ-71"], None);
    let token_arg = format!("--token={token}");
    let (code, out) = server.jedel(&["ctl", "dispatch", "recommend", &call.id, &token_arg, "--output", "json"]).await;
    assert_eq!(code, 0, "{out}");
    let ranking: serde_json::Value = serde_json::from_str(&out).unwrap();
    let top = ranking["units"][0]["unit_id"].as_str().unwrap().to_string();
    assert_eq!(ranking["units"][0]["rank"], 1);
    let (code, out) = server.jedel(&["ctl", "dispatch", "assign", &call.id, &top, &token_arg]).await;
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("ASSIGNMENT"), "{out}");
    let (code, out) = server
        .jedel(&[
            "ctl", "dispatch", "units", "--region", "KZ-71", "--status", "assigned", &token_arg, "--output", "json",
        ])
        .await;
    assert_eq!(code, 0, "{out}");
    let units: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(units[0]["id"], top.as_str());
    assert_eq!(units[0]["call_id"], call.id.as_str());

    let late = new_call(&server, "ctl-2", (51.16, 71.47), 1, 900).await;
    let (code, out) = server.jedel(&["ctl", "dispatch", "queue", "--region", "KZ-71", &token_arg]).await;
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with('#'), "{out}");
    let (code, out) = server
        .jedel(&["ctl", "dispatch", "watch-alerts", &token_arg, "--category", "1", "--count", "1", "--output", "json"])
        .await;
    assert_eq!(code, 0, "{out}");
    let alert: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(alert["call_id"], late.id.as_str());
    assert!(alert["kind"] == "AT_RISK" || alert["kind"] == "BREACHED", "{alert}");
    let (code, _) = server.jedel(&["ctl", "dispatch", "assign", &late.id, &top, &token_arg]).await;
    assert_ne!(code, 0, "an assigned unit cannot take another call");
});
