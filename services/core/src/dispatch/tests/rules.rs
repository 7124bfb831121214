//! Capability and routing-window rules, cross-border help and the air flag.

use super::fixtures::*;
use crate::category::{Category, TeamKind};
use crate::dispatch::*;

fn ranked(engine: &mut Engine, call: &str, now: i64) -> Recommendation {
    engine.recommend(now, &call_id(call), RankOptions::default(), &mut Vec::new()).unwrap()
}

fn ids(recommendation: &Recommendation) -> Vec<&str> {
    recommendation.candidates.iter().map(|c| c.unit.as_str()).collect()
}

#[test]
fn category_one_prefers_a_resuscitation_crew_that_meets_the_norm() {
    let mut engine = engine();
    let scene = astana();
    add_units(
        &mut engine,
        vec![
            spec("feldsher", TeamKind::Feldsher, "KZ-71", north_of(scene, 1.0)),
            spec("resus", TeamKind::Resuscitation, "KZ-71", north_of(scene, 2.0)),
            spec("phc", TeamKind::PhcMobile, "KZ-71", north_of(scene, 0.5)),
        ],
    );
    engine.open_call(T0, call("c1", "KZ-71", Category::One, scene, T0), &mut Vec::new()).unwrap();
    let r = ranked(&mut engine, "c1", T0);
    assert_eq!(ids(&r), vec!["resus", "feldsher"], "PHC teams never take category 1");
    assert!(r.candidates[0].eta > r.candidates[1].eta, "preferred ahead of a faster allowed crew");
    assert_eq!(r.candidates[0].fit, CapabilityFit::Preferred);
    assert!(r.candidates.iter().all(|c| c.meets_norm));
    assert!(
        r.candidates[0].reason.contains("resuscitation crew (preferred), meets the 10-min norm"),
        "{}",
        r.candidates[0].reason
    );
    assert_eq!(r.message, None);
    assert!(!r.consider_air);
}

#[test]
fn a_preferred_crew_that_misses_the_norm_ranks_by_eta() {
    let mut engine = engine();
    let scene = astana();
    add_units(
        &mut engine,
        vec![
            spec("feldsher", TeamKind::Feldsher, "KZ-71", north_of(scene, 1.0)),
            spec("resus", TeamKind::Resuscitation, "KZ-71", north_of(scene, 9.0)),
        ],
    );
    engine.open_call(T0, call("c1", "KZ-71", Category::One, scene, T0), &mut Vec::new()).unwrap();
    let r = ranked(&mut engine, "c1", T0);
    assert_eq!(ids(&r), vec!["feldsher", "resus"]);
    assert!(!r.candidates[1].meets_norm);
    assert!(r.candidates[1].reason.contains("misses the 10-min norm by"), "{}", r.candidates[1].reason);
}

#[test]
fn category_four_goes_to_phc_in_the_weekday_window_and_to_ems_outside_it() {
    let mut engine = engine();
    let scene = astana();
    add_units(
        &mut engine,
        vec![
            spec("feldsher", TeamKind::Feldsher, "KZ-71", north_of(scene, 1.0)),
            spec("phc", TeamKind::PhcMobile, "KZ-71", north_of(scene, 6.0)),
        ],
    );
    let mut out = Vec::new();
    engine.open_call(T0, call("friday", "KZ-71", Category::Four, scene, T0), &mut out).unwrap();
    assert_eq!(ids(&ranked(&mut engine, "friday", T0)), vec!["phc", "feldsher"]);
    // Friday 20:00 Almaty: the window is closed.
    let evening = T0 + 10 * 60 * MINUTE;
    engine.open_call(evening, call("evening", "KZ-71", Category::Four, scene, evening), &mut out).unwrap();
    assert_eq!(ids(&ranked(&mut engine, "evening", evening)), vec!["feldsher"]);
    // Saturday 10:00 Almaty.
    let saturday = T0 + 24 * 60 * MINUTE;
    engine.open_call(saturday, call("saturday", "KZ-71", Category::Four, scene, saturday), &mut out).unwrap();
    assert_eq!(ids(&ranked(&mut engine, "saturday", saturday)), vec!["feldsher"]);
    // A PHC team may not be assigned outside its window.
    let err = assign(&mut engine, saturday, "saturday", "phc", Some("closest")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::FailedPrecondition);
}

