//! Unit statuses, positions, and assign / reassign / release with their reasons.

use super::fixtures::*;
use crate::category::{Category, TeamKind};
use crate::dispatch::*;

fn two_units() -> Engine {
    let mut engine = engine();
    add_units(
        &mut engine,
        vec![
            spec("near", TeamKind::Feldsher, "KZ-71", north_of(astana(), 1.0)),
            spec("far", TeamKind::Physician, "KZ-71", north_of(astana(), 5.0)),
        ],
    );
    engine.open_call(T0, call("c", "KZ-71", Category::Two, astana(), T0), &mut Vec::new()).unwrap();
    engine
}

#[test]
fn a_non_top_choice_needs_a_reason_and_records_its_rank() {
    let mut engine = two_units();
    let err = assign(&mut engine, T0, "c", "far", None).unwrap_err();
    assert_eq!((err.kind(), err.field()), (ErrorKind::InvalidArgument, Some("reason")));
    assert!(engine.call(&call_id("c")).unwrap().assignments.is_empty(), "nothing half-done");
    let a = assign(&mut engine, T0, "c", "far", Some("  physician requested by the caller's GP ")).unwrap();
    assert_eq!((a.recommendation_rank, a.reason.as_deref()), (2, Some("physician requested by the caller's GP")));
    assert_eq!((a.kind, a.state, a.version), (AssignmentKind::Manual, AssignmentState::Active, 1));
    assert_eq!(a.arrival_estimate, T0 + a.eta);
    let unit = engine.unit(&unit_id("far")).unwrap();
    assert_eq!((unit.status, unit.version), (UnitStatus::Assigned, 2));
    assert!(engine.queue(None, &[]).is_empty());
    // The busy unit cannot be assigned again.
    engine.open_call(T0, call("d", "KZ-71", Category::Two, astana(), T0), &mut Vec::new()).unwrap();
    assert_eq!(assign(&mut engine, T0, "d", "far", Some("x")).unwrap_err().kind(), ErrorKind::FailedPrecondition);
}

#[test]
fn assign_reads_the_rank_from_the_recommendation_it_quotes() {
    let mut engine = two_units();
    let mut out = Vec::new();
    let r = engine.recommend(T0, &call_id("c"), RankOptions::default(), &mut out).unwrap();
    assert!(matches!(out.last(), Some(Event::Recommended { top_unit: Some(u), .. }) if u.as_str() == "near"));
    let stale = AssignRequest {
        call: call_id("c"),
        unit: unit_id("near"),
        recommendation: Some(RecommendationId::parse("nope").unwrap()),
        reason: None,
        actor: dispatcher(),
    };
    assert_eq!(engine.assign(T0, stale, &mut out).unwrap_err().kind(), ErrorKind::NotFound);
    let request = AssignRequest {
        call: call_id("c"),
        unit: unit_id("near"),
        recommendation: Some(r.id),
        reason: None,
        actor: dispatcher(),
    };
    assert_eq!(engine.assign(T0, request, &mut out).unwrap().recommendation_rank, 1);
}

#[test]
fn release_frees_the_unit_and_the_call_waits_again() {
    let mut engine = two_units();
    let a = assign(&mut engine, T0, "c", "near", None).unwrap();
    let mut out = Vec::new();
    let release = |reason: Option<&str>, version| ReleaseRequest {
        assignment: a.id.clone(),
        expected_version: version,
        reason: reason.map(str::to_string),
        actor: dispatcher(),
    };
    assert_eq!(engine.release(T0, release(None, None), &mut out).unwrap_err().field(), Some("reason"));
    assert_eq!(
        engine.release(T0, release(Some("x"), Some(7)), &mut out).unwrap_err().kind(),
        ErrorKind::FailedPrecondition
    );
    let ended = engine.release(T0 + MINUTE, release(Some("needed for a mass casualty"), Some(1)), &mut out).unwrap();
    assert_eq!((ended.state, ended.ended_at, ended.version), (AssignmentState::Released, Some(T0 + MINUTE), 2));
    assert_eq!(engine.unit(&unit_id("near")).unwrap().status, UnitStatus::AvailableAtStation);
    let queue = engine.queue(None, &[]);
    assert_eq!((queue[0].spec.id.as_str(), queue[0].queued_at), ("c", T0 + MINUTE));
    assert!(engine.assignment(&a.id).is_none());
}

#[test]
fn reassign_swaps_the_unit_for_a_reason() {
    let mut engine = two_units();
    let a = assign(&mut engine, T0, "c", "near", None).unwrap();
    let mut out = Vec::new();
    let request = ReassignRequest {
        assignment: a.id.clone(),
        unit: unit_id("far"),
        reason: Some("vehicle fault".into()),
        actor: dispatcher(),
    };
    let b = engine.reassign(T0 + MINUTE, request, &mut out).unwrap();
    assert_eq!((b.kind, b.previous.as_ref()), (AssignmentKind::Reassign, Some(&a.id)));
    assert_eq!(engine.unit(&unit_id("near")).unwrap().status, UnitStatus::AvailableAtStation);
    assert_eq!(engine.unit(&unit_id("far")).unwrap().call.as_ref().unwrap().as_str(), "c");
    assert!(engine.queue(None, &[]).is_empty(), "the call never went back to the queue");
    assert!(out.iter().any(
        |e| matches!(e, Event::AssignmentChanged { assignment, .. } if assignment.state == AssignmentState::Reassigned)
    ));
}

