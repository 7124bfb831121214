//! Call intake over gRPC on both backends: creating, numbering and categorising calls,
//! idempotent retries, duplicate and repeat linking, the lifecycle and its illegal
//! transitions, refused input that writes nothing, WatchCalls resuming without gaps, region
//! scope, the protocol and standards, `jedel ctl call …`, and no IIN in the server log.

use std::time::Duration;

use futures::StreamExt as _;
use jedel_api::common::v1::{LatLon, TeamKind, UrgencyCategory};
use jedel_api::intake::v1::call_intake_client::CallIntakeClient;
use jedel_api::intake::v1::{
    Call, CallEvent, CallEventKind, CallStatus, CancelCallRequest, CategoriseRequest, CloseCallRequest,
    CreateCallRequest, CreateCallResponse, GetCallRequest, GetProtocolRequest, GetResponseStandardRequest,
    LinkCallRequest, LinkKind, ListCallsRequest, ListResponseStandardsRequest, Location, Milestone, Outcome,
    OutcomeKind, OverrideCategoryRequest, Patient, RecordProgressRequest, TriageAnswer, UpdateCallDetailsRequest,
    WatchCallsRequest,
};
use jedel_platform::Role;
use sqlx::Row as _;
use tonic::Code;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;
use tonic_types::StatusExt as _;

use crate::on_each_backend;
use crate::support::{Bearer, Server};

type Client = CallIntakeClient<InterceptedService<Channel, Bearer>>;

/// A valid IIN: born 1990-01-01, male.
const IIN: &str = "900101300017";
/// Astana, near Baiterek.
const ASTANA: (f64, f64) = (51.1283, 71.4305);

async fn client(server: &Server, role: Role, regions: &[&str]) -> Client {
    CallIntakeClient::new(server.authed(&server.token(role, regions, None)).await)
}

async fn call_taker(server: &Server) -> Client {
    client(server, Role::CallTaker, &["KZ-71"]).await
}

async fn dispatcher(server: &Server) -> Client {
    client(server, Role::Dispatcher, &["KZ-71"]).await
}

fn answers(pairs: &[(&str, &str)]) -> Vec<TriageAnswer> {
    pairs.iter().map(|(q, a)| TriageAnswer { question_id: q.to_string(), answer_id: a.to_string() }).collect()
}

/// A cardiac arrest reported from `phone` at `position`.
fn arrest(request_id: &str, phone: &str, position: (f64, f64)) -> CreateCallRequest {
    CreateCallRequest {
        request_id: request_id.to_string(),
        region_code: "KZ-71".to_string(),
        caller: Some(jedel_api::intake::v1::Caller { phone: phone.to_string(), name: "Aigerim".to_string() }),
        location: Some(Location {
            position: Some(LatLon { lat: position.0, lon: position.1 }),
            address: "Nurzhol Blvd 14, entrance 2".to_string(),
        }),
        patient: Some(Patient { iin: IIN.to_string(), name: "Nurlan Abenov".to_string(), ..Default::default() }),
        complaint: "collapsed, not breathing".to_string(),
        triage_answers: answers(&[("breathing", "not_breathing")]),
        received_at: None,
    }
}

/// A call with no triage answers yet.
fn plain(request_id: &str, phone: &str, position: (f64, f64)) -> CreateCallRequest {
    CreateCallRequest { triage_answers: Vec::new(), patient: None, ..arrest(request_id, phone, position) }
}

async fn create(client: &mut Client, request: CreateCallRequest) -> CreateCallResponse {
    client.create_call(request).await.unwrap_or_else(|s| panic!("create call: {s:?}")).into_inner()
}

fn fields(status: &tonic::Status) -> Vec<String> {
    status
        .get_error_details()
        .bad_request()
        .map(|b| b.field_violations.iter().map(|v| v.field.clone()).collect())
        .unwrap_or_default()
}

fn micros(ts: &prost_types::Timestamp) -> i64 {
    ts.seconds * 1_000_000 + i64::from(ts.nanos / 1_000)
}

