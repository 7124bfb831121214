//! [`Recommendation`]: a ranking dressed for the dispatcher: each candidate with its unit's
//! particulars and a one-line reason, and a message when no unit meets the norm.

use serde::{Deserialize, Serialize};

use super::ids::{CallId, RecommendationId, UnitId};
use super::rank::{CapabilityFit, Ranking};
use super::serde_with;
use super::unit::UnitStatus;
use crate::category::{Category, TeamKind};
use crate::local_time::Micros;
use crate::region_code::RegionCode;

/// One ranked candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// 1 = best.
    pub rank: u32,
    /// The unit.
    pub unit: UnitId,
    /// Its call sign.
    pub call_sign: String,
    /// Its team kind.
    pub kind: TeamKind,
    /// Its region.
    #[serde(with = "serde_with::region")]
    pub region: RegionCode,
    /// Its status when ranked.
    pub status: UnitStatus,
    /// Mobilisation plus travel.
    pub eta: Micros,
    /// Great-circle distance to the scene, metres.
    pub distance_m: f64,
    /// How its kind suits the call.
    pub fit: CapabilityFit,
    /// Arrives by the deadline.
    pub meets_norm: bool,
    /// From another region.
    pub cross_border: bool,
    /// Busy on this call and could be diverted from it (use Redispatch).
    pub redispatch_from: Option<CallId>,
    /// One line for the dispatcher.
    pub reason: String,
}

/// The answer to Recommend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// Quote it in Assign.
    pub id: RecommendationId,
    /// The call.
    pub call: CallId,
    /// Its category.
    pub category: Category,
    /// Its deadline.
    pub deadline_at: Micros,
    /// The instant ETAs count from.
    pub computed_at: Micros,
    /// Best first; empty when no unit can go.
    pub candidates: Vec<Candidate>,
    /// No candidate reaches the scene by the deadline.
    pub no_unit_meets_norm: bool,
    /// An air option should be looked at.
    pub consider_air: bool,
    /// Set when no unit meets the norm: says so and what was added.
    pub message: Option<String>,
}

/// Whole minutes, rounded up, for people.
pub fn minutes(duration: Micros) -> i64 {
    (duration.max(0) + 59_999_999) / 60_000_000
}

fn crew(kind: TeamKind) -> &'static str {
    match kind {
        TeamKind::Physician => "physician crew",
        TeamKind::Feldsher => "feldsher crew",
        TeamKind::Resuscitation => "resuscitation crew",
        TeamKind::Paediatric => "paediatric crew",
        TeamKind::PhcMobile => "PHC mobile team",
    }
}

/// The candidate's line, e.g. "7 min, physician crew (preferred), meets the 10-min norm".
pub(crate) fn reason(
    candidate: &Candidate,
    norm: Micros,
    budget: Micros,
    diverted_from: Option<(&str, Category)>,
) -> String {
    use std::fmt::Write as _;
    let mut line = String::with_capacity(96);
    let _ = write!(line, "{} min, {}", minutes(candidate.eta), crew(candidate.kind));
    if candidate.fit == CapabilityFit::Preferred {
        line.push_str(" (preferred)");
    }
    if candidate.meets_norm {
        let _ = write!(line, ", meets the {}-min norm", minutes(norm));
    } else {
        let _ = write!(line, ", misses the {}-min norm by {} min", minutes(norm), minutes(candidate.eta - budget));
    }
    if candidate.cross_border {
        let _ = write!(line, ", from {}", candidate.region);
    }
    if let Some((number, category)) = diverted_from {
        let _ = write!(line, ", divert from call {number} (category {category})");
    }
    line
}

/// The message when no unit meets the norm.
pub(crate) fn shortfall(ranking: &Ranking, norm: Micros, candidates: &[Candidate]) -> Option<String> {
    if !ranking.no_unit_meets_norm {
        return None;
    }
    let mut parts = vec![match ranking.units.first() {
        Some(best) => {
            format!("no unit reaches the scene within {} min (best {} min)", minutes(norm), minutes(best.eta))
        }
        None => "no unit can be sent".to_string(),
    }];
    let mut foreign: Vec<&RegionCode> = candidates.iter().filter(|c| c.cross_border).map(|c| &c.region).collect();
    foreign.sort();
    foreign.dedup();
    let crossing = candidates.iter().filter(|c| c.cross_border).count();
    if crossing > 0 {
        let regions: Vec<&str> = foreign.iter().map(|r| r.as_str()).collect();
        parts.push(format!("{crossing} unit(s) from {} added", regions.join(", ")));
    }
    let diverted = candidates.iter().filter(|c| c.redispatch_from.is_some()).count();
    if diverted > 0 {
        parts.push(format!("{diverted} unit(s) that could be diverted added"));
    }
    parts.push("consider an air option".to_string());
    Some(parts.join("; "))
}
