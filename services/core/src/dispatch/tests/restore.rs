//! State survives a restart (snapshot → JSON → restore), and a recorded shift replays to the
//! same events.

use super::fixtures::*;
use crate::category::{Category, TeamKind};
use crate::dispatch::*;

fn shift() -> Vec<(i64, Command)> {
    let scene = astana();
    let mut commands = Vec::new();
    for (i, km) in [1.0, 2.0, 9.0].into_iter().enumerate() {
        let kind = [TeamKind::Feldsher, TeamKind::Physician, TeamKind::Resuscitation][i];
        commands.push((
            T0,
            Command::UpsertUnit {
                spec: spec(&format!("u{i}"), kind, "KZ-71", north_of(scene, km)),
                initial: UnitStatus::AvailableAtStation,
            },
        ));
    }
    commands.push((T0, Command::OpenCall(call("a", "KZ-71", Category::One, scene, T0))));
    commands
        .push((T0 + MINUTE, Command::OpenCall(call("b", "KZ-71", Category::Three, north_of(scene, 3.0), T0 + MINUTE))));
    commands.push((T0 + MINUTE, Command::Recommend { call: call_id("a"), options: RankOptions::default() }));
    commands.push((
        T0 + 2 * MINUTE,
        Command::Assign(AssignRequest {
            call: call_id("a"),
            unit: unit_id("u1"),
            recommendation: None,
            reason: None,
            actor: dispatcher(),
        }),
    ));
    commands.push((T0 + 3 * MINUTE, Command::SetStatus(StatusChange::new(unit_id("u1"), UnitStatus::EnRoute))));
    commands.push((
        T0 + 4 * MINUTE,
        Command::Position(PositionReport {
            unit: unit_id("u1"),
            fix: Fix {
                position: north_of(scene, 2.0),
                recorded_at: T0 + 4 * MINUTE,
                speed_kmh: Some(50.0),
                heading_deg: Some(180.0),
            },
        }),
    ));
    commands.push((T0 + 5 * MINUTE, Command::OpenCall(call("c", "KZ-71", Category::Two, scene, T0 + 5 * MINUTE))));
    commands
}

fn run(engine: &mut Engine, commands: Vec<(i64, Command)>) -> Vec<Event> {
    let mut events = Vec::new();
    for (now, command) in commands {
        let outcome = engine.apply(now, command);
        outcome.result.unwrap();
        events.extend(outcome.events);
    }
    events
}

#[test]
fn the_state_survives_a_restart() {
    let mut before = engine();
    run(&mut before, shift());
    let snapshot = before.snapshot();
    let text = serde_json::to_string(&snapshot).unwrap();
    let mut after =
        Engine::restore(TableTravelModel::kazakhstan(), EngineConfig::default(), serde_json::from_str(&text).unwrap())
            .unwrap();
    assert_eq!(after.snapshot(), snapshot);
    assert_eq!(after.queue(None, &[]), before.queue(None, &[]));
    let c = before.call(&call_id("c")).unwrap().spec.clone();
    assert_eq!(
        after.rank(&c, T0 + 6 * MINUTE, RankOptions::default()),
        before.rank(&c, T0 + 6 * MINUTE, RankOptions::default())
    );
    // Both go on the same way, minting the same ids.
    let more = vec![
        (
            T0 + 6 * MINUTE,
            Command::Assign(AssignRequest {
                call: call_id("c"),
                unit: unit_id("u0"),
                recommendation: None,
                reason: Some("x".into()),
                actor: dispatcher(),
            }),
        ),
        (T0 + 40 * MINUTE, Command::Tick),
    ];
    assert_eq!(run(&mut after, more.clone()), run(&mut before, more));
    assert_eq!(after.snapshot(), before.snapshot());
}

#[test]
fn a_recorded_shift_replays_to_the_same_events() {
    let (mut first, mut second) = (engine(), engine());
    let events = run(&mut first, shift());
    assert_eq!(run(&mut second, shift()), events);
    assert!(events.iter().any(|e| matches!(e, Event::AssignmentStarted { .. })));
    // The same shift under a policy that auto-assigns ends differently.
    let mut auto = auto_engine();
    let auto_events = run(&mut auto, shift().into_iter().filter(|(_, c)| !matches!(c, Command::Assign(_))).collect());
    assert!(auto.queue(None, &[]).is_empty());
    assert_ne!(auto_events, events);
}

#[test]
fn an_inconsistent_snapshot_is_refused() {
    let mut engine = engine();
    run(&mut engine, shift());
    let mut snapshot = engine.snapshot();
    snapshot.units.retain(|u| u.spec.id.as_str() != "u1");
    let err = Engine::restore(TableTravelModel::kazakhstan(), EngineConfig::default(), snapshot).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[test]
fn a_refused_command_still_reports_the_timers_it_fired() {
    let mut engine = engine();
    engine.apply(T0, Command::OpenCall(call("a", "KZ-71", Category::One, astana(), T0))).result.unwrap();
    let late = T0 + 11 * MINUTE;
    let outcome = engine.apply(late, Command::RemoveUnit { unit: unit_id("ghost") });
    assert_eq!(outcome.result.unwrap_err().kind(), ErrorKind::NotFound);
    assert!(matches!(&outcome.events[..], [Event::Alert(Alert { kind: AlertKind::Breached, .. })]));
}

#[test]
fn a_call_taken_over_after_its_deadline_is_breached_at_once() {
    let mut engine = engine();
    let outcome = engine.apply(T0 + HOUR, Command::OpenCall(call("old", "KZ-71", Category::One, astana(), T0)));
    let kinds: Vec<_> = super::fixtures::alerts(&outcome.events).iter().map(|a| (a.kind, a.at)).collect();
    assert_eq!(kinds, vec![(AlertKind::AtRisk, T0 + HOUR), (AlertKind::Breached, T0 + 10 * MINUTE)]);
}

#[test]
fn the_engine_can_move_between_threads() {
    fn send<T: Send + Sync>() {}
    send::<Engine>();
    send::<Command>();
    send::<Event>();
}

const HOUR: i64 = 60 * MINUTE;
