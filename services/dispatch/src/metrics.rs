//! The Dispatcher's own Prometheus figures: commands applied (by kind), position reports
//! (accepted, or rejected by reason), norm-clock alerts (by kind), and gauges of the engine's
//! state (units, available units, open and queued calls). Labels are bounded enums.

use jedel_core::dispatch::{AlertKind, EngineStats, TravelTimeModel};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabel {
    kind: &'static str,
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
    }
}
