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
    figures.apply(Input {
        seq: 2,
        aggregate_type: "hospital",
        kind: "hospital.created",
        payload: "{}",
        occurred_at: 0,
    });
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
    // No tasking in these events: the flight counts, of no known kind.
    assert_eq!((s.flights_in_progress, s.flights_today.clone()), ([(None, 1)].into(), [(None, 1)].into()));
    assert!(figures.metrics(&Scope::Region("KZ-71".into()), NOON, HOUR).medevac_open.is_empty());
    let period = figures.period(NOON - DAY, NOON, &[]);
    let row = &period["KZ-43"];
    assert_eq!(row.flights, [(None, 1)].into());
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
    assert!(target_24(2026).unwrap().at_least);
    assert_eq!(target_24(2030), None);
    assert_eq!(local_year(NOON), 2026);
    // 2025-12-31 20:00 UTC is already 2026 in Almaty.
    assert_eq!(local_year(1_767_211_200_000_000), 2026);
    assert_eq!(day_start(NOON), NOON - 12 * HOUR);
}

/// The Registry rows of an airline, its contract and two aircraft, as `<record>.created` events.
fn fleet_events(
    seq: &mut u64,
    airline: &str,
    certificate_expires: &str,
    contract: (&str, &str, &str),
) -> Vec<Input<'static>> {
    let (number, ends, status) = contract;
    let rows = [
        (
            "airline",
            json!({"id": format!("id-{airline}"), "code": airline, "name": format!("{airline} JSC"),
            "bin": "000000000000", "certificate_number": format!("MA-{airline}"), "certificate_issued": "2025-01-01",
            "certificate_expires": certificate_expires, "status": "active", "version": 1, "created_at": 0,
            "updated_at": 0}),
        ),
        (
            "contract",
            json!({"id": format!("id-{number}"), "number": number, "airline_code": airline,
            "starts": "2026-01-01", "ends": ends, "aircraft": [], "tariff_kzt_per_hour": 600_000,
            "readiness_minutes": 60, "status": status, "version": 1, "created_at": 0, "updated_at": 0}),
        ),
        (
            "aircraft",
            json!({"id": "a1", "registration": format!("UP-{airline}1"), "airline_code": airline,
            "kind": "plane", "model": "PC-12"}),
        ),
        (
            "aircraft",
            json!({"id": "a2", "registration": format!("UP-{airline}2"), "airline_code": airline,
            "kind": "helicopter", "model": "H145"}),
        ),
    ];
    rows.into_iter()
        .map(|(aggregate, row)| {
            *seq += 1;
            let kind = match aggregate {
                "airline" => "airline.created",
                "contract" => "contract.created",
                _ => "aircraft.created",
            };
            leak(*seq, aggregate, kind, row.to_string(), NOON - 2 * DAY)
        })
        .collect()
}

/// A medevac request event in `status` whose current tasking flies `registration` under
/// `contract` with the plan's 2 h at 1,200,000 tenge, and `actual_min` once reported.
fn flown(
    seq: u64,
    id: &str,
    status: &str,
    registration: &str,
    contract: &str,
    actual_min: Option<i64>,
    at: Micros,
) -> Input<'static> {
    let payload = json!({
        "request": {"id": id, "region_code": "KZ-43", "workflow": {"status": status, "history": []}},
        "tasking": {"airline_code": registration[3..registration.len() - 1].to_string(),
            "aircraft_registration": registration, "contract_number": contract,
            "plan": {"flight_time": 2 * HOUR, "cost_tiyn": 120_000_000},
            "actual_flight_time": actual_min.map(|m| m * MINUTE)},
    });
    leak(seq, "medevac_request", "medevac_request.status_changed", payload.to_string(), at)
}

