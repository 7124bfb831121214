//! The request workflow with its three roles: coordinator, national medevac dispatcher and
//! airline operator; validation, completeness, illegal transitions, scope, aircraft choice
//! against the registry's real records, and WatchRequests.

use std::time::Duration;

use futures::StreamExt as _;
use jedel_api::medevac::v1 as pb;
use jedel_platform::Role;
use tonic::Code;

use crate::{
    App, IIN, airline, approved, as_, caller, choose_eligible, coordinator, create, minutes_from_now, nccem, next,
    on_each_backend, ranking, transfer, violated_fields,
};

on_each_backend!(
    the_whole_path_runs_with_three_roles,
    a_declined_tasking_is_retasked_to_another_airline,
    scope_keeps_regions_airlines_and_drafts_apart,
    every_bad_field_is_reported_and_submitting_needs_a_complete_request,
    illegal_transitions_fail_with_failed_precondition,
    ineligible_unsuitable_and_busy_aircraft_are_refused_with_the_reason,
    aircraft_the_air_rules_exclude_are_refused_with_the_reason,
    watch_requests_resumes_and_shows_airlines_only_their_taskings,
);

fn status(request: &pb::MedevacRequest) -> pb::RequestStatus {
    request.status()
}

async fn the_whole_path_runs_with_three_roles(app: App) {
    let mut client = app.client();
    let created = create(&app, "req-1", transfer(&app)).await;
    assert_eq!(status(&created), pb::RequestStatus::Draft);
    assert!(created.number.starts_with("MA-11-") && created.number.ends_with("-0001"), "{}", created.number);
    assert_eq!(created.version, 1);
    let destination = created.details.as_ref().unwrap().destination.clone().unwrap();
    assert_eq!(destination.name, "Astana City Emergency Hospital", "completed from the registry");
    assert!(destination.position.is_some());
    let patient = created.details.as_ref().unwrap().patient.clone().unwrap();
    assert_eq!((patient.iin.as_str(), patient.birth_date.as_str()), (IIN, "1990-01-01"));
    assert_eq!(created.details.as_ref().unwrap().coordinating_doctor.as_ref().unwrap().phone, "+77015551234");
    // A retry returns the first request; the number is not used up.
    assert_eq!(create(&app, "req-1", transfer(&app)).await, created);

    let id = created.id.clone();
    let submitted =
        client.submit_request(as_(&coordinator(), pb::SubmitRequestRequest { id: id.clone() })).await.unwrap();
    assert_eq!(status(&submitted.into_inner()), pb::RequestStatus::Submitted);
    client.start_review(as_(&nccem(), pb::StartReviewRequest { id: id.clone() })).await.unwrap();
    let approved = client.approve_request(as_(&nccem(), pb::ApproveRequestRequest { id: id.clone() })).await.unwrap();
    assert_eq!(status(&approved.into_inner()), pb::RequestStatus::Approved);

    let chosen = choose_eligible(&app, &id, &[], 1, "").await;
    assert_eq!(status(&chosen), pb::RequestStatus::AircraftChosen);
    let tasking = chosen.current_tasking.clone().unwrap();
    assert_eq!((tasking.status(), tasking.option_rank), (pb::TaskingStatus::Chosen, 1));
    assert!(tasking.planned_flight_time.unwrap().seconds > 30 * 60, "{tasking:?}");
    assert!(tasking.planned_cost.as_ref().unwrap().minor_units > 0);
    assert_eq!(tasking.schedule.len(), 5);
    let operator = airline(&tasking.airline_code);
    let listed = client.list_taskings(as_(&operator, pb::ListTaskingsRequest::default())).await.unwrap();
    assert!(listed.into_inner().taskings.is_empty(), "not offered yet: the airline does not see it");

    let tasked = client.task_airline(as_(&nccem(), pb::TaskAirlineRequest { id: id.clone() })).await.unwrap();
    assert_eq!(status(&tasked.into_inner()), pb::RequestStatus::AirlineTasked);
    let listed = client.list_taskings(as_(&operator, pb::ListTaskingsRequest::default())).await.unwrap().into_inner();
    assert_eq!(listed.taskings.len(), 1);
    let offered = &listed.taskings[0];
    assert_eq!(offered.status(), pb::TaskingStatus::Offered);
    let summary = offered.summary.clone().unwrap();
    assert_eq!((summary.patient_weight_kg, summary.accompanying_count), (82.0, 1));
    let shown = format!("{offered:?}");
    for secret in [IIN, "Abenov", "Nurlan", "I21.0", "STEMI", "lives alone"] {
        assert!(!shown.contains(secret), "{secret} shown to the airline: {shown}");
    }
    // An airline never reads the request itself.
    let refused = client.get_request(as_(&operator, pb::GetRequestRequest { id: id.clone() })).await.unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);

    let departure = minutes_from_now(30);
    let accepted = client
        .accept_tasking(as_(
            &operator,
            pb::AcceptTaskingRequest { tasking_id: tasking.id.clone(), expected_departure_at: Some(departure) },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(accepted.status(), pb::TaskingStatus::Accepted);
    assert_eq!(accepted.schedule[0].planned_at, Some(departure), "the plan is anchored at the committed departure");
    let no_pilot = vec![pb::CrewMember {
        full_name: "A. Pilot".into(),
        role: pb::CrewRole::Physician.into(),
        phone: String::new(),
    }];
    let refused = client
        .assign_crew(as_(&operator, pb::AssignCrewRequest { tasking_id: tasking.id.clone(), crew: no_pilot }))
        .await
        .unwrap_err();
    assert_eq!(violated_fields(&refused), ["crew"]);
    let crew = vec![
        pb::CrewMember {
            full_name: "Marat Ospanov".into(),
            role: pb::CrewRole::PilotInCommand.into(),
            phone: "+77017770011".into(),
        },
        pb::CrewMember { full_name: "Dana Ismail".into(), role: pb::CrewRole::Physician.into(), phone: String::new() },
    ];
    let crewed = client
        .assign_crew(as_(&operator, pb::AssignCrewRequest { tasking_id: tasking.id.clone(), crew }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(crewed.crew.len(), 2);

    for milestone in [
        pb::Milestone::Departed,
        pb::Milestone::AtOrigin,
        pb::Milestone::PatientOnBoard,
        pb::Milestone::Landed,
        pb::Milestone::HandedOver,
    ] {
        client
            .report_milestone(as_(
                &operator,
                pb::ReportMilestoneRequest {
                    tasking_id: tasking.id.clone(),
                    milestone: milestone.into(),
                    ..Default::default()
                },
            ))
            .await
            .unwrap_or_else(|s| panic!("{milestone:?}: {s:?}"));
    }
    // Only the national centre closes a request.
    let refused = client
        .complete_request(as_(&operator, pb::CompleteRequestRequest { id: id.clone(), flight_time: None }))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    let completed = client
        .complete_request(as_(
            &nccem(),
            pb::CompleteRequestRequest {
                id: id.clone(),
                flight_time: Some(prost_types::Duration { seconds: 7_200, nanos: 0 }),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(status(&completed), pb::RequestStatus::Completed);
    let tasking = completed.current_tasking.clone().unwrap();
    assert_eq!(tasking.status(), pb::TaskingStatus::Completed);
    assert_eq!(tasking.actual_flight_time.unwrap().seconds, 7_200);
    assert!(tasking.schedule.iter().all(|m| m.actual_at.is_some()));

    // Every step is in the history, each with the time spent in the step before.
    let steps: Vec<pb::RequestStatus> = completed.history.iter().map(|c| c.to_status()).collect();
    use pb::RequestStatus as S;
    assert_eq!(
        steps,
        [
            S::Draft,
            S::Submitted,
            S::UnderReview,
            S::Approved,
            S::AircraftChosen,
            S::AirlineTasked,
            S::Accepted,
            S::CrewAssigned,
            S::Departed,
            S::AtOrigin,
            S::PatientOnBoard,
            S::Landed,
            S::HandedOver,
            S::Completed
        ]
    );
    assert!(completed.history[1..].iter().all(|c| c.time_in_from_status.is_some() && c.actor.is_some()));
    assert_eq!(completed.history[6].actor.as_ref().unwrap().role, "airline");

    // The coordinator sees the whole request; every change was one audited event.
    let seen = client.get_request(as_(&coordinator(), pb::GetRequestRequest { id: id.clone() })).await.unwrap();
    assert_eq!(seen.into_inner(), completed);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM events WHERE aggregate_type = 'medevac_request'").await,
        completed.version
    );
    let verification = jedel_platform::audit::verify(app.ctx.db.reader()).await.unwrap();
    assert_eq!(verification.first_broken, None);
}

async fn a_declined_tasking_is_retasked_to_another_airline(app: App) {
    let mut client = app.client();
    let id = approved(&app, "req-decline").await.id;
    let first = choose_eligible(&app, &id, &[], 1, "").await.current_tasking.unwrap();
    client.task_airline(as_(&nccem(), pb::TaskAirlineRequest { id: id.clone() })).await.unwrap();

    // Another airline cannot answer it, and an airline without a reason cannot decline.
    let other = airline(if first.airline_code == "AERO_AK" { "EAST_WING" } else { "AERO_AK" });
    let refused = client
        .accept_tasking(as_(&other, pb::AcceptTaskingRequest { tasking_id: first.id.clone(), ..Default::default() }))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied, "{refused:?}");
    let operator = airline(&first.airline_code);
    let refused = client
        .decline_tasking(as_(&operator, pb::DeclineTaskingRequest { tasking_id: first.id.clone(), reason: " ".into() }))
        .await
        .unwrap_err();
    assert_eq!(violated_fields(&refused), ["reason"]);
    let declined = client
        .decline_tasking(as_(
            &operator,
            pb::DeclineTaskingRequest { tasking_id: first.id.clone(), reason: "crew out of duty hours".into() },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (declined.status(), declined.decline_reason.as_str()),
        (pb::TaskingStatus::Declined, "crew out of duty hours")
    );
    let request =
        client.get_request(as_(&nccem(), pb::GetRequestRequest { id: id.clone() })).await.unwrap().into_inner();
    assert_eq!(status(&request), pb::RequestStatus::Declined);
    assert_eq!(request.history.last().unwrap().reason, "crew out of duty hours");

    // The next option, of another airline; not the top one, so it needs a reason.
    let refused = client
        .choose_aircraft(as_(
            &nccem(),
            pb::ChooseAircraftRequest {
                id: id.clone(),
                aircraft_registration: "UP-L4105".into(),
                option_rank: 2,
                reason: String::new(),
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(violated_fields(&refused), ["reason"]);
    let second = choose_eligible(&app, &id, &[first.airline_code.as_str()], 2, "first option declined").await;
    let second_tasking = second.current_tasking.clone().unwrap();
    assert_ne!(second_tasking.airline_code, first.airline_code);
    // The rank recorded is the aircraft's rank in the Dispatcher's ranking.
    let (options, _) = ranking(&app).await;
    let rank = options.iter().find(|(r, _, _)| *r == second_tasking.aircraft_registration).unwrap().2;
    assert!(rank > 1);
    assert_eq!((second_tasking.option_rank, second_tasking.choice_reason.as_str()), (rank, "first option declined"));
    client.task_airline(as_(&nccem(), pb::TaskAirlineRequest { id: id.clone() })).await.unwrap();

    // Replacing an offered tasking withdraws it; the declined one is still listed.
    let third = choose_eligible(
        &app,
        &id,
        &[first.airline_code.as_str(), second_tasking.airline_code.as_str()],
        3,
        "second airline cannot reach the airfield before dark",
    )
    .await;
    let all = client
        .list_taskings(as_(&nccem(), pb::ListTaskingsRequest { medevac_request_id: id.clone(), ..Default::default() }))
        .await
        .unwrap()
        .into_inner()
        .taskings;
    let statuses: Vec<pb::TaskingStatus> = all.iter().map(|t| t.status()).collect();
    assert_eq!(statuses, [pb::TaskingStatus::Chosen, pb::TaskingStatus::Withdrawn, pb::TaskingStatus::Declined]);
    assert_eq!(all[0].id, third.current_tasking.unwrap().id);
    // The withdrawn airline still sees its own tasking, withdrawn, and can no longer accept it.
    let second_operator = airline(&second_tasking.airline_code);
    let own = client
        .list_taskings(as_(&second_operator, pb::ListTaskingsRequest::default()))
        .await
        .unwrap()
        .into_inner()
        .taskings;
    assert_eq!(own.len(), 1);
    assert_eq!(own[0].status(), pb::TaskingStatus::Withdrawn);
    let refused = client
        .accept_tasking(as_(
            &second_operator,
            pb::AcceptTaskingRequest { tasking_id: own[0].id.clone(), ..Default::default() },
        ))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition, "{refused:?}");
}

async fn scope_keeps_regions_airlines_and_drafts_apart(app: App) {
    let mut client = app.client();
    let draft = create(&app, "req-scope", transfer(&app)).await;
    // A draft is the coordinator's: the national centre does not see it.
    let hidden = client.get_request(as_(&nccem(), pb::GetRequestRequest { id: draft.id.clone() })).await.unwrap_err();
    assert_eq!(hidden.code(), Code::NotFound);
    let listed = client.list_requests(as_(&nccem(), pb::ListRequestsRequest::default())).await.unwrap().into_inner();
    assert!(listed.medevac_requests.is_empty());
    // A coordinator of another region neither reads nor creates for this one.
    let almaty = caller(Role::Coordinator, &["KZ-75"], None);
    let refused = client.get_request(as_(&almaty, pb::GetRequestRequest { id: draft.id.clone() })).await.unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    let refused = client
        .create_request(as_(
            &almaty,
            pb::CreateRequestRequest { request_id: "x".into(), region_code: "KZ-11".into(), details: None },
        ))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    let refused = client
        .cancel_request(as_(&almaty, pb::CancelRequestRequest { id: draft.id.clone(), reason: "mine now".into() }))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    let theirs = client.list_requests(as_(&almaty, pb::ListRequestsRequest::default())).await.unwrap().into_inner();
    assert!(theirs.medevac_requests.is_empty());
    // Only coordinators create; nobody else moves a draft along.
    let refused = client
        .create_request(as_(
            &nccem(),
            pb::CreateRequestRequest { request_id: "y".into(), region_code: "KZ-11".into(), details: None },
        ))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    let refused =
        client.submit_request(as_(&nccem(), pb::SubmitRequestRequest { id: draft.id.clone() })).await.unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    // Once submitted the national centre and the situation centre see it; airlines never do.
    client.submit_request(as_(&coordinator(), pb::SubmitRequestRequest { id: draft.id.clone() })).await.unwrap();
    let listed = client.list_requests(as_(&nccem(), pb::ListRequestsRequest::default())).await.unwrap().into_inner();
    assert_eq!(listed.medevac_requests.len(), 1);
    let situation = caller(Role::Situation, &[], None);
    assert!(client.get_request(as_(&situation, pb::GetRequestRequest { id: draft.id.clone() })).await.is_ok());
    let refused =
        client.list_requests(as_(&airline("KAZAVIASPAS"), pb::ListRequestsRequest::default())).await.unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    // Situation reads but does not act.
    let refused =
        client.start_review(as_(&situation, pb::StartReviewRequest { id: draft.id.clone() })).await.unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    // Filters and pages.
    for n in 0..3 {
        create(&app, &format!("req-page-{n}"), pb::RequestDetails::default()).await;
    }
    let page = client
        .list_requests(as_(&coordinator(), pb::ListRequestsRequest { page_size: 2, ..Default::default() }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(page.medevac_requests.len(), 2);
    let rest = client
        .list_requests(as_(
            &coordinator(),
            pb::ListRequestsRequest { page_size: 2, page_token: page.next_page_token, ..Default::default() },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!((rest.medevac_requests.len(), rest.next_page_token.as_str()), (2, ""));
    let drafts = client
        .list_requests(as_(
            &coordinator(),
            pb::ListRequestsRequest { statuses: vec![pb::RequestStatus::Draft.into()], ..Default::default() },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(drafts.medevac_requests.len(), 3);
}

async fn every_bad_field_is_reported_and_submitting_needs_a_complete_request(app: App) {
    let mut client = app.client();
    let mut details = transfer(&app);
    let patient = details.patient.as_mut().unwrap();
    patient.iin = "900101300018".into();
    patient.icd10_code = "I2".into();
    patient.birth_date = "1990-02-30".into();
    details.origin.as_mut().unwrap().position = Some(jedel_api::common::v1::LatLon { lat: 41.0, lon: 30.0 });
    details.destination.as_mut().unwrap().hospital_id = uuid_of_nothing();
    details.urgency = 7;
    let refused = client
        .create_request(as_(
            &coordinator(),
            pb::CreateRequestRequest { request_id: "bad".into(), region_code: "KZ-11".into(), details: Some(details) },
        ))
        .await
        .unwrap_err();
    assert_eq!(
        violated_fields(&refused),
        [
            "details.urgency",
            "details.patient.birth_date",
            "details.patient.iin",
            "details.patient.icd10_code",
            "details.origin.position.lon",
            "details.destination.hospital_id",
        ]
    );
    assert!(!refused.message().contains("9001013"), "no IIN digits in the message");
    assert_eq!(app.count("SELECT COUNT(*) FROM medevac_requests").await, 0, "nothing half-written");

    // A draft may be incomplete; submitting it lists what is missing.
    let draft = create(&app, "req-draft", pb::RequestDetails { mission_type: 1, ..Default::default() }).await;
    let refused = client
        .submit_request(as_(&coordinator(), pb::SubmitRequestRequest { id: draft.id.clone() }))
        .await
        .unwrap_err();
    let missing = violated_fields(&refused);
    for field in [
        "details.urgency",
        "details.patient.icd10_code",
        "details.origin.position",
        "details.receiving_consent.given_at",
    ] {
        assert!(missing.contains(&field.to_string()), "{field} in {missing:?}");
    }
    // Completing it with a stale version fails; with the right one it can be submitted.
    let stale = client
        .update_request(as_(
            &coordinator(),
            pb::UpdateRequestRequest { id: draft.id.clone(), expected_version: 9, details: Some(transfer(&app)) },
        ))
        .await
        .unwrap_err();
    assert_eq!(stale.code(), Code::FailedPrecondition);
    let updated = client
        .update_request(as_(
            &coordinator(),
            pb::UpdateRequestRequest { id: draft.id.clone(), expected_version: 1, details: Some(transfer(&app)) },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(updated.version, 2);
    let submitted =
        client.submit_request(as_(&coordinator(), pb::SubmitRequestRequest { id: draft.id.clone() })).await.unwrap();
    assert_eq!(status(&submitted.into_inner()), pb::RequestStatus::Submitted);
    // Returned for information it can be edited again, and submitted again.
    client.start_review(as_(&nccem(), pb::StartReviewRequest { id: draft.id.clone() })).await.unwrap();
    let refused = client
        .return_request(as_(&nccem(), pb::ReturnRequestRequest { id: draft.id.clone(), reason: String::new() }))
        .await
        .unwrap_err();
    assert_eq!(violated_fields(&refused), ["reason"]);
    client
        .return_request(as_(
            &nccem(),
            pb::ReturnRequestRequest { id: draft.id.clone(), reason: "attach the ECG".into() },
        ))
        .await
        .unwrap();
    let edited = client
        .update_request(as_(
            &coordinator(),
            pb::UpdateRequestRequest { id: draft.id.clone(), expected_version: 0, details: Some(transfer(&app)) },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(status(&edited), pb::RequestStatus::ReturnedForInformation);
    client.submit_request(as_(&coordinator(), pb::SubmitRequestRequest { id: draft.id.clone() })).await.unwrap();
}

fn uuid_of_nothing() -> String {
    "01900000-0000-7000-8000-000000000000".into()
}

async fn illegal_transitions_fail_with_failed_precondition(app: App) {
    let mut client = app.client();
    let draft = create(&app, "req-illegal", transfer(&app)).await;
    let id = draft.id.clone();
    let refused =
        client.start_review(as_(&coordinator(), pb::StartReviewRequest { id: id.clone() })).await.unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied, "a coordinator does not review");
    client.submit_request(as_(&coordinator(), pb::SubmitRequestRequest { id: id.clone() })).await.unwrap();
    let refused =
        client.approve_request(as_(&nccem(), pb::ApproveRequestRequest { id: id.clone() })).await.unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);
    assert_eq!(refused.message(), "cannot approve a request that is submitted");
    let refused = client.task_airline(as_(&nccem(), pb::TaskAirlineRequest { id: id.clone() })).await.unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);
    let refused = client
        .choose_aircraft(as_(
            &nccem(),
            pb::ChooseAircraftRequest {
                id: id.clone(),
                aircraft_registration: "UP-MI801".into(),
                option_rank: 1,
                reason: String::new(),
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);
    let refused = client
        .update_request(as_(
            &coordinator(),
            pb::UpdateRequestRequest { id: id.clone(), expected_version: 0, details: Some(transfer(&app)) },
        ))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition, "a submitted request is not edited");
    client.start_review(as_(&nccem(), pb::StartReviewRequest { id: id.clone() })).await.unwrap();
    let rejected = client
        .reject_request(as_(
            &nccem(),
            pb::RejectRequestRequest { id: id.clone(), reason: "ground transfer suffices".into() },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(status(&rejected), pb::RequestStatus::Rejected);
    let refused = client
        .cancel_request(as_(&coordinator(), pb::CancelRequestRequest { id: id.clone(), reason: "too late".into() }))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);
    assert_eq!(refused.message(), "the request is rejected; it can no longer change");

    // Milestones come in flight order, from the current tasking only.
    let id = approved(&app, "req-order").await.id;
    let tasking = choose_eligible(&app, &id, &[], 1, "").await.current_tasking.unwrap();
    let operator = airline(&tasking.airline_code);
    let refused = client
        .accept_tasking(as_(
            &operator,
            pb::AcceptTaskingRequest { tasking_id: tasking.id.clone(), ..Default::default() },
        ))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::NotFound, "not offered yet: to the airline it does not exist");
    client.task_airline(as_(&nccem(), pb::TaskAirlineRequest { id: id.clone() })).await.unwrap();
    client
        .accept_tasking(as_(
            &operator,
            pb::AcceptTaskingRequest { tasking_id: tasking.id.clone(), ..Default::default() },
        ))
        .await
        .unwrap();
    let milestone = |m: pb::Milestone| pb::ReportMilestoneRequest {
        tasking_id: tasking.id.clone(),
        milestone: m.into(),
        ..Default::default()
    };
    let refused = client.report_milestone(as_(&operator, milestone(pb::Milestone::Departed))).await.unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition, "no crew yet");
    let crew = vec![pb::CrewMember { full_name: "Marat Ospanov".into(), role: 1, phone: String::new() }];
    client.assign_crew(as_(&operator, pb::AssignCrewRequest { tasking_id: tasking.id.clone(), crew })).await.unwrap();
    let refused = client.report_milestone(as_(&operator, milestone(pb::Milestone::Landed))).await.unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);
    let future =
        pb::ReportMilestoneRequest { occurred_at: Some(minutes_from_now(10)), ..milestone(pb::Milestone::Departed) };
    assert_eq!(violated_fields(&client.report_milestone(as_(&operator, future)).await.unwrap_err()), ["occurred_at"]);
    client.report_milestone(as_(&operator, milestone(pb::Milestone::Departed))).await.unwrap();
    let refused = client
        .complete_request(as_(
            &nccem(),
            pb::CompleteRequestRequest {
                id: id.clone(),
                flight_time: Some(prost_types::Duration { seconds: 60, nanos: 0 }),
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition, "not handed over yet");
    // Cancelled in flight: the tasking is withdrawn.
    let cancelled = client
        .cancel_request(as_(&nccem(), pb::CancelRequestRequest { id: id.clone(), reason: "patient died".into() }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(status(&cancelled), pb::RequestStatus::Cancelled);
    assert_eq!(cancelled.current_tasking.unwrap().status(), pb::TaskingStatus::Withdrawn);
}

async fn ineligible_unsuitable_and_busy_aircraft_are_refused_with_the_reason(app: App) {
    let mut client = app.client();
    let id = approved(&app, "req-aircraft").await.id;
    let choose = |registration: &str| pb::ChooseAircraftRequest {
        id: id.clone(),
        aircraft_registration: registration.into(),
        option_rank: 1,
        reason: String::new(),
    };
    // Contract 17/2026 of Orlan-2000's Mi-8s ended 2026-10-01.
    let refused = client.choose_aircraft(as_(&nccem(), choose("UP-MI805"))).await.unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);
    assert_eq!(
        refused.message(),
        "aircraft UP-MI805 may not fly this mission now: contract 17/2026 expired 2026-10-01"
    );
    // In maintenance.
    let refused = client.choose_aircraft(as_(&nccem(), choose("UP-MI803"))).await.unwrap_err();
    assert!(refused.message().contains("aircraft UP-MI803 is in maintenance"), "{}", refused.message());
    // No medical module for a stretcher patient.
    let refused = client.choose_aircraft(as_(&nccem(), choose("UP-L4103"))).await.unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);
    assert!(refused.message().contains("the patient needs a basic module"), "{}", refused.message());
    // Not registered at all, or malformed.
    let refused = client.choose_aircraft(as_(&nccem(), choose("UP-NOPE1"))).await.unwrap_err();
    assert_eq!(violated_fields(&refused), ["aircraft_registration"]);
    let refused = client
        .choose_aircraft(as_(&nccem(), pb::ChooseAircraftRequest { option_rank: 0, ..choose("N123") }))
        .await
        .unwrap_err();
    assert_eq!(violated_fields(&refused), ["aircraft_registration", "option_rank"]);
    // An aircraft another request holds is busy.
    let tasking = choose_eligible(&app, &id, &[], 1, "").await.current_tasking.unwrap();
    let other = approved(&app, "req-aircraft-2").await.id;
    let refused = client
        .choose_aircraft(as_(
            &nccem(),
            pb::ChooseAircraftRequest { id: other, ..choose(&tasking.aircraft_registration) },
        ))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);
    assert!(refused.message().contains("is chosen for request MA-11-"), "{}", refused.message());
}

async fn aircraft_the_air_rules_exclude_are_refused_with_the_reason(app: App) {
    let mut client = app.client();
    let id = approved(&app, "req-air-rules").await.id;
    let choose = |registration: &str| pb::ChooseAircraftRequest {
        id: id.clone(),
        aircraft_registration: registration.into(),
        option_rank: 1,
        reason: String::new(),
    };
    // The An-28 based in Kostanay cannot reach Pavlodar with its reserve: registry-eligible,
    // but out of range, which the old straight-line plan never checked.
    let refused = client.choose_aircraft(as_(&nccem(), choose("UP-A2001"))).await.unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);
    assert!(refused.message().starts_with("aircraft UP-A2001 may not fly this mission now: positioning flight"));
    assert!(refused.message().contains("with a 30 min reserve"), "{}", refused.message());
    // Every aircraft the ranking excludes (at night: helicopters and day-only aircraft) is
    // refused with the ranking's own detail.
    let (options, excluded) = ranking(&app).await;
    let night = excluded.iter().find(|(_, detail)| detail.contains("may not fly at night"));
    for (registration, detail) in excluded.iter().filter(|(r, _)| r == "UP-MI801" || r == "UP-A2003").chain(night) {
        let refused = client.choose_aircraft(as_(&nccem(), choose(registration))).await.unwrap_err();
        assert_eq!(refused.code(), Code::FailedPrecondition, "{registration}");
        assert!(refused.message().ends_with(detail.as_str()), "{registration}: {} / {detail}", refused.message());
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM medevac_taskings").await, 0);

    // The second option: a reason is required even when the client says it is the top one.
    let (second, _, rank) = options[1].clone();
    assert_eq!(rank, 2);
    let refused = client.choose_aircraft(as_(&nccem(), choose(&second))).await.unwrap_err();
    assert_eq!(violated_fields(&refused), ["reason"]);
    let chosen = client
        .choose_aircraft(as_(
            &nccem(),
            pb::ChooseAircraftRequest { reason: "the top option's crew is on another call".into(), ..choose(&second) },
        ))
        .await
        .unwrap()
        .into_inner();
    let tasking = chosen.current_tasking.unwrap();
    assert_eq!((tasking.aircraft_registration.as_str(), tasking.option_rank), (second.as_str(), 2));
    assert_eq!(chosen.history.last().unwrap().reason, "the top option's crew is on another call");
    assert!(tasking.planned_cost.unwrap().minor_units > 0);
}

async fn watch_requests_resumes_and_shows_airlines_only_their_taskings(app: App) {
    let mut client = app.client();
    let id = approved(&app, "req-watch").await.id;
    let mut national =
        client.watch_requests(as_(&nccem(), pb::WatchRequestsRequest::default())).await.unwrap().into_inner();
    let snapshot = national.next().await.unwrap().unwrap();
    assert_eq!((snapshot.kind(), snapshot.status()), (pb::RequestEventKind::Snapshot, pb::RequestStatus::Approved));
    let resume_at = snapshot.sequence;

    let tasking = choose_eligible(&app, &id, &[], 1, "").await.current_tasking.unwrap();
    client.task_airline(as_(&nccem(), pb::TaskAirlineRequest { id: id.clone() })).await.unwrap();
    let chosen = next(&mut national).await;
    assert_eq!(
        (chosen.kind(), chosen.status()),
        (pb::RequestEventKind::StatusChanged, pb::RequestStatus::AircraftChosen)
    );
    let Some(pb::request_event::Subject::MedevacRequest(request)) = &chosen.subject else { panic!("{chosen:?}") };
    assert_eq!(request.details.as_ref().unwrap().patient.as_ref().unwrap().iin, IIN, "in scope: personal data");
    let tasked = next(&mut national).await;
    assert_eq!(tasked.status(), pb::RequestStatus::AirlineTasked);

    // Resuming after the snapshot gives exactly the events missed.
    let mut resumed = client
        .watch_requests(as_(&nccem(), pb::WatchRequestsRequest { after_sequence: resume_at, ..Default::default() }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(next(&mut resumed).await.sequence, chosen.sequence);
    assert_eq!(next(&mut resumed).await.sequence, tasked.sequence);

    // The airline sees its offered tasking, never the request.
    let operator = airline(&tasking.airline_code);
    let mut own = client
        .watch_requests(as_(&operator, pb::WatchRequestsRequest { after_sequence: resume_at, ..Default::default() }))
        .await
        .unwrap()
        .into_inner();
    let first = next(&mut own).await;
    assert_eq!(first.sequence, tasked.sequence, "the choice is not shown before the tasking is offered");
    let Some(pb::request_event::Subject::Tasking(seen)) = &first.subject else { panic!("{first:?}") };
    assert_eq!(seen.status(), pb::TaskingStatus::Offered);
    client
        .accept_tasking(as_(
            &operator,
            pb::AcceptTaskingRequest { tasking_id: tasking.id.clone(), ..Default::default() },
        ))
        .await
        .unwrap();
    let accepted = next(&mut own).await;
    assert_eq!(accepted.status(), pb::RequestStatus::Accepted);
    assert!(!format!("{accepted:?}").contains(IIN));
    // Another airline sees none of it.
    let mut stranger = client
        .watch_requests(as_(
            &airline("DAP_AEROSERVICE"),
            pb::WatchRequestsRequest { after_sequence: resume_at, ..Default::default() },
        ))
        .await
        .unwrap()
        .into_inner();
    assert!(tokio::time::timeout(Duration::from_millis(500), stranger.next()).await.is_err());
}
