//! The Dispatcher's own Prometheus figures: commands applied (by kind), position reports
//! (accepted, or rejected by reason), norm-clock alerts (by kind), gauges of the engine's
//! state (units, available units, open and queued calls), and units on a call that have gone
//! silent, by region. Labels are bounded enums and region codes.

use std::collections::BTreeMap;

use jedel_core::dispatch::{AlertKind, EngineStats, TravelTimeModel, Unit};
use jedel_core::local_time::{MINUTE, Micros};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabel {
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RegionLabel {
    region: String,
}

/// How long a unit on a call may go without a position before it counts as silent.
pub const SILENT_AFTER: Micros = 10 * MINUTE;

/// Whether `unit` works a call and has sent no position for longer than [`SILENT_AFTER`] at
/// `now` (a unit that never sent one counts from its last status change).
pub fn silent(unit: &Unit, now: Micros) -> bool {
    let last_sign = unit.fix.as_ref().map_or(unit.status_changed_at, |fix| fix.recorded_at);
    unit.call.is_some() && now - last_sign > SILENT_AFTER
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabel {
    /// "accepted" or a rejection reason.
    outcome: &'static str,
}

/// The figures, registered once per process.
#[derive(Clone, Default)]
pub struct DispatchMetrics {
    commands: Family<KindLabel, Counter>,
    positions: Family<OutcomeLabel, Counter>,
    alerts: Family<KindLabel, Counter>,
    state: Family<KindLabel, Gauge>,
    silent: Family<RegionLabel, Gauge>,
}

impl DispatchMetrics {
    /// Figures registered with the process's metrics.
    pub fn register(metrics: &jedel_platform::metrics::Metrics) -> DispatchMetrics {
        let this = DispatchMetrics::default();
        metrics.register("dispatch_commands", "Engine commands applied, by kind", this.commands.clone());
        metrics.register(
            "dispatch_position_reports",
            "Position reports, accepted or rejected by reason",
            this.positions.clone(),
        );
        metrics.register("dispatch_alerts", "Norm-clock alerts raised, by kind", this.alerts.clone());
        metrics.register(
            "dispatch_engine_size",
            "Units, available units, open and queued calls in the engine",
            this.state.clone(),
        );
        metrics.register(
            "dispatch_units_silent",
            "Units on a call with no position for 10 minutes, by region",
            this.silent.clone(),
        );
        this
    }

    /// A command was applied.
    pub fn command(&self, kind: &'static str) {
        self.commands.get_or_create(&KindLabel { kind }).inc();
    }

    /// `count` position reports ended with `outcome`.
    pub fn positions(&self, outcome: &'static str, count: u64) {
        if count > 0 {
            self.positions.get_or_create(&OutcomeLabel { outcome }).inc_by(count);
        }
    }

    /// An alert was raised.
    pub fn alert(&self, kind: AlertKind) {
        let kind = match kind {
            AlertKind::AtRisk => "at_risk",
            AlertKind::Breached => "breached",
            AlertKind::Cleared => "cleared",
        };
        self.alerts.get_or_create(&KindLabel { kind }).inc();
    }

    /// The engine's sizes.
    pub fn engine<M: TravelTimeModel>(&self, engine: &jedel_core::dispatch::Engine<M>) {
        let EngineStats { units, available, open_calls, queued_calls, .. } = engine.stats();
        for (kind, value) in [
            ("units", units),
            ("available_units", available),
            ("open_calls", open_calls),
            ("queued_calls", queued_calls),
        ] {
            self.state.get_or_create(&KindLabel { kind }).set(value as i64);
        }
        // Every region with a unit gets a value, so a region whose units speak again reads 0.
        let mut silent_by_region: BTreeMap<String, i64> = BTreeMap::new();
        for unit in engine.units() {
            *silent_by_region.entry(unit.spec.region.to_string()).or_default() += i64::from(silent(unit, engine.now()));
        }
        for (region, count) in silent_by_region {
            self.silent.get_or_create(&RegionLabel { region }).set(count);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use jedel_core::dispatch::{CallId, Fix, UnitId, UnitSpec, UnitStatus};
    use jedel_core::{LatLon, RegionCode, TeamKind};

    use super::*;

    fn unit(on_call: bool, fix_at: Option<Micros>) -> Unit {
        let home = LatLon::parse(51.1, 71.4).unwrap();
        Unit {
            spec: Arc::new(UnitSpec {
                id: UnitId::parse("u1").unwrap(),
                call_sign: "AST-01-01".into(),
                kind: TeamKind::Feldsher,
                equipment: Default::default(),
                station_id: "AST-01".into(),
                region: RegionCode::parse("KZ-71").unwrap(),
                home,
            }),
            status: if on_call { UnitStatus::EnRoute } else { UnitStatus::AvailableAtStation },
            status_changed_at: 0,
            fix: fix_at.map(|recorded_at| Fix { position: home, recorded_at, speed_kmh: None, heading_deg: None }),
            call: on_call.then(|| CallId::parse("c1").unwrap()),
            assignment: None,
            created_at: 0,
            updated_at: 0,
            version: 1,
        }
    }

    #[test]
    fn a_unit_is_silent_only_on_a_call_and_past_the_limit() {
        let now = 60 * MINUTE;
        assert!(silent(&unit(true, Some(now - SILENT_AFTER - 1)), now));
        assert!(!silent(&unit(true, Some(now - SILENT_AFTER)), now));
        assert!(!silent(&unit(false, Some(0)), now));
        // Never reported: counted from its last status change (0).
        assert!(silent(&unit(true, None), now));
        assert!(!silent(&unit(true, None), SILENT_AFTER));
    }
}
