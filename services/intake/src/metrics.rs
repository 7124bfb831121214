//! Intake's own Prometheus figures: calls created (by category at creation) and calls linked
//! (by kind). Labels are bounded enums; nothing about a patient or caller is ever a label.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;

use jedel_core::Category;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CategoryLabel {
    /// "1".."4", or "none" when created without a category.
    category: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LinkLabel {
    /// "duplicate" or "repeat".
    kind: &'static str,
}

/// The counters, registered once per process.
#[derive(Clone, Default)]
pub struct IntakeMetrics {
    created: Family<CategoryLabel, Counter>,
    linked: Family<LinkLabel, Counter>,
}

impl IntakeMetrics {
    /// Counters registered with the process's metrics.
    pub fn register(metrics: &jedel_platform::metrics::Metrics) -> IntakeMetrics {
        let this = IntakeMetrics::default();
        metrics.register("intake_calls_created", "Calls created, by category at creation", this.created.clone());
        metrics.register("intake_calls_linked", "Calls linked to an open call, by kind", this.linked.clone());
        this
    }

    /// A call was created.
    pub fn created(&self, category: Option<Category>) {
        let category = match category {
            Some(Category::One) => "1",
            Some(Category::Two) => "2",
            Some(Category::Three) => "3",
            Some(Category::Four) => "4",
            None => "none",
        };
        self.created.get_or_create(&CategoryLabel { category }).inc();
    }

    /// A call was linked as a duplicate (`repeat` false) or a repeat.
    pub fn linked(&self, repeat: bool) {
        self.linked.get_or_create(&LinkLabel { kind: if repeat { "repeat" } else { "duplicate" } }).inc();
    }
}
