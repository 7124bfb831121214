//! Norm clocks under a controlled clock: AT_RISK, BREACHED and CLEARED at exact instants.

use super::fixtures::*;
use crate::category::{Category, TeamKind};
use crate::dispatch::*;

/// One feldsher crew `km` north of the scene and a category-2 call (15 min) at T0.
fn one_unit(km: f64) -> (Engine, i64) {
    let mut engine = engine();
    add_units(&mut engine, vec![spec("u", TeamKind::Feldsher, "KZ-71", north_of(astana(), km))]);
    let c = call("c", "KZ-71", Category::Two, astana(), T0);
    let eta = engine.rank(&c, T0, RankOptions::default()).units[0].eta;
    let mut out = Vec::new();
    engine.open_call(T0, c, &mut out).unwrap();
    assert!(alerts(&out).is_empty());
    (engine, eta)
}

#[test]
fn a_waiting_call_is_at_risk_when_its_best_eta_reaches_the_deadline_then_breached() {
    let (mut engine, eta) = one_unit(3.0);
    let deadline = T0 + 15 * MINUTE;
    let at_risk = deadline - eta;
    assert!(at_risk > T0);
    let mut out = Vec::new();
    engine.tick(at_risk, &mut out);
    assert!(alerts(&out).is_empty(), "still meets the norm at {at_risk}");
    engine.tick(at_risk + 1, &mut out);
    let fired = alerts(&out);
    assert_eq!(fired.len(), 1);
    assert_eq!((fired[0].kind, fired[0].at, fired[0].best_eta), (AlertKind::AtRisk, at_risk, Some(eta)));
    assert_eq!(fired[0].best_unit.as_ref().map(|u| u.as_str()), Some("u"));
    assert_eq!(
        (fired[0].deadline_at, fired[0].category, fired[0].call_number.as_str()),
        (deadline, Category::Two, "N-c")
    );
    out.clear();
    engine.tick(deadline, &mut out);
    assert!(alerts(&out).is_empty());
    engine.tick(deadline + 1, &mut out);
    let fired = alerts(&out);
    assert_eq!((fired.len(), fired[0].kind, fired[0].at), (1, AlertKind::Breached, deadline));
    assert_eq!(engine.alerts_in_force().len(), 1);
    // A crew on scene clears it.
    out.clear();
    let later = deadline + 5 * MINUTE;
    assign(&mut engine, later, "c", "u", None).unwrap();
    engine.set_status(later + MINUTE, StatusChange::new(unit_id("u"), UnitStatus::OnScene), &mut out).unwrap();
    let fired = alerts(&out);
    assert_eq!((fired.len(), fired[0].kind, fired[0].at), (1, AlertKind::Cleared, later + MINUTE));
    assert!(engine.alerts_in_force().is_empty());
}

#[test]
fn timers_fire_in_order_inside_any_later_command() {
    let (mut engine, eta) = one_unit(3.0);
    let deadline = T0 + 15 * MINUTE;
    let mut out = Vec::new();
    // One command long after both instants reports both, in time order, before its own effect.
    engine
        .open_call(deadline + MINUTE, call("other", "KZ-71", Category::Three, astana(), deadline + MINUTE), &mut out)
        .unwrap();
    let fired = alerts(&out);
    assert_eq!(
        fired.iter().map(|a| (a.kind, a.at)).collect::<Vec<_>>(),
        vec![(AlertKind::AtRisk, deadline - eta), (AlertKind::Breached, deadline)]
    );
    assert!(matches!(out.last(), Some(Event::CallQueued { .. })));
}

#[test]
fn no_unit_at_all_is_at_risk_at_once() {
    let mut engine = engine();
    let mut out = Vec::new();
    engine.open_call(T0, call("c", "KZ-71", Category::One, astana(), T0), &mut out).unwrap();
    let fired = alerts(&out);
    assert_eq!(
        (fired.len(), fired[0].kind, fired[0].at, fired[0].best_eta.is_none()),
        (1, AlertKind::AtRisk, T0, true)
    );
}

