//! The queue (category, then age), auto-assignment as units free up, and redispatch.

use super::fixtures::*;
use crate::category::{Category, TeamKind};
use crate::dispatch::*;

fn queue_ids(engine: &Engine) -> Vec<String> {
    engine.queue(None, &[]).into_iter().map(|q| q.spec.id.to_string()).collect()
}

#[test]
fn waiting_calls_are_ordered_by_category_then_age() {
    let mut engine = engine();
    let mut out = Vec::new();
    let scene = astana();
    engine.open_call(T0, call("c3-late", "KZ-71", Category::Three, scene, T0), &mut out).unwrap();
    engine.open_call(T0 + MINUTE, call("c1", "KZ-71", Category::One, scene, T0 + MINUTE), &mut out).unwrap();
    engine.open_call(T0 + MINUTE, call("c3-early", "KZ-71", Category::Three, scene, T0 - MINUTE), &mut out).unwrap();
    engine.open_call(T0 + MINUTE, call("c2", "KZ-11", Category::Two, scene, T0), &mut out).unwrap();
    assert_eq!(queue_ids(&engine), vec!["c1", "c2", "c3-early", "c3-late"]);
    let only = engine.queue(Some(&region("KZ-71")), &[Category::Three]);
    assert_eq!(
        only.iter().map(|q| (q.position, q.spec.id.as_str())).collect::<Vec<_>>(),
        vec![(1, "c3-early"), (2, "c3-late")]
    );
    assert_eq!(only[0].time_left, T0 - MINUTE + 30 * MINUTE - (T0 + MINUTE));
}

#[test]
fn freed_units_serve_the_queue_in_order_when_auto_assigning() {
    let mut engine = auto_engine();
    let mut out = Vec::new();
    let scene = astana();
    for (id, category, received) in
        [("c3", Category::Three, T0), ("c1", Category::One, T0 + MINUTE), ("c2", Category::Two, T0 + 2 * MINUTE)]
    {
        engine.open_call(received, call(id, "KZ-71", category, scene, received), &mut out).unwrap();
    }
    assert_eq!(queue_ids(&engine), vec!["c1", "c2", "c3"]);
    let now = T0 + 3 * MINUTE;
    for (i, expected) in ["c1", "c2", "c3"].iter().enumerate() {
        let id = format!("u{i}");
        engine
            .upsert_unit(
                now,
                spec(&id, TeamKind::Feldsher, "KZ-71", north_of(scene, 1.0)),
                UnitStatus::AvailableAtStation,
                &mut out,
            )
            .unwrap();
        let unit = engine.unit(&unit_id(&id)).unwrap();
        assert_eq!(unit.status, UnitStatus::Assigned);
        assert_eq!(unit.call.as_ref().unwrap().as_str(), *expected);
        let assignment = engine.assignment(unit.assignment.as_ref().unwrap()).unwrap();
        assert_eq!((assignment.kind, assignment.recommendation_rank), (AssignmentKind::Auto, 1));
        assert_eq!(assignment.assigned_by.subject, "jedel-dispatch");
    }
    assert!(queue_ids(&engine).is_empty());
    // A unit that clears a call takes the next waiting call at once.
    engine.open_call(now, call("c4", "KZ-71", Category::Four, scene, now), &mut out).unwrap();
    assert_eq!(queue_ids(&engine), vec!["c4"]);
    for status in [UnitStatus::EnRoute, UnitStatus::OnScene, UnitStatus::Returning, UnitStatus::AvailableOnMove] {
        engine.set_status(now + MINUTE, StatusChange::new(unit_id("u0"), status), &mut out).unwrap();
    }
    let u0 = engine.unit(&unit_id("u0")).unwrap();
    assert_eq!((u0.status, u0.call.as_ref().map(|c| c.as_str())), (UnitStatus::Assigned, Some("c4")));
}

#[test]
fn a_call_opened_with_a_free_unit_is_auto_assigned_at_once() {
    let mut engine = auto_engine();
    let mut out = Vec::new();
    add_units(&mut engine, vec![spec("u", TeamKind::Physician, "KZ-71", north_of(astana(), 2.0))]);
    engine.open_call(T0, call("c", "KZ-71", Category::One, astana(), T0), &mut out).unwrap();
    assert!(queue_ids(&engine).is_empty());
    assert!(matches!(
        &out[..],
        [.., Event::CallQueued { .. }, Event::AssignmentStarted { .. }, Event::UnitChanged { .. }]
    ));
}

