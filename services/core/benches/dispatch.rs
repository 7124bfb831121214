//! Benchmarks of the dispatch engine on units spread over Kazakhstan like the reference data:
//! regions by population (`data/reference/kazakhstan/regions.json`), units at the stations of
//! their region (`stations.json`; PHC teams at PHC organisations), calls around the stations
//! (the generator is `support/kazakhstan.rs`, shared with the dispatch service's `geo_compare`).
//!
//! `cargo bench -p jedel-core --bench dispatch` first prints a latency distribution of Recommend
//! (p50/p90/p99/p99.9 over many random calls, for 2,000 and 20,000 units) and the position
//! ingest rate on one core, and the engine's cost of a whole call as the simulator drives it,
//! then runs the criterion benchmarks (means). Figures are printed, never asserted.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use jedel_core::category::Category;
use jedel_core::dispatch::*;
use jedel_core::geo::LatLon;
use jedel_core::region_code::RegionCode;
use kazakhstan::*;

#[path = "support/kazakhstan.rs"]
mod kazakhstan;

fn percentiles(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |p: f64| samples[((samples.len() as f64 * p) as usize).min(samples.len() - 1)];
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    println!(
        "{label:<34} n={:<6} mean {:>7.2?}  p50 {:>7.2?}  p90 {:>7.2?}  p99 {:>7.2?}  p99.9 {:>7.2?}  max {:>7.2?}",
        samples.len(),
        mean,
        at(0.50),
        at(0.90),
        at(0.99),
        at(0.999),
        samples[samples.len() - 1]
    );
}

fn latency_report(kz: &Kazakhstan) {
    println!("\n== Recommend latency (one core, in-process, limit 5) ==");
    for n in [2_000, 20_000] {
        let mut rng = Rng(n as u64);
        let (mut engine, _) = engine_with(kz, n, &mut rng);
        let queries = calls(kz, 20_000, &mut rng);
        let options = RankOptions::default();
        // Warm the caches once.
        for (now, call) in queries.iter().take(2_000) {
            black_box(engine.rank(call, *now, options));
        }
        let samples = queries
            .iter()
            .map(|(now, call)| {
                let start = Instant::now();
                black_box(engine.rank(black_box(call), *now, options));
                start.elapsed()
            })
            .collect();
        percentiles(&format!("rank, {n} units"), samples);
        // The full command: open calls, then Recommend each (ranking, reasons, record, event).
        let mut out = Vec::new();
        let t_open = queries.iter().map(|(now, _)| *now).max().unwrap();
        let opened: Vec<CallId> = queries
            .iter()
            .map(|(_, call)| {
                let mut call = call.clone();
                let norm = call.norm();
                call.received_at = t_open;
                call.deadline_at = t_open + norm;
                engine.open_call(t_open, call.clone(), &mut out).unwrap();
                out.clear();
                call.id
            })
            .collect();
        let specs: Vec<CallSpec> = opened.iter().map(|id| engine.call(id).unwrap().spec.clone()).collect();
        let samples = specs
            .iter()
            .map(|call| {
                let start = Instant::now();
                black_box(engine.rank(black_box(call), t_open, options));
                start.elapsed()
            })
            .collect();
        percentiles(&format!("rank, {n} units, 20k open calls"), samples);
        let samples = opened
            .iter()
            .map(|id| {
                let start = Instant::now();
                black_box(engine.recommend(t_open, id, options, &mut out).unwrap());
                let elapsed = start.elapsed();
                out.clear();
                elapsed
            })
            .collect();
        percentiles(&format!("recommend command, {n} units"), samples);
    }
}

/// Random-walk fixes of the given units, ~100 m apart, recorded 1 µs apart from `from` on.
fn reports(engine: &Engine, units: &[UnitId], n: usize, from: i64, rng: &mut Rng) -> Vec<PositionReport> {
    let mut positions: Vec<LatLon> = units.iter().map(|id| engine.unit(id).unwrap().ranking_position()).collect();
    (0..n)
        .map(|i| {
            let u = rng.below(units.len());
            positions[u] = jitter(rng, positions[u].lat(), positions[u].lon(), 0.1);
            let fix = Fix {
                position: positions[u],
                recorded_at: from + i as i64,
                speed_kmh: Some(40.0),
                heading_deg: Some(90.0),
            };
            PositionReport { unit: units[u].clone(), fix }
        })
        .collect()
}

fn ingest_report(kz: &Kazakhstan) {
    println!("\n== Position ingest (one core, in-process) ==");
    let mut rng = Rng(99);
    let (mut engine, ids) = engine_with(kz, 20_000, &mut rng);
    let moving: Vec<UnitId> =
        ids.iter().filter(|id| engine.unit(id).unwrap().status == UnitStatus::AvailableOnMove).cloned().collect();
    for (round, (label, units)) in
        [("every unit (mixed statuses)", &ids), ("units on the move (R-tree moves)", &moving)].into_iter().enumerate()
    {
        let from = T0 + 1_000_000 + round as i64 * 1_000_000;
        let batch = reports(&engine, units, 1_000_000, from, &mut rng);
        let mut out = Vec::new();
        let now = from + 1_000_000;
        let start = Instant::now();
        let mut accepted = 0usize;
        for report in &batch {
            accepted += usize::from(engine.ingest_position(now, report, &mut out).is_ok());
        }
        let elapsed = start.elapsed();
        println!(
            "{label:<34} {} reports in {:.2?}: {:.0} updates/s ({} accepted), 20,000 units",
            batch.len(),
            elapsed,
            batch.len() as f64 / elapsed.as_secs_f64(),
            accepted
        );
    }
}

