//! Medevac over gRPC on both backends, through the real binary: a request from a regional
//! coordinating doctor through the national medevac centre to an airline and back, with a
//! declined tasking and a retask to another airline, documents checked by their hash and
//! refused over the limit or of the wrong type, refusals for another region and another
//! airline, an illegal transition, no patient identity in the server log, and every step
//! through `jedel ctl medevac`.

use futures::StreamExt as _;
use jedel_api::common::v1::{LatLon, Sex, TimeRange};
use jedel_api::dispatch::v1::dispatcher_client::DispatcherClient;
use jedel_api::medevac::v1 as pb;
use jedel_api::medevac::v1::download_document_response::Payload as Down;
use jedel_api::medevac::v1::medevac_client::MedevacClient;
use jedel_api::medevac::v1::upload_document_request::Payload as Up;
use jedel_api::registry::v1::BatchCheckEligibilityRequest;
use jedel_api::registry::v1::registry_client::RegistryClient;
use jedel_platform::Role;
use sha2::{Digest as _, Sha256};
use sqlx::Row as _;
use tonic::Code;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;
use tonic_types::StatusExt as _;

use crate::on_each_backend;
use crate::support::{Bearer, Server};

type Client = MedevacClient<InterceptedService<Channel, Bearer>>;

/// A valid IIN: born 1990-01-01, male.
const IIN: &str = "900101300017";
/// Where the patient is picked up: Pavlodar Regional Multidisciplinary Hospital, with airports
/// open and lit day and night at both ends, so aircraft of several airlines may fly it at any
/// hour.
const ORIGIN: (f64, f64) = (52.2619, 76.9552);
pub(crate) async fn client(server: &Server, role: Role, regions: &[&str], airline: Option<&str>) -> Client {
    MedevacClient::new(server.authed(&server.token(role, regions, airline)).await)
}