#[test]
fn required_equipment_filters_units() {
    let mut engine = engine();
    let scene = astana();
    let mut equipped = spec("equipped", TeamKind::Feldsher, "KZ-71", north_of(scene, 4.0));
    equipped.equipment = [Equipment::Ventilator].into_iter().collect();
    add_units(&mut engine, vec![spec("plain", TeamKind::Feldsher, "KZ-71", north_of(scene, 1.0)), equipped]);
    let mut c = call("c", "KZ-71", Category::Two, scene, T0);
    c.equipment = [Equipment::Ventilator].into_iter().collect();
    engine.open_call(T0, c, &mut Vec::new()).unwrap();
    assert_eq!(ids(&ranked(&mut engine, "c", T0)), vec!["equipped"]);
}

#[test]
fn units_across_the_border_are_added_when_no_local_unit_meets_the_norm() {
    let mut engine = engine();
    let scene = astana();
    add_units(
        &mut engine,
        vec![
            spec("local-far", TeamKind::Feldsher, "KZ-11", north_of(scene, 40.0)),
            spec("astana", TeamKind::Feldsher, "KZ-71", north_of(scene, 2.0)),
        ],
    );
    engine.open_call(T0, call("c", "KZ-11", Category::Two, scene, T0), &mut Vec::new()).unwrap();
    let r = ranked(&mut engine, "c", T0);
    assert_eq!(ids(&r), vec!["astana", "local-far"]);
    assert!(r.candidates[0].cross_border && r.candidates[0].meets_norm);
    assert!(r.candidates[0].reason.ends_with(", from KZ-71"), "{}", r.candidates[0].reason);
    assert!(!r.no_unit_meets_norm && r.message.is_none(), "a unit across the border meets it");

    // Without cross-border help the dispatcher hears at once that no unit meets the norm.
    let mut rules = engine.policy(&region("KZ-11")).rules;
    rules.cross_border_help = false;
    engine.set_policy(T0, DispatchPolicy { region: region("KZ-11"), rules }, &mut Vec::new()).unwrap();
    let r = ranked(&mut engine, "c", T0);
    assert_eq!(ids(&r), vec!["local-far"]);
    assert!(r.no_unit_meets_norm && r.consider_air);
    let message = r.message.unwrap();
    assert!(message.starts_with("no unit reaches the scene within 15 min (best "), "{message}");
    assert!(message.ends_with("consider an air option"), "{message}");
    // Asking for cross-border units still brings them.
    let options = RankOptions { include_cross_border: true, ..RankOptions::default() };
    let r = engine.recommend(T0, &call_id("c"), options, &mut Vec::new()).unwrap();
    assert_eq!(ids(&r), vec!["astana", "local-far"]);
}

