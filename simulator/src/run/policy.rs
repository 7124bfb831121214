//! The dispatch policies `run` compares, each the shipped Kazakhstan rules
//! (`data/dispatch/policy.json`) with the simulated dispatcher taking the top recommendation
//! at once when it is within the scenario's reach (auto-assignment for every category), and
//! with or without the engine's cross-border help and redispatch. "Closest by straight line"
//! swaps the travel-time model for [`jedel_core::dispatch::StraightLineModel`].

use jedel_core::category::Category;
use jedel_core::dispatch::PolicyRules;

/// One policy under comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Policy {
    /// The unit closest by straight line, local units only.
    StraightLine,
    /// The unit with the shortest ETA, local units only.
    Eta,
    /// Shortest ETA, plus units across the region border when no local unit meets the norm.
    CrossBorder,
    /// Shortest ETA with cross-border help, and units on their way to a category 3–4 call
    /// diverted to a category 1 call.
    Redispatch,
}

impl Policy {
    /// Every policy, in report order.
    pub const ALL: [Policy; 4] = [Policy::StraightLine, Policy::Eta, Policy::CrossBorder, Policy::Redispatch];

    /// The name reports use.
    pub fn name(self) -> &'static str {
        match self {
            Policy::StraightLine => "straight-line",
            Policy::Eta => "eta",
            Policy::CrossBorder => "cross-border",
            Policy::Redispatch => "redispatch",
        }
    }

    /// The policy with this report name.
    pub fn parse(name: &str) -> Option<Policy> {
        Policy::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Whether units only ever take calls of their own region, so regions do not interact.
    pub fn local_only(self) -> bool {
        matches!(self, Policy::StraightLine | Policy::Eta)
    }

    /// Whether the engine ranks by straight-line distance instead of ETA.
    pub fn straight_line(self) -> bool {
        self == Policy::StraightLine
    }

    /// The engine rules for this policy, from the shipped ones, with the simulated
    /// dispatcher's reach in minutes.
    pub fn rules(self, reach_min: f64) -> PolicyRules {
        let mut rules = PolicyRules::kazakhstan();
        rules.auto_assign_categories = Category::ALL.to_vec();
        rules.auto_assign_max_eta_min = Some(reach_min);
        rules.cross_border_help = matches!(self, Policy::CrossBorder | Policy::Redispatch);
        rules.redispatch.enabled = self == Policy::Redispatch;
        rules
    }
}