#[test]
fn manual_categories_wait_for_the_dispatcher() {
    let mut engine = engine();
    let mut out = Vec::new();
    add_units(&mut engine, vec![spec("u", TeamKind::Feldsher, "KZ-71", north_of(astana(), 2.0))]);
    engine.open_call(T0, call("c", "KZ-71", Category::Two, astana(), T0), &mut out).unwrap();
    assert_eq!(queue_ids(&engine), vec!["c"]);
    assert_eq!(engine.unit(&unit_id("u")).unwrap().status, UnitStatus::AvailableAtStation);
}

/// A unit en route to a category-3 call and a new category-1 call nobody else can reach.
fn diverting() -> Engine {
    let mut engine = engine();
    let mut out = Vec::new();
    let scene = astana();
    add_units(&mut engine, vec![spec("u", TeamKind::Feldsher, "KZ-71", north_of(scene, 3.0))]);
    engine.open_call(T0, call("low", "KZ-71", Category::Three, north_of(scene, 6.0), T0), &mut out).unwrap();
    assign(&mut engine, T0, "low", "u", None).unwrap();
    engine.set_status(T0 + MINUTE, StatusChange::new(unit_id("u"), UnitStatus::EnRoute), &mut out).unwrap();
    engine.open_call(T0 + 2 * MINUTE, call("high", "KZ-71", Category::One, scene, T0 + 2 * MINUTE), &mut out).unwrap();
    engine
}

#[test]
fn a_unit_heading_to_a_category_three_call_is_offered_for_category_one() {
    let mut engine = diverting();
    let now = T0 + 2 * MINUTE;
    let r = engine.recommend(now, &call_id("high"), RankOptions::default(), &mut Vec::new()).unwrap();
    assert_eq!(r.candidates.len(), 1);
    let c = &r.candidates[0];
    assert_eq!(c.redispatch_from.as_ref().map(|c| c.as_str()), Some("low"));
    assert!(c.meets_norm && !r.no_unit_meets_norm);
    assert!(c.reason.ends_with(", divert from call N-low (category 3)"), "{}", c.reason);
    // Assign refuses a busy unit; Redispatch takes it.
    assert_eq!(assign(&mut engine, now, "high", "u", None).unwrap_err().kind(), ErrorKind::FailedPrecondition);
    let low_assignment = engine.unit(&unit_id("u")).unwrap().assignment.clone().unwrap();
    let mut out = Vec::new();
    let request = RedispatchRequest { unit: unit_id("u"), call: call_id("high"), reason: None, actor: dispatcher() };
    let diverted = engine.redispatch(now, request, &mut out).unwrap();
    assert_eq!(diverted.kind, AssignmentKind::Redispatch);
    assert_eq!(diverted.previous, Some(low_assignment));
    assert_eq!(diverted.recommendation_rank, 1);
    let unit = engine.unit(&unit_id("u")).unwrap();
    assert_eq!((unit.status, unit.call.as_ref().unwrap().as_str()), (UnitStatus::EnRoute, "high"));
    // The category-3 call waits again with its original age.
    let queue = engine.queue(None, &[]);
    assert_eq!(queue.len(), 1);
    assert_eq!((queue[0].spec.id.as_str(), queue[0].spec.received_at, queue[0].queued_at), ("low", T0, now));
    assert!(out.iter().any(|e| matches!(e, Event::AssignmentChanged { assignment, .. } if assignment.state == AssignmentState::Redispatched)));
}

#[test]
fn redispatch_follows_the_policy() {
    let mut engine = diverting();
    let now = T0 + 2 * MINUTE;
    let mut out = Vec::new();
    engine.open_call(now, call("two", "KZ-71", Category::Two, astana(), now), &mut out).unwrap();
    let to_two = RedispatchRequest { unit: unit_id("u"), call: call_id("two"), reason: None, actor: dispatcher() };
    let err = engine.redispatch(now, to_two, &mut out).unwrap_err();
    assert!(err.to_string().contains("does not divert units from category 3 to category 2"), "{err}");
    let r = engine.recommend(now, &call_id("two"), RankOptions::default(), &mut out).unwrap();
    assert!(r.candidates.is_empty(), "not offered for category 2");
    // Disabled, it is not offered for category 1 either.
    let mut rules = engine.policy(&region("KZ-71")).rules;
    rules.redispatch.enabled = false;
    engine.set_policy(now, DispatchPolicy { region: region("KZ-71"), rules }, &mut out).unwrap();
    let r = engine.recommend(now, &call_id("high"), RankOptions::default(), &mut out).unwrap();
    assert!(r.candidates.is_empty() && r.no_unit_meets_norm);
}