/// What the simulator asks of the engine per call: open (auto-assigned), en route, on scene,
/// transporting, at hospital, returning, available, close.
fn lifecycle_report(kz: &Kazakhstan) {
    println!("\n== Call lifecycle through the engine (one core, auto-assign, 8 commands per call) ==");
    let mut rng = Rng(2_340);
    let (mut engine, _) = engine_with(kz, 2_340, &mut rng);
    let mut rules = engine.policy(&RegionCode::parse("KZ-71").unwrap()).rules;
    rules.auto_assign_categories = Category::ALL.to_vec();
    let mut out = Vec::new();
    for region in &kz.regions {
        let region = RegionCode::parse(&region.code).unwrap();
        engine.set_policy(T0, DispatchPolicy { region, rules: rules.clone() }, &mut out).unwrap();
    }
    let queries = calls(kz, 100_000, &mut rng);
    let (mut t, mut served, mut events) = (T0 + 8 * 24 * 60 * MINUTE, 0usize, 0usize);
    let start = Instant::now();
    for (_, call) in queries {
        let mut call = call;
        let norm = call.norm();
        (call.received_at, call.deadline_at) = (t, t + norm);
        let id = call.id.clone();
        engine.open_call(t, call, &mut out).unwrap();
        let unit =
            engine.call(&id).unwrap().assignments.first().and_then(|a| engine.assignment(a)).map(|a| a.unit.clone());
        if let Some(unit) = unit {
            for status in [
                UnitStatus::EnRoute,
                UnitStatus::OnScene,
                UnitStatus::Transporting,
                UnitStatus::AtHospital,
                UnitStatus::Returning,
                UnitStatus::AvailableOnMove,
            ] {
                t += 1_000_000;
                engine.set_status(t, StatusChange::new(unit.clone(), status), &mut out).unwrap();
            }
            served += 1;
        }
        engine.end_call(t, &id, false, None, &mut out).unwrap();
        events += out.len();
        out.clear();
        t += 1_000_000;
    }
    let elapsed = start.elapsed();
    println!(
        "100000 calls ({served} served) in {elapsed:.2?}: {:.0} calls/s, {:.2?} per call, {} events",
        100_000.0 / elapsed.as_secs_f64(),
        elapsed / 100_000,
        events
    );
}

fn criterion_benches(c: &mut Criterion) {
    let kz = load();
    for n in [2_000, 20_000] {
        let mut rng = Rng(n as u64 + 1);
        let (engine, _) = engine_with(&kz, n, &mut rng);
        let queries = calls(&kz, 4_096, &mut rng);
        let mut i = 0;
        c.bench_function(&format!("rank/{n}"), |b| {
            b.iter(|| {
                let (now, call) = &queries[i % queries.len()];
                i += 1;
                black_box(engine.rank(call, *now, RankOptions::default()))
            })
        });
    }
    let mut rng = Rng(7);
    let (mut engine, ids) = engine_with(&kz, 20_000, &mut rng);
    let moving: Vec<UnitId> =
        ids.iter().filter(|id| engine.unit(id).unwrap().status == UnitStatus::AvailableOnMove).cloned().collect();
    let mut batch = reports(&engine, &moving, 200_000, T0 + 1_000_000, &mut rng);
    let mut out = Vec::new();
    let mut t = T0 + 1_000_000;
    c.bench_function("ingest_position/20000 (on the move)", |b| {
        b.iter(|| {
            // Positions wrap around the batch; times keep rising so every fix is taken.
            t += 1;
            let len = batch.len();
            let report = &mut batch[t as usize % len];
            report.fix.recorded_at = t;
            black_box(engine.ingest_position(t, report, &mut out).is_ok())
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = criterion_benches
}

fn main() {
    // Under `cargo test --benches` criterion runs each benchmark once; skip the long reports.
    // JEDEL_BENCH_REPORTS=latency,ingest,lifecycle picks reports (default: all).
    if std::env::args().any(|a| a == "--bench") {
        let kz = load();
        let wanted = std::env::var("JEDEL_BENCH_REPORTS").unwrap_or_else(|_| "latency,ingest,lifecycle".into());
        type Report = fn(&Kazakhstan);
        let reports: [(&str, Report); 3] =
            [("latency", latency_report), ("ingest", ingest_report), ("lifecycle", lifecycle_report)];
        for (name, report) in reports {
            if wanted.split(',').any(|w| w.trim() == name) {
                report(&kz);
            }
        }
        println!();
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
