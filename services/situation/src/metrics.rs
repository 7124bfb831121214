//! The live figures as Prometheus gauges, refreshed every 5 seconds from the fold. Labels are
//! only `region` (ISO 3166-2:KZ) and `category` ("1".."4", "none"): bounded, and never anything
//! about a patient.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use jedel_core::Category;
use jedel_core::situation::{Scope, UnitState};
use jedel_platform::time::now_micros;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;

use crate::grpc::ROLLING_WINDOW;
use crate::live::Live;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RegionCategory {
    region: String,
    category: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RegionLabel {
    region: String,
}

#[derive(Clone, Default)]
struct Gauges {
    calls_today: Family<RegionCategory, Gauge>,
    calls_waiting: Family<RegionCategory, Gauge>,
    calls_overdue: Family<RegionCategory, Gauge>,
    calls_late_today: Family<RegionCategory, Gauge>,
    calls_open: Family<RegionLabel, Gauge>,
    within_norm: Family<RegionLabel, Gauge<f64, AtomicU64>>,
    within_norm_target: Family<RegionLabel, Gauge<f64, AtomicU64>>,
    category4_by_ems: Family<RegionLabel, Gauge<f64, AtomicU64>>,
    units_available: Family<RegionLabel, Gauge>,
    units_total: Family<RegionLabel, Gauge>,
    medevac_open: Family<RegionLabel, Gauge>,
    flights_in_progress: Family<RegionLabel, Gauge>,
    flights_today: Family<RegionLabel, Gauge>,
    documents_expiring: Gauge,
}

fn label(category: Option<Category>) -> &'static str {
    match category {
        Some(Category::One) => "1",
        Some(Category::Two) => "2",
        Some(Category::Three) => "3",
        Some(Category::Four) => "4",
        None => "none",
    }
}

/// Registers the gauges and refreshes them from `live` every 5 seconds.
pub fn spawn(metrics: &jedel_platform::metrics::Metrics, live: Arc<Live>) {
    let g = Gauges::default();
    metrics.register("situation_calls_today", "Calls received today (Asia/Almaty)", g.calls_today.clone());
    metrics.register("situation_calls_waiting", "Calls waiting for a unit", g.calls_waiting.clone());
    metrics.register(
        "situation_calls_overdue",
        "Open calls past their norm with no crew on scene",
        g.calls_overdue.clone(),
    );
    metrics.register(
        "situation_calls_late_today",
        "Calls received today reached late or unreached past the norm",
        g.calls_late_today.clone(),
    );
    metrics.register("situation_calls_open", "Open calls", g.calls_open.clone());
    metrics.register(
        "situation_served_within_norm_ratio",
        "Indicator 24 over the rolling window",
        g.within_norm.clone(),
    );
    metrics.register(
        "situation_served_within_norm_target_ratio",
        "Indicator 24 target of the current year",
        g.within_norm_target.clone(),
    );
    metrics.register(
        "situation_category4_served_by_ems_ratio",
        "Indicator 18 over the rolling window",
        g.category4_by_ems.clone(),
    );
    metrics.register("situation_units_available", "Ground units available", g.units_available.clone());
    metrics.register("situation_units", "Ground units known to dispatch", g.units_total.clone());
    metrics.register("situation_medevac_requests_open", "Open medevac requests", g.medevac_open.clone());
    metrics.register(
        "situation_medevac_flights_in_progress",
        "Medevac flights in progress",
        g.flights_in_progress.clone(),
    );
    metrics.register(
        "situation_medevac_flights_today",
        "Medevac flights departed today (Asia/Almaty)",
        g.flights_today.clone(),
    );
    metrics.register(
        "situation_aviation_documents_expiring",
        "Airline certificates and contracts whose last valid day is within 30 days",
        g.documents_expiring.clone(),
    );
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            refresh(&g, &live);
        }
    });
}

fn refresh(g: &Gauges, live: &Live) {
    let now = now_micros();
    let target = jedel_core::situation::target_24(jedel_core::situation::local_year(now)).map(|t| t.value);
    live.read(|f| {
        g.documents_expiring.set(f.fleet.expiring(now).len() as i64);
        let scopes: Vec<Scope> = f.regions().into_iter().map(Scope::Region).collect();
        for (scope, s) in scopes.iter().zip(f.metrics_of(&scopes, now, ROLLING_WINDOW)) {
            let Scope::Region(region) = scope else { continue };
            let r = RegionLabel { region: region.clone() };
            for c in [None, Some(Category::One), Some(Category::Two), Some(Category::Three), Some(Category::Four)] {
                let l = RegionCategory { region: region.clone(), category: label(c) };
                g.calls_today.get_or_create(&l).set(s.calls_today.get(&c).copied().unwrap_or(0));
                g.calls_waiting.get_or_create(&l).set(s.waiting_calls.get(&c).copied().unwrap_or(0));
                g.calls_overdue.get_or_create(&l).set(s.overdue.get(&c).copied().unwrap_or(0));
                g.calls_late_today.get_or_create(&l).set(s.late_today.get(&c).copied().unwrap_or(0));
            }
            g.calls_open.get_or_create(&r).set(s.open_calls.values().sum());
            if s.within_norm_rolling.denominator > 0 {
                g.within_norm.get_or_create(&r).set(s.within_norm_rolling.value());
            }
            if let Some(target) = target {
                g.within_norm_target.get_or_create(&r).set(target);
            }
            if s.category4_by_ems_rolling.denominator > 0 {
                g.category4_by_ems.get_or_create(&r).set(s.category4_by_ems_rolling.value());
            }
            g.units_available.get_or_create(&r).set(s.units.get(&UnitState::Available).copied().unwrap_or(0));
            g.units_total.get_or_create(&r).set(s.units.values().sum());
            g.medevac_open.get_or_create(&r).set(s.medevac_open.values().sum());
            g.flights_in_progress.get_or_create(&r).set(s.flights_in_progress.values().sum());
            g.flights_today.get_or_create(&r).set(s.flights_today.values().sum());
        }
    });
}