#[test]
fn with_auto_assignment_a_category_one_call_takes_a_divertible_unit() {
    let mut engine = diverting();
    let mut rules = engine.policy(&region("KZ-71")).rules;
    rules.auto_assign_categories = vec![Category::One];
    let mut out = Vec::new();
    engine.set_policy(T0 + 3 * MINUTE, DispatchPolicy { region: region("KZ-71"), rules }, &mut out).unwrap();
    let unit = engine.unit(&unit_id("u")).unwrap();
    assert_eq!(unit.call.as_ref().unwrap().as_str(), "high");
    let assignment = engine.assignment(unit.assignment.as_ref().unwrap()).unwrap();
    assert_eq!(
        (assignment.kind, assignment.assigned_by.subject.as_str()),
        (AssignmentKind::Redispatch, "jedel-dispatch")
    );
    assert_eq!(queue_ids(&engine), vec!["low"]);
}

#[test]
fn a_recategorised_call_moves_in_the_queue() {
    let mut engine = engine();
    let mut out = Vec::new();
    engine.open_call(T0, call("a", "KZ-71", Category::Three, astana(), T0), &mut out).unwrap();
    engine.open_call(T0, call("b", "KZ-71", Category::Two, astana(), T0 + MINUTE), &mut out).unwrap();
    assert_eq!(queue_ids(&engine), vec!["b", "a"]);
    engine.update_call(T0 + 2 * MINUTE, call("a", "KZ-71", Category::One, astana(), T0), &mut out).unwrap();
    assert_eq!(queue_ids(&engine), vec!["a", "b"]);
    // The new deadline counts: category 1 is breached ten minutes after it was received.
    out.clear();
    engine.tick(T0 + 10 * MINUTE + 1, &mut out);
    let breached: Vec<_> =
        super::fixtures::alerts(&out).into_iter().filter(|a| a.kind == AlertKind::Breached).collect();
    assert_eq!((breached.len(), breached[0].at, breached[0].call.as_str()), (1, T0 + 10 * MINUTE, "a"));
    let missing = call("nope", "KZ-71", Category::One, astana(), T0);
    assert_eq!(engine.update_call(T0, missing, &mut out).unwrap_err().kind(), ErrorKind::NotFound);
}

#[test]
fn auto_assignment_holds_a_call_for_a_unit_within_reach_until_its_norm_is_breached() {
    let mut engine = auto_engine();
    let mut rules = engine.policy(&region("KZ-71")).rules;
    rules.auto_assign_max_eta_min = Some(30.0);
    let mut out = Vec::new();
    engine.set_policy(T0, DispatchPolicy { region: region("KZ-71"), rules }, &mut out).unwrap();
    // The only free unit is 80 km out, well over 30 minutes away.
    add_units(&mut engine, vec![spec("far", TeamKind::Feldsher, "KZ-71", north_of(astana(), 80.0))]);
    engine.open_call(T0, call("c1", "KZ-71", Category::Two, astana(), T0), &mut out).unwrap();
    assert_eq!(queue_ids(&engine), vec!["c1"]);
    // A unit within reach that frees up takes it.
    engine
        .upsert_unit(
            T0 + MINUTE,
            spec("near", TeamKind::Feldsher, "KZ-71", north_of(astana(), 2.0)),
            UnitStatus::AvailableAtStation,
            &mut out,
        )
        .unwrap();
    assert_eq!(engine.unit(&unit_id("near")).unwrap().call.as_ref().map(|c| c.as_str()), Some("c1"));
    // With no unit within reach, the call waits until its norm is breached, then takes the far one.
    engine.open_call(T0 + MINUTE, call("c2", "KZ-71", Category::Two, astana(), T0 + MINUTE), &mut out).unwrap();
    let deadline = T0 + MINUTE + norm(Category::Two);
    engine.tick(deadline, &mut out);
    assert_eq!(queue_ids(&engine), vec!["c2"]);
    assert_eq!(engine.unit(&unit_id("far")).unwrap().status, UnitStatus::AvailableAtStation);
    engine.tick(deadline + 1, &mut out);
    assert!(queue_ids(&engine).is_empty());
    assert_eq!(engine.unit(&unit_id("far")).unwrap().call.as_ref().map(|c| c.as_str()), Some("c2"));
    // The setting is checked.
    let mut bad = engine.policy(&region("KZ-71")).rules;
    bad.auto_assign_max_eta_min = Some(0.0);
    let err = engine.set_policy(T0, DispatchPolicy { region: region("KZ-71"), rules: bad }, &mut out).unwrap_err();
    assert!(err.to_string().contains("auto_assign_max_eta_min"), "{err}");
}
