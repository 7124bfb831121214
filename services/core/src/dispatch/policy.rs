//! How a region dispatches, as data: [`DispatchPolicy`] with its capability rules per
//! category (which team kinds are preferred or allowed, optionally in a local-time window),
//! auto-assignment, redispatch and cross-border help. The Kazakhstan defaults are the data
//! file `data/dispatch/policy.json`.

use serde::{Deserialize, Serialize};

use super::local_window::{LocalMoment, LocalTimeWindow};
use super::serde_with;
use crate::category::{Category, TeamKind};
use crate::local_time::Micros;
use crate::region_code::RegionCode;

/// The shipped default rules for every region of Kazakhstan.
pub const KAZAKHSTAN_POLICY: &str = include_str!("../../../../data/dispatch/policy.json");

/// Which team kinds may take calls of a category, and which are preferred.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapabilityRule {
    /// The category the rule is for.
    pub category: Category,
    /// When the rule applies, by the call's received time; `None` means always.
    #[serde(default)]
    pub window: Option<LocalTimeWindow>,
    /// Kinds ranked first while they meet the norm; when none does, ETA alone decides.
    #[serde(default)]
    pub preferred_kinds: Vec<TeamKind>,
    /// Other kinds that may take the call; kinds in neither list are never offered.
    #[serde(default)]
    pub allowed_kinds: Vec<TeamKind>,
}

/// When a unit heading to a call may be diverted to a more urgent one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedispatchRule {
    /// Whether redispatch is offered and allowed at all.
    pub enabled: bool,
    /// Categories of calls a unit may be taken off.
    pub from_categories: Vec<Category>,
    /// Categories of calls a unit may be diverted to.
    pub to_categories: Vec<Category>,
}

impl RedispatchRule {
    /// Whether a unit on a `from` call may be diverted to a `to` call.
    pub fn allows(&self, from: Category, to: Category) -> bool {
        self.enabled && self.from_categories.contains(&from) && self.to_categories.contains(&to)
    }
}

/// A policy without its region: the rules, as the data file writes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyRules {
    /// For a call, the first rule in list order whose category matches and whose window
    /// contains the call's received time applies; every category needs a rule without a window.
    pub capability_rules: Vec<CapabilityRule>,
    /// Categories assigned to the top recommendation without a dispatcher, on intake and when
    /// a unit frees up for a queued call.
    #[serde(default)]
    pub auto_assign_categories: Vec<Category>,
    /// Redispatch of units heading to less urgent calls.
    pub redispatch: RedispatchRule,
    /// Offer units of other regions when no local unit meets the norm.
    pub cross_border_help: bool,
    /// How far (great circle, km) a unit of another region may be from the scene to be
    /// offered. An engine setting beyond the API's policy; the service keeps the default.
    #[serde(default = "default_cross_border_km")]
    pub cross_border_max_km: f64,
    /// Auto-assignment takes the top unit only when its ETA is at most this many minutes; a
    /// call whose best unit is further waits for a closer one to free up, and takes the best
    /// unit whatever its ETA once its norm is breached. `None`: no limit. An engine setting
    /// beyond the API's policy, as `cross_border_max_km`.
    #[serde(default)]
    pub auto_assign_max_eta_min: Option<f64>,
}

fn default_cross_border_km() -> f64 {
    150.0
}

/// How one region dispatches; the same policy the simulator scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DispatchPolicy {
    /// The region the policy is for.
    #[serde(with = "serde_with::region")]
    pub region: RegionCode,
    /// The rules.
    #[serde(flatten)]
    pub rules: PolicyRules,
}

/// Why a policy is refused; `field` names the place, e.g. `capability_rules[2].window`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct PolicyError {
    /// Where.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// A set of team kinds as bits, for the ranking's inner loop.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct KindMask(u8);

impl KindMask {
    pub(crate) fn of(kinds: &[TeamKind]) -> KindMask {
        KindMask(kinds.iter().fold(0, |bits, k| bits | (1 << k.number())))
    }

    pub(crate) fn has(self, kind: TeamKind) -> bool {
        self.0 & (1 << kind.number()) != 0
    }

    pub(crate) fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl CapabilityRule {
    pub(crate) fn preferred(&self) -> KindMask {
        KindMask::of(&self.preferred_kinds)
    }

    pub(crate) fn allowed(&self) -> KindMask {
        KindMask::of(&self.allowed_kinds)
    }

    /// Whether the rule lets `kind` take the call at all.
    pub fn permits(&self, kind: TeamKind) -> bool {
        self.preferred_kinds.contains(&kind) || self.allowed_kinds.contains(&kind)
    }
}

impl PolicyRules {
    /// Parses and checks rules in the data-file format.
    pub fn from_json(text: &str) -> Result<PolicyRules, PolicyError> {
        let rules: PolicyRules =
            serde_json::from_str(text).map_err(|e| PolicyError { field: "policy".into(), message: e.to_string() })?;
        rules.validate()?;
        Ok(rules)
    }

