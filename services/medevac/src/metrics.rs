//! The medevac service's own Prometheus figures: requests created, status changes by the
//! status reached, documents and their bytes, positions accepted and rejected, and alerts
//! raised and cleared. Labels are bounded enums; nothing about a patient is ever a label.

use jedel_core::medevac::RequestStatus;
use jedel_core::medevac::alerts::AlertKind;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabel {
    /// Snake-case request status reached.
    status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabel {
    /// `accepted` or `rejected`.
    result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AlertLabel {
    /// `no_position` or `behind_plan`.
    kind: &'static str,
    /// `raised` or `cleared`.
    change: &'static str,
}

/// The counters, registered once per service.
#[derive(Clone, Default)]
pub struct MedevacMetrics {
    created: Counter,
    status: Family<StatusLabel, Counter>,
    documents: Counter,
    document_bytes: Counter,
    positions: Family<ResultLabel, Counter>,
    alerts: Family<AlertLabel, Counter>,
}

impl MedevacMetrics {
    /// Counters registered with the process's metrics.
    pub fn register(metrics: &jedel_platform::metrics::Metrics) -> MedevacMetrics {
        let this = MedevacMetrics::default();
        metrics.register("medevac_requests_created", "Medevac requests created", this.created.clone());
        metrics.register(
            "medevac_status_changes",
            "Medevac request status changes, by status reached",
            this.status.clone(),
        );
        metrics.register(
            "medevac_documents_uploaded",
            "Documents attached to medevac requests",
            this.documents.clone(),
        );
        metrics.register(
            "medevac_document_bytes_uploaded",
            "Bytes of documents attached to medevac requests",
            this.document_bytes.clone(),
        );
        metrics.register("medevac_flight_positions", "Flight positions received, by result", this.positions.clone());
        metrics.register("medevac_flight_alerts", "Flight-following alerts, by kind and change", this.alerts.clone());
        this
    }

    /// A request was created.
    pub fn created(&self) {
        self.created.inc();
    }

    /// A request reached `status`.
    pub fn reached(&self, status: RequestStatus) {
        self.status.get_or_create(&StatusLabel { status: status.as_str() }).inc();
    }

    /// A document of `bytes` bytes was attached.
    pub fn document(&self, bytes: u64) {
        self.documents.inc();
        self.document_bytes.inc_by(bytes);
    }

    /// Positions were accepted and rejected.
    pub fn positions(&self, accepted: u64, rejected: u64) {
        self.positions.get_or_create(&ResultLabel { result: "accepted" }).inc_by(accepted);
        self.positions.get_or_create(&ResultLabel { result: "rejected" }).inc_by(rejected);
    }

    /// An alert was raised or cleared.
    pub fn alert(&self, kind: AlertKind, cleared: bool) {
        let change = if cleared { "cleared" } else { "raised" };
        self.alerts.get_or_create(&AlertLabel { kind: kind.as_str(), change }).inc();
    }
}