#[test]
fn assigning_a_late_unit_is_at_risk_and_a_timely_one_clears_it() {
    let mut engine = engine();
    add_units(
        &mut engine,
        vec![
            spec("far", TeamKind::Feldsher, "KZ-71", north_of(astana(), 25.0)),
            spec("near", TeamKind::Feldsher, "KZ-71", north_of(astana(), 2.0)),
        ],
    );
    let mut out = Vec::new();
    engine.open_call(T0, call("c", "KZ-71", Category::Two, astana(), T0), &mut out).unwrap();
    out.clear();
    let a = AssignRequest {
        call: call_id("c"),
        unit: unit_id("far"),
        recommendation: None,
        reason: Some("near one is needed for a drill".into()),
        actor: dispatcher(),
    };
    let far = engine.assign(T0 + MINUTE, a, &mut out).unwrap();
    assert_eq!(far.recommendation_rank, 2);
    let fired = alerts(&out);
    assert_eq!((fired[0].kind, fired[0].at, fired[0].best_eta), (AlertKind::AtRisk, T0 + MINUTE, Some(far.eta)));
    out.clear();
    let a = AssignRequest {
        call: call_id("c"),
        unit: unit_id("near"),
        recommendation: None,
        reason: None,
        actor: dispatcher(),
    };
    let near = engine.assign(T0 + 2 * MINUTE, a, &mut out).unwrap();
    assert_eq!(near.recommendation_rank, 1);
    let fired = alerts(&out);
    assert_eq!((fired.len(), fired[0].kind, fired[0].at), (1, AlertKind::Cleared, T0 + 2 * MINUTE));
    let view = engine.call(&call_id("c")).unwrap();
    assert!(!view.at_risk && view.assignments.len() == 2);
}

#[test]
fn losing_the_best_unit_brings_the_risk_forward() {
    let mut engine = engine();
    add_units(
        &mut engine,
        vec![
            spec("near", TeamKind::Feldsher, "KZ-71", north_of(astana(), 1.0)),
            spec("far", TeamKind::Feldsher, "KZ-71", north_of(astana(), 3.0)),
        ],
    );
    let mut out = Vec::new();
    let c = call("c", "KZ-71", Category::Two, astana(), T0);
    let far_eta = engine.rank(&c, T0, RankOptions::default()).units[1].eta;
    engine.open_call(T0, c, &mut out).unwrap();
    let change = StatusChange::new(unit_id("near"), UnitStatus::OutOfService).because("flat tyre");
    engine.set_status(T0 + MINUTE, change, &mut out).unwrap();
    out.clear();
    let deadline = T0 + 15 * MINUTE;
    engine.tick(deadline - far_eta + 1, &mut out);
    let fired = alerts(&out);
    assert_eq!(
        (fired.len(), fired[0].at, fired[0].best_unit.as_ref().unwrap().as_str()),
        (1, deadline - far_eta, "far")
    );
}

#[test]
fn an_en_route_unit_that_falls_behind_puts_the_call_at_risk() {
    let (mut engine, _) = one_unit(3.0);
    let mut out = Vec::new();
    assign(&mut engine, T0, "c", "u", None).unwrap();
    engine.set_status(T0 + MINUTE, StatusChange::new(unit_id("u"), UnitStatus::EnRoute), &mut out).unwrap();
    assert!(alerts(&out).is_empty());
    // Ten minutes later the unit is further away than it started.
    let now = T0 + 11 * MINUTE;
    let fix =
        Fix { position: north_of(astana(), 5.0), recorded_at: now, speed_kmh: Some(20.0), heading_deg: Some(0.0) };
    engine.ingest_position(now, &PositionReport { unit: unit_id("u"), fix }, &mut out).unwrap();
    let fired = alerts(&out);
    assert_eq!((fired.len(), fired[0].kind, fired[0].at), (1, AlertKind::AtRisk, now));
    assert!(now + fired[0].best_eta.unwrap() > T0 + 15 * MINUTE);
}

#[test]
fn closing_a_call_clears_its_alert() {
    let mut engine = engine();
    let mut out = Vec::new();
    engine.open_call(T0, call("c", "KZ-71", Category::One, astana(), T0), &mut out).unwrap();
    out.clear();
    engine.end_call(T0 + MINUTE, &call_id("c"), true, Some("caller hung up".into()), &mut out).unwrap();
    let fired = alerts(&out);
    assert_eq!((fired[0].kind, fired[0].at), (AlertKind::Cleared, T0 + MINUTE));
    engine.tick(T0 + HOUR, &mut out);
    assert_eq!(alerts(&out).len(), 1, "no breach for an ended call");
}

const HOUR: i64 = 60 * MINUTE;
