//! The fold against figures computed independently from the same scripted inputs: the script
//! is a list of plain facts (when each call was received, its category, when a crew arrived and
//! of which kind), turned into the payloads Intake and the Dispatcher write; the expected
//! figures are counted straight from the script.

use std::sync::Arc;

use serde_json::json;

use super::*;
use crate::call::{Actor, TimelineEntry, UnitRef};
use crate::dispatch::{Unit, UnitId, UnitSpec, UnitStatus};
use crate::{LatLon, RegionCode};

/// 2026-03-10 12:00 Asia/Almaty (07:00 UTC), µs.
const NOON: Micros = 1_773_126_000_000_000;

struct Scripted {
    id: &'static str,
    region: &'static str,
    received_ago_min: i64,
    category: Option<Category>,
    arrival_min: Option<i64>,
    unit: &'static str,
    kind: TeamKind,
    closed: Option<(bool, bool)>,
}

fn norm_min(category: Option<Category>) -> Option<i64> {
    Some(match category? {
        Category::One => 10,
        Category::Two => 15,
        Category::Three => 30,
        Category::Four => 60,
    })
}

fn script() -> Vec<Scripted> {
    let c = |id, region, ago, category, arrival, unit, kind, closed| Scripted {
        id,
        region,
        received_ago_min: ago,
        category,
        arrival_min: arrival,
        unit,
        kind,
        closed,
    };
    use Category::*;
    use TeamKind::*;
    vec![
        c("c1", "KZ-71", 30, Some(One), Some(8), "u1", Physician, Some((true, true))),
        c("c2", "KZ-71", 50, Some(One), Some(12), "u2", Feldsher, Some((true, false))),
        c("c3", "KZ-71", 90, Some(Two), Some(14), "u1", Physician, None),
        c("c4", "KZ-75", 20, Some(Four), Some(16), "u3", PhcMobile, None),
        c("c5", "KZ-75", 100, Some(Four), Some(70), "u4", Feldsher, None),
        c("c6", "KZ-75", 45, Some(Three), None, "", Feldsher, None),
        c("c7", "KZ-71", 5, None, None, "", Feldsher, None),
        c("c8", "KZ-71", 11 * 60 + 59, Some(Two), Some(5), "u2", Feldsher, None),
        // Yesterday (Almaty): received 13 h ago is 23:00 the day before.
        c("c9", "KZ-71", 13 * 60, Some(One), Some(20), "u1", Physician, None),
    ]
}

fn unit_event(seq: u64, id: &str, station: &str, region: &str, kind: TeamKind, status: UnitStatus) -> Input<'static> {
    let unit = Unit {
        spec: Arc::new(UnitSpec {
            id: UnitId::parse(id).unwrap(),
            call_sign: id.to_uppercase(),
            kind,
            equipment: Default::default(),
            station_id: station.into(),
            region: RegionCode::parse(region).unwrap(),
            home: LatLon::parse(51.1, 71.4).unwrap(),
        }),
        status,
        status_changed_at: NOON - 1000 * MINUTE + seq as i64,
        fix: None,
        call: None,
        assignment: None,
        created_at: 0,
        updated_at: 0,
        version: 1,
    };
    let event = DispatchEvent::UnitChanged { at: 0, unit: Box::new(unit), reason: None };
    leak(seq, "unit", "unit.status_changed", serde_json::to_string(&event).unwrap(), NOON - DAY + seq as i64)
}

fn leak(seq: u64, aggregate: &'static str, kind: &'static str, payload: String, at: Micros) -> Input<'static> {
    Input { seq, aggregate_type: aggregate, kind, payload: Box::leak(payload.into_boxed_str()), occurred_at: at }
}

fn entry(milestone: Milestone, at: Micros, unit: Option<(&str, TeamKind)>) -> TimelineEntry {
    TimelineEntry {
        milestone,
        occurred_at: at,
        recorded_at: at,
        actor: Actor::default(),
        unit: unit.map(|(id, kind)| UnitRef { unit_id: id.into(), team_kind: kind }),
    }
}

