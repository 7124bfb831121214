//! Benchmarks of the situation centre's fold at the national load: 23,500 calls a day (8.57
//! million a year) over the 20 regions by population, each call written as Intake writes it
//! (created and categorised, assigned, crew on scene, closed), and 1,600 units at 100 stations.
//!
//! `cargo bench -p jedel-core --bench situation` prints: how fast the fold applies events
//! (one day, then 30 days), how many calls stay live and how many are retired to the compact
//! history, the time of one scope's live figures (nation, region, station), of a WatchMetrics
//! tick over every scope, and of a 30-day period report. Figures are printed, never asserted.

use std::hint::black_box;
use std::time::{Duration, Instant};

use jedel_core::call::{Actor, Lifecycle, Milestone, TimelineEntry, UnitRef};
use jedel_core::category::{Category, TeamKind};
use jedel_core::dispatch::{Event, Unit, UnitId, UnitSpec, UnitStatus};
use jedel_core::local_time::{MINUTE, Micros};
use jedel_core::situation::{DAY, Figures, HOUR, Input, Scope};
use jedel_core::{CallStatus, LatLon, RegionCode};
use serde_json::json;

/// Regions with their 2024 population, millions (`../shared/reference/kazakhstan.md`).
const REGIONS: [(&str, f64); 20] = [
    ("KZ-71", 1.43),
    ("KZ-75", 2.23),
    ("KZ-79", 1.22),
    ("KZ-10", 0.60),
    ("KZ-11", 0.79),
    ("KZ-15", 0.93),
    ("KZ-19", 1.53),
    ("KZ-23", 0.70),
    ("KZ-27", 0.69),
    ("KZ-31", 1.22),
    ("KZ-33", 0.70),
    ("KZ-35", 1.13),
    ("KZ-39", 0.83),
    ("KZ-43", 0.84),
    ("KZ-47", 0.78),
    ("KZ-55", 0.75),
    ("KZ-59", 0.53),
    ("KZ-61", 2.11),
    ("KZ-62", 0.22),
    ("KZ-63", 0.73),
];
const CALLS_PER_DAY: u64 = 23_500;
const STATIONS_PER_REGION: usize = 5;
const UNITS_PER_STATION: usize = 16;
/// 2026-03-01 00:00 UTC.
const START: Micros = 1_772_323_200_000_000;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn region_of(rng: &mut Rng) -> usize {
    let total: f64 = REGIONS.iter().map(|r| r.1).sum();
    let mut x = (rng.below(1_000_000) as f64 / 1_000_000.0) * total;
    for (i, (_, population)) in REGIONS.iter().enumerate() {
        if x < *population {
            return i;
        }
        x -= population;
    }
    REGIONS.len() - 1
}

fn unit_id(region: usize, station: usize, unit: usize) -> String {
    format!("u-{region}-{station}-{unit}")
}

fn unit_events() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (r, (code, _)) in REGIONS.iter().enumerate() {
        for s in 0..STATIONS_PER_REGION {
            for u in 0..UNITS_PER_STATION {
                let id = unit_id(r, s, u);
                let unit = Unit {
                    spec: std::sync::Arc::new(UnitSpec {
                        id: UnitId::parse(&id).unwrap(),
                        call_sign: id.to_uppercase(),
                        kind: if u % 5 == 0 { TeamKind::Physician } else { TeamKind::Feldsher },
                        equipment: Default::default(),
                        station_id: format!("st-{r}-{s}"),
                        region: RegionCode::parse(code).unwrap(),
                        home: LatLon::parse(48.0, 68.0).unwrap(),
                    }),
                    status: UnitStatus::AvailableAtStation,
                    status_changed_at: START,
                    fix: None,
                    call: None,
                    assignment: None,
                    created_at: START,
                    updated_at: START,
                    version: 1,
                };
                let event = Event::UnitChanged { at: START, unit: Box::new(unit), reason: None };
                out.push(("unit".into(), "unit.created".into(), serde_json::to_string(&event).unwrap()));
            }
        }
    }
    out
}

