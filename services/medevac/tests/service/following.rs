//! Flight following over gRPC with a controlled clock: positions from the airline (bad ones
//! skipped and counted), the track, and alerts raised and cleared when the service evaluates
//! the flights at moments the test chooses, streamed by WatchFlightAlerts with resume.

use std::time::Duration;

use futures::StreamExt as _;
use jedel_api::common::v1::LatLon;
use jedel_api::medevac::v1 as pb;
use jedel_platform::time::{from_timestamp, now_micros, to_timestamp};
use tonic::Code;

use crate::{
    App, airline, approved, as_, choose_eligible, coordinator, minutes_from_now, nccem, next, on_each_backend,
};

on_each_backend!(positions_feed_the_track_and_alerts_follow_a_controlled_clock);

const MINUTE: i64 = 60_000_000;

fn position(registration: &str, lat: f64, lon: f64, at: prost_types::Timestamp) -> pb::FlightPosition {
    pb::FlightPosition {
        aircraft_registration: registration.into(),
        medevac_request_id: String::new(),
        position: Some(LatLon { lat, lon }),
        altitude_m: 900.0,
        ground_speed_kmh: 220.0,
        recorded_at: Some(at),
        source: pb::PositionSource::Tracker.into(),
    }
}

async fn positions_feed_the_track_and_alerts_follow_a_controlled_clock(app: App) {
    let mut client = app.client();
    let id = approved(&app, "req-follow").await.id;
    let tasking = choose_eligible(&app, &id, &[], 1, "").await.current_tasking.unwrap();
    let registration = tasking.aircraft_registration.clone();
    let operator = airline(&tasking.airline_code);
    client.task_airline(as_(&nccem(), pb::TaskAirlineRequest { id: id.clone() })).await.unwrap();
    let accepted = client
        .accept_tasking(as_(
            &operator,
            pb::AcceptTaskingRequest {
                tasking_id: tasking.id.clone(),
                expected_departure_at: Some(minutes_from_now(0)),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    let crew = vec![pb::CrewMember { full_name: "Marat Ospanov".into(), role: 1, phone: String::new() }];
    client.assign_crew(as_(&operator, pb::AssignCrewRequest { tasking_id: tasking.id.clone(), crew })).await.unwrap();
    let milestone = |m: pb::Milestone| pb::ReportMilestoneRequest {
        tasking_id: tasking.id.clone(),
        milestone: m.into(),
        ..Default::default()
    };
    client.report_milestone(as_(&operator, milestone(pb::Milestone::Departed))).await.unwrap();
    let t0 = now_micros();

    // Two good positions and three bad ones: outside Kazakhstan, an aircraft with no flight,
    // no time.
    let batch = vec![
        position(&registration, 51.3, 70.0, to_timestamp(t0 - MINUTE)),
        position(&registration, 51.4, 69.6, to_timestamp(t0)),
        position(&registration, 56.5, 69.6, to_timestamp(t0)),
        position("UP-B4002", 51.4, 69.6, to_timestamp(t0)),
        pb::FlightPosition { recorded_at: None, ..position(&registration, 51.4, 69.6, to_timestamp(t0)) },
    ];
    let summary = client
        .stream_flight_positions(as_(
            &operator,
            futures::stream::iter(vec![pb::StreamFlightPositionsRequest { positions: batch }]),
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!((summary.accepted_count, summary.rejected_count), (2, 3));
    // Another airline's reports of this aircraft are skipped.
    let stranger = airline(if tasking.airline_code == "AERO_AK" { "EAST_WING" } else { "AERO_AK" });
    let summary = client
        .stream_flight_positions(as_(
            &stranger,
            futures::stream::iter(vec![pb::StreamFlightPositionsRequest {
                positions: vec![position(&registration, 51.4, 69.6, to_timestamp(t0))],
            }]),
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!((summary.accepted_count, summary.rejected_count), (0, 1));

    let track = client
        .get_flight_track(as_(&coordinator(), pb::GetFlightTrackRequest { medevac_request_id: id.clone() }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(track.positions.len(), 2);
    assert!(track.positions[0].recorded_at.unwrap().seconds < track.positions[1].recorded_at.unwrap().seconds);
    assert_eq!(track.positions[0].medevac_request_id, id);
    assert!(
        client
            .get_flight_track(as_(&operator, pb::GetFlightTrackRequest { medevac_request_id: id.clone() }))
            .await
            .is_ok()
    );
    let refused = client
        .get_flight_track(as_(&stranger, pb::GetFlightTrackRequest { medevac_request_id: id.clone() }))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::NotFound);

    // The clock: within the threshold nothing happens.
    assert!(app.service.follow_flights(t0 + 10 * MINUTE).await.unwrap().is_empty());
    let mut alerts =
        client.watch_flight_alerts(as_(&nccem(), pb::WatchFlightAlertsRequest::default())).await.unwrap().into_inner();
    // Eleven minutes without a position while airborne.
    let raised = app.service.follow_flights(t0 + 11 * MINUTE).await.unwrap();
    assert_eq!(raised.len(), 1);
    let alert = next(&mut alerts).await;
    assert_eq!((alert.kind(), alert.cleared), (pb::FlightAlertKind::NoPosition, false));
    assert_eq!(
        (alert.tasking_id.as_str(), alert.aircraft_registration.as_str()),
        (tasking.id.as_str(), registration.as_str())
    );
    assert_eq!(alert.threshold.unwrap().seconds, 600);
    assert_eq!(alert.lag.unwrap().seconds, 660);
    assert_eq!(alert.last_position.as_ref().unwrap().position.unwrap().lon, 69.6);
    assert_eq!(alert.region_code, "KZ-11");
    assert!(app.service.follow_flights(t0 + 12 * MINUTE).await.unwrap().is_empty(), "raised once");

    // A watch opened now gets the active alert first; airlines see their own flights only.
    let mut fresh =
        client.watch_flight_alerts(as_(&operator, pb::WatchFlightAlertsRequest::default())).await.unwrap().into_inner();
    let active = next(&mut fresh).await;
    assert_eq!((active.kind(), active.cleared), (pb::FlightAlertKind::NoPosition, false));
    let mut elsewhere =
        client.watch_flight_alerts(as_(&stranger, pb::WatchFlightAlertsRequest::default())).await.unwrap().into_inner();
    assert!(tokio::time::timeout(Duration::from_millis(300), elsewhere.next()).await.is_err());

    // A position arrives: cleared.
    let late = position(&registration, 51.6, 69.0, to_timestamp(t0 + 4 * MINUTE));
    client
        .stream_flight_positions(as_(
            &operator,
            futures::stream::iter(vec![pb::StreamFlightPositionsRequest { positions: vec![late] }]),
        ))
        .await
        .unwrap();
    let cleared = app.service.follow_flights(t0 + 13 * MINUTE).await.unwrap();
    assert_eq!(cleared.len(), 1);
    let alert = next(&mut alerts).await;
    assert_eq!((alert.kind(), alert.cleared, alert.lag.unwrap().seconds), (pb::FlightAlertKind::NoPosition, true, 540));

    // Past the planned arrival at the pick-up point by more than 15 minutes: behind plan, and
    // silent again.
    let at_origin = from_timestamp(accepted.schedule[1].planned_at.as_ref().unwrap()).unwrap();
    let late_at = at_origin + 16 * MINUTE;
    let raised = app.service.follow_flights(late_at).await.unwrap();
    assert_eq!(raised.len(), 2);
    let kinds = [next(&mut alerts).await, next(&mut alerts).await];
    let behind = kinds.iter().find(|a| a.kind() == pb::FlightAlertKind::BehindPlan).expect("behind plan");
    assert_eq!((behind.milestone(), behind.lag.unwrap().seconds), (pb::Milestone::AtOrigin, 960));
    assert!(kinds.iter().any(|a| a.kind() == pb::FlightAlertKind::NoPosition && !a.cleared));
    let resume_at = behind.sequence.min(kinds[0].sequence).min(kinds[1].sequence) - 1;

    // The aircraft reaches the pick-up point: on the ground and on time again, both clear.
    client.report_milestone(as_(&operator, milestone(pb::Milestone::AtOrigin))).await.unwrap();
    let cleared = app.service.follow_flights(late_at).await.unwrap();
    assert_eq!(cleared.iter().filter(|a| a.cleared).count(), 2, "{cleared:?}");
    // A watcher that reconnects from before the raise gets exactly what followed.
    let mut resumed = client
        .watch_flight_alerts(as_(
            &nccem(),
            pb::WatchFlightAlertsRequest { after_sequence: resume_at, ..Default::default() },
        ))
        .await
        .unwrap()
        .into_inner();
    let replay: Vec<bool> = vec![
        next(&mut resumed).await.cleared,
        next(&mut resumed).await.cleared,
        next(&mut resumed).await.cleared,
        next(&mut resumed).await.cleared,
    ];
    assert_eq!(replay, [false, false, true, true]);
    assert_eq!(app.count("SELECT COUNT(*) FROM medevac_flight_alerts").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit WHERE rpc = 'Medevac/FlightFollowing' AND actor_role = 'system'").await,
        6
    );
}