/// The call events of one scripted call: created, then (if reached) assigned and on scene,
/// then (if closed) closed.
fn call_events(seq: &mut u64, call: &Scripted) -> Vec<Input<'static>> {
    let received = NOON - call.received_ago_min * MINUTE;
    let deadline = norm_min(call.category).map(|m| received + m * MINUTE);
    let mut lifecycle = Lifecycle::received(received, received, Actor::default());
    let mut out = Vec::new();
    let mut push = |lifecycle: &Lifecycle, outcome: Option<(bool, bool)>, kind: &'static str, at: Micros| {
        *seq += 1;
        let payload = json!({
            "category_before": null,
            "call": {
                "id": call.id, "number": "n", "region_code": call.region, "received_at": received,
                "lifecycle": lifecycle, "category": call.category, "deadline_at": deadline,
                "outcome": outcome.map(|(a, s)| json!({"kind": "treated_on_scene", "hospital_id": "",
                    "resuscitation_attempted": a, "resuscitation_successful": s})),
                "address": "secret street 1", "version": 1,
            }
        });
        out.push(leak(*seq, "call", kind, payload.to_string(), at));
    };
    if call.category.is_some() {
        lifecycle.status = CoreCallStatus::Categorised;
        lifecycle.timeline.push(entry(Milestone::Categorised, received, None));
    }
    push(&lifecycle, None, "call.created", received);
    if let Some(arrival) = call.arrival_min {
        let unit = Some((call.unit, call.kind));
        lifecycle.timeline.push(entry(Milestone::Assigned, received + MINUTE, unit));
        lifecycle.status = CoreCallStatus::Assigned;
        push(&lifecycle, None, "call.progress_recorded", received + MINUTE);
        lifecycle.timeline.push(entry(Milestone::OnScene, received + arrival * MINUTE, unit));
        lifecycle.status = CoreCallStatus::OnScene;
        push(&lifecycle, None, "call.progress_recorded", received + arrival * MINUTE);
    }
    if let Some(outcome) = call.closed {
        lifecycle.status = CoreCallStatus::Closed;
        push(&lifecycle, Some(outcome), "call.closed", NOON - MINUTE);
    }
    out
}

fn all_events() -> Vec<Input<'static>> {
    let mut events = vec![
        unit_event(1, "u1", "st-ast-1", "KZ-71", TeamKind::Physician, UnitStatus::OnScene),
        unit_event(2, "u2", "st-ast-2", "KZ-71", TeamKind::Feldsher, UnitStatus::AvailableAtStation),
        unit_event(3, "u3", "st-kar-1", "KZ-75", TeamKind::PhcMobile, UnitStatus::Returning),
        unit_event(4, "u4", "st-kar-1", "KZ-75", TeamKind::Feldsher, UnitStatus::OffShift),
    ];
    let mut seq = 4;
    for call in script() {
        events.extend(call_events(&mut seq, &call));
    }
    events
}