/// The events of the calls of days `days`, in commit order: (aggregate, kind, payload,
/// occurred_at).
fn events(days: std::ops::Range<u64>, rng: &mut Rng) -> Vec<(String, String, String, Micros)> {
    let mut out = Vec::new();
    let step = DAY / CALLS_PER_DAY as i64;
    for i in days.start * CALLS_PER_DAY..days.end * CALLS_PER_DAY {
        let received = START + i as i64 * step;
        let r = region_of(rng);
        let category = [Category::One, Category::Two, Category::Three, Category::Four][match rng.below(100) {
            0..5 => 0,
            5..34 => 1,
            34..61 => 2,
            _ => 3,
        }];
        let norm = [10, 15, 30, 60][category.number() as usize - 1] * MINUTE;
        let unit = UnitRef {
            unit_id: unit_id(r, rng.below(STATIONS_PER_REGION as u64) as usize, rng.below(16) as usize),
            team_kind: TeamKind::Feldsher,
        };
        let arrival = (5 + rng.below(30) as i64) * MINUTE;
        let entry = |milestone, at, unit: Option<UnitRef>| TimelineEntry {
            milestone,
            occurred_at: at,
            recorded_at: at,
            actor: Actor::default(),
            unit,
        };
        let mut lifecycle = Lifecycle::received(received, received, Actor::default());
        lifecycle.status = CallStatus::Categorised;
        lifecycle.timeline.push(entry(Milestone::Categorised, received, None));
        let id = format!("call-{i}");
        let mut push = |lifecycle: &Lifecycle, kind: &str, at: Micros| {
            let payload = json!({"call": {"id": id, "region_code": REGIONS[r].0, "received_at": received,
                "lifecycle": lifecycle, "category": category, "deadline_at": received + norm, "outcome": null}});
            out.push(("call".to_string(), kind.to_string(), payload.to_string(), at));
        };
        push(&lifecycle, "call.created", received);
        lifecycle.status = CallStatus::Assigned;
        lifecycle.timeline.push(entry(Milestone::Assigned, received + MINUTE, Some(unit.clone())));
        push(&lifecycle, "call.progress_recorded", received + MINUTE);
        lifecycle.status = CallStatus::OnScene;
        lifecycle.timeline.push(entry(Milestone::OnScene, received + arrival, Some(unit)));
        push(&lifecycle, "call.progress_recorded", received + arrival);
        lifecycle.status = CallStatus::Closed;
        push(&lifecycle, "call.closed", received + arrival + 40 * MINUTE);
    }
    out.sort_by_key(|e| e.3);
    out
}

fn fold(figures: &mut Figures, events: &[(String, String, String, Micros)], seq: &mut u64) -> Duration {
    let start = Instant::now();
    for (aggregate, kind, payload, at) in events {
        *seq += 1;
        figures.apply(Input { seq: *seq, aggregate_type: aggregate, kind, payload, occurred_at: *at });
    }
    start.elapsed()
}

fn time(label: &str, runs: u32, mut f: impl FnMut()) {
    f();
    let start = Instant::now();
    for _ in 0..runs {
        f();
    }
    println!("{label:<52} {:>10.2?}", start.elapsed() / runs);
}

fn main() {
    let mut rng = Rng(0x5eed);
    let mut figures = Figures::new();
    let mut seq = 0;
    let units: Vec<_> = unit_events().into_iter().map(|(a, k, p)| (a, k, p, START)).collect();
    fold(&mut figures, &units, &mut seq);

    println!("\n== situation fold at the national load ({CALLS_PER_DAY} calls/day, {} units) ==", units.len());
    for (label, days) in [("fold one day", 0..1), ("fold 30 more days", 1..31)] {
        let batch = events(days, &mut rng);
        let took = fold(&mut figures, &batch, &mut seq);
        let rate = batch.len() as f64 / took.as_secs_f64();
        println!("{:<52} {took:>10.2?}  ({rate:.0} events/s)", format!("{label}: {} events", batch.len()));
    }
    println!("{:<52} {:>10} live, {} retired", "calls after 31 days", figures.calls.len(), figures.history.len());

    let now = figures.occurred_at;
    let window = 24 * HOUR;
    let scopes: Vec<Scope> = std::iter::once(Scope::Nation)
        .chain(figures.regions().into_iter().map(Scope::Region))
        .chain(figures.stations().into_iter().map(|(region, station)| Scope::Station { region, station }))
        .collect();
    time("metrics: nation", 20, || {
        black_box(figures.metrics(&Scope::Nation, now, window));
    });
    time("metrics: region KZ-75", 20, || {
        black_box(figures.metrics(&Scope::Region("KZ-75".into()), now, window));
    });
    let station = Scope::Station { region: "KZ-75".into(), station: "st-1-0".into() };
    time("metrics: one station", 20, || {
        black_box(figures.metrics(&station, now, window));
    });
    time(&format!("WatchMetrics tick: every scope ({}), one pass", scopes.len()), 5, || {
        black_box(figures.metrics_of(&scopes, now, window));
    });
    time(&format!("every scope ({}), one at a time", scopes.len()), 1, || {
        for scope in &scopes {
            black_box(figures.metrics(scope, now, window));
        }
    });
    time("period report: 30 days, every region", 5, || {
        black_box(figures.period(now - 30 * DAY, now, &[]));
    });
    time("period report: 30 days, one region", 5, || {
        black_box(figures.period(now - 30 * DAY, now, &["KZ-71".to_string()]));
    });
}
