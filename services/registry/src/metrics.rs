//! The registry's own Prometheus figures: how many medical-aviation certificates and contracts
//! end within 30 days, labelled only by kind (two series), recounted after every write of
//! airlines or contracts and every minute (so the count moves when the day changes).

use jedel_platform::Db;
use jedel_platform::db::DbError;
use jedel_platform::metrics::Metrics;
use jedel_platform::time::now_micros;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;

use crate::eligibility::{ExpiryKind, expiries, local_today};

/// The horizon of the gauge, in days.
pub use jedel_core::eligibility::EXPIRY_WARNING_DAYS as EXPIRY_HORIZON_DAYS;

/// The gauge's one label.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ExpiryLabels {
    /// `certificate` or `contract`.
    kind: String,
}

/// `jedel_registry_expiring_within_30_days{kind}`: certificates and contracts (not
/// terminated) whose last valid day is today or within the next 30 days, local time.
#[derive(Clone, Debug, Default)]
pub struct ExpiryGauge {
    family: Family<ExpiryLabels, Gauge>,
}

impl ExpiryGauge {
    /// The gauge, registered with the process's metrics; both series start at 0.
    pub fn register(metrics: &Metrics) -> ExpiryGauge {
        let gauge = ExpiryGauge::default();
        metrics.register(
            "registry_expiring_within_30_days",
            "Medical-aviation certificates and contracts whose last valid day is within 30 days, by kind",
            gauge.family.clone(),
        );
        for kind in [ExpiryKind::Certificate, ExpiryKind::Contract] {
            gauge.family.get_or_create(&ExpiryLabels { kind: kind.as_str().into() }).set(0);
        }
        gauge
    }

    /// Recounts from the database, as of now.
    pub async fn refresh(&self, db: &Db) -> Result<(), DbError> {
        let entries = expiries(db.reader(), None, local_today(now_micros())).await?;
        for kind in [ExpiryKind::Certificate, ExpiryKind::Contract] {
            let count =
                entries.iter().filter(|e| e.kind == kind && (0..=EXPIRY_HORIZON_DAYS).contains(&e.days_left)).count();
            self.family.get_or_create(&ExpiryLabels { kind: kind.as_str().into() }).set(count as i64);
        }
        Ok(())
    }

    /// The current value for `kind`.
    pub fn get(&self, kind: ExpiryKind) -> i64 {
        self.family.get_or_create(&ExpiryLabels { kind: kind.as_str().into() }).get()
    }
}