fn fold(events: &[Input<'_>]) -> Figures {
    let mut figures = Figures::new();
    for event in events {
        figures.apply(*event);
    }
    figures
}

/// Counts by category straight from the script.
fn by_category(filter: impl Fn(&Scripted) -> bool) -> BTreeMap<Option<Category>, i64> {
    let mut out = BTreeMap::new();
    for call in script().iter().filter(|c| filter(c)) {
        *out.entry(call.category).or_insert(0) += 1;
    }
    out
}

/// The Almaty day of NOON started 12 h before it.
const TODAY_MIN: i64 = 12 * 60;

#[test]
fn nation_figures_equal_the_script_counted_by_hand() {
    let figures = fold(&all_events());
    assert_eq!(figures.skipped, 0);
    let s = figures.metrics(&Scope::Nation, NOON, 24 * HOUR);
    assert_eq!(s.day_started_at, NOON - 12 * HOUR);
    assert_eq!(s.calls_last_hour, by_category(|c| c.received_ago_min < 60));
    assert_eq!(s.calls_today, by_category(|c| c.received_ago_min <= TODAY_MIN));
    // Open: c3, c4, c5, c8, c9 on scene; c6 waiting; c7 received.
    let open: BTreeMap<_, _> = [(OpenStatus::Received, 1), (OpenStatus::Waiting, 1), (OpenStatus::OnScene, 5)].into();
    assert_eq!(s.open_calls, open);
    assert_eq!(s.waiting_calls, [(Some(Category::Three), 1)].into());

    // Within norm today: c1 in, c2 late, c3 in, c4 in, c5 late, c6 overdue (45 > 30), c8 in.
    let expected = |filter: &dyn Fn(&Scripted) -> bool| {
        let mut ratio = Ratio::default();
        for call in script().iter().filter(|c| filter(c)) {
            let Some(norm) = norm_min(call.category) else { continue };
            match call.arrival_min {
                Some(arrival) => ratio.count(arrival <= norm),
                None if call.received_ago_min > norm => ratio.count(false),
                None => {}
            }
        }
        ratio
    };
    assert_eq!(s.within_norm_today, expected(&|c| c.received_ago_min <= TODAY_MIN));
    assert_eq!(s.within_norm_today, Ratio { numerator: 4, denominator: 7 });
    assert_eq!(s.within_norm_rolling, expected(&|c| c.received_ago_min < 24 * 60));
    assert_eq!(s.late_today, [(Some(Category::One), 1), (Some(Category::Four), 1), (Some(Category::Three), 1)].into());
    assert_eq!(s.overdue, [(Some(Category::Three), 1)].into());

    // Arrival times of calls reached today: c1 8, c2 12 (cat 1); c3 14, c8 5 (cat 2); c4 16,
    // c5 70 (cat 4). c9 arrived at 23:20 yesterday.
    let one = s.arrival_times[&Some(Category::One)];
    assert_eq!((one.count, one.mean, one.p90), (2, 10 * MINUTE, 12 * MINUTE));
    let four = s.arrival_times[&Some(Category::Four)];
    assert_eq!((four.count, four.mean, four.p90), (2, 43 * MINUTE, 70 * MINUTE));
    assert!(!s.arrival_times.contains_key(&Some(Category::Three)));

    // Indicator 18: c4 by PHC, c5 by EMS.
    assert_eq!(s.category4_by_ems_today, Ratio { numerator: 1, denominator: 2 });
    assert_eq!(s.resuscitation_today, Ratio { numerator: 1, denominator: 2 });
    let units: BTreeMap<_, _> =
        [(UnitState::Available, 1), (UnitState::OnScene, 1), (UnitState::AtHospital, 1), (UnitState::OutOfService, 1)]
            .into();
    assert_eq!(s.units, units);
}

#[test]
fn region_and_station_figures_add_up_to_the_nation() {
    let figures = fold(&all_events());
    let nation = figures.metrics(&Scope::Nation, NOON, 24 * HOUR);
    let mut total = Ratio::default();
    let mut today = 0;
    for region in figures.regions() {
        let s = figures.metrics(&Scope::Region(region), NOON, 24 * HOUR);
        total.add(s.within_norm_today);
        today += s.calls_today.values().sum::<i64>();
    }
    assert_eq!(total, nation.within_norm_today);
    assert_eq!(today, nation.calls_today.values().sum::<i64>());
    // Station st-ast-1 (u1): c1, c3, c9 — only c1 and c3 are today.
    let station = Scope::Station { region: "KZ-71".into(), station: "st-ast-1".into() };
    let s = figures.metrics(&station, NOON, 24 * HOUR);
    assert_eq!(s.calls_today, [(Some(Category::One), 1), (Some(Category::Two), 1)].into());
    assert_eq!(s.units, [(UnitState::OnScene, 1)].into());
    assert_eq!(figures.region_of_station("st-kar-1").as_deref(), Some("KZ-75"));
}

#[test]
fn replaying_gives_the_same_figures_and_duplicates_change_nothing() {
    let events = all_events();
    let once = fold(&events);
    let mut twice = fold(&events);
    for event in &events {
        assert!(!twice.apply(*event));
    }
    assert_eq!(once, twice);
    assert_eq!(once.metrics(&Scope::Nation, NOON, HOUR), twice.metrics(&Scope::Nation, NOON, HOUR));
}

#[test]
fn an_unreadable_payload_is_skipped_not_fatal() {
    let mut figures = Figures::new();
    figures.apply(Input { seq: 1, aggregate_type: "call", kind: "call.created", payload: "{", occurred_at: 0 });
    assert_eq!((figures.skipped, figures.sequence), (1, 1));
    figures.apply(Input { seq: 2, aggregate_type: "station", kind: "station.created", payload: "{}", occurred_at: 0 });
    assert_eq!((figures.skipped, figures.sequence), (1, 2));
}

#[test]
fn medevac_steps_flights_and_time_in_step() {
    let mut figures = Figures::new();
    let request = |seq: u64, status: &str, at_min: i64| {
        let payload = json!({"request": {"id": "r1", "region_code": "KZ-43", "workflow": {"status": status, "history": []}},
            "tasking": null});
        leak(
            seq,
            "medevac_request",
            "medevac_request.status_changed",
            payload.to_string(),
            NOON - HOUR + at_min * MINUTE,
        )
    };
    for (seq, (status, at)) in
        [("submitted", 0), ("under_review", 10), ("approved", 25), ("airline_tasked", 30), ("departed", 40)]
            .into_iter()
            .enumerate()
    {
        figures.apply(request(seq as u64 + 1, status, at));
    }
    let s = figures.metrics(&Scope::Region("KZ-43".into()), NOON, HOUR);
    assert_eq!(s.medevac_open, [(Step::Positioning, 1)].into());
    assert_eq!((s.flights_in_progress, s.flights_today), (1, 1));
    assert!(figures.metrics(&Scope::Region("KZ-71".into()), NOON, HOUR).medevac_open.is_empty());
    let period = figures.period(NOON - DAY, NOON, &[]);
    let row = &period["KZ-43"];
    assert_eq!(row.flights, 1);
    assert_eq!(row.steps[&Step::Submitted], vec![10 * MINUTE]);
    assert_eq!(row.steps[&Step::UnderReview], vec![15 * MINUTE]);
}

#[test]
fn period_figures_by_region() {
    let figures = fold(&all_events());
    let rows = figures.period(NOON - 12 * HOUR, NOON + 1, &["KZ-75".to_string()]);
    assert_eq!(rows.keys().collect::<Vec<_>>(), ["KZ-75"]);
    let row = &rows["KZ-75"];
    assert_eq!(row.calls, by_category(|c| c.region == "KZ-75"));
    assert_eq!(row.within_norm, Ratio { numerator: 1, denominator: 3 });
    assert_eq!(row.category4_by_ems, Ratio { numerator: 1, denominator: 2 });
    assert_eq!(row.arrivals[&Some(Category::Four)], vec![16 * MINUTE, 70 * MINUTE]);
}

#[test]
fn distribution_and_targets() {
    let d = Distribution::of((1..=10).map(|m| m * MINUTE).collect());
    assert_eq!((d.count, d.mean, d.p90), (10, 5 * MINUTE + 30 * 1_000_000, 9 * MINUTE));
    assert_eq!(Distribution::of(vec![]), Distribution::default());
    assert_eq!(target_24(2026).unwrap().value, 0.79);
    assert_eq!(target_24(2029).unwrap().value, 0.90);
    assert_eq!(target_18(2027).unwrap().value, 0.60);
    assert!(!target_18(2029).unwrap().at_least);
    assert_eq!(local_year(NOON), 2026);
    // 2025-12-31 20:00 UTC is already 2026 in Almaty.
    assert_eq!(local_year(1_767_211_200_000_000), 2026);
    assert_eq!(day_start(NOON), NOON - 12 * HOUR);
}