/// Rows of calls, call events and audit records in the server's database.
async fn counts(server: &Server) -> (i64, i64, i64) {
    let db = jedel_platform::Db::connect(&server.database_url).await.unwrap();
    let count = |sql: &'static str| {
        let db = db.clone();
        async move { sqlx::query(sql).fetch_one(db.reader()).await.unwrap().try_get::<i64, _>(0).unwrap() }
    };
    let result = (
        count("SELECT COUNT(*) FROM calls").await,
        count("SELECT COUNT(*) FROM events WHERE aggregate_type = 'call'").await,
        // Intake's own audit rows: other services (the dispatcher's first-start policy seeding)
        // may commit theirs in the background while a test runs.
        count("SELECT COUNT(*) FROM audit WHERE rpc LIKE 'CallIntake/%'").await,
    );
    db.close().await;
    result
}

on_each_backend!(a_call_is_numbered_categorised_and_a_retry_returns_it, |server: Server| async move {
    let mut intake = call_taker(&server).await;
    let first = create(&mut intake, arrest("req-1", "8 (701) 234-56-78", ASTANA)).await;
    let call = first.call.unwrap();
    assert_eq!(call.status, CallStatus::Categorised as i32);
    assert_eq!(call.category, UrgencyCategory::UrgencyCategory1 as i32);
    let triage = call.triage.clone().unwrap();
    assert_eq!((triage.protocol_version.as_str(), triage.determinant.as_str()), ("kz-triage-v1", "CARDIAC_ARREST"));
    assert_eq!(call.caller.as_ref().unwrap().phone, "+77012345678");
    let patient = call.patient.clone().unwrap();
    assert_eq!((patient.birth_date.as_str(), patient.sex), ("1990-01-01", jedel_api::common::v1::Sex::Male as i32));
    assert!(patient.age_years.unwrap() >= 35);
    // Kazakhstan norm: 10 minutes from reception for category 1.
    let received = micros(call.received_at.as_ref().unwrap());
    assert_eq!(micros(call.deadline_at.as_ref().unwrap()), received + 10 * 60_000_000);
    assert!(call.team_kinds.contains(&(TeamKind::Resuscitation as i32)));
    let milestones: Vec<i32> = call.timeline.iter().map(|e| e.milestone).collect();
    assert_eq!(milestones, [Milestone::Received as i32, Milestone::Categorised as i32]);
    // Number: region digits, local date, day's sequence.
    let parts: Vec<&str> = call.number.split('-').collect();
    assert_eq!((parts[0], parts[1].len(), parts[2]), ("71", 6, "0001"), "{}", call.number);
    assert_eq!(call.version, 1);

    // A retry returns the same call, not a twin; the number sequence is not consumed.
    let retry = create(&mut intake, arrest("req-1", "+77012345678", ASTANA)).await.call.unwrap();
    assert_eq!(retry, call);
    let second = create(&mut intake, plain("req-2", "+77770001122", (51.20, 71.40))).await.call.unwrap();
    assert!(second.number.ends_with("-0002"), "{}", second.number);
    assert_eq!(second.status, CallStatus::Received as i32);
    assert_eq!(second.category, 0);
    assert!(second.deadline_at.is_none());

    let fetched = intake.get_call(GetCallRequest { id: call.id.clone() }).await.unwrap().into_inner();
    assert_eq!(fetched, call);
    let listed = intake.list_calls(ListCallsRequest::default()).await.unwrap().into_inner();
    let ids: Vec<&str> = listed.calls.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, [second.id.as_str(), call.id.as_str()], "newest first");
    let only_first = intake
        .list_calls(ListCallsRequest {
            categories: vec![UrgencyCategory::UrgencyCategory1 as i32],
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(only_first.calls.len(), 1);
    let page = intake.list_calls(ListCallsRequest { page_size: 1, ..Default::default() }).await.unwrap().into_inner();
    assert_eq!(page.calls[0].id, second.id);
    let next = intake
        .list_calls(ListCallsRequest { page_size: 1, page_token: page.next_page_token, ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!((next.calls[0].id.as_str(), next.next_page_token.as_str()), (call.id.as_str(), ""));

    // The protocol categorises a call taken without answers, step by step.
    let waiting = intake
        .categorise(CategoriseRequest {
            id: second.id.clone(),
            triage_answers: answers(&[("main_problem", "chronic_illness")]),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(waiting.code(), Code::InvalidArgument);
    assert!(waiting.message().contains("ask next: conscious, breathing"), "{}", waiting.message());
    let categorised = intake
        .categorise(CategoriseRequest {
            id: second.id.clone(),
            expected_version: 1,
            triage_answers: answers(&[
                ("conscious", "yes"),
                ("breathing", "normal"),
                ("shock_signs", "no"),
                ("main_problem", "chronic_illness"),
            ]),
            protocol_version: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(categorised.category, UrgencyCategory::UrgencyCategory4 as i32);
    assert_eq!(categorised.triage.unwrap().determinant, "CHRONIC_EXACERBATION");
    let received = micros(categorised.received_at.as_ref().unwrap());
    assert_eq!(micros(categorised.deadline_at.as_ref().unwrap()), received + 60 * 60_000_000);
    assert!(!categorised.team_kinds.is_empty());
    assert_eq!(categorised.version, 2);

    // An override with a reason becomes the effective category and survives re-triage.
    let overridden = intake
        .override_category(OverrideCategoryRequest {
            id: second.id.clone(),
            expected_version: 2,
            category: UrgencyCategory::UrgencyCategory2 as i32,
            reason: "caller sounds confused; elderly patient alone".into(),
        })
        .await
        .unwrap()
        .into_inner();
    let o = overridden.category_override.clone().unwrap();
    assert_eq!((overridden.category, o.previous_category), (2, 4));
    assert_eq!(o.actor.unwrap().role, "call_taker");
    assert_eq!(micros(overridden.deadline_at.as_ref().unwrap()), received + 15 * 60_000_000);
});

on_each_backend!(duplicates_and_repeats_are_offered_and_linked, |server: Server| async move {
    let mut intake = call_taker(&server).await;
    let primary = create(&mut intake, arrest("dup-1", "+77011111111", ASTANA)).await.call.unwrap();
    // Another caller, ~110 m away: offered as a duplicate, with the distance.
    let near = create(&mut intake, plain("dup-2", "+77022222222", (ASTANA.0 + 0.001, ASTANA.1))).await;
    assert_eq!(near.duplicate_candidates.len(), 1);
    let candidate = &near.duplicate_candidates[0];
    assert_eq!(candidate.call.as_ref().unwrap().id, primary.id);
    assert!((candidate.distance_m - 111.0).abs() < 5.0, "{}", candidate.distance_m);
    assert!(near.repeat_candidates.is_empty());
    // ~1 km away: no duplicate.
    let far = create(&mut intake, plain("dup-3", "+77033333333", (ASTANA.0 + 0.01, ASTANA.1))).await;
    assert!(far.duplicate_candidates.is_empty());
    // The first caller again, from another spot: a repeat candidate.
    let again = create(&mut intake, plain("dup-4", "8 701 111 11 11", (51.30, 71.60))).await;
    assert_eq!(again.repeat_candidates.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), [primary.id.as_str()]);
    assert!(again.duplicate_candidates.is_empty());

    let near = near.call.unwrap();
    let linked = intake
        .link_call(LinkCallRequest {
            id: near.id.clone(),
            expected_version: 1,
            kind: LinkKind::Duplicate as i32,
            primary_call_id: primary.id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!((linked.status, linked.duplicate_of_id.as_str()), (CallStatus::Linked as i32, primary.id.as_str()));
    assert_eq!(linked.timeline.last().unwrap().milestone, Milestone::Linked as i32);
    let again = again.call.unwrap();
    intake
        .link_call(LinkCallRequest {
            id: again.id.clone(),
            kind: LinkKind::Repeat as i32,
            primary_call_id: primary.id.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    let primary_now = intake.get_call(GetCallRequest { id: primary.id.clone() }).await.unwrap().into_inner();
    assert_eq!((primary_now.duplicate_count, primary_now.repeat_count), (1, 1));
    assert_eq!(primary_now.linked_call_ids, [near.id.clone(), again.id.clone()]);
    assert_eq!(primary_now.version, 3);
    assert_eq!(primary_now.status, CallStatus::Categorised as i32, "the primary stays open");

    // A linked call is terminal: it cannot be linked again, nor can anything link to it.
    let far = far.call.unwrap();
    let to_linked = intake
        .link_call(LinkCallRequest {
            id: far.id.clone(),
            kind: LinkKind::Duplicate as i32,
            primary_call_id: near.id.clone(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(to_linked.code(), Code::FailedPrecondition, "{to_linked:?}");
    let relink = intake
        .link_call(LinkCallRequest {
            id: near.id.clone(),
            kind: LinkKind::Duplicate as i32,
            primary_call_id: far.id.clone(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(relink.code(), Code::FailedPrecondition);
    let to_itself = intake
        .link_call(LinkCallRequest {
            id: far.id.clone(),
            kind: LinkKind::Unspecified as i32,
            primary_call_id: far.id.clone(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(fields(&to_itself), ["kind", "primary_call_id"]);
    // A linked call is no longer offered as a candidate.
    let later = create(&mut intake, plain("dup-5", "+77022222222", (ASTANA.0 + 0.001, ASTANA.1))).await;
    let offered: Vec<&str> = later.duplicate_candidates.iter().map(|c| c.call.as_ref().unwrap().id.as_str()).collect();
    assert_eq!(offered, [primary.id.as_str()]);
    assert!(later.repeat_candidates.is_empty(), "the earlier call from this phone is linked");
    // Links change two calls in one transaction; the audit chain still verifies.
    let (code, out) = server.jedel(&["audit", "verify"]).await;
    assert_eq!(code, 0, "{out}");
});

on_each_backend!(the_lifecycle_refuses_illegal_transitions, |server: Server| async move {
    let mut intake = call_taker(&server).await;
    let mut dispatch = dispatcher(&server).await;
    let received = create(&mut intake, plain("life-1", "+77011234567", ASTANA)).await.call.unwrap();
    let unit = "0193a000-0000-7000-8000-00000000b001".to_string();
    let progress = |id: &str, milestone: Milestone, unit_id: &str| RecordProgressRequest {
        id: id.to_string(),
        milestone: milestone as i32,
        unit_id: unit_id.to_string(),
        team_kind: if unit_id.is_empty() { 0 } else { TeamKind::Feldsher as i32 },
        ..Default::default()
    };
    // No unit before the category is known.
    let early = dispatch.record_progress(progress(&received.id, Milestone::Assigned, &unit)).await.unwrap_err();
    assert_eq!(early.code(), Code::FailedPrecondition, "{early:?}");
    // Call-takers do not record dispatch milestones.
    let wrong_role = intake.record_progress(progress(&received.id, Milestone::Assigned, &unit)).await.unwrap_err();
    assert_eq!(wrong_role.code(), Code::PermissionDenied);

    let call = create(&mut intake, arrest("life-2", "+77017654321", (51.16, 71.47))).await.call.unwrap();
    let on_scene_first = dispatch.record_progress(progress(&call.id, Milestone::OnScene, &unit)).await.unwrap_err();
    assert_eq!(on_scene_first.code(), Code::FailedPrecondition, "unit not assigned: {on_scene_first:?}");
    let too_early = intake
        .close_call(CloseCallRequest {
            id: call.id.clone(),
            outcome: Some(Outcome { kind: OutcomeKind::TreatedOnScene as i32, ..Default::default() }),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(too_early.code(), Code::FailedPrecondition);
    assert!(too_early.message().contains("needs the call on_scene or later"), "{}", too_early.message());

    let mut last = call.clone();
    for milestone in [Milestone::Recommended, Milestone::Assigned, Milestone::Departed, Milestone::OnScene] {
        let unit_id = if milestone == Milestone::Recommended { "" } else { unit.as_str() };
        last = dispatch.record_progress(progress(&call.id, milestone, unit_id)).await.unwrap().into_inner();
    }
    assert_eq!(last.status, CallStatus::OnScene as i32);
    let entry = last.timeline.last().unwrap();
    assert_eq!(
        (entry.milestone, entry.unit_id.as_str(), entry.team_kind),
        (Milestone::OnScene as i32, unit.as_str(), 2)
    );
    // The same report again changes nothing.
    let same =
        RecordProgressRequest { occurred_at: entry.occurred_at, ..progress(&call.id, Milestone::OnScene, &unit) };
    let again = dispatch.record_progress(same).await.unwrap().into_inner();
    assert_eq!(again.version, last.version);
    // A stale version is refused with Aborted.
    let stale = intake
        .cancel_call(CancelCallRequest { id: call.id.clone(), expected_version: 1, reason: "test".into() })
        .await
        .unwrap_err();
    assert_eq!(stale.code(), Code::Aborted);
    // Hospitalised needs the call at hospital and a hospital.
    let hospitalised = |hospital_id: &str| CloseCallRequest {
        id: call.id.clone(),
        expected_version: 0,
        outcome: Some(Outcome {
            kind: OutcomeKind::Hospitalised as i32,
            hospital_id: hospital_id.to_string(),
            resuscitation_attempted: true,
            resuscitation_successful: true,
        }),
    };
    let no_hospital = intake.close_call(hospitalised("")).await.unwrap_err();
    assert_eq!(fields(&no_hospital), ["outcome.hospital_id"]);
    let hospital = "0193a000-0000-7000-8000-00000000a001";
    let not_there = intake.close_call(hospitalised(hospital)).await.unwrap_err();
    assert_eq!(not_there.code(), Code::FailedPrecondition);
    for milestone in [Milestone::Transporting, Milestone::AtHospital] {
        dispatch.record_progress(progress(&call.id, milestone, &unit)).await.unwrap();
    }
    let closed = intake.close_call(hospitalised(hospital)).await.unwrap().into_inner();
    assert_eq!(closed.status, CallStatus::Closed as i32);
    let outcome = closed.outcome.unwrap();
    assert_eq!((outcome.kind, outcome.hospital_id.as_str(), outcome.resuscitation_successful), (2, hospital, true));
    // Nothing moves a closed call.
    let cancel = intake
        .cancel_call(CancelCallRequest { id: call.id.clone(), reason: "caller hung up".into(), ..Default::default() })
        .await
        .unwrap_err();
    assert_eq!(cancel.code(), Code::FailedPrecondition);
    let recategorise = intake
        .override_category(OverrideCategoryRequest {
            id: call.id.clone(),
            category: 3,
            reason: "r".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(recategorise.code(), Code::FailedPrecondition);
    let update = intake
        .update_call_details(UpdateCallDetailsRequest {
            id: call.id.clone(),
            complaint: Some("more".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(update.code(), Code::FailedPrecondition);

    // Cancelling needs a reason, then ends the call.
    let no_reason =
        intake.cancel_call(CancelCallRequest { id: received.id.clone(), ..Default::default() }).await.unwrap_err();
    assert_eq!(fields(&no_reason), ["reason"]);
    let cancelled = intake
        .cancel_call(CancelCallRequest { id: received.id.clone(), reason: "false call".into(), ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!((cancelled.status, cancelled.cancel_reason.as_str()), (CallStatus::Cancelled as i32, "false call"));
});

on_each_backend!(bad_input_is_refused_whole_and_writes_nothing, |server: Server| async move {
    let mut intake = call_taker(&server).await;
    let before = counts(&server).await;
    let bad = CreateCallRequest {
        request_id: String::new(),
        caller: Some(jedel_api::intake::v1::Caller { phone: "8 916 123 45 67".into(), name: String::new() }),
        location: Some(Location { position: Some(LatLon { lat: 55.75, lon: 37.62 }), address: String::new() }),
        patient: Some(Patient { iin: "900101300018".into(), age_years: Some(200), ..Default::default() }),
        triage_answers: answers(&[("breathing", "wheezy"), ("pulse", "fast")]),
        received_at: Some(prost_types::Timestamp { seconds: chrono::Utc::now().timestamp() + 3_600, nanos: 0 }),
        ..arrest("", "", ASTANA)
    };
    let status = intake.create_call(bad).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(
        fields(&status),
        [
            "request_id",
            "received_at",
            "caller.phone",
            "location.position.lat",
            "location.position.lon",
            "patient.age_years",
            "patient.iin",
            "triage_answers[0].answer_id",
            "triage_answers[1].question_id",
        ]
    );
    assert!(!status.message().contains("900101300018"), "{}", status.message());
    let unknown_region = intake
        .create_call(CreateCallRequest { region_code: "KZ-99".into(), ..arrest("r", "+77010000000", ASTANA) })
        .await
        .unwrap_err();
    // KZ-99 is outside the token's scope before it is unknown.
    assert_eq!(unknown_region.code(), Code::PermissionDenied);
    let admin_like = client(&server, Role::CallTaker, &["KZ-99"]).await;
    let status = admin_like
        .clone()
        .create_call(CreateCallRequest { region_code: "KZ-99".into(), ..arrest("r", "+77010000000", ASTANA) })
        .await
        .unwrap_err();
    assert_eq!(fields(&status), ["region_code"]);
    let wrong_sex = intake
        .create_call(CreateCallRequest {
            patient: Some(Patient {
                iin: IIN.into(),
                sex: jedel_api::common::v1::Sex::Female as i32,
                ..Default::default()
            }),
            ..arrest("r2", "+77010000000", ASTANA)
        })
        .await
        .unwrap_err();
    assert_eq!(fields(&wrong_sex), ["patient.sex"]);
    assert_eq!(counts(&server).await, before, "no call, event or audit row was written");
    // The sequence was not consumed either.
    let good = create(&mut intake, arrest("ok", "+77010000000", ASTANA)).await.call.unwrap();
    assert!(good.number.ends_with("-0001"), "{}", good.number);

    // Updates are checked the same way, and leave the call as it was.
    let status = intake
        .update_call_details(UpdateCallDetailsRequest {
            id: good.id.clone(),
            expected_version: -1,
            caller: Some(jedel_api::intake::v1::Caller { phone: "12".into(), name: String::new() }),
            patient: Some(Patient { iin: "123".into(), ..Default::default() }),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(fields(&status), ["expected_version", "caller.phone", "patient.iin"]);
    let updated = intake
        .update_call_details(UpdateCallDetailsRequest {
            id: good.id.clone(),
            expected_version: 1,
            location: Some(Location { position: None, address: "Kabanbay Batyr 53".into() }),
            complaint: Some("chest pain since morning".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(updated.version, 2);
    assert_eq!(updated.location.unwrap().address, "Kabanbay Batyr 53");
    assert_eq!(updated.patient.unwrap().iin, IIN, "an unset patient keeps the stored one");
    let bad_progress = client(&server, Role::Dispatcher, &["KZ-71"])
        .await
        .record_progress(RecordProgressRequest {
            id: good.id.clone(),
            milestone: Milestone::Closed as i32,
            team_kind: TeamKind::Physician as i32,
            occurred_at: Some(prost_types::Timestamp { seconds: chrono::Utc::now().timestamp() + 600, nanos: 0 }),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(fields(&bad_progress), ["milestone", "team_kind", "occurred_at"]);
});

/// Collects `n` events from a watch, failing after 20 s.
async fn collect(stream: &mut tonic::Streaming<CallEvent>, n: usize) -> Vec<CallEvent> {
    let mut out = Vec::new();
    while out.len() < n {
        let next = tokio::time::timeout(Duration::from_secs(20), stream.next()).await.expect("event within 20 s");
        out.push(next.expect("stream open").expect("event"));
    }
    out
}

on_each_backend!(watch_resumes_without_missing_anything, |server: Server| async move {
    let mut intake = call_taker(&server).await;
    let before_watch = create(&mut intake, plain("w-0", "+77010000000", ASTANA)).await.call.unwrap();
    // 0 starts at the live end: the call created before is not replayed.
    let mut watcher = client(&server, Role::Dispatcher, &["KZ-71"]).await;
    let mut stream = watcher.watch_calls(WatchCallsRequest::default()).await.unwrap().into_inner();
    let mut created = Vec::new();
    for i in 1..=3 {
        created.push(
            create(&mut intake, plain(&format!("w-{i}"), "+77010000000", (51.0 + f64::from(i) * 0.1, 71.4))).await,
        );
    }
    let first = collect(&mut stream, 3).await;
    assert!(first.iter().all(|e| e.kind == CallEventKind::Created as i32));
    let ids: Vec<&str> = first.iter().map(|e| e.call.as_ref().unwrap().id.as_str()).collect();
    let expected: Vec<&str> = created.iter().map(|c| c.call.as_ref().unwrap().id.as_str()).collect();
    assert_eq!(ids, expected);
    assert!(!ids.contains(&before_watch.id.as_str()));
    assert!(first.windows(2).all(|w| w[0].sequence < w[1].sequence));
    // Events carry the call, personal data included for an authorised watcher.
    assert_eq!(first[0].call.as_ref().unwrap().caller.as_ref().unwrap().phone, "+77010000000");
    let last_seen = first.last().unwrap().sequence;
    drop(stream);

    // While disconnected: two more calls and a categorisation.
    let four = create(&mut intake, plain("w-4", "+77010000000", (51.5, 71.4))).await.call.unwrap();
    let five = create(&mut intake, plain("w-5", "+77010000000", (51.6, 71.4))).await.call.unwrap();
    intake
        .override_category(OverrideCategoryRequest {
            id: four.id.clone(),
            category: 3,
            reason: "known patient".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut stream = watcher
        .watch_calls(WatchCallsRequest { after_sequence: last_seen, ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    let rest = collect(&mut stream, 3).await;
    let seen: Vec<(i32, &str)> = rest.iter().map(|e| (e.kind, e.call.as_ref().unwrap().id.as_str())).collect();
    assert_eq!(
        seen,
        [
            (CallEventKind::Created as i32, four.id.as_str()),
            (CallEventKind::Created as i32, five.id.as_str()),
            (CallEventKind::CategoryOverridden as i32, four.id.as_str()),
        ]
    );
    assert_eq!(rest[0].sequence, last_seen + 1, "nothing skipped");
    // Each event carries the call as it was after that event.
    assert_eq!(rest[0].call.as_ref().unwrap().version, 1);
    assert_eq!(rest[2].call.as_ref().unwrap().category, 3);
    // Nothing else is pending.
    assert!(tokio::time::timeout(Duration::from_millis(500), stream.next()).await.is_err(), "exactly the rest");

    // A category filter sees the call change; another region's watcher sees nothing of it.
    let mut cat3 = watcher
        .watch_calls(WatchCallsRequest {
            after_sequence: last_seen,
            categories: vec![UrgencyCategory::UrgencyCategory3 as i32],
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let only = collect(&mut cat3, 1).await;
    assert_eq!(only[0].kind, CallEventKind::CategoryOverridden as i32);
    let mut other = client(&server, Role::Dispatcher, &["KZ-75"]).await;
    let mut elsewhere =
        other.watch_calls(WatchCallsRequest { after_sequence: 1, ..Default::default() }).await.unwrap().into_inner();
    assert!(tokio::time::timeout(Duration::from_millis(500), elsewhere.next()).await.is_err());
    let denied =
        other.watch_calls(WatchCallsRequest { region_code: "KZ-71".into(), ..Default::default() }).await.unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied);
});

on_each_backend!(calls_outside_the_callers_regions_are_refused, |server: Server| async move {
    let mut astana = call_taker(&server).await;
    let call: Call = create(&mut astana, plain("s-1", "+77010000000", ASTANA)).await.call.unwrap();
    let mut almaty = client(&server, Role::CallTaker, &["KZ-75"]).await;
    let status = almaty.create_call(plain("s-2", "+77010000000", ASTANA)).await.unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied);
    assert_eq!(
        almaty.get_call(GetCallRequest { id: call.id.clone() }).await.unwrap_err().code(),
        Code::PermissionDenied
    );
    let cancel = almaty
        .cancel_call(CancelCallRequest { id: call.id.clone(), reason: "not ours".into(), ..Default::default() })
        .await
        .unwrap_err();
    assert_eq!(cancel.code(), Code::PermissionDenied);
    let own = almaty.list_calls(ListCallsRequest::default()).await.unwrap().into_inner();
    assert!(own.calls.is_empty(), "lists show only regions in scope");
    let other =
        almaty.list_calls(ListCallsRequest { region_code: "KZ-71".into(), ..Default::default() }).await.unwrap_err();
    assert_eq!(other.code(), Code::PermissionDenied);
    // Nationwide roles read every region; airline operators read nothing.
    let mut situation = client(&server, Role::Situation, &[]).await;
    assert_eq!(situation.list_calls(ListCallsRequest::default()).await.unwrap().into_inner().calls.len(), 1);
    let write = situation.create_call(plain("s-3", "+77010000000", ASTANA)).await.unwrap_err();
    assert_eq!(write.code(), Code::PermissionDenied);
    let airline = server.token(Role::Airline, &[], Some("KC"));
    let mut airline = CallIntakeClient::new(server.authed(&airline).await);
    assert_eq!(airline.get_call(GetCallRequest { id: call.id }).await.unwrap_err().code(), Code::PermissionDenied);
});

on_each_backend!(the_protocol_and_standards_are_served, |server: Server| async move {
    let mut intake = call_taker(&server).await;
    let protocol = intake.get_protocol(GetProtocolRequest::default()).await.unwrap().into_inner();
    assert_eq!(protocol.version, "kz-triage-v1");
    let first = &protocol.questions[0];
    let text = first.text.clone().unwrap();
    assert!(!text.kk.is_empty() && !text.ru.is_empty() && !text.en.is_empty());
    assert!(protocol.rules.last().unwrap().conditions.is_empty(), "the fallback rule comes last");
    let missing = intake.get_protocol(GetProtocolRequest { version: "v0".into() }).await.unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);
    let standards = intake
        .list_response_standards(ListResponseStandardsRequest::default())
        .await
        .unwrap()
        .into_inner()
        .response_standards;
    let codes: Vec<(&str, bool)> = standards.iter().map(|s| (s.code.as_str(), s.active)).collect();
    assert_eq!(codes, [("KZ-DSM-225-2020", true), ("NHS-ARP-2017", false)]);
    let kz = intake.get_response_standard(GetResponseStandardRequest { id: standards[0].id.clone() }).await.unwrap();
    let kz = kz.into_inner();
    assert_eq!(kz.categories[0].clocks[0].threshold.unwrap().seconds, 600);
    assert_eq!(kz.routing_rules[0].windows[0].start_local_time, "08:00");
    let paged = intake
        .list_response_standards(ListResponseStandardsRequest { page_size: 1, ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    let rest = intake
        .list_response_standards(ListResponseStandardsRequest { page_size: 1, page_token: paged.next_page_token })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(rest.response_standards[0].code, "NHS-ARP-2017");
    assert!(rest.next_page_token.is_empty());
    // Calls are measured against the active standard.
    let call = create(&mut intake, plain("p-1", "+77010000000", ASTANA)).await.call.unwrap();
    assert_eq!(call.response_standard_id, kz.id);
});

on_each_backend!(no_iin_or_name_reaches_the_server_log, |server: Server| async move {
    let mut intake = call_taker(&server).await;
    let call = create(&mut intake, arrest("log-1", "+77015550000", ASTANA)).await.call.unwrap();
    // A refused IIN and a duplicate/repeat pass through the same paths.
    let _ = intake
        .create_call(CreateCallRequest {
            patient: Some(Patient { iin: "900101300018".into(), ..Default::default() }),
            ..arrest("log-2", "+77015550000", ASTANA)
        })
        .await;
    create(&mut intake, arrest("log-3", "+77015550000", ASTANA)).await;
    intake
        .update_call_details(UpdateCallDetailsRequest {
            id: call.id.clone(),
            patient: Some(Patient { iin: IIN.into(), name: "Nurlan Abenov".into(), ..Default::default() }),
            ..Default::default()
        })
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let log = server.log.lock().unwrap().clone();
    assert!(log.contains(&call.id), "the handlers log call ids");
    for secret in [IIN, "900101300018", "Nurlan", "Abenov", "7015550000", "Aigerim", "not breathing"] {
        assert!(!log.contains(secret), "{secret} in the server log:\n{log}");
    }
});

on_each_backend!(ctl_creates_lists_gets_and_watches_calls, |server: Server| async move {
    let token = server.token(Role::CallTaker, &["KZ-71"], None);
    let token_arg = format!("--token={token}");
    let (code, out) = server
        .jedel(&[
            "ctl",
            "call",
            "create",
            &token_arg,
            "--region",
            "KZ-71",
            "--phone",
            "8 701 234 56 78",
            "--lat",
            "51.1283",
            "--lon",
            "71.4305",
            "--address",
            "Nurzhol 14",
            "--answer",
            "breathing=not_breathing",
            "--output",
            "json",
        ])
        .await;
    assert_eq!(code, 0, "{out}");
    let created: serde_json::Value = serde_json::from_str(&out).unwrap();
    let id = created["call"]["id"].as_str().unwrap().to_string();
    assert_eq!(created["call"]["category"], 1);
    assert_eq!(created["call"]["status"], "CALL_STATUS_CATEGORISED");
    let (code, out) = server.jedel(&["ctl", "call", "list", &token_arg]).await;
    assert_eq!(code, 0, "{out}");
    assert!(out.lines().next().unwrap().starts_with("NUMBER"), "{out}");
    assert!(out.contains("71-") && out.contains("CATEGORISED"), "{out}");
    let (code, out) = server.jedel(&["ctl", "call", "get", &id, &token_arg, "--output", "json"]).await;
    assert_eq!(code, 0, "{out}");
    let fetched: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(fetched["id"], id.as_str());
    assert_eq!(fetched["timeline"].as_array().unwrap().len(), 2);
    let (code, out) = server
        .jedel(&["ctl", "call", "watch", &token_arg, "--after-sequence", "1", "--count", "1", "--output", "json"])
        .await;
    assert_eq!(code, 0, "{out}");
    let event: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(event["kind"], "CALL_EVENT_KIND_CREATED");
    assert_eq!(event["call_id"], id.as_str());
    let (code, _) = server.jedel(&["ctl", "call", "get", "not-a-uuid", &token_arg]).await;
    assert_ne!(code, 0);
});