    /// The shipped Kazakhstan rules.
    pub fn kazakhstan() -> PolicyRules {
        PolicyRules::from_json(KAZAKHSTAN_POLICY).expect("the shipped policy is valid")
    }

    /// Checks windows, kind lists and that every category has a rule without a window.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let bad = |field: String, message: &str| PolicyError { field, message: message.into() };
        for (i, rule) in self.capability_rules.iter().enumerate() {
            if let Some(window) = &rule.window {
                window.validate().map_err(|e| bad(format!("capability_rules[{i}].window"), &e.to_string()))?;
            }
            if rule.preferred_kinds.is_empty() && rule.allowed_kinds.is_empty() {
                return Err(bad(format!("capability_rules[{i}]"), "names no team kind"));
            }
            if let Some(kind) = rule.preferred_kinds.iter().find(|k| rule.allowed_kinds.contains(k)) {
                return Err(bad(format!("capability_rules[{i}]"), &format!("{kind} is both preferred and allowed")));
            }
        }
        for category in Category::ALL {
            if !self.capability_rules.iter().any(|r| r.category == category && r.window.is_none()) {
                return Err(bad(
                    "capability_rules".into(),
                    &format!("category {category} has no rule without a window to fall back on"),
                ));
            }
        }
        if !self.cross_border_max_km.is_finite() || self.cross_border_max_km < 0.0 {
            return Err(bad("cross_border_max_km".into(), "must be a finite number ≥ 0"));
        }
        if self.auto_assign_max_eta_min.is_some_and(|m| !m.is_finite() || m <= 0.0) {
            return Err(bad("auto_assign_max_eta_min".into(), "must be a finite number > 0"));
        }
        Ok(())
    }

    /// The rule for a call of `category` received at `received_at` in a region at
    /// `utc_offset_minutes`.
    pub fn rule_for(&self, category: Category, received_at: Micros, utc_offset_minutes: i32) -> &CapabilityRule {
        let local = LocalMoment::of(received_at, utc_offset_minutes);
        self.capability_rules
            .iter()
            .find(|r| r.category == category && r.window.as_ref().is_none_or(|w| w.contains(local)))
            .expect("validated rules have a fallback for every category")
    }

    /// Whether calls of `category` are auto-assigned.
    pub fn auto_assigns(&self, category: Category) -> bool {
        self.auto_assign_categories.contains(&category)
    }

    /// Whether auto-assignment may send a unit `eta` away to a call, `breached` or not.
    pub fn auto_reaches(&self, eta: Micros, breached: bool) -> bool {
        breached || self.auto_assign_max_eta_min.is_none_or(|max| eta as f64 <= max * 60e6)
    }
}

impl DispatchPolicy {
    /// The shipped Kazakhstan rules for a region.
    pub fn kazakhstan(region: RegionCode) -> DispatchPolicy {
        DispatchPolicy { region, rules: PolicyRules::kazakhstan() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn at(rfc3339: &str) -> Micros {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().timestamp_micros()
    }

    #[test]
    fn category_four_goes_to_phc_in_its_window_and_to_ems_outside() {
        let rules = PolicyRules::kazakhstan();
        // Friday 10:00 Almaty.
        let in_window = rules.rule_for(Category::Four, at("2025-11-21T05:00:00Z"), 300);
        assert_eq!(in_window.preferred_kinds, vec![TeamKind::PhcMobile]);
        // Friday 21:00 and Saturday 10:00 Almaty.
        for outside in [at("2025-11-21T16:00:00Z"), at("2025-11-22T05:00:00Z")] {
            let rule = rules.rule_for(Category::Four, outside, 300);
            assert!(!rule.permits(TeamKind::PhcMobile));
            assert!(rule.permits(TeamKind::Feldsher));
        }
        let one = rules.rule_for(Category::One, at("2025-11-21T05:00:00Z"), 300);
        assert_eq!(one.preferred_kinds, vec![TeamKind::Resuscitation, TeamKind::Physician]);
        assert!(!one.permits(TeamKind::PhcMobile));
    }

    #[test]
    fn rules_without_a_fallback_are_refused() {
        let mut rules = PolicyRules::kazakhstan();
        rules.capability_rules.retain(|r| !(r.category == Category::Three && r.window.is_none()));
        assert_eq!(
            rules.validate().unwrap_err().to_string(),
            "capability_rules: category 3 has no rule without a window to fall back on"
        );
        let mut rules = PolicyRules::kazakhstan();
        rules.capability_rules[0].allowed_kinds.push(TeamKind::Physician);
        assert!(rules.validate().unwrap_err().message.contains("both preferred and allowed"));
    }

    #[test]
    fn policies_round_trip_through_json() {
        let policy = DispatchPolicy::kazakhstan(RegionCode::parse("KZ-71").unwrap());
        let text = serde_json::to_string(&policy).unwrap();
        assert!(text.starts_with(r#"{"region":"KZ-71","capability_rules":"#));
        assert_eq!(serde_json::from_str::<DispatchPolicy>(&text).unwrap(), policy);
    }
}