#[test]
fn a_crew_works_the_call_through_to_completion() {
    let mut engine = two_units();
    let a = assign(&mut engine, T0, "c", "near", None).unwrap();
    let mut out = Vec::new();
    let u = unit_id("near");
    let illegal = engine.set_status(T0, StatusChange::new(u.clone(), UnitStatus::AtHospital), &mut out).unwrap_err();
    assert_eq!(illegal.to_string(), "unit near cannot go from assigned to at_hospital");
    let mut t = T0;
    for status in [
        UnitStatus::EnRoute,
        UnitStatus::OnScene,
        UnitStatus::Transporting,
        UnitStatus::AtHospital,
        UnitStatus::Returning,
    ] {
        t += 5 * MINUTE;
        engine.set_status(t, StatusChange::new(u.clone(), status), &mut out).unwrap();
    }
    let view = engine.call(&call_id("c")).unwrap();
    assert_eq!((view.on_scene_at, view.assignments.len()), (Some(T0 + 10 * MINUTE), 0));
    assert!(out.iter().any(|e| matches!(e, Event::AssignmentChanged { assignment, .. } if assignment.id == a.id && assignment.state == AssignmentState::Completed)));
    assert!(engine.queue(None, &[]).is_empty(), "a call reached by a crew does not wait again");
    engine.set_status(t + MINUTE, StatusChange::new(u.clone(), UnitStatus::AvailableAtStation), &mut out).unwrap();
    engine.end_call(t + MINUTE, &call_id("c"), false, None, &mut out).unwrap();
    assert!(engine.call(&call_id("c")).is_none());
}

#[test]
fn leaving_a_call_before_the_scene_needs_a_reason_and_requeues_it() {
    let mut engine = two_units();
    assign(&mut engine, T0, "c", "near", None).unwrap();
    let mut out = Vec::new();
    let back = StatusChange::new(unit_id("near"), UnitStatus::Returning);
    assert_eq!(engine.set_status(T0, back.clone(), &mut out).unwrap_err().field(), Some("reason"));
    engine.set_status(T0 + MINUTE, back.because("road closed"), &mut out).unwrap();
    assert_eq!(engine.queue(None, &[]).len(), 1);
    assert!(out.iter().any(|e| matches!(e, Event::AssignmentChanged { assignment, .. } if assignment.state == AssignmentState::Released && assignment.end_reason.as_deref() == Some("road closed"))));
}

#[test]
fn cancelling_a_call_stands_its_units_down() {
    let mut engine = two_units();
    assign(&mut engine, T0, "c", "near", None).unwrap();
    let mut out = Vec::new();
    engine.set_status(T0 + MINUTE, StatusChange::new(unit_id("near"), UnitStatus::EnRoute), &mut out).unwrap();
    engine.end_call(T0 + 2 * MINUTE, &call_id("c"), true, Some("duplicate".into()), &mut out).unwrap();
    let unit = engine.unit(&unit_id("near")).unwrap();
    assert_eq!((unit.status, unit.call.is_none()), (UnitStatus::AvailableOnMove, true));
    assert!(out.iter().any(|e| matches!(e, Event::CallEnded { cancelled: true, .. })));
    assert_eq!(engine.stats().open_calls, 0);
}

#[test]
fn position_reports_are_checked() {
    let mut engine = two_units();
    let mut out = Vec::new();
    let report = |unit: &str, recorded_at, speed| PositionReport {
        unit: unit_id(unit),
        fix: Fix { position: astana(), recorded_at, speed_kmh: speed, heading_deg: Some(90.0) },
    };
    let now = T0 + MINUTE;
    assert_eq!(engine.ingest_position(now, &report("ghost", now, None), &mut out), Err(PositionRejection::UnknownUnit));
    assert_eq!(
        engine.ingest_position(now, &report("near", now, Some(400.0)), &mut out),
        Err(PositionRejection::InvalidValue)
    );
    assert_eq!(
        engine.ingest_position(now, &report("near", now + MINUTE, None), &mut out),
        Err(PositionRejection::FutureTime)
    );
    assert_eq!(engine.ingest_position(now, &report("near", now + 10 * SECOND, None), &mut out), Ok(()), "within skew");
    assert_eq!(engine.ingest_position(now, &report("near", now, None), &mut out), Err(PositionRejection::Stale));
    let unit = engine.unit(&unit_id("near")).unwrap();
    assert_eq!(
        (unit.fix.unwrap().recorded_at, unit.version),
        (now + 10 * SECOND, 1),
        "positions do not bump the version"
    );
}

#[test]
fn units_are_registered_and_removed() {
    let mut engine = two_units();
    let mut out = Vec::new();
    let mut changed = spec("near", TeamKind::Physician, "KZ-71", north_of(astana(), 1.0));
    changed.call_sign = "AST-01-01".into();
    let unit = engine.upsert_unit(T0, changed, UnitStatus::OffShift, &mut out).unwrap();
    assert_eq!((unit.spec.kind, unit.status, unit.version), (TeamKind::Physician, UnitStatus::AvailableAtStation, 2));
    let r = engine.recommend(T0, &call_id("c"), RankOptions::default(), &mut out).unwrap();
    assert_eq!(r.candidates[0].call_sign, "AST-01-01");
    assert_eq!(
        engine
            .upsert_unit(T0, spec("x", TeamKind::Feldsher, "KZ-71", astana()), UnitStatus::EnRoute, &mut out)
            .unwrap_err()
            .field(),
        Some("status")
    );
    assign(&mut engine, T0, "c", "near", None).unwrap();
    assert_eq!(engine.remove_unit(T0, &unit_id("near"), &mut out).unwrap_err().kind(), ErrorKind::FailedPrecondition);
    engine.remove_unit(T0, &unit_id("far"), &mut out).unwrap();
    assert!(engine.unit(&unit_id("far")).is_none());
    assert_eq!(engine.stats().units, 1);
}