#[test]
fn flights_by_kind_and_airline_and_expiring_documents() {
    let mut seq = 0;
    // NOON is 2026-03-10. EASTWING's certificate ends in 10 days, its contract in 5;
    // ORLAN's certificate in 40 days (not yet a warning), its contract is terminated.
    let mut events = fleet_events(&mut seq, "EASTWING", "2026-03-20", ("5/2026", "2026-03-15", "active"));
    events.extend(fleet_events(&mut seq, "ORLAN", "2026-04-19", ("6/2026", "2026-03-12", "terminated")));
    let at = |min: i64| NOON - 3 * HOUR + min * MINUTE;
    for (id, registration, contract) in [("r1", "UP-EASTWING1", "5/2026"), ("r2", "UP-ORLAN2", "6/2026")] {
        for (status, min) in [("submitted", 0), ("airline_tasked", 10), ("departed", 30)] {
            seq += 1;
            events.push(flown(seq, id, status, registration, contract, None, at(min)));
        }
    }
    // r1 lands and completes with 90 minutes flown; r2 is still flying.
    for (status, actual) in [("landed", None), ("completed", Some(90))] {
        seq += 1;
        events.push(flown(seq, "r1", status, "UP-EASTWING1", "5/2026", actual, at(150)));
    }
    let figures = fold(&events);
    assert_eq!(figures.skipped, 0);

    let s = figures.metrics(&Scope::Nation, NOON, 24 * HOUR);
    assert_eq!(s.flights_today, [(Some(AircraftKind::Plane), 1), (Some(AircraftKind::Helicopter), 1)].into());
    assert_eq!(s.flights_in_progress, [(Some(AircraftKind::Helicopter), 1)].into());
    // 90 min at 600,000 KZT/h is 900,000 KZT; the unfinished flight keeps the plan's 2 h.
    let eastwing = AirlineTotals { flights: 1, flight_time: 90 * MINUTE, cost_tiyn: 90_000_000 };
    let orlan = AirlineTotals { flights: 1, flight_time: 2 * HOUR, cost_tiyn: 120_000_000 };
    assert_eq!(s.airlines_today, [("EASTWING".to_string(), eastwing), ("ORLAN".to_string(), orlan)].into());

    let expiring: Vec<_> = s.expiring.iter().map(|e| (e.kind, e.number.as_str(), e.airline_code.as_str())).collect();
    assert_eq!(
        expiring,
        [(DocumentKind::Contract, "5/2026", "EASTWING"), (DocumentKind::Certificate, "MA-EASTWING", "EASTWING")]
    );
    // The contract's last day is 2026-03-15: valid until the next Almaty midnight.
    assert_eq!(s.expiring[0].expires_at, NOON + 5 * DAY + 12 * HOUR);
    assert_eq!(s.expiring[0].document_id, "id-5/2026");
    assert!(figures.metrics(&Scope::Region("KZ-43".into()), NOON, HOUR).expiring.is_empty());

    let rows = figures.period(NOON - DAY, NOON, &[]);
    let row = &rows["KZ-43"];
    assert_eq!(row.flights, s.flights_today);
    assert_eq!(row.airlines, s.airlines_today);
    assert!(figures.period(NOON, NOON + DAY, &[]).values().all(|r| r.flights.is_empty()));
}

/// A week of category-1 calls in KZ-71, one every 30 minutes, reached in 9 or 12 minutes
/// (alternately) and closed after an hour; the first call of the week stays open and unreached.
fn week_of_calls() -> (Vec<Input<'static>>, Vec<Scripted>) {
    let count = 7 * 48;
    let mut script = Vec::new();
    for i in 0..count {
        let id: &'static str = Box::leak(format!("w{i}").into_boxed_str());
        let open = i == 0;
        script.push(Scripted {
            id,
            region: "KZ-71",
            received_ago_min: (count - i) * 30,
            category: Some(Category::One),
            arrival_min: (!open).then_some(if i % 2 == 0 { 9 } else { 12 }),
            unit: "u1",
            kind: TeamKind::Feldsher,
            closed: (!open).then_some((false, false)),
        });
    }
    let mut seq = 0;
    let mut events: Vec<Input<'static>> = Vec::new();
    for call in &script {
        let mut mine = call_events(&mut seq, call);
        // Closed an hour after receipt rather than at NOON.
        if call.closed.is_some() {
            let closed = mine.last_mut().unwrap();
            closed.occurred_at = NOON - call.received_ago_min * MINUTE + HOUR;
        }
        events.extend(mine);
    }
    // The fold sees events in commit order.
    events.sort_by_key(|e| e.occurred_at);
    for (i, event) in events.iter_mut().enumerate() {
        event.seq = i as u64 + 1;
    }
    (events, script)
}