#[test]
fn when_nothing_meets_the_norm_the_message_names_what_was_added() {
    let mut engine = engine();
    let scene = astana();
    add_units(
        &mut engine,
        vec![
            spec("local", TeamKind::Feldsher, "KZ-11", north_of(scene, 60.0)),
            spec("neighbour", TeamKind::Feldsher, "KZ-71", north_of(scene, 50.0)),
            spec("too-far", TeamKind::Feldsher, "KZ-71", north_of(scene, 400.0)),
        ],
    );
    engine.open_call(T0, call("c", "KZ-11", Category::One, scene, T0), &mut Vec::new()).unwrap();
    let r = ranked(&mut engine, "c", T0);
    assert_eq!(ids(&r), vec!["neighbour", "local"], "units beyond the cross-border distance are not offered");
    assert!(r.no_unit_meets_norm && r.consider_air);
    assert!(r.message.unwrap().contains("; 1 unit(s) from KZ-71 added; consider an air option"));
    // And when there is no unit at all.
    engine.open_call(T0, call("empty", "KZ-75", Category::One, at(43.24, 76.89), T0), &mut Vec::new()).unwrap();
    let r = ranked(&mut engine, "empty", T0);
    assert!(r.candidates.is_empty());
    assert_eq!(r.message.as_deref(), Some("no unit can be sent; consider an air option"));
    // Air can be asked for even when a unit meets the norm.
    let options = RankOptions { include_air: true, ..RankOptions::default() };
    add_units(&mut engine, vec![spec("near", TeamKind::Feldsher, "KZ-11", north_of(scene, 1.0))]);
    let r = engine.recommend(T0, &call_id("c"), options, &mut Vec::new()).unwrap();
    assert!(!r.no_unit_meets_norm && r.consider_air);
}

#[test]
fn a_unit_on_the_move_is_ranked_from_its_fix_and_sets_off_sooner() {
    let mut engine = engine();
    let scene = astana();
    add_units(
        &mut engine,
        vec![
            spec("station", TeamKind::Feldsher, "KZ-71", north_of(scene, 2.0)),
            spec("moving", TeamKind::Feldsher, "KZ-71", north_of(scene, 30.0)),
        ],
    );
    let mut out = Vec::new();
    engine.set_status(T0, StatusChange::new(unit_id("moving"), UnitStatus::AvailableOnMove), &mut out).unwrap();
    let fix = Fix { position: north_of(scene, 2.0), recorded_at: T0, speed_kmh: Some(40.0), heading_deg: Some(180.0) };
    engine.ingest_position(T0, &PositionReport { unit: unit_id("moving"), fix }, &mut out).unwrap();
    engine.open_call(T0, call("c", "KZ-71", Category::Two, scene, T0), &mut out).unwrap();
    let r = ranked(&mut engine, "c", T0);
    assert_eq!(ids(&r), vec!["moving", "station"]);
    assert_eq!(
        r.candidates[1].eta - r.candidates[0].eta,
        90 * SECOND,
        "120 s mobilisation at station, 30 s on the move"
    );
    // A unit at its station is ranked from the station whatever its tracker says.
    let fix = Fix { position: north_of(scene, 0.1), recorded_at: T0, speed_kmh: None, heading_deg: None };
    engine.ingest_position(T0, &PositionReport { unit: unit_id("station"), fix }, &mut out).unwrap();
    assert_eq!(ids(&ranked(&mut engine, "c", T0)), vec!["moving", "station"]);
}

#[test]
fn over_the_straight_line_model_units_rank_by_distance_alone() {
    let mut engine = Engine::new(StraightLineModel::new(60.0).unwrap(), EngineConfig::default());
    let mut out = Vec::new();
    let scene = astana();
    // The nearer unit is at its station (slower to leave): only distance counts here.
    engine
        .upsert_unit(
            T0,
            spec("near", TeamKind::Feldsher, "KZ-71", north_of(scene, 1.0)),
            UnitStatus::AvailableAtStation,
            &mut out,
        )
        .unwrap();
    engine
        .upsert_unit(
            T0,
            spec("far", TeamKind::Feldsher, "KZ-71", north_of(scene, 1.2)),
            UnitStatus::AvailableOnMove,
            &mut out,
        )
        .unwrap();
    let ranking = engine.rank(&call("c", "KZ-71", Category::Two, scene, T0), T0, RankOptions::default());
    let order: Vec<_> = ranking.units.iter().map(|u| u.unit.as_str()).collect();
    assert_eq!(order, vec!["near", "far"]);
    assert!((ranking.units[0].eta - 60 * SECOND).abs() < SECOND / 10, "1 km at 60 km/h, no mobilisation");
}