/// The Dispatcher's options for the [`transfer`] mission now, as ChooseAircraft ranks it:
/// (registration, airline code, rank), best first.
pub(crate) async fn eligible_aircraft(server: &Server) -> Vec<(String, String, i32)> {
    use jedel_api::dispatch::v1 as air;
    let token = server.token(Role::MedevacDispatcher, &[], None);
    let place = |lat, lon| air::Place { position: Some(LatLon { lat, lon }), ..Default::default() };
    let ranking = DispatcherClient::new(server.authed(&token).await)
        .rank_aircraft(air::RankAircraftRequest {
            mission_type: air::MissionType::PatientTransport.into(),
            origin: Some(place(ORIGIN.0, ORIGIN.1)),
            destination: Some(place(51.1553, 71.4628)),
            needs: Some(air::PatientNeeds {
                medical_module: air::MedicalModule::Basic.into(),
                stretcher: true,
                seats: 1,
                ..Default::default()
            }),
            urgency: air::AirUrgency::Emergency.into(),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let mut registry = RegistryClient::new(server.authed(&token).await);
    let airlines = registry
        .batch_check_eligibility(BatchCheckEligibilityRequest {
            registrations: ranking.options.iter().map(|o| o.registration.clone()).collect(),
            at: None,
        })
        .await
        .unwrap()
        .into_inner()
        .results;
    let eligible: Vec<(String, String, i32)> =
        ranking.options.iter().zip(airlines).map(|(o, r)| (o.registration.clone(), r.airline_code, o.rank)).collect();
    assert!(eligible.len() >= 2, "at least two aircraft may fly the mission now: {:#?}", ranking.excluded);
    eligible
}

fn timestamp_in(minutes: i64) -> prost_types::Timestamp {
    let at = chrono::Utc::now() + chrono::TimeDelta::minutes(minutes);
    prost_types::Timestamp { seconds: at.timestamp(), nanos: 0 }
}

/// A STEMI patient from Pavlodar to Astana City Emergency Hospital.
pub(crate) fn transfer() -> pb::RequestDetails {
    pb::RequestDetails {
        mission_type: pb::MissionType::PatientTransport.into(),
        urgency: pb::Urgency::Emergency.into(),
        coordinating_doctor: Some(pb::Clinician {
            full_name: "Saule Nurpeisova".into(),
            title: "regional coordinating doctor".into(),
            phone: "+7 701 555 12 34".into(),
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
            needs: vec![pb::PatientNeed::Stretcher.into(), pb::PatientNeed::Oxygen.into()],
            ..Default::default()
        }),
        origin: Some(pb::Facility {
            name: "Pavlodar Regional Multidisciplinary Hospital".into(),
            position: Some(LatLon { lat: ORIGIN.0, lon: ORIGIN.1 }),
            ..Default::default()
        }),
        destination: Some(pb::Facility {
            name: "Astana City Emergency Hospital".into(),
            position: Some(LatLon { lat: 51.1553, lon: 71.4628 }),
            ..Default::default()
        }),
        receiving_consent: Some(pb::ReceivingConsent {
            doctor: Some(pb::Clinician { full_name: "Yerlan Sadykov".into(), ..Default::default() }),
            given_at: Some(timestamp_in(-5)),
        }),
        wanted_window: Some(TimeRange { from: Some(timestamp_in(0)), to: Some(timestamp_in(180)) }),
        notes: "lives alone".into(),
        ..Default::default()
    }
}

fn fields(status: &tonic::Status) -> Vec<String> {
    status
        .get_error_details()
        .bad_request()
        .map(|b| b.field_violations.iter().map(|v| v.field.clone()).collect())
        .unwrap_or_default()
}

fn upload(
    request_id: &str,
    medevac_request_id: &str,
    content_type: &str,
    content: &[u8],
    declared: usize,
) -> Vec<pb::UploadDocumentRequest> {
    let mut messages = vec![pb::UploadDocumentRequest {
        payload: Some(Up::Metadata(pb::DocumentUpload {
            request_id: request_id.into(),
            medevac_request_id: medevac_request_id.into(),
            kind: pb::DocumentKind::TestResults.into(),
            file_name: "troponin.pdf".into(),
            content_type: content_type.into(),
            size_bytes: declared as i64,
        })),
    }];
    messages
        .extend(content.chunks(1 << 20).map(|c| pb::UploadDocumentRequest { payload: Some(Up::Chunk(c.to_vec())) }));
    messages
}

on_each_backend!(a_request_flies_from_the_region_to_the_airline_and_back, async |server: Server| {
    let eligible = eligible_aircraft(&server).await;
    let mut coordinator = client(&server, Role::Coordinator, &["KZ-11"], None).await;
    let mut nccem = client(&server, Role::MedevacDispatcher, &[], None).await;

    let created = coordinator
        .create_request(pb::CreateRequestRequest {
            request_id: "e2e-1".into(),
            region_code: "KZ-11".into(),
            details: Some(transfer()),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(created.status(), pb::RequestStatus::Draft);
    let id = created.id.clone();

    // Documents: a 1.5 MiB PDF comes back byte for byte; too big and wrong type are refused.
    let mut content = b"%PDF-1.7\n".to_vec();
    content.resize(3 << 19, 7);
    let document = coordinator
        .upload_document(futures::stream::iter(upload("doc-1", &id, "application/pdf", &content, content.len())))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(document.sha256_hex, hex::encode(Sha256::digest(&content)));
    let too_big = coordinator
        .upload_document(futures::stream::iter(upload("doc-2", &id, "application/pdf", b"", (20 << 20) + 1)))
        .await
        .unwrap_err();
    assert_eq!(fields(&too_big), ["metadata.size_bytes"]);
    let wrong_type = coordinator
        .upload_document(futures::stream::iter(upload("doc-3", &id, "application/x-msdownload", b"MZ", 2)))
        .await
        .unwrap_err();
    assert_eq!(fields(&wrong_type), ["metadata.content_type"]);

    // A coordinator of another region is refused; the centre cannot act on a draft.
    let mut almaty = client(&server, Role::Coordinator, &["KZ-75"], None).await;
    let refused = almaty.get_request(pb::GetRequestRequest { id: id.clone() }).await.unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    let refused = nccem.start_review(pb::StartReviewRequest { id: id.clone() }).await.unwrap_err();
    assert_eq!(refused.code(), Code::NotFound, "a draft is the coordinator's");

    coordinator.submit_request(pb::SubmitRequestRequest { id: id.clone() }).await.unwrap();
    // Illegal: approving without review.
    let refused = nccem.approve_request(pb::ApproveRequestRequest { id: id.clone() }).await.unwrap_err();
    assert_eq!(
        (refused.code(), refused.message()),
        (Code::FailedPrecondition, "cannot approve a request that is submitted")
    );
    nccem.start_review(pb::StartReviewRequest { id: id.clone() }).await.unwrap();
    nccem.approve_request(pb::ApproveRequestRequest { id: id.clone() }).await.unwrap();

    // The national centre reads the document; its hash checks out.
    let mut stream =
        nccem.download_document(pb::DownloadDocumentRequest { id: document.id.clone() }).await.unwrap().into_inner();
    let mut received = Vec::new();
    while let Some(message) = stream.next().await {
        if let Some(Down::Chunk(bytes)) = message.unwrap().payload {
            received.extend(bytes);
        }
    }
    assert_eq!(hex::encode(Sha256::digest(&received)), document.sha256_hex);

    // An aircraft whose contract ended is refused with the reason.
    let refused = nccem
        .choose_aircraft(pb::ChooseAircraftRequest {
            id: id.clone(),
            aircraft_registration: "UP-MI805".into(),
            option_rank: 1,
            reason: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);
    assert!(refused.message().contains("contract 17/2026 expired 2026-10-01"), "{}", refused.message());

    // First choice, offered, declined.
    let (first, first_airline, _) = eligible[0].clone();
    let chosen = nccem
        .choose_aircraft(pb::ChooseAircraftRequest {
            id: id.clone(),
            aircraft_registration: first.clone(),
            option_rank: 1,
            reason: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    let tasking = chosen.current_tasking.unwrap();
    nccem.task_airline(pb::TaskAirlineRequest { id: id.clone() }).await.unwrap();
    let mut first_operator = client(&server, Role::Airline, &[], Some(&first_airline)).await;
    let offered = first_operator.list_taskings(pb::ListTaskingsRequest::default()).await.unwrap().into_inner().taskings;
    assert_eq!(offered.len(), 1);
    assert!(!format!("{offered:?}").contains(IIN), "an airline never sees the patient's identity");
    first_operator
        .decline_tasking(pb::DeclineTaskingRequest {
            tasking_id: tasking.id.clone(),
            reason: "no crew until tomorrow".into(),
        })
        .await
        .unwrap();

    // Retask to another airline's aircraft, the second option.
    let (second, second_airline, second_rank) =
        eligible.iter().find(|(_, a, _)| *a != first_airline).cloned().expect("a second airline");
    let retasked = nccem
        .choose_aircraft(pb::ChooseAircraftRequest {
            id: id.clone(),
            aircraft_registration: second.clone(),
            option_rank: second_rank,
            reason: "first option declined".into(),
        })
        .await
        .unwrap()
        .into_inner();
    let tasking = retasked.current_tasking.unwrap();
    assert_eq!((tasking.airline_code.as_str(), tasking.option_rank), (second_airline.as_str(), second_rank));
    nccem.task_airline(pb::TaskAirlineRequest { id: id.clone() }).await.unwrap();
    // The first airline cannot take it back.
    let refused = first_operator
        .accept_tasking(pb::AcceptTaskingRequest { tasking_id: tasking.id.clone(), expected_departure_at: None })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);

    let mut operator = client(&server, Role::Airline, &[], Some(&second_airline)).await;
    operator
        .accept_tasking(pb::AcceptTaskingRequest { tasking_id: tasking.id.clone(), expected_departure_at: None })
        .await
        .unwrap();
    let crew = vec![pb::CrewMember {
        full_name: "Marat Ospanov".into(),
        role: pb::CrewRole::PilotInCommand.into(),
        phone: String::new(),
    }];
    operator.assign_crew(pb::AssignCrewRequest { tasking_id: tasking.id.clone(), crew }).await.unwrap();
    operator
        .post_message(pb::PostMessageRequest {
            request_id: "msg-1".into(),
            medevac_request_id: id.clone(),
            airline_code: String::new(),
            body: "Wheels up in 40 minutes".into(),
        })
        .await
        .unwrap();
    for milestone in [
        pb::Milestone::Departed,
        pb::Milestone::AtOrigin,
        pb::Milestone::PatientOnBoard,
        pb::Milestone::Landed,
        pb::Milestone::HandedOver,
    ] {
        operator
            .report_milestone(pb::ReportMilestoneRequest {
                tasking_id: tasking.id.clone(),
                milestone: milestone.into(),
                ..Default::default()
            })
            .await
            .unwrap_or_else(|s| panic!("{milestone:?}: {s:?}"));
    }
    let completed = nccem
        .complete_request(pb::CompleteRequestRequest {
            id: id.clone(),
            flight_time: Some(prost_types::Duration { seconds: 9_000, nanos: 0 }),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(completed.status(), pb::RequestStatus::Completed);
    let thread = nccem
        .list_messages(pb::ListMessagesRequest {
            medevac_request_id: id.clone(),
            airline_code: second_airline.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .messages;
    assert_eq!(thread.len(), 1);
    assert!(thread[0].delivered_at.is_some());

    let all = nccem
        .list_taskings(pb::ListTaskingsRequest { medevac_request_id: id.clone(), ..Default::default() })
        .await
        .unwrap()
        .into_inner()
        .taskings;
    let statuses: Vec<_> = all.iter().map(|t| t.status()).collect();
    assert_eq!(statuses, [pb::TaskingStatus::Completed, pb::TaskingStatus::Declined]);
    let steps: Vec<_> = completed.history.iter().map(|h| h.to_status()).collect();
    assert!(
        steps.contains(&pb::RequestStatus::Declined)
            && steps.ends_with(&[pb::RequestStatus::HandedOver, pb::RequestStatus::Completed])
    );

    // Every change and the download were audited, and the chain holds.
    let (code, out) = server.jedel(&["audit", "verify"]).await;
    assert_eq!(code, 0, "{out}");
    let db = jedel_platform::Db::connect(&server.database_url).await.unwrap();
    let downloads: i64 = sqlx::query("SELECT COUNT(*) FROM audit WHERE rpc = 'Medevac/DownloadDocument'")
        .fetch_one(db.reader())
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    assert_eq!(downloads, 1);
    db.close().await;
    // No patient identity in the server's log.
    let log = server.log.lock().unwrap().clone();
    for secret in [IIN, "Abenov", "Nurlan", "STEMI", "lives alone"] {
        assert!(!log.contains(secret), "{secret} in the server log");
    }
});

on_each_backend!(ctl_runs_every_step_of_a_request, async |server: Server| {
    let eligible = eligible_aircraft(&server).await;
    let (aircraft, airline, _) = eligible[0].clone();
    let coordinator = server.token(Role::Coordinator, &["KZ-11"], None);
    let nccem = server.token(Role::MedevacDispatcher, &[], None);
    let operator = server.token(Role::Airline, &[], Some(&airline));
    let ctl = async |token: &str, args: &[&str]| {
        let mut full = vec!["ctl", "--token", token, "--output", "json", "medevac"];
        full.extend_from_slice(args);
        let (code, out) = server.jedel(&full).await;
        assert_eq!(code, 0, "jedel {full:?}: {out}");
        out
    };
    let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap_or_else(|e| panic!("{e}: {text}"));

    let full_request: &[&str] = &[
        "create",
        "--region",
        "KZ-11",
        "--mission",
        "patient_transport",
        "--urgency",
        "urgent",
        "--doctor-name",
        "Saule Nurpeisova",
        "--doctor-phone",
        "8 701 555 12 34",
        "--iin",
        IIN,
        "--weight",
        "82",
        "--icd10",
        "S06.5",
        "--diagnosis",
        "subdural haematoma",
        "--severity",
        "severe",
        "--need",
        "stretcher",
        "--companion",
        "Aigerim Abenova:wife:60",
        "--origin-name",
        "Pavlodar Regional Multidisciplinary Hospital",
        "--origin-lat",
        "52.2619",
        "--origin-lon",
        "76.9552",
        "--destination-name",
        "Astana City Emergency Hospital",
        "--destination-lat",
        "51.1553",
        "--destination-lon",
        "71.4628",
        "--consent-doctor",
        "Yerlan Sadykov",
        "--consent-at",
        "-10m",
    ];
    let created = json(&ctl(&coordinator, full_request).await);
    assert_eq!(created["status"], "draft");
    let id = created["id"].as_str().unwrap().to_string();
    let file = server.data_dir.join("ct-report.txt");
    std::fs::write(&file, "CT: acute subdural haematoma, 8 mm, midline shift 4 mm").unwrap();
    let uploaded = json(&ctl(&coordinator, &["upload", &id, file.to_str().unwrap(), "--kind", "imaging_report"]).await);
    let document_id = uploaded[0]["id"].as_str().unwrap().to_string();
    assert_eq!(json(&ctl(&coordinator, &["submit", &id]).await)["status"], "submitted");
    assert_eq!(json(&ctl(&nccem, &["review", &id]).await)["status"], "under_review");
    assert_eq!(
        json(&ctl(&nccem, &["return", &id, "--reason", "attach the CT report"]).await)["status"],
        "returned_for_information"
    );
    let updated = json(
        &ctl(
            &coordinator,
            &[
                "update",
                &id,
                "--version",
                "4",
                "--mission",
                "patient_transport",
                "--urgency",
                "emergency",
                "--doctor-name",
                "Saule Nurpeisova",
                "--doctor-phone",
                "+77015551234",
                "--iin",
                IIN,
                "--weight",
                "82",
                "--icd10",
                "S06.5",
                "--severity",
                "extremely_severe",
                "--need",
                "stretcher",
                "--origin-name",
                "Pavlodar Regional Multidisciplinary Hospital",
                "--origin-lat",
                "52.2619",
                "--origin-lon",
                "76.9552",
                "--destination-name",
                "Astana City Emergency Hospital",
                "--destination-lat",
                "51.1553",
                "--destination-lon",
                "71.4628",
                "--consent-doctor",
                "Yerlan Sadykov",
                "--consent-at",
                "now",
            ],
        )
        .await,
    );
    assert_eq!((updated["urgency"].as_str(), updated["version"].as_i64()), (Some("emergency"), Some(5)));
    ctl(&coordinator, &["submit", &id]).await;
    ctl(&nccem, &["review", &id]).await;
    ctl(&nccem, &["approve", &id]).await;
    let downloaded = server.data_dir.join("downloaded.txt");
    let out = ctl(&nccem, &["download", &document_id, "--out", downloaded.to_str().unwrap()]).await;
    assert_eq!(json(&out)["document"]["sha256_hex"], uploaded[0]["sha256_hex"]);
    assert_eq!(std::fs::read(&downloaded).unwrap(), std::fs::read(&file).unwrap());
    assert_eq!(json(&ctl(&nccem, &["documents", &id]).await).as_array().unwrap().len(), 1);

    let chosen = json(
        &ctl(
            &nccem,
            &[
                "choose",
                &id,
                "--aircraft",
                &aircraft,
                "--reason",
                "the ctl missions differ in urgency: ranks may differ",
            ],
        )
        .await,
    );
    assert_eq!(chosen["tasking"]["aircraft_registration"], aircraft.as_str());
    let tasking = chosen["tasking"]["id"].as_str().unwrap().to_string();
    ctl(&nccem, &["task", &id]).await;
    let listed = json(&ctl(&operator, &["taskings"]).await);
    assert_eq!(listed[0]["id"], tasking.as_str());
    assert_eq!(json(&ctl(&operator, &["accept", &tasking, "--departure", "+30m"]).await)["status"], "accepted");
    let crewed =
        json(&ctl(&operator, &["crew", &tasking, "--member", "Marat Ospanov:pilot_in_command:+77017770011"]).await);
    assert_eq!(crewed["crew"][0], "Marat Ospanov (pilot_in_command)");
    let posted =
        json(&ctl(&nccem, &["message", &id, "Landing site is wet; use the north pad", "--airline", &airline]).await);
    let message_id = posted[0]["id"].as_str().unwrap().to_string();
    let thread = json(&ctl(&operator, &["messages", &id]).await);
    assert!(!thread[0]["delivered_at"].as_str().unwrap().is_empty());
    assert_eq!(json(&ctl(&operator, &["read", &id, "--up-to", &message_id]).await)["marked_count"], 1);
    ctl(&operator, &["milestone", &tasking, "departed", "--note", "late start, de-icing"]).await;
    let position = json(
        &ctl(
            &operator,
            &[
                "position",
                "--aircraft",
                &aircraft,
                "--lat",
                "51.5",
                "--lon",
                "70.1",
                "--altitude",
                "900",
                "--speed",
                "220",
            ],
        )
        .await,
    );
    assert_eq!(position["accepted_count"], 1);
    assert_eq!(json(&ctl(&nccem, &["track", &id]).await).as_array().unwrap().len(), 1);
    for milestone in ["at_origin", "patient_on_board", "landed", "handed_over"] {
        ctl(&operator, &["milestone", &tasking, milestone]).await;
    }
    let completed = json(&ctl(&nccem, &["complete", &id, "--flight-minutes", "150"]).await);
    assert_eq!(completed["status"], "completed");
    let got = json(&ctl(&coordinator, &["get", &id]).await);
    assert_eq!(got["history"].as_array().unwrap().len(), 17);
    assert_eq!(got["tasking"]["status"], "completed");
    let listed = json(&ctl(&nccem, &["list", "--status", "completed"]).await);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let events = ctl(&nccem, &["watch", "--after-sequence", "1", "--count", "2"]).await;
    assert_eq!(events.lines().count(), 2, "{events}");

    // The other steps on more requests: cancel, reject, decline.
    let second = json(&ctl(&coordinator, &["create", "--region", "KZ-11"]).await)["id"].as_str().unwrap().to_string();
    assert_eq!(
        json(&ctl(&coordinator, &["cancel", &second, "--reason", "patient improved"]).await)["status"],
        "cancelled"
    );
    let (code, _) = server.jedel(&["ctl", "--token", &nccem, "medevac", "reject", &second, "--reason", "late"]).await;
    assert_ne!(code, 0, "a cancelled request cannot be rejected");
    let third = json(&ctl(&coordinator, full_request).await)["id"].as_str().unwrap().to_string();
    ctl(&coordinator, &["submit", &third]).await;
    ctl(&nccem, &["review", &third]).await;
    assert_eq!(
        json(&ctl(&nccem, &["reject", &third, "--reason", "ground transfer suffices"]).await)["status"],
        "rejected"
    );
    let fourth = json(&ctl(&coordinator, full_request).await)["id"].as_str().unwrap().to_string();
    ctl(&coordinator, &["submit", &fourth]).await;
    ctl(&nccem, &["review", &fourth]).await;
    ctl(&nccem, &["approve", &fourth]).await;
    let tasking = json(
        &ctl(
            &nccem,
            &[
                "choose",
                &fourth,
                "--aircraft",
                &aircraft,
                "--reason",
                "the ctl missions differ in urgency: ranks may differ",
            ],
        )
        .await,
    )["tasking"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    ctl(&nccem, &["task", &fourth]).await;
    let declined = json(&ctl(&operator, &["decline", &tasking, "--reason", "crew out of duty hours"]).await);
    assert_eq!(
        (declined["status"].as_str(), declined["decline_reason"].as_str()),
        (Some("declined"), Some("crew out of duty hours"))
    );
    assert_eq!(json(&ctl(&nccem, &["get", &fourth]).await)["status"], "declined");
    // The ctl never prints patient identity.
    assert!(!ctl(&coordinator, &["get", &id]).await.contains(IIN));
});