#[test]
fn ended_calls_leave_the_live_set_and_still_count_in_reports() {
    let (events, script) = week_of_calls();
    let figures = fold(&events);
    assert_eq!(figures.skipped, 0);
    // Live: the open call, and the calls received within LIVE_FOR of the last event.
    let last = figures.occurred_at;
    let live = script
        .iter()
        .filter(|c| c.closed.is_none() || NOON - c.received_ago_min * MINUTE >= last - LIVE_FOR - RETIRE_EVERY);
    assert!(figures.calls.len() <= live.count());
    assert!(figures.calls.len() < 60, "{} calls live", figures.calls.len());
    assert!(figures.calls.contains_key("w0"));
    assert_eq!(figures.history.len() + figures.calls.len(), script.len());

    // The week's report counts every call, as counted from the script.
    let rows = figures.period(NOON - 8 * DAY, NOON + 1, &[]);
    let row = &rows["KZ-71"];
    assert_eq!(row.calls, [(Some(Category::One), script.len() as i64)].into());
    let in_time = script.iter().filter(|c| c.arrival_min == Some(9)).count() as i64;
    // Every call is judged: reached (in time or late), or open past its deadline (w0).
    assert_eq!(row.within_norm, Ratio { numerator: in_time, denominator: script.len() as i64 });
    let mut arrivals: Vec<Micros> = script.iter().filter_map(|c| c.arrival_min).map(|m| m * MINUTE).collect();
    arrivals.sort_unstable();
    assert_eq!(row.arrivals[&Some(Category::One)], arrivals);
    // A part of the week, all of it retired: the calls received that day.
    let day = figures.period(NOON - 5 * DAY, NOON - 4 * DAY, &[]);
    assert_eq!(day["KZ-71"].calls[&Some(Category::One)], 48);

    // A late event about a retired call brings it back once, never twice.
    let retired = script.iter().find(|c| c.id == "w10").unwrap();
    assert!(!figures.calls.contains_key("w10"));
    let mut seq = figures.sequence;
    let mut again = figures.clone();
    let late = call_events(&mut seq, retired).pop().unwrap();
    again.apply(Input { occurred_at: last, ..late });
    assert!(again.calls.contains_key("w10"));
    assert_eq!(again.history.len(), figures.history.len() - 1);
    assert_eq!(again.period(NOON - 8 * DAY, NOON + 1, &[]), rows);

    // Replay retires the same calls at the same points.
    assert_eq!(fold(&events), figures);
}

#[test]
fn registry_brigades_count_as_units_until_the_dispatcher_speaks() {
    let station = json!({"id": "st-ast-1", "code": "AST-01", "name": "Astana 1", "kind": "station"});
    let brigade = |in_service: bool| {
        json!({"id": "u1", "call_sign": "AST-01-01", "kind": "physician", "capabilities": [],
            "station_code": "AST-01", "region_code": "KZ-71", "in_service": in_service})
        .to_string()
    };
    let mut figures = fold(&[
        leak(1, "station", "station.created", station.to_string(), NOON - DAY),
        leak(2, "brigade", "brigade.created", brigade(true), NOON - DAY),
        leak(
            3,
            "brigade",
            "brigade.created",
            json!({"id": "u9", "kind": "physician", "station_code": "AST-02",
            "region_code": "KZ-71", "in_service": false})
            .to_string(),
            NOON - DAY,
        ),
    ]);
    assert_eq!(figures.skipped, 0);
    let station_scope = Scope::Station { region: "KZ-71".into(), station: "st-ast-1".into() };
    assert_eq!(figures.metrics(&station_scope, NOON, HOUR).units, [(UnitState::Available, 1)].into());
    let region = figures.metrics(&Scope::Region("KZ-71".into()), NOON, HOUR).units;
    assert_eq!(region, [(UnitState::Available, 1), (UnitState::OutOfService, 1)].into());
    // The Dispatcher's status stands, and a later Registry edit does not undo it.
    figures.apply(unit_event(4, "u1", "st-ast-1", "KZ-71", TeamKind::Physician, UnitStatus::EnRoute));
    figures.apply(leak(5, "brigade", "brigade.updated", brigade(true), NOON));
    assert_eq!(figures.metrics(&station_scope, NOON, HOUR).units, [(UnitState::EnRoute, 1)].into());
}
